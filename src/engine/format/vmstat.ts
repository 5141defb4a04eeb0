import { VMSTAT_KEYS, type VmstatRow } from './types';

/**
 * `vmstat` as procps-ng prints it (vmstat.c, new_header/new_format).
 *
 * The default layout has 17 columns, printed with
 *   "%2lu %2lu %6lu %6lu %6lu %6lu %4u %4u %5u %5u %4u %4u %2u %2u %2u %2u %2u"
 * so a value wider than its column simply pushes the rest of the line right.
 * `-w` (wide) uses "%4lu %4lu %12lu %12lu %12lu %12lu %4u %4u %5u %5u %4u %4u %3u %3u %3u %3u %3u".
 */

export const VMSTAT_HEADER_1 =
  'procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----';
export const VMSTAT_HEADER_1_WIDE =
  '--procs-- -----------------------memory---------------------- ---swap-- -----io---- -system-- --------cpu--------';

/** Column widths of the normal and wide format strings, in VMSTAT_KEYS order. */
export const VMSTAT_WIDTHS: readonly number[] = [2, 2, 6, 6, 6, 6, 4, 4, 5, 5, 4, 4, 2, 2, 2, 2, 2];
export const VMSTAT_WIDTHS_WIDE: readonly number[] = [4, 4, 12, 12, 12, 12, 4, 4, 5, 5, 4, 4, 3, 3, 3, 3, 3];

export interface VmstatOptions {
  /** `-w`: the wide layout. */
  wide?: boolean;
  /**
   * Reprint the two header lines after this many rows, as vmstat does on a
   * terminal (24 rows − 3 = 21). 0 prints the header once (`vmstat -n`).
   */
  headerEvery?: number;
}

function cell(v: number): string {
  // %lu / %u of a non-negative integer; the model never produces negatives,
  // but clamp so that a bad value cannot produce a '-' the real tool never prints.
  return String(Math.max(0, Math.trunc(v)));
}

function line(values: readonly string[], widths: readonly number[]): string {
  return values.map((v, i) => v.padStart(widths[i] ?? 0)).join(' ');
}

/** The two header lines. */
export function vmstatHeader(opts: VmstatOptions = {}): [string, string] {
  const wide = opts.wide ?? false;
  return [
    wide ? VMSTAT_HEADER_1_WIDE : VMSTAT_HEADER_1,
    line(VMSTAT_KEYS, wide ? VMSTAT_WIDTHS_WIDE : VMSTAT_WIDTHS),
  ];
}

/** One data row, exactly as printf would format it. */
export function formatVmstatRow(row: VmstatRow, opts: VmstatOptions = {}): string {
  const widths = opts.wide ? VMSTAT_WIDTHS_WIDE : VMSTAT_WIDTHS;
  return line(VMSTAT_KEYS.map((k) => cell(row[k])), widths);
}

/**
 * A whole `vmstat N [count]` transcript: header, then the rows. The caller
 * supplies the first row as the since-boot average (as vmstat computes it) and
 * the following rows as per-interval rates.
 */
export function formatVmstat(rows: readonly VmstatRow[], opts: VmstatOptions = {}): string {
  const every = opts.headerEvery ?? 21;
  const out: string[] = [...vmstatHeader(opts)];
  rows.forEach((r, i) => {
    if (every > 0 && i > 0 && i % every === 0) out.push(...vmstatHeader(opts));
    out.push(formatVmstatRow(r, opts));
  });
  return out.join('\n');
}

/** The width in characters of a row for these values (what the real tool would print). */
export function vmstatRowWidth(row: VmstatRow, opts: VmstatOptions = {}): number {
  const widths = opts.wide ? VMSTAT_WIDTHS_WIDE : VMSTAT_WIDTHS;
  return VMSTAT_KEYS.reduce((sum, k, i) => sum + Math.max(widths[i] ?? 0, cell(row[k]).length), 0) + VMSTAT_KEYS.length - 1;
}

/** Build a VmstatRow from the 17 values in procps column order. */
export function vmstatRowFromArray(values: readonly number[]): VmstatRow {
  const row = {} as Record<(typeof VMSTAT_KEYS)[number], number>;
  VMSTAT_KEYS.forEach((k, i) => {
    row[k] = values[i] ?? 0;
  });
  return row;
}

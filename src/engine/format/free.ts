import type { Meminfo } from './types';

/**
 * `free` as procps prints it.
 *
 * Two eras matter to this guide:
 * - modern: procps-ng 4.0.1 and later. "used" is total − available; the label
 *   column is 9 wide and the header starts with 15 spaces.
 * - classic: procps-ng 3.3.10 to 3.3.17 (Ubuntu 16.04 to 22.04, the incident's
 *   era). "used" is total − free − buff/cache; the label column is 7 wide and the
 *   header starts with 14 spaces.
 * Both print every value right-aligned in 11 columns, separated by one space
 * ("%11s" / " %11s"); a value wider than 11 pushes the rest of the line right.
 * `-w` splits buff/cache into "buffers" and "cache" (Cached + SReclaimable).
 */
export type FreeEra = 'modern' | 'classic';

/** The figures `free` shows, in KiB, before any unit scaling. */
export interface FreeFigures {
  total: number;
  used: number;
  free: number;
  shared: number;
  buffers: number;
  /** Page cache plus reclaimable slab, as procps counts "cache". */
  cache: number;
  available: number;
  swapTotal: number;
  swapUsed: number;
  swapFree: number;
}

/** What procps computes from /proc/meminfo (proc/sysinfo.c, meminfo()). */
export function freeFigures(m: Meminfo, era: FreeEra = 'modern'): FreeFigures {
  const cache = m.Cached + m.SReclaimable;
  const buffCache = m.Buffers + cache;
  let used: number;
  if (era === 'modern') {
    used = m.MemTotal - m.MemAvailable;
  } else {
    used = m.MemTotal - m.MemFree - buffCache;
    if (used < 0) used = m.MemTotal - m.MemFree;
  }
  return {
    total: m.MemTotal,
    used,
    free: m.MemFree,
    shared: m.Shmem,
    buffers: m.Buffers,
    cache,
    available: m.MemAvailable,
    swapTotal: m.SwapTotal,
    swapUsed: m.SwapTotal - m.SwapFree,
    swapFree: m.SwapFree,
  };
}

/** Figures already in MiB, as a `free -m` transcript shows them (the incident's notes). */
export interface FreeRowMiB {
  total: number;
  used: number;
  free: number;
  shared: number;
  buff_cache: number;
  available: number;
  swap_total?: number;
  swap_used?: number;
  swap_free?: number;
}

export type FreeUnit = 'k' | 'm' | 'g' | 'h';

export interface FreeOptions {
  era?: FreeEra;
  unit?: FreeUnit;
  /** `-w`: buffers and cache in separate columns. */
  wide?: boolean;
}

const KIB = 1024;

/**
 * Scale a KiB figure the way procps does for one unit flag: -k/-m/-g divide
 * and truncate; -h is {@link humanSize} (procps-ng 4 style, or the 3.3.x style
 * for the classic era).
 */
export function scaleSize(kib: number, unit: FreeUnit, era: FreeEra = 'modern'): string {
  switch (unit) {
    case 'k':
      return String(Math.trunc(kib));
    case 'm':
      return String(Math.trunc(kib / KIB));
    case 'g':
      return String(Math.trunc(kib / (KIB * KIB)));
    case 'h':
      return era === 'classic' ? humanSizeClassic(kib) : humanSize(kib);
  }
}

/**
 * C's "%.1f" of a float: the value is first rounded to single precision (procps
 * casts to float), then printed with one decimal, ties to even on the exact
 * binary value (glibc).
 */
function printfOneDecimal(value: number): string {
  const f = Math.fround(value);
  const t = f * 10; // exact in double: a float has 24 significant bits
  const lo = Math.floor(t);
  const frac = t - lo;
  let n = lo;
  if (frac > 0.5 || (frac === 0.5 && lo % 2 !== 0)) n = lo + 1;
  return `${Math.floor(n / 10)}.${n % 10}`;
}

/**
 * `-h` of procps-ng 4 (lib/units.c / free.c scale_size): bytes if they fit in
 * 4 characters ("0B"), else for Ki, Mi, Gi, Ti, Pi in turn the first of
 * "%.1f" + unit and "%ld" (truncated) + unit that fits in 5 characters.
 */
export function humanSize(kib: number): string {
  const bytes = Math.trunc(kib) * KIB;
  let buf = `${bytes}B`;
  if (buf.length <= 4) return buf;
  const units = ['K', 'M', 'G', 'T', 'P'];
  for (let i = 0; i < units.length; i++) {
    const value = bytes / KIB ** (i + 1);
    buf = `${printfOneDecimal(value)}${units[i]!}i`;
    if (buf.length <= 5) return buf;
    buf = `${Math.trunc(value)}${units[i]!}i`;
    if (buf.length <= 5) return buf;
  }
  return buf;
}

/**
 * `-h` of procps-ng 3.3.10–3.3.12 (the classic era): no "i"; 4 characters;
 * bytes, then whole KiB ("K"), then M, G, T trying "%.1f" then "%ld".
 */
export function humanSizeClassic(kib: number): string {
  const size = Math.trunc(kib);
  let buf = `${size * KIB}B`;
  if (buf.length <= 4) return buf;
  buf = `${size}K`;
  if (buf.length <= 4) return buf;
  const units = ['M', 'G', 'T'];
  for (let i = 0; i < units.length; i++) {
    const value = size / KIB ** (i + 1);
    buf = `${printfOneDecimal(value)}${units[i]!}`;
    if (buf.length <= 4) return buf;
    buf = `${Math.trunc(value)}${units[i]!}`;
    if (buf.length <= 4) return buf;
  }
  return buf;
}

function header(era: FreeEra, wide: boolean): string {
  const lead = era === 'modern' ? ' '.repeat(15) : ' '.repeat(14);
  const cols = wide
    ? ['total', 'used', 'free', 'shared', 'buffers', 'cache', 'available']
    : ['total', 'used', 'free', 'shared', 'buff/cache', 'available'];
  return lead + cols.map((c, i) => (i === 0 ? c : c.padStart(12))).join('');
}

function row(label: string, era: FreeEra, values: string[]): string {
  const head = era === 'modern' ? label.padEnd(9) + values[0]!.padStart(11) : label.padEnd(7) + ' ' + values[0]!.padStart(11);
  return head + values.slice(1).map((v) => ' ' + v.padStart(11)).join('');
}

/** The full text of `free` for the given figures (KiB). */
export function formatFree(f: FreeFigures, opts: FreeOptions = {}): string {
  const era = opts.era ?? 'modern';
  const unit = opts.unit ?? 'k';
  const wide = opts.wide ?? false;
  const s = (kib: number) => scaleSize(kib, unit, era);
  const mem = wide
    ? [f.total, f.used, f.free, f.shared, f.buffers, f.cache, f.available]
    : [f.total, f.used, f.free, f.shared, f.buffers + f.cache, f.available];
  return [
    header(era, wide),
    row('Mem:', era, mem.map(s)),
    row('Swap:', era, [f.swapTotal, f.swapUsed, f.swapFree].map(s)),
  ].join('\n');
}

/** `free -m` text for figures that are already MiB (a recorded transcript). */
export function formatFreeMiB(r: FreeRowMiB, era: FreeEra = 'modern'): string {
  const mem = [r.total, r.used, r.free, r.shared, r.buff_cache, r.available].map(String);
  const swap = [r.swap_total ?? 0, r.swap_used ?? 0, r.swap_free ?? 0].map(String);
  return [header(era, false), row('Mem:', era, mem), row('Swap:', era, swap)].join('\n');
}

/**
 * Which procps a `free` transcript imitates, in words to print beside it: the two
 * eras compute "used" differently, so a figure of one kind must never sit
 * unlabelled beside a figure of the other.
 */
export function freeEraLabel(era: FreeEra): string {
  return era === 'modern'
    ? 'As procps-ng 4.0.1 and later print it: used = total − available.'
    : 'As the incident’s procps-ng 3.3 printed it: used = total − free − buff/cache.';
}

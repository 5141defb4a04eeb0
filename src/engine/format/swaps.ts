/**
 * The swap areas as `cat /proc/swaps` and `swapon --show` print them: the kernel's
 * swap_show() in mm/swapfile.c (sizes in KiB, tab-separated after a padded name),
 * and util-linux swapon(8)'s default columns NAME TYPE SIZE USED PRIO (sizes with
 * one-letter binary suffixes, as libsmartcols prints them). The model has one
 * area, a swap file at /swapfile with the priority -2 of the first area swapon
 * enables without a priority.
 */

export interface SwapArea {
  name: string;
  type: 'file' | 'partition';
  sizeKiB: number;
  usedKiB: number;
  prio: number;
}

/** The model's swap area, or none when swap is off. */
export function swapAreas(swapTotalKiB: number, swapUsedKiB: number): SwapArea[] {
  return swapTotalKiB > 0 ? [{ name: '/swapfile', type: 'file', sizeKiB: swapTotalKiB, usedKiB: swapUsedKiB, prio: -2 }] : [];
}

/** `cat /proc/swaps`: the header line alone when no swap is enabled. */
export function formatProcSwaps(areas: readonly SwapArea[]): string {
  const lines = ['Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority'];
  for (const a of areas) {
    const pad = a.name.length < 40 ? 40 - a.name.length : 1;
    const type = a.type === 'partition' ? 'partition' : 'file\t';
    lines.push(
      `${a.name}${' '.repeat(pad)}${type}\t${a.sizeKiB}\t${a.sizeKiB < 10000000 ? '\t' : ''}${a.usedKiB}\t${a.usedKiB < 10000000 ? '\t' : ''}${a.prio}`,
    );
  }
  return lines.join('\n');
}

/** A size as util-linux prints it: 1G, 456.2M, 0B. */
export function humanSize(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T', 'P'];
  let exp = 0;
  while (exp < units.length - 1 && bytes >= 1024 ** (exp + 1)) exp++;
  if (exp === 0) return `${bytes}B`;
  const value = bytes / 1024 ** exp;
  let whole = Math.floor(value);
  let tenth = Math.round((value - whole) * 10);
  if (tenth === 10) {
    whole += 1;
    tenth = 0;
  }
  return tenth ? `${whole}.${tenth}${units[exp]}` : `${whole}${units[exp]}`;
}

/** `swapon --show`: nothing at all when no swap is enabled. */
export function formatSwaponShow(areas: readonly SwapArea[]): string {
  if (!areas.length) return '';
  const head = ['NAME', 'TYPE', 'SIZE', 'USED', 'PRIO'];
  const rows = areas.map((a) => [a.name, a.type, humanSize(a.sizeKiB * 1024), humanSize(a.usedKiB * 1024), String(a.prio)]);
  const right = [false, false, true, true, true];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(width[i]!) : i === cells.length - 1 ? c : c.padEnd(width[i]!)))
      .join(' ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

/** A minimal C printf for %d %u %lu %ld %hd %s with width and '-' flag: the reference the properties compare against. */
export function cprintf(fmt: string, ...args: (number | string)[]): string {
  let i = 0;
  return fmt.replace(/%(-?)(\d*)(?:l|h|ll)?([dus])/g, (_m, left: string, width: string, conv: string) => {
    const a = args[i++];
    const text = conv === 's' ? String(a) : String(Math.trunc(Number(a)));
    const w = width === '' ? 0 : Number(width);
    return left ? text.padEnd(w) : text.padStart(w);
  });
}

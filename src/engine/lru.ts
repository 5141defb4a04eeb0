import type { FileObj } from './model';

/**
 * The order of a file's inactive pages (mm/vmscan.c's LRU lists are ordered by
 * when pages joined them; reclaim takes from the tail, the oldest first). Each file
 * keeps its inactive pages in a few batches [time added, pages]; the batches of
 * every file together stand for the inactive file list, oldest first.
 */
const MAX_BATCHES = 4;

/** n pages join f's inactive list at time t (a read, a write, a deactivation). */
export function inactiveAdd(f: FileObj, n: number, t: number): void {
  if (n <= 0) return;
  f.inactive += n;
  const b = f.ibatches;
  const last = b[b.length - 1];
  if (last && t - last[0] < 1) {
    last[1] += n;
    return;
  }
  b.push([t, n]);
  if (b.length > MAX_BATCHES) {
    // Merge the two oldest, at their page-weighted time.
    const [x, y] = b.splice(0, 2) as [[number, number], [number, number]];
    b.unshift([(x[0] * x[1] + y[0] * y[1]) / (x[1] + y[1]), x[1] + y[1]]);
  }
}

/** n inactive pages of f leave the list from anywhere in it (touched and activated, dropped). */
export function inactiveRemove(f: FileObj, n: number): void {
  n = Math.min(n, f.inactive);
  if (n <= 0) return;
  const total = f.inactive;
  f.inactive -= n;
  let left = n;
  const b = f.ibatches;
  for (let i = 0; i < b.length && left > 0; i++) {
    const x = Math.min(b[i]![1], left, Math.floor((n * b[i]![1]) / total));
    b[i]![1] -= x;
    left -= x;
  }
  for (let i = b.length - 1; i >= 0 && left > 0; i--) {
    const x = Math.min(b[i]![1], left);
    b[i]![1] -= x;
    left -= x;
  }
  if (b.some((x) => x[1] <= 0)) f.ibatches = b.filter((x) => x[1] > 0);
}

/** n of f's oldest inactive pages are reclaimed. */
export function inactiveTakeOldest(f: FileObj, n: number): void {
  n = Math.min(n, f.inactive);
  f.inactive -= n;
  const b = f.ibatches;
  let i = 0;
  while (n > 0 && i < b.length) {
    const x = Math.min(b[i]![1], n);
    b[i]![1] -= x;
    n -= x;
    if (b[i]![1] === 0) i++;
  }
  if (i > 0) f.ibatches = b.slice(i);
}

/**
 * Positions for labels along one axis that would otherwise overlap (the watermark
 * labels of the free-memory close-up, a few pixels apart): each label moves as little
 * as it can. Labels that would come closer than `minGap` are laid out as a group,
 * `minGap` apart, in their original order, centred on the mean of where they wanted
 * to be; labels far enough apart stay where they are.
 */
export function spreadLabels(ys: readonly number[], minGap: number): number[] {
  const order = ys.map((_, i) => i).sort((a, b) => ys[a]! - ys[b]!);
  /** A group: its first label's position, how many it holds, the sum of their wished positions. */
  const groups: { start: number; n: number; sum: number }[] = [];
  for (const i of order) {
    groups.push({ start: ys[i]!, n: 1, sum: ys[i]! });
    while (groups.length > 1) {
      const b = groups[groups.length - 1]!;
      const a = groups[groups.length - 2]!;
      // a's last label sits at a.start + (a.n - 1) × minGap; b's first must be minGap below it.
      if (b.start >= a.start + a.n * minGap) break;
      const n = a.n + b.n;
      const sum = a.sum + b.sum;
      groups.splice(-2, 2, { start: sum / n - ((n - 1) / 2) * minGap, n, sum });
    }
  }
  const out: number[] = new Array(ys.length);
  let k = 0;
  for (const g of groups) for (let j = 0; j < g.n; j++) out[order[k++]!] = g.start + j * minGap;
  return out;
}

/**
 * What a reader pastes into Explain my box, made from the incident's own figures
 * (shared/reference/seed-observations.json) and a real OOM report: used by the
 * browser tests and by the browser benchmark (scripts/bench-ui.ts).
 */
import { readFileSync } from 'node:fs';

const ROOT = new URL('../../', import.meta.url);
const seed = JSON.parse(readFileSync(new URL('../shared/reference/seed-observations.json', ROOT), 'utf8')) as {
  vmstat: Record<string, number[][]>;
  free_m: { mark: string; total: number; used: number; free: number; shared: number; buff_cache: number; available: number }[];
};
const HEADER = 'procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st';

/** The incident's vmstat rows as the fourth lab started: the box thrashing. */
export const thrashingRows = seed.vmstat['container-4-start-thrashing']!;
export const thrashing = `$ vmstat 5\n${HEADER}\n${thrashingRows.map((r) => r.join(' ')).join('\n')}`;
/** A global OOM kill as a 5.14 kernel on Azure printed it. */
export const azure = readFileSync(new URL('tests/unit/parse/fixtures/oom/azure-5.14-global-modern.txt', ROOT), 'utf8');
/** The incident's free -m figures with four labs running. */
export const c4 = seed.free_m.find((r) => r.mark === 'container-4')!;
/** The same, as free -m printed it. */
export const freeM = `$ free -m\n               total        used        free      shared  buff/cache   available\nMem:     ${[c4.total, c4.used, c4.free, c4.shared, c4.buff_cache, c4.available].map((n) => String(n).padStart(11)).join(' ')}\nSwap:              0           0           0`;

/** About a megabyte of the three, repeated: a whole day's logs pasted at once. */
export function largePaste(bytes = 1_000_000): string {
  const pair = `${azure}\n${thrashing}\n${freeM}\n`;
  return pair.repeat(Math.ceil(bytes / pair.length));
}

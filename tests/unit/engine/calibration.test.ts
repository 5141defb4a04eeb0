import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runScenario } from '../../../src/engine/run';
import { getScenario } from '../../../src/engine/scenarios/index';

/**
 * Calibration against the incident (../shared/reference/seed-observations.json).
 * Tolerances are stated per figure, in MiB, and are what the model achieves
 * honestly; the shapes (who grows, who shrinks, when thrashing and kills happen)
 * are asserted without slack.
 */
interface FreeRow {
  mark: string;
  used: number;
  free: number;
  buff_cache: number;
  available: number;
}
const refPath = new URL('../../../../shared/reference/seed-observations.json', import.meta.url);
let reference: { free_m: FreeRow[] } | null = null;
try {
  reference = JSON.parse(readFileSync(refPath, 'utf8')) as { free_m: FreeRow[] };
} catch {
  reference = null;
}
// The incident's free -m rows (copied here too so the test runs without ../shared).
const INCIDENT: FreeRow[] = reference?.free_m ?? [
  { mark: 'boot', used: 78, free: 518, buff_cache: 392, available: 867 },
  { mark: 'app-started', used: 127, free: 453, buff_cache: 410, available: 818 },
  { mark: 'container-1', used: 350, free: 59, buff_cache: 580, available: 569 },
  { mark: 'container-2', used: 549, free: 84, buff_cache: 356, available: 371 },
  { mark: 'container-4', used: 851, free: 20, buff_cache: 119, available: 54 },
];

/** MiB tolerance per mark and field. */
const TOL: Record<string, { used: number; free: number; buff_cache: number; available: number }> = {
  boot: { used: 15, free: 15, buff_cache: 10, available: 35 },
  'app-started': { used: 15, free: 20, buff_cache: 15, available: 40 },
  'container-1': { used: 25, free: 25, buff_cache: 15, available: 60 },
  'container-2': { used: 25, free: 80, buff_cache: 75, available: 30 },
  // used: 65, not 60. The notebook servers fault their start-up heap in at once
  // (heapS), so lab4's is already full size (36 MiB) at this mark, 45 s into the
  // thrashing; the incident's reading was taken at an unknown moment of it.
  'container-4': { used: 65, free: 20, buff_cache: 50, available: 30 },
};

const seed = runScenario(getScenario('seed')!);
const seedSwap = runScenario(getScenario('seed-swap')!);
const C4 = 3440;
const kills = (run: typeof seed) => run.events.filter((e) => e.kind === 'oom');

describe('seed calibration', () => {
  for (const row of INCIDENT) {
    it(`free -m at ${row.mark} is near the incident's`, () => {
      const got = seed.marks[row.mark]!.free;
      const tol = TOL[row.mark]!;
      expect(got.total).toBe(990);
      for (const k of ['used', 'free', 'buff_cache', 'available'] as const) {
        expect(Math.abs(got[k] - row[k]), `${row.mark} ${k}: model ${got[k]}, incident ${row[k]}`).toBeLessThanOrEqual(tol[k]);
      }
    });
  }

  it('cache grows with container 1 and shrinks with container 2', () => {
    const m = seed.marks;
    expect(m['container-1']!.free.buff_cache).toBeGreaterThan(m['app-started']!.free.buff_cache + 100);
    expect(m['container-2']!.free.buff_cache).toBeLessThan(m['container-1']!.free.buff_cache - 100);
  });

  it('thrashes for at least a minute with four labs, before any kill', () => {
    const firstKill = Math.min(...kills(seed).map((e) => e.t));
    let run = 0;
    let best = 0;
    for (const s of seed.samples) {
      if (s.t <= C4 || s.t > firstKill) continue;
      const v = s.vmstat;
      const thrash = v.bi >= 40000 && v.wa >= 70 && v.id <= 2 && v.b >= 5 && v.si === 0 && v.so === 0;
      run = thrash ? run + 1 : 0;
      best = Math.max(best, run);
    }
    expect(best * 5).toBeGreaterThanOrEqual(60);
    // bi sits near the disk's read limit (~63,000 1 KiB blocks/s).
    const bis = seed.samples.filter((s) => s.t > C4 + 5 && s.t < firstKill).map((s) => s.vmstat.bi);
    const median = [...bis].sort((a, b) => a - b)[Math.floor(bis.length / 2)]!;
    expect(median).toBeGreaterThan(55000);
    expect(median).toBeLessThan(66000);
  });

  it('then kills jupyter-noteboo repeatedly with scores in the 30s, and supervisord restarts it', () => {
    const lines = seed.dmesg.filter((l) => l.includes('Out of memory: Kill process'));
    const jupyter = lines.filter((l) => l.includes('(jupyter-noteboo)'));
    expect(jupyter.length).toBeGreaterThanOrEqual(3);
    for (const l of jupyter) {
      const score = Number(/score (\d+)/.exec(l)![1]);
      expect(score).toBeGreaterThanOrEqual(30);
      expect(score).toBeLessThanOrEqual(39);
    }
    expect(seed.events.some((e) => e.kind === 'restart' && e.text.includes('jupyter-notebook'))).toBe(true);
  });

  it('kills as fast as the incident once the loop starts: several a minute (7 in 50 s there)', () => {
    const ts = kills(seed).map((e) => e.t);
    const inFirstMinute = ts.filter((t) => t <= ts[0]! + 60).length;
    expect(inFirstMinute).toBeGreaterThanOrEqual(5);
    expect(inFirstMinute).toBeLessThanOrEqual(12);
  });

  it('recovers after docker kill $(docker ps -q): available above 700 MiB, nothing restarted', () => {
    expect(seed.marks['killed-all']!.free.available).toBeGreaterThan(700);
    const killT = seed.events.find((e) => e.kind === 'action' && e.text.startsWith('docker kill'))!.t;
    expect(seed.events.some((e) => e.t > killT && (e.kind === 'restart' || e.kind === 'oom'))).toBe(false);
  });
});

describe('seed-swap: the incident with 1 GiB of swap', () => {
  it('uses swap (swpd and so > 0)', () => {
    expect(seedSwap.samples.some((s) => s.vmstat.swpd > 0)).toBe(true);
    expect(seedSwap.samples.some((s) => s.vmstat.so > 0)).toBe(true);
  });

  it('reads less from disk than without swap, and kills nothing', () => {
    const reads = (run: typeof seed) => run.samples.reduce((a, s) => a + s.vmstat.bi, 0);
    expect(reads(seedSwap)).toBeLessThan(reads(seed) / 4);
    expect(kills(seedSwap)).toHaveLength(0);
    expect(kills(seed).length).toBeGreaterThan(0);
  });
});

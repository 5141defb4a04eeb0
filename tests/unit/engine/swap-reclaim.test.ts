import { describe, expect, it } from 'vitest';
import { runScenario, type ScenarioRun } from '../../../src/engine/run';
import { boxScenario } from '../../../src/cli/box';
import { getScenario } from '../../../src/engine/scenarios/index';
import { Machine } from '../../../src/engine/index';
import { submitRead } from '../../../src/engine/disk';

/**
 * What reclaim, swap and the disk must do, on the incident's host driven the way
 * `npm run sim -- --do …` drives it. "App + N labs": the web app at 30 s, then labs at
 * 60, 180, 300 and 420 s.
 */
const SEEDS = [1, 2, 3];
const LAB_TIMES = [60, 180, 300, 420];

function appAndLabs(n: number, extra = ''): string {
  const labs = LAB_TIMES.slice(0, n).map((t) => `${t}@start:dhbox-lab:restart=unless-stopped`);
  return ['30@app:dhbox-web', ...labs, ...(extra ? [extra] : [])].join(',');
}

const cache = new Map<string, ScenarioRun>();
function box(labs: number, opts: { swap?: number; swappiness?: number; seed: number; until: number; extra?: string }): ScenarioRun {
  const key = JSON.stringify([labs, opts]);
  let run = cache.get(key);
  if (!run) {
    run = runScenario(
      boxScenario({ do: appAndLabs(labs, opts.extra), until: opts.until, swap: opts.swap ?? 0, swappiness: opts.swappiness ?? 60, seed: opts.seed }),
    );
    cache.set(key, run);
  }
  return run;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const window = (run: ScenarioRun, from: number, to: number) => run.samples.filter((s) => s.t > from && s.t <= to);
const counterAt = (run: ScenarioRun, t: number) => run.samples.find((s) => s.t === t)!.counters;
const kills = (run: ScenarioRun) => run.final.ooms;

describe.each(SEEDS)('seed %i', (seed) => {
  it('swap settles with four labs: little swap-in, little iowait, no kill', () => {
    const run = box(4, { swap: 1024, seed, until: 1000 });
    const w = window(run, 700, 1000);
    expect(median(w.map((s) => s.vmstat.si))).toBeLessThanOrEqual(1000);
    expect(median(w.map((s) => s.vmstat.wa))).toBeLessThan(40);
    expect(kills(run)).toHaveLength(0);
    // The cold half of the labs' memory went to swap and stays there.
    expect(w.at(-1)!.vmstat.swpd).toBeGreaterThan(100 * 1024);
  });

  it('swap never hurts a healthy box: three labs wait no more with swap, and swap in almost nothing', () => {
    const withSwap = box(3, { swap: 1024, seed, until: 440 });
    const without = box(3, { swap: 0, seed, until: 440 });
    const wa = (run: ScenarioRun) => median(window(run, 300, 440).map((s) => s.vmstat.wa));
    expect(wa(withSwap)).toBeLessThanOrEqual(wa(without) + 5);
    expect((counterAt(withSwap, 440).pswpin * 4) / 1024).toBeLessThanOrEqual(16);
  });

  it('a streaming read does not push the labs to swap', () => {
    const run = box(2, { swap: 1024, seed, until: 500, extra: '400@read:2000' });
    const before = counterAt(run, 400);
    const after = counterAt(run, 500);
    // The file was read: about 2000 MiB came from the disk.
    expect(((after.pgpgin - before.pgpgin) / 1024)).toBeGreaterThan(1900);
    expect(((after.pswpout - before.pswpout) * 4) / 1024).toBeLessThanOrEqual(16);
    expect(kills(run)).toHaveLength(0);
  });

  it('the OOM killer fires with code still cached', () => {
    const run = box(4, { swap: 0, seed, until: 700 });
    const global = kills(run).filter((k) => !k.memcg && k.t < 700);
    expect(global.length).toBeGreaterThan(0);
    for (const k of global) {
      expect(k.memInfo!.activeFile, `kill at ${k.t}`).toBeGreaterThanOrEqual(1000);
      expect(k.memInfo!.mapped, `kill at ${k.t}`).toBeGreaterThanOrEqual(1000);
    }
  });

  it('swappiness orders the balance between swap and page cache', () => {
    const out = [10, 60, 150].map((sw) => counterAt(box(4, { swap: 1024, swappiness: sw, seed, until: 1000 }), 1000).pswpout);
    expect(out[0]).toBeLessThanOrEqual(out[1]!);
    expect(out[1]).toBeLessThanOrEqual(out[2]!);
    expect(out[0]).toBeLessThan(out[2]!);
  });
});

describe('the mechanisms behind those figures', () => {
  it('serves a lone 4 KiB read in about a millisecond, and queues reads behind a busy disk', () => {
    const m = new Machine({ ramMiB: 990, seed: 1 });
    const s = m.state;
    const r1 = submitRead(s, { pid: -1, file: -1, pages: 1, active: 0, memstall: false, doneAt: 0 }, s.t);
    expect(r1.doneAt - s.t).toBeCloseTo(0.001, 6);
    // 64 MiB of 128 KiB requests at once: the last waits for all the others (62.1 MiB/s).
    let last = r1;
    for (let i = 0; i < 512; i++) last = submitRead(s, { pid: -1, file: -1, pages: 32, active: 0, memstall: false, doneAt: 0 }, s.t);
    expect(last.doneAt - s.t).toBeGreaterThan(1);
    expect(last.doneAt - s.t).toBeLessThan(1.1);
  });

  it('keeps iowait and memory pressure near zero on a calm box that reads a little', () => {
    const run = box(1, { swap: 0, seed: 1, until: 240 });
    const w = window(run, 180, 240);
    expect(Math.max(...w.map((s) => s.vmstat.wa))).toBeLessThanOrEqual(2);
    expect(Math.max(...w.map((s) => s.psi.some.avg10))).toBeLessThan(1);
  });

  it('reports PSI as shares of time: full never above some, both near 100% while the incident thrashes', () => {
    const seed = runScenario(getScenario('seed')!);
    for (const s of seed.samples) {
      expect(s.psi.full.avg10).toBeLessThanOrEqual(s.psi.some.avg10 + 1e-9);
      expect(s.psi.full.total).toBeLessThanOrEqual(s.psi.some.total);
    }
    const thrashing = seed.samples.filter((s) => s.t > 3470 && s.t <= 3510);
    expect(median(thrashing.map((s) => s.psi.some.avg10))).toBeGreaterThan(90);
    expect(median(thrashing.map((s) => s.psi.full.avg10))).toBeGreaterThan(50);
    // total is in microseconds: it grows by at most the time that passed.
    const a = seed.samples.find((s) => s.t === 3480)!;
    const b = seed.samples.find((s) => s.t === 3490)!;
    expect(b.psi.some.total - a.psi.some.total).toBeLessThanOrEqual(10e6);
  });

  it('counts a first read as no refault, and a re-read of evicted pages as refaults', () => {
    const first = box(1, { swap: 0, seed: 1, until: 200, extra: '150@read:300' });
    const refaults = (run: ScenarioRun, from: number, to: number) => counterAt(run, to).workingsetRefaultFile - counterAt(run, from).workingsetRefaultFile;
    expect((refaults(first, 150, 200) * 4) / 1024).toBeLessThan(8);
    // Read 600 MiB, then 1.5 GiB more, then the first file again: its pages were evicted meanwhile.
    const m = new Machine({ ramMiB: 990, seed: 1 });
    m.schedule([
      { t: 30, action: { type: 'startApp', app: 'dhbox-web' } },
      { t: 60, action: { type: 'readFile', mib: 600, name: '/data/a' } },
      { t: 120, action: { type: 'readFile', mib: 1500, name: '/data/b' } },
      { t: 200, action: { type: 'readFile', mib: 600, name: '/data/a' } },
    ]);
    m.runUntil(200);
    const before = m.counters().workingsetRefaultFile;
    m.runUntil(260);
    expect(((m.counters().workingsetRefaultFile - before) * 4) / 1024).toBeGreaterThan(300);
  });

  it('counts each mapped page once, however many labs map it', () => {
    const mapped = (labs: number) => {
      const m = new Machine({ ramMiB: 4096, seed: 1 });
      m.act({ type: 'startApp', app: 'dhbox-web' });
      for (let i = 0; i < labs; i++) m.act({ type: 'startContainer', profile: 'dhbox-lab', name: `lab${i}` });
      m.step(120);
      return m.meminfo().Mapped;
    };
    const none = mapped(0);
    const one = mapped(1);
    const three = mapped(3);
    // Two more labs of the same image add only their own few mapped pages, not the image's again.
    expect(three - one).toBeLessThan((one - none) / 2);
  });

  it('keeps swapped-in pages in the swap cache', () => {
    const run = box(4, { swap: 1024, seed: 1, until: 1000 });
    expect(Math.max(...run.samples.map((s) => s.counters.pswpin))).toBeGreaterThan(0);
    const m = new Machine({ state: run.final });
    expect(m.meminfo().SwapCached).toBeGreaterThan(0);
  });
});

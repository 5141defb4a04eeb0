import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Machine } from '../../../src/engine/index';
import type { Action } from '../../../src/engine/index';
import { badness, oomScore, rss } from '../../../src/engine/oom';
import { cgroupPath, memcgSwap } from '../../../src/engine/memcg';
import { buckets, accountedPages } from '../../../src/engine/readouts';
import { formatVmstatRow, vmstatRowWidth, VMSTAT_WIDTHS } from '../../../src/engine/format/vmstat';

/** Random machines and action sequences: the model's invariants must hold at every step. */
const profileArb = fc.constantFrom('dhbox-lab', 'web-app', 'batch-job', 'idle-service');
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ type: fc.constant('startContainer' as const), profile: profileArb, restart: fc.constantFrom('no' as const, 'always' as const, 'on-failure' as const), memLimitMiB: fc.constantFrom(0, 0, 96, 192, 320) }) },
  { weight: 1, arbitrary: fc.constant({ type: 'killAll' as const }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('setSwap' as const), mib: fc.constantFrom(0, 256, 1024) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('setSwappiness' as const), value: fc.integer({ min: 0, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('dropCaches' as const), what: fc.constantFrom(1 as const, 2 as const, 3 as const) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('readFile' as const), mib: fc.integer({ min: 1, max: 400 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('setOomScoreAdj' as const), comm: fc.constantFrom('jupyter-noteboo', 'python3', 'mysqld', 'node'), value: fc.constantFrom(-1000, -500, 0, 500, 1000) }) },
  { weight: 1, arbitrary: fc.constant({ type: 'startApp' as const, app: 'dhbox-web' }) },
);
const stepArb = fc.record({ dt: fc.integer({ min: 1, max: 40 }), action: actionArb });
const machineArb = fc.record({
  ramMiB: fc.integer({ min: 256, max: 3072 }),
  swapMiB: fc.constantFrom(0, 0, 512),
  swappiness: fc.integer({ min: 0, max: 200 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
});

function nonNegative(m: Machine): string | null {
  const s = m.state;
  const scalars = { free: s.free, kernel: s.kernel, slabUnrecl: s.slabUnrecl, slabRecl: s.slabRecl, swapUsed: s.swapUsed, shmemHost: s.shmemHost };
  for (const [k, v] of Object.entries(scalars)) if (!(Number.isInteger(v) && v >= 0)) return `${k}=${v}`;
  if (s.swapUsed > s.swapTotal) return 'swapUsed > swapTotal';
  for (const f of s.files) {
    for (const k of ['active', 'inactive', 'inflight', 'dirty'] as const) if (!(Number.isInteger(f[k]) && f[k] >= 0)) return `${f.key}.${k}=${f[k]}`;
    if (f.active + f.inactive + f.inflight > f.size) return `${f.key} over size`;
  }
  for (const p of s.procs) for (const k of ['anonA', 'anonI', 'swap', 'pgt', 'kstack'] as const) if (!(Number.isInteger(p[k]) && p[k] >= 0)) return `${p.comm}.${k}=${p[k]}`;
  for (const c of s.containers) if (c.shmem < 0 || c.kernel < 0) return `${c.name} negative`;
  return null;
}

describe('engine invariants (property tests)', () => {
  it('conserves pages, keeps counts integral and non-negative, at every step', () => {
    fc.assert(
      fc.property(machineArb, fc.array(stepArb, { minLength: 1, maxLength: 10 }), (cfg, steps) => {
        const m = new Machine({ ...cfg, cpus: 1 });
        for (const st of steps) {
          m.act(st.action);
          for (let i = 0; i < st.dt * 2; i++) {
            m.step(0.5);
            const b = buckets(m.state);
            if (accountedPages(b) !== m.state.totalPages) return false;
            const bad = nonNegative(m);
            if (bad !== null) throw new Error(bad);
          }
        }
        return true;
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('is deterministic: same config and actions give the same state', () => {
    fc.assert(
      fc.property(machineArb, fc.array(stepArb, { minLength: 1, maxLength: 6 }), (cfg, steps) => {
        const run = () => {
          const m = new Machine({ ...cfg, cpus: 1 });
          for (const st of steps) {
            m.act(st.action);
            m.step(st.dt);
          }
          return JSON.stringify(m.toJSON());
        };
        return run() === run();
      }),
      { numRuns: 15 },
    );
  });

  let killsChecked = 0;
  it('kills only when reclaim can take nothing, never -1000, always the maximum badness, memcg kills stay inside', () => {
    fc.assert(
      fc.property(machineArb, fc.integer({ min: 300, max: 700 }), fc.array(stepArb, { minLength: 2, maxLength: 8 }), (cfg, ram, steps) => {
        const m = new Machine({ ...cfg, ramMiB: ram, cpus: 1 });
        // Pin a few processes to -1000 to check they are spared.
        m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'guarded' });
        m.step(5);
        for (const p of m.state.procs) if (p.comm === 'supervisord' || p.comm === 'mysqld') p.adj = -1000;
        const checked = new Set<number>();
        for (const st of steps) {
          m.act(st.action);
          for (let i = 0; i < st.dt * 8; i++) {
            const before = m.oomKillCount();
            const eventsBefore = m.eventCount();
            const owner = new Map(m.state.procs.map((p) => [p.pid, p.cid] as const));
            // Badness of every candidate just before each tick; a kill inside the tick must pick the max.
            m.tick();
            const reports = m.oomKillsSince(before);
            const oomEvents = m.eventsSince(eventsBefore).filter((e) => e.kind === 'oom');
            expect(reports).toHaveLength(m.oomKillCount() - before);
            expect(oomEvents).toHaveLength(reports.length);
            for (let k = before; k < m.oomKillCount(); k++) {
              const rep = reports[k - before]!;
              const ev = oomEvents[k - before]!;
              expect(ev.reclaimable).toBe(0);
              expect(rep.victim.oomScoreAdj).not.toBe(-1000);
              // Max badness among the task table (rss + swap + page tables + adj × totalpages / 1000);
              // init (pid 1) and -1000 tasks are listed but never chosen.
              const tp = ev.totalpages!;
              const score = (t: (typeof rep.tasks)[number]) =>
                t.oomScoreAdj === -1000 || t.pid === 1 ? -Infinity : t.rssPages + t.swapents + t.pgtablesBytes / 4096 + t.oomScoreAdj * Math.floor(tp / 1000);
              const best = Math.max(...rep.tasks.map(score));
              const victimRow = rep.tasks.find((t) => t.pid === rep.victim.pid)!;
              expect(score(victimRow)).toBe(best);
              if (rep.memcg) {
                const c = m.state.containers.find((x) => cgroupPath(m.state, x) === rep.memcg!.path)!;
                expect(c).toBeDefined();
                expect(owner.get(rep.victim.pid)).toBe(c.id);
                // A task may have been started inside this very tick (a supervisor restart), so look it up after the tick too.
                const after = new Map(m.state.procs.map((p) => [p.pid, p.cid] as const));
                for (const t of rep.tasks) expect(owner.get(t.pid) ?? after.get(t.pid)).toBe(c.id);
              }
              checked.add(k);
              killsChecked++;
            }
          }
        }
        return true;
      }),
      { numRuns: 25 },
    );
    // The random runs must actually have exercised the OOM killer.
    expect(killsChecked).toBeGreaterThan(0);
  });

  it('reports nothing reclaimable at a memcg kill when the cgroup has reached memory.swap.max (only its swap-cached pages could go)', () => {
    // A case the random runs found: a 96 MiB lab started without swap, swap switched on later, the
    // lab swaps up to its memory.swap.max (docker -m 96 leaves swap.max at 96 MiB) and is OOM-killed.
    const m = new Machine({ ramMiB: 342, swapMiB: 0, swappiness: 1, seed: 0, cpus: 1 });
    m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'guarded' });
    m.step(5);
    for (const p of m.state.procs) if (p.comm === 'supervisord' || p.comm === 'mysqld') p.adj = -1000;
    const plan: [number, Action][] = [
      [1, { type: 'killAll' }],
      [18, { type: 'startContainer', profile: 'dhbox-lab', memLimitMiB: 96, restart: 'no' }],
      [28, { type: 'setSwap', mib: 1024 }],
      [9, { type: 'startContainer', profile: 'batch-job', restart: 'no' }],
      [36, { type: 'startContainer', profile: 'dhbox-lab', restart: 'no' }],
      [4, { type: 'startContainer', profile: 'dhbox-lab', restart: 'no' }],
    ];
    let capped = 0;
    for (const [dt, action] of plan) {
      m.act(action);
      for (let i = 0; i < dt * 8; i++) {
        const before = m.eventCount();
        const full = new Set(m.state.containers.filter((c) => m.state.swapTotal > 0 && c.swapMax >= 0 && memcgSwap(m.state, c) >= c.swapMax - 64).map((c) => c.name));
        m.tick();
        for (const ev of m.eventsSince(before)) {
          if (ev.kind !== 'oom') continue;
          expect(ev.reclaimable).toBe(0);
          if (ev.memcg && full.has(ev.container!)) capped++;
        }
      }
    }
    // The case under test happened: a memcg kill with the cgroup's swap (nearly) full.
    expect(capped).toBeGreaterThan(0);
  });

  it('computes badness as rss + swap + page tables + adj × totalpages / 1000: signed since 5.9, at least 1 with a 3 % root discount on 4.x', () => {
    for (const kernel of ['modern', 'classic'] as const) {
      const m = new Machine({ ramMiB: 990, seed: 3, kernel });
      m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'lab' });
      m.step(30);
      for (const p of m.state.procs) if (p.alive && p.comm === 'mysqld') p.adj = -900;
      const tp = m.state.totalPages + m.state.swapTotal;
      let negative = 0;
      for (const p of m.state.procs.filter((x) => x.alive)) {
        const b = badness(m.state, p, tp);
        if (p.adj === -1000 || p.pid === 1) {
          expect(b).toBeNull();
          continue;
        }
        let points = rss(m.state, p) + p.swap + p.pgt;
        if (kernel === 'classic' && p.uid === 0 && (p.cid === 0 || p.spec.hostSide)) points -= Math.floor((points * 3) / 100);
        points += p.adj * Math.floor(tp / 1000);
        if (points <= 0) negative++;
        expect(b).toBe(kernel === 'classic' ? Math.max(1, points) : points);
      }
      // The case that tells the eras apart is there: tasks whose adjustment outweighs their size.
      expect(negative).toBeGreaterThan(0);
    }
  });

  it('reports /proc/PID/oom_score as fs/proc/base.c does: (1000 + badness × 1000 / totalpages) × 2 / 3', () => {
    const m = new Machine({ ramMiB: 990, seed: 3 });
    m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'lab' });
    m.step(30);
    const tp = m.state.totalPages + m.state.swapTotal;
    const p = m.state.procs.find((x) => x.alive && x.comm === 'jupyter-noteboo')!;
    const points = rss(m.state, p) + p.swap + p.pgt;
    // A process holding 3.7% of the box scores about 1037 × 2 / 3.
    expect(oomScore(m.state, p)).toBe(Math.trunc(((1000 + Math.trunc((points * 1000) / tp)) * 2) / 3));
    expect(oomScore(m.state, p)).toBeGreaterThan(666);
    expect(oomScore(m.state, p)).toBeLessThan(700);
    p.adj = 1000;
    expect(oomScore(m.state, p)).toBe(Math.trunc(((1000 + Math.trunc(((points + 1000 * Math.floor(tp / 1000)) * 1000) / tp)) * 2) / 3));
    p.adj = -999;
    // Negative badness stays signed until the scaling, as in the kernel's long arithmetic.
    expect(oomScore(m.state, p)).toBe(Math.trunc(((1000 + Math.trunc(((points - 999 * Math.floor(tp / 1000)) * 1000) / tp)) * 2) / 3));
    expect(oomScore(m.state, p)).toBeLessThan(40);
    p.adj = -1000;
    expect(oomScore(m.state, p)).toBe(0);
  });

  it('prints vmstat rows no wider than vmstat would for the same values', () => {
    const m = new Machine({ ramMiB: 990, seed: 5 });
    let since = m.counters();
    for (const profile of ['dhbox-lab', 'dhbox-lab', 'dhbox-lab', 'dhbox-lab']) {
      m.act({ type: 'startContainer', profile });
      for (let i = 0; i < 12; i++) {
        m.step(5);
        const row = m.vmstat(since);
        since = m.counters();
        const line = formatVmstatRow(row);
        // Each value takes its column width, or its own length when wider, plus one separating space.
        const values = Object.values(row).map(String);
        const expected = values.reduce((w, v, j) => w + Math.max(v.length, VMSTAT_WIDTHS[j]!) + (j > 0 ? 1 : 0), 0);
        expect(line.length).toBeLessThanOrEqual(expected);
        expect(vmstatRowWidth(row)).toBe(line.length);
      }
    }
  });
});

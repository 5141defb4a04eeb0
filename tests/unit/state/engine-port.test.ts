import { describe, expect, it } from 'vitest';
import { frameOf, runFor, act } from '../../../src/state/engine-port';
import { bootPreset, linkContext } from '../../../src/state/ui-context';
import { labsMax } from '../../../src/state/ui-data';
import { PRESETS, PRESET_NAMES } from '../../../src/state/presets';
import { getScenario } from '../../../src/engine';
import { formatFree } from '../../../src/engine/format/free';

describe('simulator presets', () => {
  it('each boots its engine scenario at its start time', () => {
    for (const name of PRESET_NAMES) {
      const p = PRESETS[name]!;
      expect(getScenario(p.scenario), name).toBeDefined();
      const b = bootPreset({ preset: name });
      expect(b.t, name).toBeCloseTo(p.start, 6);
    }
  });

  it('boot the same machine every time (same numbers on every panel)', () => {
    const a = frameOf(bootPreset({ preset: 'thrashing' }));
    const b = frameOf(bootPreset({ preset: 'thrashing' }));
    expect(a).toEqual(b);
  });

  it('take the knobs of a link: RAM, swap, swappiness, seed', () => {
    const f = frameOf(bootPreset({ preset: 'playground', ramMiB: 2048, swapMiB: 512, swappiness: 100 }));
    expect(f.totalMiB).toBeGreaterThan(1900);
    expect(f.swapTotalMiB).toBeGreaterThanOrEqual(511);
    expect(f.swapTotalMiB).toBeLessThanOrEqual(512);
    expect(f.swappiness).toBe(100);
  });

  it('stop the scenario script where the reader takes over, unless it is a replay', () => {
    const eviction = bootPreset({ preset: 'eviction' });
    runFor(eviction, 400);
    expect(frameOf(eviction).labNames).toEqual([]);
    const incident = bootPreset({ preset: 'incident' });
    const second = getScenario('seed')!.marks.find((m) => m.name === 'container-2')!.t;
    runFor(incident, second - incident.t);
    expect(frameOf(incident).labNames.length).toBeGreaterThan(0);
  });

  it('know every preset, profile and app a link may name', () => {
    expect(linkContext.presets).toEqual(PRESET_NAMES);
    expect(linkContext.profiles).toContain('dhbox-lab');
    expect(linkContext.apps.length).toBeGreaterThan(0);
  });
});

describe('a frame', () => {
  it('splits memory into kinds that add up to the total', () => {
    const b = bootPreset({ preset: 'eviction' });
    act(b, { type: 'startContainer', profile: 'dhbox-lab' });
    for (let i = 0; i < 12; i++) {
      runFor(b, 10);
      b.markSample();
      const f = frameOf(b);
      const m = f.memory;
      const sum = m.kernel + m.anon + m.shmem + m.cache + m.free;
      expect(Math.abs(sum - b.m.totalPages() / 256)).toBeLessThan(0.6);
      expect(f.labNames).toHaveLength(1);
    }
  });

  it('prints free -m exactly as the engine formats it', () => {
    const b = bootPreset({ preset: 'thrashing' });
    expect(frameOf(b).free).toBe(formatFree(b.m.freeKiB(b.freeEra), { unit: 'm', era: b.freeEra }));
  });

  it('marks the process with the highest badness as the next victim, and moves the mark when it is protected', () => {
    const b = bootPreset({ preset: 'oom-loop' });
    const first = frameOf(b).procs.filter((p) => p.nextVictim);
    expect(first).toHaveLength(1);
    act(b, { type: 'setOomScoreAdj', pid: first[0]!.pid, value: -1000 });
    const second = frameOf(b).procs.filter((p) => p.nextVictim);
    expect(second).toHaveLength(1);
    expect(second[0]!.pid).not.toBe(first[0]!.pid);
    expect(frameOf(b).procs.find((p) => p.pid === first[0]!.pid)!.oomScore).toBe(0);
  });

  it('shows thrashing in the disk and CPU figures after the fourth lab', () => {
    const b = bootPreset({ preset: 'thrashing' });
    act(b, { type: 'startContainer', profile: 'dhbox-lab' });
    runFor(b, 40);
    b.markSample();
    runFor(b, 5);
    b.markSample();
    const f = frameOf(b);
    // Still thrashing, not yet killing.
    expect(b.m.oomKills()).toHaveLength(0);
    expect(f.ioSample.bi).toBeGreaterThan(0.8 * f.diskReadLimit);
    expect(f.cpu.wa).toBeGreaterThanOrEqual(70);
    expect(f.lsSeconds).toBeGreaterThan(1);
    expect(f.summary).toMatch(/disk reads at \d+% of the disk's limit/);
  });

  it('sizes the containers slider to overload the RAM', () => {
    expect(labsMax(990)).toBeGreaterThanOrEqual(6);
    expect(labsMax(8192)).toBeGreaterThan(labsMax(990));
  });
});

describe('the kernel log panel', () => {
  it('shows the same OOM lines as the full dmesg, without the task dump, as kills accumulate', () => {
    const b = bootPreset({ preset: 'oom-loop' });
    let seen = 0;
    for (let i = 0; i < 8; i++) {
      runFor(b, 60);
      const lines = frameOf(b).dmesgLines;
      const full = b.m
        .dmesg(b.kernelEra)
        .filter((r) => /Out of memory|oom-kill|Killed process|oom_reaper|invoked oom-killer/.test(r.text));
      expect(lines).toHaveLength(full.length);
      expect(lines.some((l) => /\[\s*pid\s*\]/.test(l))).toBe(false);
      seen = b.m.oomKills().length;
    }
    expect(seen).toBeGreaterThan(2);
  });
});

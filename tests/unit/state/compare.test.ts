/**
 * The comparisons of <Compare>: what the first one claims in chapter 6, computed
 * from the engine, and the link and words the figure is built on.
 */
import { describe, expect, it } from 'vitest';
import { frameOf, type Booted } from '../../../src/state/engine-port';
import { bootPreset, linkContext } from '../../../src/state/ui-context';
import {
  COMPARE_NAMES,
  COMPARE_PRESETS,
  compareSummary,
  comparePreset,
  formatCompareLink,
  parseCompareLink,
  sideLabel,
  sideLink,
  sideOptions,
} from '../../../src/state/compare';
import { PRESETS } from '../../../src/state/presets';
import { withLink, type SimLink } from '../../../src/state/link';
import type { Action } from '../../../src/engine/model';

const LAB: Action = { type: 'startContainer', profile: 'dhbox-lab', restart: 'unless-stopped' };

/** One side of a comparison driven as the figure drives it: actions at the given seconds, sampled each second. */
function drive(name: string, side: 'a' | 'b', actions: { t: number; action: Action }[], seconds: number) {
  const b = bootPreset(sideOptions(comparePreset(name), side));
  const start = frameOf(b).totals;
  const t0 = b.t;
  const queue = [...actions];
  const perSecond: { wa: number; so: number }[] = [];
  for (let s = 0; s < seconds; s++) {
    while (queue[0] && queue[0].t <= b.t - t0 + 1e-9) b.m.act(queue.shift()!.action);
    b.m.step(1);
    b.markSample();
    const f = frameOf(b);
    perSecond.push({ wa: f.cpu.wa, so: f.ioSample.so });
  }
  return { b, start, perSecond, frame: frameOf(b) };
}

describe('the first comparison of chapter 6 (no swap against 1 GiB, the fourth lab added)', () => {
  const minute = { off: drive('swap-off-on', 'a', [{ t: 0, action: LAB }], 60), on: drive('swap-off-on', 'b', [{ t: 0, action: LAB }], 60) };

  it('boots the same preset on both sides, differing only in swap', () => {
    const p = comparePreset('swap-off-on');
    expect(sideOptions(p, 'a')).toEqual({ preset: 'thrashing', swapMiB: 0 });
    expect(sideOptions(p, 'b')).toEqual({ preset: 'thrashing', swapMiB: 1024 });
    expect(minute.off.frame.totalMiB).toBe(minute.on.frame.totalMiB);
    expect(minute.off.frame.labNames).toEqual(minute.on.frame.labNames);
  });

  it('with swap: less disk reading, no time all stalled to speak of, and something written to swap', () => {
    const read = (r: typeof minute.off) => r.frame.totals.readKiB - r.start.readKiB;
    const stall = (r: typeof minute.off) => r.frame.totals.stallFullUs - r.start.stallFullUs;
    expect(read(minute.on) * 10).toBeLessThan(read(minute.off));
    expect(stall(minute.on) * 10).toBeLessThan(stall(minute.off));
    expect(minute.on.frame.totals.swapOutKiB).toBeGreaterThan(minute.on.start.swapOutKiB);
    expect(minute.off.frame.totals.swapOutKiB).toBe(0);
  });

  it('within the minute, a moment when the swapless side waits on I/O ≥ 70 % while the swap side waits < 40 %, after it has swapped out', () => {
    const firstSo = minute.on.perSecond.findIndex((s) => s.so > 0);
    expect(firstSo).toBeGreaterThanOrEqual(0);
    const both = minute.off.perSecond.findIndex((s, i) => i > firstSo && s.wa >= 70 && minute.on.perSecond[i]!.wa < 40);
    expect(both).toBeGreaterThan(firstSo);
  });

  it('the swap side is not quiet from the first second: writing pages out takes the disk too', () => {
    expect(Math.max(...minute.on.perSecond.slice(0, 10).map((s) => s.wa))).toBeGreaterThanOrEqual(40);
  });

  it('over three minutes: OOM kills without swap, none with it', () => {
    const off = drive('swap-off-on', 'a', [{ t: 0, action: LAB }], 180);
    const on = drive('swap-off-on', 'b', [{ t: 0, action: LAB }], 180);
    expect(off.frame.totals.kills - off.start.kills).toBeGreaterThan(0);
    expect(on.frame.totals.kills - on.start.kills).toBe(0);
  });

  it('says the difference in words, counted from the figure start', () => {
    const p = comparePreset('swap-off-on');
    const atStart = compareSummary(p, frameOf(bootPreset(sideOptions(p, 'a'))), frameOf(bootPreset(sideOptions(p, 'b'))), minute.off.start, minute.on.start);
    expect(atStart.rows.find((r) => r.key === 'read')).toMatchObject({ a: '0 MiB', b: '0 MiB' });
    expect(atStart.rows.find((r) => r.key === 'kills')).toMatchObject({ a: '0', b: '0' });
    const later = compareSummary(p, minute.off.frame, minute.on.frame, minute.off.start, minute.on.start);
    const readMiB = (s: string) => Number(s.replace(/[^\d]/g, ''));
    const read = later.rows.find((r) => r.key === 'read')!;
    expect(readMiB(read.a)).toBe(Math.round((minute.off.frame.totals.readKiB - minute.off.start.readKiB) / 1024));
    expect(readMiB(read.a)).toBeGreaterThan(readMiB(read.b));
    expect(later.rows.find((r) => r.key === 'swap')!.a).toBe('no swap');
    expect(later.rows.find((r) => r.key === 'swap')!.b).toMatch(/^\d+ of 1024 MiB$/);
    expect(later.text).toContain('No swap on the left, 1024 MiB of swap on the right');
    expect(later.text).toContain(`CPU waiting on I/O now: ${minute.off.frame.cpu.wa}% against ${minute.on.frame.cpu.wa}%`);
  });
});

describe('comparison presets', () => {
  it('each names a simulator preset, a knob and two different values, and a chapter', () => {
    for (const name of COMPARE_NAMES) {
      const p = COMPARE_PRESETS[name]!;
      expect(PRESETS[p.preset], name).toBeDefined();
      expect(p.a, name).not.toBe(p.b);
      expect(sideLabel(p, 'a'), name).not.toBe(sideLabel(p, 'b'));
      const [a, b] = [frameOf(bootPreset(sideOptions(p, 'a'))), frameOf(bootPreset(sideOptions(p, 'b')))];
      const read = (f: typeof a) => (p.knob === 'swap' ? f.swapTotalMiB : p.knob === 'swappiness' ? f.swappiness : f.totalMiB);
      expect(read(a), name).not.toBe(read(b));
    }
  });

  it('reject an unknown name', () => {
    expect(() => comparePreset('nope')).toThrow(/unknown comparison/);
  });
});

describe('comparison links', () => {
  const link: SimLink = {
    preset: 'swap-off-on',
    seed: 7,
    t: 512.3,
    actions: [
      { t: 440, action: LAB },
      { t: 470.5, action: { type: 'killAll' } },
    ],
  };

  it('round-trip exactly through a chapter address and an embed address', () => {
    const chapter = withLink('?x=1', link, 'figure-6-1');
    expect(parseCompareLink(chapter, linkContext, 'figure-6-1')).toEqual({ link, ignored: [] });
    const embed = `?sim=${formatCompareLink(link)}`;
    expect(parseCompareLink(embed, linkContext)).toEqual({ link, ignored: [] });
  });

  it('give each side the same moment and actions, with its own knob', () => {
    const p = comparePreset('swap-off-on');
    expect(sideLink(p, 'a', link)).toEqual({ preset: 'thrashing', swapMiB: 0, seed: 7, t: 512.3, actions: link.actions });
    expect(sideLink(p, 'b', link)).toEqual({ preset: 'thrashing', swapMiB: 1024, seed: 7, t: 512.3, actions: link.actions });
  });

  it('ignore, and say so, knobs a comparison sets itself and comparisons that do not exist', () => {
    const knobs = parseCompareLink('?sim=v1;preset=swap-off-on;swap=64;t=450', linkContext);
    expect(knobs.link).toEqual({ preset: 'swap-off-on', t: 450 });
    expect(knobs.ignored.join(' ')).toMatch(/swap is set by its preset/);
    const unknown = parseCompareLink('?sim=v1;preset=thrashing;t=450', linkContext);
    expect(unknown.link).toBeUndefined();
    expect(unknown.ignored.join(' ')).toMatch(/does not exist/);
  });

  it('replayed on each side, reproduce the same panels every time', () => {
    const p = comparePreset('swap-off-on');
    const replay = (side: 'a' | 'b'): Booted => {
      const l = sideLink(p, side, { preset: 'swap-off-on', t: 470, actions: [{ t: 440, action: LAB }] });
      const b = bootPreset({ preset: l.preset, swapMiB: l.swapMiB! });
      for (const a of l.actions!) {
        b.m.step(a.t - b.t);
        b.m.act(a.action);
      }
      b.m.step(l.t! - b.t);
      return b;
    };
    expect(frameOf(replay('a'))).toEqual(frameOf(replay('a')));
    expect(frameOf(replay('b'))).toEqual(frameOf(replay('b')));
    expect(frameOf(replay('a')).free).not.toEqual(frameOf(replay('b')).free);
  });
});

describe('the comparison of chapter 7 (earlyoom without swap against earlyoom with 1 GiB)', () => {
  // The preset is scripted: the fourth lab starts ten seconds in on both sides. Five minutes from the figure's start.
  const run = (side: 'a' | 'b') => {
    const b = bootPreset(sideOptions(comparePreset('earlyoom-swap-off-on'), side));
    const e0 = b.m.eventCount();
    const k0 = b.m.oomKillCount();
    b.m.step(310);
    const sent = b.m.eventsSince(e0).filter((e) => e.kind === 'earlyoom' && e.text.startsWith('earlyoom: sending'));
    return { b, sent, kernelKills: b.m.oomKillCount() - k0 };
  };
  const off = run('a');
  const on = run('b');

  it('without swap earlyoom kills, and the kernel never has to; with swap earlyoom never acts and nothing is killed', () => {
    expect(off.sent.length).toBeGreaterThan(0);
    expect(off.kernelKills).toBe(0);
    expect(on.sent).toEqual([]);
    expect(on.kernelKills).toBe(0);
    expect(frameOf(on.b).totals.swapOutKiB).toBeGreaterThan(0);
    expect(frameOf(off.b).labNames.length).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import { Machine, getScenario, EVENTS_KEPT, LOG_BUF_LEN, type TimedAction } from '../../../src/engine/index';
import { emptyKlog, logEvent, logOom, oomReportBytes, recordBytes, trimLogs } from '../../../src/engine/klog';
import { oomKillRecords } from '../../../src/engine/format/dmesg';
import { createState } from '../../../src/engine/machine';
import type { OomKill } from '../../../src/engine/format/types';
import type { MachineState } from '../../../src/engine/model';
import { uiPreset } from '../../../src/state/presets';

/**
 * The state stays small however long a machine runs (klog.ts): the kernel log is a
 * ring of 1 << CONFIG_LOG_BUF_SHIFT bytes that keeps whole OOM reports of the most
 * recent kills, the event log keeps EVENTS_KEPT entries, and counts cover the rest.
 * The full 86,400 s oom-loop run and 200 labs stepped for a minute more are measured
 * by `npm run bench -- --state` (minutes of work); here machines run just long enough
 * for the logs to wrap.
 */
const MB20 = 20 * 1000 * 1000;
const size = (m: Machine) => JSON.stringify(m.toJSON()).length;

/** A preset as the simulator boots it: the scenario's actions up to where the reader takes over. */
function preset(name: string): Machine {
  const ui = uiPreset(name);
  const sc = getScenario(ui.scenario)!;
  const m = new Machine(sc.machine);
  m.schedule(sc.timeline.filter((a) => a.t <= ui.start));
  return m;
}

/** Four labs limited to 100 MiB on a 2 GiB box: memcg kills every few seconds, small reports. */
function limitedLabs(until: number): Machine {
  const m = new Machine({ ramMiB: 2048, seed: 1 });
  for (let i = 0; i < 4; i++) m.act({ type: 'startContainer', profile: 'dhbox-lab', memLimitMiB: 100, restart: 'always' });
  m.runUntil(until);
  return m;
}

/** The bytes of a report as printk stores it: one record per line, header and padding included. */
function printedBytes(k: OomKill): number {
  let most = 0;
  for (const era of ['modern', 'classic'] as const) {
    let n = 0;
    for (const r of oomKillRecords(k, era)) for (const l of r.text.split('\n')) n += recordBytes(l.length);
    most = Math.max(most, n);
  }
  return most;
}

/** After the run and after fromJSON(toJSON()), `seconds` more give the same state. */
function resumesExactly(m: Machine, seconds: number): void {
  const copy = Machine.fromJSON(m.toJSON());
  m.step(seconds);
  copy.step(seconds);
  expect(isDeepStrictEqual(copy.toJSON(), m.toJSON())).toBe(true);
}

describe('the kernel log ring (printk)', () => {
  it('sizes records as msg_used_size(): a 16-byte header, the text, padded to 8 bytes', () => {
    expect(recordBytes(0)).toBe(16);
    expect(recordBytes(1)).toBe(24);
    expect(recordBytes(8)).toBe(24);
    expect(recordBytes(9)).toBe(32);
    expect(LOG_BUF_LEN).toBe(256 * 1024);
  });

  it('keeps the newest whole reports that fit in 256 KiB, and counts the rest', () => {
    const m = limitedLabs(300);
    const st = m.state;
    expect(st.klog.oomsDropped).toBeGreaterThan(0);
    const kept = st.ooms.map(printedBytes);
    const used = kept.reduce((a, b) => a + b, 0);
    expect(used).toBeLessThanOrEqual(LOG_BUF_LEN);
    // One more (older) report would not have fitted.
    expect(used + Math.min(...kept)).toBeGreaterThan(LOG_BUF_LEN);
    // Sizes computed without formatting the task table agree with the formatted text.
    for (const k of st.ooms) expect(oomReportBytes(k)).toBe(printedBytes(k));
    // Counts for everything: the vmstat counter, the report count and the oom events agree.
    expect(m.oomKillCount()).toBe(st.counters.oomKills);
    expect(m.eventCounts().oom).toBe(st.counters.oomKills);
    // The reports kept are the newest, in order.
    expect(m.oomKillsSince(m.oomKillCount() - 2)).toEqual(st.ooms.slice(-2));
    expect(m.oomKillsSince(0)).toEqual(st.ooms);
  }, 30_000);

  it('bounds reports pushed straight onto the list at the next trim, and keeps a report bigger than the ring alone', () => {
    const m = createState({ ramMiB: 990 });
    const task = { pid: 1, uid: 0, tgid: 1, totalVmPages: 1, rssPages: 1, pgtablesBytes: 4096, swapents: 0, oomScoreAdj: 0, comm: 'x' };
    const report = (tasks: number): OomKill => ({
      t: 1,
      invoker: { comm: 'x', pid: 1, oomScoreAdj: 0 },
      tasks: Array.from({ length: tasks }, (_, i) => ({ ...task, pid: i + 1 })),
      victim: { pid: 1, comm: 'x', totalVmKb: 4, anonRssKb: 4, fileRssKb: 0, shmemRssKb: 0, uid: 0, pgtablesKb: 4, oomScoreAdj: 0, score: 1 },
    });
    const huge = report(4000);
    expect(oomReportBytes(huge)).toBeGreaterThan(LOG_BUF_LEN);
    m.ooms.push(report(10), report(10));
    logOom(m, huge);
    trimLogs(m);
    expect(m.ooms).toEqual([huge]);
    expect(m.klog.oomsDropped).toBe(2);
    logOom(m, report(10));
    trimLogs(m);
    expect(m.ooms).toHaveLength(1);
    expect(m.klog.oomsDropped).toBe(3);
  });
});

describe('the event log', () => {
  it(`keeps the last ${EVENTS_KEPT} events and counts every kind`, () => {
    const m: MachineState = createState({ ramMiB: 990 });
    m.klog = emptyKlog();
    for (let i = 0; i < EVENTS_KEPT + 500; i++) logEvent(m, { t: i, kind: i % 2 ? 'oom' : 'restart', text: `e${i}` });
    const machine = new Machine({ state: m });
    expect(m.events).toHaveLength(EVENTS_KEPT);
    expect(machine.eventCount()).toBe(EVENTS_KEPT + 501);
    expect(machine.eventCounts()).toEqual({ boot: 1, restart: (EVENTS_KEPT + 500) / 2, oom: (EVENTS_KEPT + 500) / 2 });
    expect(machine.eventsSince(machine.eventCount() - 3).map((e) => e.text)).toEqual([`e${EVENTS_KEPT + 497}`, `e${EVENTS_KEPT + 498}`, `e${EVENTS_KEPT + 499}`]);
    expect(machine.eventsSince(0)).toHaveLength(EVENTS_KEPT);
  });
});

describe('a bounded state', () => {
  it('stops growing once both logs have wrapped, and resumes exactly from JSON', () => {
    const m = limitedLabs(600);
    expect(m.eventCount()).toBeGreaterThan(EVENTS_KEPT);
    const early = size(m);
    m.runUntil(900);
    const late = size(m);
    expect(m.state.klog.oomsDropped).toBeGreaterThan(2 * m.state.ooms.length);
    expect(late).toBeLessThan(early * 1.1);
    resumesExactly(m, 60);
  }, 60_000);

  it('the oom-loop preset, killing in a loop: under 20 MB, and it resumes exactly from JSON', () => {
    const m = preset('oom-loop');
    m.runUntil(1100);
    expect(m.state.klog.oomsDropped).toBeGreaterThan(0);
    expect(size(m)).toBeLessThan(MB20);
    resumesExactly(m, 60);
  }, 60_000);

  it('200 labs started by link actions with restart=always: under 20 MB, and it resumes exactly', () => {
    const m = preset('playground');
    const start = uiPreset('playground').start;
    m.runUntil(start);
    const actions: TimedAction[] = Array.from({ length: 200 }, (_, i) => ({
      t: start + 0.1 * i,
      action: { type: 'startContainer', profile: 'dhbox-lab', restart: 'always' },
    }));
    m.schedule(actions);
    m.runUntil(start + 21);
    expect(m.state.containers.filter((c) => c.profile === 'dhbox-lab').length).toBeGreaterThanOrEqual(200);
    expect(m.oomKillCount()).toBeGreaterThan(1000);
    expect(m.state.events.length).toBeLessThanOrEqual(EVENTS_KEPT);
    expect(size(m)).toBeLessThan(MB20);
    resumesExactly(m, 5);
  }, 120_000);
});

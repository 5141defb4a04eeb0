/**
 * One simulated machine with the history its panels draw: the engine's machine,
 * the reader's actions (for the link), the chart samples and vmstat rows. Plain
 * TypeScript with no DOM and no runes: it runs in the page's worker
 * (src/state/sim-worker.ts), and at build time to give each figure its starting state.
 */
import type { Action } from '../engine/model';
import { LIMITS, type SimLink, type TimedLinkAction } from './link';
import { HISTORY_SECONDS, VMSTAT_INTERVAL, startLink, type PresetBasics, type Published, type SimSnapshot, type SimulationOptions } from './sim-shared';
import { bootMachine, bootMachineSliced, frameOf, ioSample, memorySample, runFor, act, runningLabs, type Booted } from './engine-port';
import type { IoSample, MemorySample } from './frame';

export { HISTORY_SECONDS, VMSTAT_INTERVAL, startLink, type PresetBasics, type Published, type SimSnapshot, type SimulationOptions } from './sim-shared';

/** Simulated seconds between chart samples. */
const SAMPLE_EVERY = 1;
/** Rows of vmstat kept on screen. */
const VMSTAT_ROWS = 40;
/** Simulated seconds before the preset's start that are run with history, so charts open filled. */
const LEAD_SECONDS = 60;
/** Kernel log lines the panel shows. */
const DMESG_SHOWN = 200;

/** Seconds before the start run with history; the first vmstat line stays at least 10 s after boot. */
function lead(start: number): number {
  return Math.min(LEAD_SECONDS, Math.max(0, start - 10));
}

const yieldNow = () => new Promise((resolve) => setTimeout(resolve, 0));

export class SimCore {
  readonly options: SimulationOptions;
  #b: Booted;
  #actions: TimedLinkAction[] = [];
  #overflow = false;
  #memBuf: MemorySample[] = [];
  #ioBuf: IoSample[] = [];
  #vmstatHead: string[];
  #vmstatBuf: string[] = [];
  #nextSample: number;
  #nextVmstat: number;
  #sentDmesg: string[] | null = null;
  #sentEvents = -1;
  /** Simulated seconds of the scenario's scripted actions (a replay only). */
  readonly scripted: number[];

  private constructor(options: SimulationOptions, booted: Booted, scripted: number[]) {
    this.options = options;
    this.#b = booted;
    this.scripted = scripted;
    const f = frameOf(booted);
    this.#vmstatHead = [...f.vmstatHeader, f.vmstatSinceBoot];
    // Samples fall on whole seconds from here, however the time is stepped (a replay in small steps, the build in large ones).
    this.#nextSample = f.t + SAMPLE_EVERY;
    this.#nextVmstat = f.t + VMSTAT_INTERVAL;
  }

  /** The preset's start, worked out here and now (at build time: each figure's starting state). */
  static boot(options: SimulationOptions, basics: PresetBasics): SimCore {
    const start = basics.start;
    const core = new SimCore({ ...options }, bootMachine(options, basics, lead(start)), []);
    core.advance(start - core.t);
    return core;
  }

  /**
   * The link's state: its preset booted with its knobs and its actions replayed up to
   * its time, about `sliceMs` of work at a time, yielding between slices. Null if
   * abandoned on the way.
   */
  static async open(link: SimLink, basics: PresetBasics, abandoned: () => boolean, progress: (p: number) => void, sliceMs = 25): Promise<SimCore | null> {
    const options: SimulationOptions = startLink(link);
    const ui = basics;
    const booted = await bootMachineSliced(options, basics, lead(ui.start), sliceMs, abandoned);
    if (abandoned()) return null;
    const core = new SimCore(options, booted, ui.scripted ? ui.scenario.timeline.map((a) => a.t).sort((a, b) => a - b) : []);
    core.#overflow = (link.actions?.length ?? 0) > LIMITS.actions;
    const target = Math.max(link.t ?? ui.start, ui.start);
    const from = core.t;
    const queue = [...(link.actions ?? [])];
    // Simulated seconds per step: short while steps are slow (a box with hundreds of processes), longer while they are quick.
    let step = 0.1;
    for (;;) {
      const started = performance.now();
      while (performance.now() - started < sliceMs) {
        const next = queue[0];
        const until = next ? Math.min(next.t, target) : target;
        if (core.t < until - 1e-9) {
          const stepStarted = performance.now();
          core.advance(Math.min(until - core.t, step));
          const took = performance.now() - stepStarted;
          if (took > sliceMs / 2) step = 0.1;
          else if (took < sliceMs / 6) step = Math.min(1, step * 2);
          continue;
        }
        if (next && next.t <= core.t + 1e-9) {
          queue.shift();
          core.#actions.push(next);
          act(core.#b, next.action);
          continue;
        }
        break;
      }
      if (core.t >= target - 1e-9 && (!queue.length || queue[0]!.t > target)) break;
      progress(target > from ? (core.t - from) / (target - from) : 1);
      await yieldNow();
      if (abandoned()) return null;
    }
    // The kernel log's newest reports, formatted a slice at a time too.
    while (!core.#b.catchUpDmesg(sliceMs)) {
      await yieldNow();
      if (abandoned()) return null;
    }
    return core;
  }

  get t(): number {
    return this.#b.t;
  }

  /** Run the engine for `seconds`, stopping early when `budgetMs` of wall time is spent. */
  advance(seconds: number, budgetMs = Infinity): void {
    const started = performance.now();
    let left = seconds;
    while (left > 1e-9) {
      const untilSample = this.#nextSample - this.#b.t;
      const untilVmstat = this.#nextVmstat - this.#b.t;
      const chunk = Math.max(0.1, Math.min(left, untilSample > 1e-9 ? untilSample : SAMPLE_EVERY, untilVmstat > 1e-9 ? untilVmstat : VMSTAT_INTERVAL));
      runFor(this.#b, chunk);
      left -= chunk;
      const t = this.#b.t;
      if (t >= this.#nextSample - 1e-9) {
        this.#nextSample += SAMPLE_EVERY;
        this.#sample();
      }
      if (t >= this.#nextVmstat - 1e-9) {
        this.#nextVmstat += VMSTAT_INTERVAL;
        this.#vmstatBuf.push(this.#b.vmstatRow());
        if (this.#vmstatBuf.length > VMSTAT_ROWS) this.#vmstatBuf.shift();
      }
      if (performance.now() - started > budgetMs) break;
    }
  }

  /** A reader's action, now; it becomes part of the link. */
  act(action: Action): void {
    const t = Math.round(this.#b.t * 10) / 10;
    if (this.#actions.length >= LIMITS.actions) this.#overflow = true;
    this.#actions.push({ t, action });
    act(this.#b, action);
  }

  /** The lab containers the slider counts. */
  labs(): string[] {
    return runningLabs(this.#b);
  }

  /** The state as a link: replaying it from the preset gives these exact numbers. */
  link(): SimLink {
    const link: SimLink = { ...startLink(this.options), t: Math.round(this.#b.t * 10) / 10 };
    if (this.#actions.length) link.actions = [...this.#actions];
    return link;
  }

  /** Far from every scripted action of a replay: nothing the reader came to see happens here. */
  isQuiet(margin: number): boolean {
    if (!this.scripted.length) return false;
    const t = this.t;
    const next = this.scripted.find((a) => a > t);
    const prev = this.scripted.findLast((a) => a <= t);
    return next !== undefined && next - t > margin && (prev === undefined || t - prev > margin);
  }

  /** Everything the panels show now. */
  snapshot(): SimSnapshot {
    const p = this.publish(true);
    return { frame: p.frame, memory: p.memory, io: p.io, vmstat: p.vmstat, dmesg: p.dmesg!, events: p.events! };
  }

  /**
   * The state to post: the kernel log and events only when they changed since the
   * last post (or always, with `full`). The frame's own copy of the log stays behind.
   */
  publish(full = false): Published {
    const f = frameOf(this.#b);
    const out: Published = {
      frame: { ...f, dmesgLines: [] },
      memory: this.#memBuf.slice(),
      io: this.#ioBuf.slice(),
      vmstat: [...this.#vmstatHead, ...this.#vmstatBuf],
      link: this.link(),
      overflow: this.#overflow,
    };
    if (full || f.dmesgLines !== this.#sentDmesg) {
      this.#sentDmesg = f.dmesgLines;
      out.dmesg = f.dmesgLines.slice(-DMESG_SHOWN);
    }
    if (full || f.eventCount !== this.#sentEvents) {
      this.#sentEvents = f.eventCount;
      out.events = f.events;
    }
    return out;
  }

  #sample(): void {
    this.#b.markSample();
    const from = this.#b.t - HISTORY_SECONDS;
    this.#memBuf.push(memorySample(this.#b));
    this.#ioBuf.push(ioSample(this.#b));
    while (this.#memBuf[0] && this.#memBuf[0].t < from) this.#memBuf.shift();
    while (this.#ioBuf[0] && this.#ioBuf[0].t < from) this.#ioBuf.shift();
  }
}

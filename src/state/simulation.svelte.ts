/**
 * A running simulator: the engine's machine, the reader's actions, the history
 * the charts draw, and the clock that drives it. Rune state lives in private
 * fields with getters; the panels read the getters and never touch the engine.
 */
import type { Action } from '../engine/model';
import { LIMITS, type SimLink, type TimedLinkAction } from './link';
import { bootPreset, bootPresetSliced, frameOf, presetTimeline, ioSample, memorySample, runFor, act, type Booted, type Frame } from './engine-port';
import { uiPreset } from './presets';
import type { IoSample, MemorySample, SimEvent } from './frame';

/** Seconds of history the charts keep. */
export const HISTORY_SECONDS = 300;
/** Simulated seconds between chart samples. */
const SAMPLE_EVERY = 1;
/** vmstat's interval, simulated seconds. */
export const VMSTAT_INTERVAL = 5;
/** Rows of vmstat kept on screen. */
const VMSTAT_ROWS = 40;
/** Simulated seconds before the preset's start that are run with history, so charts open filled. */
const LEAD_SECONDS = 60;
/** Wall-clock budget of engine work per animation frame, ms. */
const FRAME_BUDGET_MS = 8;
/**
 * While playing, the panels are redrawn at most this often (ms of wall time); on a
 * slow device, less often: about four times as long as the last redraw took, up to a second.
 */
const PUBLISH_EVERY_MS = 100;
const PUBLISH_AT_MOST_MS = 1000;

export const SPEEDS = [1, 2, 5, 10, 30, 60, 120] as const;
/** A replay runs this much faster through a quiet stretch (a minute or more from any scripted action). */
export const QUIET_FACTOR = 20;
const QUIET_MARGIN = 60;

export interface SimulationOptions {
  preset: string;
  ramMiB?: number;
  swapMiB?: number;
  swappiness?: number;
  seed?: number;
}

/** What the panels show at one moment, as plain data: carried in the page for heavy presets. */
export interface SimSnapshot {
  frame: Frame;
  memory: MemorySample[];
  io: IoSample[];
  vmstat: string[];
  dmesg: string[];
  events: SimEvent[];
}

export class Simulation {
  #booted!: Booted;
  /** False until the engine's machine exists (a snapshot is shown meanwhile). */
  #ready = false;
  #options: SimulationOptions;
  #actions: TimedLinkAction[] = [];

  #frame = $state.raw<Frame>() as Frame;
  #memory = $state.raw<MemorySample[]>([]);
  #io = $state.raw<IoSample[]>([]);
  #vmstat = $state.raw<string[]>([]);
  #dmesg = $state.raw<string[]>([]);
  #events = $state.raw<SimEvent[]>([]);
  #playing = $state(false);
  #speed = $state(1);
  #error = $state<string | null>(null);
  #busy = $state(false);
  /** How far a replay has got, 0 to 1 (while busy). */
  #progress = $state(0);
  /** The reader asked to play while the machine was being worked out: play as soon as it is. */
  #wantPlay = $state(false);
  /** More actions than a link holds: the state can no longer be linked exactly. */
  #overflow = $state(false);
  /** Actions the reader took while the machine was being worked out, applied when it is. */
  #pending: Action[] = [];
  /** Bumped to abandon a replay in progress. */
  #generation = 0;

  // History is gathered in plain buffers and handed to the panels when a frame is published.
  #memBuf: MemorySample[] = [];
  #ioBuf: IoSample[] = [];
  #vmstatHead: string[] = [];
  #vmstatBuf: string[] = [];
  #lastPublish = 0;
  #nextSample = 0;
  #nextVmstat = 0;
  #seenDmesg: string[] | null = null;
  #seenEvents = 0;
  #raf = 0;
  #lastWall = 0;
  #publishEvery = PUBLISH_EVERY_MS;
  #publishedLastFrame = false;
  /** Simulated seconds of the scenario's scripted actions (a replay only). */
  #scripted: number[] = [];
  #quiet = $state(false);

  /**
   * With a snapshot, the panels show it at once and the machine is worked out
   * later by restore() (in slices); without one, the preset boots right here.
   */
  constructor(options: SimulationOptions, snapshot?: SimSnapshot) {
    this.#options = { ...options };
    this.#speed = uiPreset(options.preset).speed;
    this.#scripted = uiPreset(options.preset).scripted ? presetTimeline(options.preset).actions : [];
    if (snapshot) {
      this.#frame = snapshot.frame;
      this.#memory = snapshot.memory;
      this.#io = snapshot.io;
      this.#vmstat = snapshot.vmstat;
      this.#dmesg = snapshot.dmesg;
      this.#events = snapshot.events;
      this.#busy = true;
    } else {
      this.#boot(options);
    }
  }

  /** The panels' data as plain values (see SimSnapshot). */
  snapshot(): SimSnapshot {
    return { frame: this.#frame, memory: this.#memory, io: this.#io, vmstat: this.#vmstat, dmesg: this.#dmesg, events: this.#events };
  }

  /** True once the machine exists; until then only restore() does anything. */
  get ready(): boolean {
    return this.#ready;
  }

  get frame(): Frame {
    return this.#frame;
  }
  get memory(): MemorySample[] {
    return this.#memory;
  }
  get io(): IoSample[] {
    return this.#io;
  }
  get vmstatText(): string {
    return this.#vmstat.join('\n');
  }
  /** vmstat's two header lines, which stay put above the rows. */
  get vmstatHeaderText(): string {
    return this.#vmstat.slice(0, this.#frame.vmstatHeader.length).join('\n');
  }
  /** vmstat's rows, oldest first: the since-boot line, then one per interval. */
  get vmstatRowsText(): string {
    return this.#vmstat.slice(this.#frame.vmstatHeader.length).join('\n');
  }
  get dmesgText(): string {
    return this.#dmesg.join('\n');
  }
  get events(): SimEvent[] {
    return this.#events;
  }
  get playing(): boolean {
    return this.#playing;
  }
  get speed(): number {
    return this.#speed;
  }
  get error(): string | null {
    return this.#error;
  }
  /** True while the machine is being worked out (a link replayed, a reset, a snapshot's machine). */
  get busy(): boolean {
    return this.#busy;
  }
  /** How far the current replay has got, 0 to 1. */
  get progress(): number {
    return this.#progress;
  }
  /** Playing, or about to play as soon as the machine is worked out. */
  get willPlay(): boolean {
    return this.#playing || this.#wantPlay;
  }
  /** True while a replay fast-forwards through a quiet stretch. */
  get quiet(): boolean {
    return this.#quiet;
  }
  /** True when the reader took more actions than a link can hold. */
  get unlinkable(): boolean {
    return this.#overflow;
  }
  get options(): Readonly<SimulationOptions> {
    return this.#options;
  }

  /** The machine's own clock (the panels may show a frame a moment older while playing). */
  get t(): number {
    return this.#ready ? this.#booted.t : this.#frame.t;
  }

  /**
   * Run `seconds` of simulated time, within `budgetMs` of wall time, and redraw
   * unless told not to (no time at all: only redraw). For a driver that keeps
   * several machines on one clock (`<Compare>`), which never calls play() on them.
   */
  advanceBy(seconds: number, budgetMs = Infinity, publish = true): void {
    if (!this.#ready || this.#busy) return;
    this.#guard(() => (seconds > 1e-9 ? this.#advance(seconds, budgetMs, publish) : publish && this.#publish()));
  }

  set speed(value: number) {
    this.#speed = (SPEEDS as readonly number[]).includes(value) ? value : 1;
  }

  /** The state as a link: replaying it from the preset gives these exact numbers. */
  link(): SimLink {
    const o = this.#options;
    if (!this.#ready) return { preset: o.preset };
    const link: SimLink = { preset: o.preset, t: Math.round(this.#booted.t * 10) / 10 };
    if (o.ramMiB !== undefined) link.ramMiB = o.ramMiB;
    if (o.swapMiB !== undefined) link.swapMiB = o.swapMiB;
    if (o.swappiness !== undefined) link.swappiness = o.swappiness;
    if (o.seed !== undefined) link.seed = o.seed;
    if (this.#actions.length) link.actions = [...this.#actions];
    return link;
  }

  play(): void {
    if (this.#playing || this.#error) return;
    if (!this.#ready || this.#busy) {
      this.#wantPlay = true;
      return;
    }
    this.#wantPlay = false;
    this.#playing = true;
    this.#lastWall = performance.now();
    this.#raf = requestAnimationFrame(this.#loop);
  }

  pause(): void {
    this.#wantPlay = false;
    this.#quiet = false;
    const was = this.#playing;
    this.#playing = false;
    cancelAnimationFrame(this.#raf);
    if (was) this.#guard(() => this.#publish());
  }

  /** Advance one vmstat interval, paused or not. */
  stepInterval(): void {
    if (!this.#ready || this.#busy) return;
    // One vmstat interval: each step prints exactly one new row.
    this.#guard(() => this.#advance(VMSTAT_INTERVAL, Infinity));
  }

  /** Apply a reader's action now; it becomes part of the link. */
  act(action: Action): void {
    if (!this.#ready || this.#busy) {
      // Taken as soon as the machine is ready, at the moment it opens on.
      this.#pending.push(action);
      return;
    }
    this.#guard(() => {
      // The machine's own clock: the panels may show a frame a few ticks old while playing.
      const t = Math.round(this.#booted.t * 10) / 10;
      if (this.#actions.length >= LIMITS.actions) this.#overflow = true;
      this.#actions.push({ t, action });
      act(this.#booted, action);
      this.#publish();
    });
  }

  /** Back to the preset's start, with the same machine knobs; still playing if it was. */
  reset(): void {
    const playing = this.willPlay;
    void this.restore(this.#knobs(this.#options)).then(() => {
      if (playing) this.play();
    });
  }

  /**
   * Change a boot-time knob (RAM): reboots the box with swap and swappiness as
   * they are now, still playing if it was.
   */
  reboot(options: Partial<SimulationOptions>): void {
    const playing = this.willPlay;
    const now: Partial<SimulationOptions> = {};
    if (this.#ready) {
      now.swapMiB = this.#frame.swapTotalMiB;
      now.swappiness = this.#frame.swappiness;
    }
    void this.restore(this.#knobs({ ...this.#options, ...now, ...options })).then(() => {
      if (playing) this.play();
    });
  }

  /** Abandon a replay in progress and open the preset's start instead. */
  cancel(): void {
    if (!this.#busy) return;
    void this.restore(this.#knobs(this.#options));
  }

  /** A link to the preset's start with these knobs. */
  #knobs(o: SimulationOptions): SimLink {
    return {
      preset: o.preset,
      ...(o.ramMiB !== undefined && { ramMiB: o.ramMiB }),
      ...(o.swapMiB !== undefined && { swapMiB: o.swapMiB }),
      ...(o.swappiness !== undefined && { swappiness: o.swappiness }),
      ...(o.seed !== undefined && { seed: o.seed }),
    };
  }

  /**
   * Boot the link's preset with its knobs and replay its actions up to its time,
   * a slice at a time so the page stays responsive. Also how reset and reboot work.
   */
  async restore(link: SimLink): Promise<void> {
    const generation = ++this.#generation;
    const wantPlay = this.#wantPlay;
    this.pause();
    this.#wantPlay = wantPlay;
    this.#options = {
      preset: link.preset,
      ...(link.ramMiB !== undefined && { ramMiB: link.ramMiB }),
      ...(link.swapMiB !== undefined && { swapMiB: link.swapMiB }),
      ...(link.swappiness !== undefined && { swappiness: link.swappiness }),
      ...(link.seed !== undefined && { seed: link.seed }),
    };
    this.#error = null;
    this.#actions = [];
    this.#overflow = (link.actions?.length ?? 0) > LIMITS.actions;
    this.#busy = true;
    this.#progress = 0;
    const abandoned = () => generation !== this.#generation;
    try {
      const start = uiPreset(this.#options.preset).start;
      const booted = await bootPresetSliced(this.#options, this.#lead(start), 25, abandoned);
      if (abandoned()) return;
      this.#booted = booted;
      this.#ready = true;
      this.#resetHistory();
      const target = Math.max(link.t ?? start, start);
      const from = this.#booted.t;
      const queue = [...(link.actions ?? [])];
      // Simulated seconds per step: short while steps are slow (a box with hundreds of processes), longer while they are quick.
      let step = 0.1;
      for (;;) {
        const started = performance.now();
        while (performance.now() - started < 25) {
          const next = queue[0];
          const until = next ? Math.min(next.t, target) : target;
          if (this.#booted.t < until - 1e-9) {
            const stepStarted = performance.now();
            this.#advance(Math.min(until - this.#booted.t, step), Infinity, false);
            const took = performance.now() - stepStarted;
            if (took > 12) step = 0.1;
            else if (took < 4) step = Math.min(1, step * 2);
            continue;
          }
          if (next && next.t <= this.#booted.t + 1e-9) {
            queue.shift();
            this.#actions.push(next);
            act(this.#booted, next.action);
            continue;
          }
          break;
        }
        if (this.#booted.t >= target - 1e-9 && (!queue.length || queue[0]!.t > target)) break;
        this.#progress = target > from ? (this.#booted.t - from) / (target - from) : 1;
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (abandoned()) return;
      }
      // The kernel log's newest reports, formatted a slice at a time too.
      while (!this.#booted.catchUpDmesg(25)) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (abandoned()) return;
      }
      this.#publish();
      this.#busy = false;
      const pending = this.#pending.splice(0);
      for (const action of pending) this.act(action);
      if (this.#wantPlay) this.play();
    } catch (e) {
      this.#fail(e);
    } finally {
      if (!abandoned()) {
        this.#busy = false;
        this.#progress = 1;
      }
    }
  }

  /**
   * Jump to simulated second t by replaying from boot. `keepPlaying` resumes play
   * afterwards if it was playing (dragging a scrubber); otherwise the moment stays on screen.
   */
  async seek(t: number, keepPlaying = false): Promise<void> {
    const target = Math.max(0, Math.round(t * 10) / 10);
    const link = this.link();
    const wasPlaying = this.#playing;
    await this.restore({ ...link, t: target, ...(link.actions && { actions: link.actions.filter((a) => a.t <= target) }) });
    if (wasPlaying && keepPlaying) this.play();
  }

  destroy(): void {
    this.pause();
  }

  /** Seconds before the start run with history; the first vmstat line stays at least 10 s after boot. */
  #lead(start: number): number {
    return Math.min(LEAD_SECONDS, Math.max(0, start - 10));
  }

  /** Boot the preset here and now, and run its last stretch with history, ending exactly at its start. */
  #boot(options: SimulationOptions): void {
    const start = uiPreset(options.preset).start;
    this.#booted = bootPreset(options, this.#lead(start));
    this.#ready = true;
    this.#resetHistory();
    this.#advance(start - this.#booted.t, Infinity);
  }

  /** Empty the history buffers for a new machine; the panels change at the next publish. */
  #resetHistory(): void {
    this.#memBuf = [];
    this.#ioBuf = [];
    this.#vmstatBuf = [];
    this.#seenDmesg = null;
    this.#seenEvents = -1;
    const f = frameOf(this.#booted);
    this.#vmstatHead = [...f.vmstatHeader, f.vmstatSinceBoot];
    this.#nextSample = f.t;
    this.#nextVmstat = f.t + VMSTAT_INTERVAL;
  }

  #loop = (now: number): void => {
    if (!this.#playing) return;
    const frame = now - this.#lastWall;
    const wall = Math.min(frame, 250);
    this.#lastWall = now;
    // The frame after a redraw took about as long as the redraw: space redraws to match.
    if (this.#publishedLastFrame) this.#publishEvery = Math.min(PUBLISH_AT_MOST_MS, Math.max(PUBLISH_EVERY_MS, frame * 4));
    const due = now - this.#lastPublish >= this.#publishEvery;
    this.#publishedLastFrame = due;
    if (due) this.#lastPublish = now;
    const quiet = this.#isQuiet(this.#booted.t);
    if (quiet !== this.#quiet) this.#quiet = quiet;
    // A frame that redraws the panels leaves the engine less time, so the two together stay short.
    this.#guard(() => this.#advance((wall / 1000) * this.#speed * (quiet ? QUIET_FACTOR : 1), due ? FRAME_BUDGET_MS / 4 : FRAME_BUDGET_MS, due));
    if (this.#playing) this.#raf = requestAnimationFrame(this.#loop);
  };

  /** Far from every scripted action of a replay: nothing the reader came to see happens here. */
  #isQuiet(t: number): boolean {
    if (!this.#scripted.length) return false;
    const next = this.#scripted.find((a) => a > t);
    const prev = this.#scripted.findLast((a) => a <= t);
    return next !== undefined && next - t > QUIET_MARGIN && (prev === undefined || t - prev > QUIET_MARGIN);
  }

  /** Run the engine for `seconds`, stopping early when the wall budget is spent. */
  #advance(seconds: number, budgetMs: number, publish = true): void {
    const started = performance.now();
    let left = seconds;
    while (left > 1e-9) {
      const untilSample = this.#nextSample - this.#booted.t;
      const untilVmstat = this.#nextVmstat - this.#booted.t;
      const chunk = Math.max(0.1, Math.min(left, untilSample > 1e-9 ? untilSample : SAMPLE_EVERY, untilVmstat > 1e-9 ? untilVmstat : VMSTAT_INTERVAL));
      runFor(this.#booted, chunk);
      left -= chunk;
      const t = this.#booted.t;
      if (t >= this.#nextSample - 1e-9) {
        this.#nextSample += SAMPLE_EVERY;
        this.#sample();
      }
      if (t >= this.#nextVmstat - 1e-9) {
        this.#nextVmstat += VMSTAT_INTERVAL;
        this.#vmstatBuf.push(this.#booted.vmstatRow());
        if (this.#vmstatBuf.length > VMSTAT_ROWS) this.#vmstatBuf.shift();
      }
      if (performance.now() - started > budgetMs) break;
    }
    if (publish) this.#publish();
  }

  #sample(): void {
    this.#booted.markSample();
    const from = this.#booted.t - HISTORY_SECONDS;
    this.#memBuf.push(memorySample(this.#booted));
    this.#ioBuf.push(ioSample(this.#booted));
    while (this.#memBuf[0] && this.#memBuf[0].t < from) this.#memBuf.shift();
    while (this.#ioBuf[0] && this.#ioBuf[0].t < from) this.#ioBuf.shift();
  }

  /** Hand the current state and history to the panels. */
  #publish(): void {
    const f = frameOf(this.#booted);
    this.#frame = f;
    this.#memory = this.#memBuf.slice();
    this.#io = this.#ioBuf.slice();
    this.#vmstat = [...this.#vmstatHead, ...this.#vmstatBuf];
    if (f.dmesgLines !== this.#seenDmesg) {
      this.#seenDmesg = f.dmesgLines;
      this.#dmesg = f.dmesgLines.slice(-200);
    }
    if (f.eventCount !== this.#seenEvents) {
      this.#seenEvents = f.eventCount;
      this.#events = f.events;
    }
  }

  #guard(work: () => void): void {
    try {
      work();
    } catch (e) {
      this.#fail(e);
    }
  }

  #fail(e: unknown): void {
    this.pause();
    this.#error = e instanceof Error ? e.message : String(e);
  }
}

/**
 * A running simulator as the page sees it. The machine runs in the page's worker
 * (src/state/sim-worker.ts); this holds what the panels draw, as rune state in
 * private fields with getters, and sends the reader's commands. The panels read
 * the getters and never touch the engine.
 */
import type { Action } from '../engine/model';
import type { SimLink } from './link';
import type { Frame } from './engine-port';
import type { IoSample, MemorySample, SimEvent } from './frame';
import { startLink, type PresetBasics, type ScenarioData, type Published, type SimSnapshot, type SimulationOptions } from './sim-shared';
import { channel, type Channel } from './sim-client';
import type { Command, FromWorker } from './sim-protocol';
import type { UiPreset } from './presets';

export { HISTORY_SECONDS, VMSTAT_INTERVAL, type SimSnapshot, type SimulationOptions } from './sim-shared';
export { QUIET_FACTOR } from './sim-protocol';

export const SPEEDS = [1, 2, 5, 10, 30, 60, 120] as const;

/** One machine's panels: its frame, chart history, vmstat rows, kernel log and events. */
export class SimView {
  #frame = $state.raw<Frame>() as Frame;
  #memory = $state.raw<MemorySample[]>([]);
  #io = $state.raw<IoSample[]>([]);
  #vmstat = $state.raw<string[]>([]);
  #dmesg = $state.raw<string[]>([]);
  #events = $state.raw<SimEvent[]>([]);

  constructor(snapshot: SimSnapshot) {
    this.#frame = snapshot.frame;
    this.#memory = snapshot.memory;
    this.#io = snapshot.io;
    this.#vmstat = snapshot.vmstat;
    this.#dmesg = snapshot.dmesg;
    this.#events = snapshot.events;
  }

  /** A state the worker posted. */
  apply(p: Published): void {
    this.#frame = p.frame;
    this.#memory = p.memory;
    this.#io = p.io;
    this.#vmstat = p.vmstat;
    if (p.dmesg) this.#dmesg = p.dmesg;
    if (p.events) this.#events = p.events;
  }

  /** The panels' data as plain values (see SimSnapshot). */
  snapshot(): SimSnapshot {
    return { frame: this.#frame, memory: this.#memory, io: this.#io, vmstat: this.#vmstat, dmesg: this.#dmesg, events: this.#events };
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
  /** The simulated second on screen. */
  get t(): number {
    return this.#frame.t;
  }
}

/**
 * A figure's machines in the worker and the controls they share: play, pause,
 * speed, step, the reader's actions, and opening a linked state (a replay in the
 * worker, with progress). One machine for a simulator, two for a comparison.
 */
export class Driven {
  protected readonly views: SimView[];
  #channel: Channel | null = null;
  #playing = $state(false);
  #wantPlay = $state(false);
  #speed = $state(1);
  #error = $state<string | null>(null);
  /** Until the worker has the machine, the page shows its starting state and counts as busy. */
  #busy = $state(true);
  #progress = $state(0);
  #quiet = $state(false);
  #ready = $state(false);
  #overflow = $state(false);
  /** The newest link of each side, as the worker last posted it. */
  #links: SimLink[] = [];
  /** Sequence numbers of the last open and of the last play/pause/open. */
  #openSeq = 0;
  #controlSeq = 0;
  #opened: (() => void)[] = [];

  readonly #basics: PresetBasics;

  constructor(snapshots: readonly SimSnapshot[], preset: UiPreset, scenario: ScenarioData) {
    this.views = snapshots.map((s) => new SimView(s));
    // Props may arrive as reactive proxies, which a worker message cannot carry.
    this.#basics = { scenario: $state.snapshot(scenario), start: preset.start, scripted: preset.scripted };
    this.#speed = preset.speed;
  }

  #send(command: Command): number {
    this.#channel ??= channel(this.#receive);
    return this.#channel.send(command);
  }

  #receive = (m: FromWorker): void => {
    // A state of a machine the reader has since replaced.
    if (m.seq < this.#openSeq) return;
    if (m.type === 'progress') {
      this.#progress = m.progress;
      return;
    }
    if (m.type === 'error') {
      this.#error = m.message;
      this.#playing = false;
      this.#wantPlay = false;
      this.#busy = false;
      this.#settle();
      return;
    }
    m.sides.forEach((p, i) => this.views[i]?.apply(p));
    this.#links = m.sides.map((p) => p.link);
    this.#overflow = m.sides[0]?.overflow ?? false;
    this.#ready = true;
    this.#busy = false;
    this.#progress = 1;
    // Whether it plays is the worker's answer only once it has seen the reader's last say.
    if (m.seq >= this.#controlSeq) {
      this.#playing = m.playing;
      this.#quiet = m.quiet;
      if (m.playing) this.#wantPlay = false;
    }
    this.#settle();
    if (m.playing) requestAnimationFrame(() => this.#channel?.send({ type: 'drawn' }));
  };

  #settle(): void {
    for (const done of this.#opened.splice(0)) done();
  }

  /** True once the worker has posted a machine; until then the page shows its starting state. */
  get ready(): boolean {
    return this.#ready;
  }
  get playing(): boolean {
    return this.#playing;
  }
  /** Playing, or about to play as soon as the machine is worked out. */
  get willPlay(): boolean {
    return this.#playing || this.#wantPlay;
  }
  get speed(): number {
    return this.#speed;
  }
  set speed(value: number) {
    const speed = (SPEEDS as readonly number[]).includes(value) ? value : 1;
    if (speed === this.#speed) return;
    this.#speed = speed;
    this.#send({ type: 'speed', speed });
  }
  get error(): string | null {
    return this.#error;
  }
  /** True while the machine is being worked out (a link replayed, a reset, a reboot). */
  get busy(): boolean {
    return this.#busy;
  }
  /** How far the current replay has got, 0 to 1. */
  get progress(): number {
    return this.#progress;
  }
  /** True while a replay fast-forwards through a quiet stretch. */
  get quiet(): boolean {
    return this.#quiet;
  }
  /** True when the reader took more actions than a link can hold. */
  get unlinkable(): boolean {
    return this.#overflow;
  }
  protected get links(): readonly SimLink[] {
    return this.#links;
  }

  play(): void {
    if (this.#playing || this.#error) return;
    this.#wantPlay = true;
    this.#controlSeq = this.#send({ type: 'play', speed: this.#speed });
  }

  pause(): void {
    this.#wantPlay = false;
    this.#quiet = false;
    if (!this.#playing && !this.#channel) return;
    this.#playing = false;
    this.#controlSeq = this.#send({ type: 'pause' });
  }

  /** Advance one vmstat interval, paused or not. */
  stepInterval(): void {
    if (!this.#ready || this.#busy) return;
    this.#send({ type: 'step' });
  }

  /** Apply a reader's action now (or as soon as the machine is worked out); it becomes part of the link. */
  act(action: Action): void {
    this.#send({ type: 'act', action });
  }

  /** Start or stop lab containers until `target` run, each started as `start` (counted where the machine is). */
  setLabs(target: number, start: Action): void {
    this.#send({ type: 'labs', target, start });
  }

  /** Work out these links in the worker, one per side; play afterwards if `play`. Resolves when done or replaced. */
  protected open(links: SimLink[], play: boolean): Promise<void> {
    this.#error = null;
    this.#busy = true;
    this.#progress = 0;
    this.#playing = false;
    this.#quiet = false;
    this.#wantPlay = play;
    this.#overflow = false;
    this.#settle();
    this.#openSeq = this.#controlSeq = this.#send({ type: 'open', links, basics: this.#basics, play });
    return new Promise((resolve) => this.#opened.push(resolve));
  }

  destroy(): void {
    this.#channel?.close();
    this.#channel = null;
    this.#settle();
  }
}

export class Simulation extends Driven {
  #options: SimulationOptions;
  readonly #view: SimView;

  /** `preset` is the options' preset; the panels show the snapshot until the worker has worked the machine out (restore()). */
  constructor(options: SimulationOptions, snapshot: SimSnapshot, preset: UiPreset, scenario: ScenarioData) {
    super([snapshot], preset, scenario);
    this.#options = { ...options };
    this.#view = this.views[0]!;
  }

  snapshot(): SimSnapshot {
    return this.#view.snapshot();
  }
  get frame(): Frame {
    return this.#view.frame;
  }
  get memory(): MemorySample[] {
    return this.#view.memory;
  }
  get io(): IoSample[] {
    return this.#view.io;
  }
  get vmstatText(): string {
    return this.#view.vmstatText;
  }
  get vmstatHeaderText(): string {
    return this.#view.vmstatHeaderText;
  }
  get vmstatRowsText(): string {
    return this.#view.vmstatRowsText;
  }
  get dmesgText(): string {
    return this.#view.dmesgText;
  }
  get events(): SimEvent[] {
    return this.#view.events;
  }
  get options(): Readonly<SimulationOptions> {
    return this.#options;
  }
  /** The simulated second on screen. */
  get t(): number {
    return this.#view.t;
  }

  /** The state on screen as a link: replaying it from the preset gives these exact numbers. */
  link(): SimLink {
    return this.ready && this.links[0] ? this.links[0] : { preset: this.#options.preset };
  }

  /** Boot the link's preset with its knobs and replay its actions up to its time (in the worker). */
  restore(link: SimLink): Promise<void> {
    return this.#open(link, this.willPlay && !this.playing);
  }

  #open(link: SimLink, play: boolean): Promise<void> {
    this.#options = { ...startLink(link) };
    return this.open([link], play);
  }

  /** Back to the preset's start, with the same machine knobs; still playing if it was. */
  reset(): void {
    void this.#open(startLink(this.#options), this.willPlay);
  }

  /** Change a boot-time knob (RAM): reboots the box with swap and swappiness as they are now, still playing if it was. */
  reboot(options: Partial<SimulationOptions>): void {
    const now: Partial<SimulationOptions> = this.ready ? { swapMiB: this.frame.swapTotalMiB, swappiness: this.frame.swappiness } : {};
    void this.#open(startLink({ ...this.#options, ...now, ...options }), this.willPlay);
  }

  /** Abandon a replay in progress and open the preset's start instead. */
  cancel(): void {
    if (this.busy) void this.#open(startLink(this.#options), this.willPlay && !this.playing);
  }

  /**
   * Jump to simulated second t by replaying from boot. `keepPlaying` resumes play
   * afterwards if it was playing (dragging a scrubber); otherwise the moment stays on screen.
   */
  seek(t: number, keepPlaying = false): Promise<void> {
    const target = Math.max(0, Math.round(t * 10) / 10);
    const link = this.link();
    const actions = link.actions?.filter((a) => a.t <= target);
    return this.#open({ ...link, t: target, ...(actions && { actions }) }, (keepPlaying && this.playing) || (this.willPlay && !this.playing));
  }
}

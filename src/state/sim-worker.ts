/**
 * The page's simulation worker: every simulator and comparison on the page runs
 * its machines here, off the main thread, so the engine's work never holds up a
 * frame, a scroll or a key press. Each figure is a group (src/state/sim-protocol.ts);
 * while a group plays, the worker runs it by the wall clock and posts its state
 * about four times a second, or as often as the page manages to draw it.
 */
import { TICK } from '../engine/model';
import type { SimLink } from './link';
import { SimCore, VMSTAT_INTERVAL, type PresetBasics } from './sim-core';
import { QUIET_FACTOR, type FromWorker, type ToWorker } from './sim-protocol';

const QUIET_MARGIN = 60;
/** Wall-clock ms of engine work between looks at the message queue. */
const BUDGET_MS = 16;
/** Simulated seconds each side runs at a time, so the budget is checked often. */
const SLICE_SECONDS = 0.5;
/**
 * States are posted at most this often while playing (ms of wall time). Each post redraws
 * every panel of the figure, and on a phone a redraw costs tens of milliseconds of the
 * page's main thread: four a second keep the numbers moving (free, ps and docker stats
 * refresh once a second or less) and leave the page free for the reader's scrolling.
 */
const PUBLISH_EVERY_MS = 250;
/** Longest wall-clock sleep between looks at the clock while playing (ms). */
const TICK_WAIT_MAX_MS = 50;
/** Wall-clock ms of a replay's work between looks at the message queue (no frame waits on it here). */
const OPEN_SLICE_MS = 50;
/** Wall-clock ms between a replay's progress reports. */
const PROGRESS_EVERY_MS = 100;

const post = (message: FromWorker) => (self as unknown as Worker).postMessage(message);

class Group {
  readonly gid: number;
  sides: SimCore[] | null = null;
  seq = 0;
  generation = 0;
  busy = false;
  playing = false;
  wantPlay = false;
  speed = 1;
  quiet = false;
  /** The reader's actions while the machines are worked out, taken as soon as they are. */
  pending: ToWorker[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastWall = 0;
  #owed = 0;
  #lastPublish = 0;
  #awaitingDraw = false;

  constructor(gid: number) {
    this.gid = gid;
  }

  get ready(): boolean {
    return this.sides !== null && !this.busy;
  }

  handle(m: ToWorker): void {
    this.seq = Math.max(this.seq, m.seq);
    switch (m.type) {
      case 'open':
        void this.open(m.links, m.basics, m.play);
        break;
      case 'play':
        this.speed = m.speed;
        if (this.ready) this.start();
        else this.wantPlay = true;
        break;
      case 'pause':
        this.wantPlay = false;
        this.stop();
        if (this.ready) this.publish();
        break;
      case 'speed':
        this.speed = m.speed;
        break;
      case 'step':
        if (!this.ready) break;
        this.guard(() => {
          this.sync();
          for (const s of this.sides!) s.advance(VMSTAT_INTERVAL);
          this.publish();
        });
        break;
      case 'act':
        if (!this.ready) {
          this.pending.push(m);
          break;
        }
        this.guard(() => {
          this.sync();
          for (const s of this.sides!) s.act(m.action);
          this.publish();
        });
        break;
      case 'labs':
        if (!this.ready) {
          this.pending.push(m);
          break;
        }
        this.guard(() => {
          this.sync();
          const sides = this.sides!;
          let running = sides[0]!.labs();
          while (running.length < m.target) {
            const before = running.length;
            for (const s of sides) s.act(m.start);
            running = sides[0]!.labs();
            if (running.length <= before) break; // the start did not take: stop here
          }
          while (running.length > m.target) {
            const name = running.pop()!;
            for (const s of sides) s.act({ type: 'stopContainer', name });
          }
          this.publish();
        });
        break;
      case 'drawn':
        this.#awaitingDraw = false;
        break;
      case 'close':
        this.generation++;
        this.sides = null;
        this.stop();
        break;
    }
  }

  async open(links: SimLink[], basics: PresetBasics, play: boolean): Promise<void> {
    const generation = ++this.generation;
    this.busy = true;
    this.stop();
    this.wantPlay = play;
    this.#awaitingDraw = false;
    const abandoned = () => generation !== this.generation;
    const progress = links.map(() => 0);
    let lastReport = 0;
    const report = (i: number, p: number) => {
      progress[i] = p;
      const now = performance.now();
      if (now - lastReport < PROGRESS_EVERY_MS) return;
      lastReport = now;
      post({ gid: this.gid, seq: this.seq, type: 'progress', progress: progress.reduce((a, b) => a + b, 0) / progress.length });
    };
    try {
      const cores = await Promise.all(links.map((link, i) => SimCore.open(link, basics, abandoned, (p) => report(i, p), OPEN_SLICE_MS)));
      if (abandoned() || cores.some((c) => c === null)) return;
      this.sides = cores as SimCore[];
      this.busy = false;
      this.publish(true);
      for (const m of this.pending.splice(0)) this.handle(m);
      if (this.wantPlay) this.start();
    } catch (e) {
      if (!abandoned()) this.fail(e);
    }
  }

  start(): void {
    this.wantPlay = false;
    if (this.playing) return;
    this.playing = true;
    this.#owed = 0;
    this.#lastWall = performance.now();
    this.#lastPublish = 0;
    this.publish();
    this.#timer = setTimeout(this.#tick, 0);
  }

  stop(): void {
    this.playing = false;
    this.quiet = false;
    clearTimeout(this.#timer);
    if (this.ready) this.sync();
  }

  /** Bring the sides that are behind up to the one ahead (a budget may have stopped them short). */
  sync(): void {
    const sides = this.sides!;
    const t = Math.max(...sides.map((s) => s.t));
    for (const s of sides) if (s.t < t - 1e-9) s.advance(t - s.t);
  }

  #tick = (): void => {
    if (!this.playing || !this.sides) return;
    const sides = this.sides;
    const now = performance.now();
    const wall = Math.min(now - this.#lastWall, 250);
    this.#lastWall = now;
    this.guard(() => {
      this.quiet = sides[0]!.isQuiet(QUIET_MARGIN);
      // The engine moves in whole 100 ms ticks: time owed is carried until a tick is due.
      this.#owed = Math.min(this.#owed + (wall / 1000) * this.speed * (this.quiet ? QUIET_FACTOR : 1), 60);
      const ticks = Math.floor(this.#owed / TICK + 1e-6);
      if (ticks > 0) {
        this.#owed -= ticks * TICK;
        // The side behind sets the pace; all run in short slices, side by side, until the
        // target or the budget is reached (a slow machine plays slower than asked).
        const target = Math.min(...sides.map((s) => s.t)) + ticks * TICK;
        for (;;) {
          const behind = Math.min(...sides.map((s) => s.t));
          if (behind >= target - 1e-9 || performance.now() - now >= BUDGET_MS) break;
          const next = Math.min(target, behind + SLICE_SECONDS);
          for (const s of sides) if (s.t < next - 1e-9) s.advance(next - s.t);
        }
      }
      if (!this.#awaitingDraw && performance.now() - this.#lastPublish >= PUBLISH_EVERY_MS) {
        this.#lastPublish = performance.now();
        this.#awaitingDraw = true;
        this.publish();
      }
    });
    if (!this.playing) return;
    // Sleep until the next engine tick is due (time owed reaches TICK), not a busy 4 ms loop.
    const rate = this.speed * (this.quiet ? QUIET_FACTOR : 1);
    const untilTick = ((TICK - this.#owed) / rate) * 1000;
    this.#timer = setTimeout(this.#tick, Math.min(TICK_WAIT_MAX_MS, Math.max(4, untilTick)));
  };

  publish(full = false): void {
    if (!this.sides) return;
    post({ gid: this.gid, seq: this.seq, type: 'state', sides: this.sides.map((s) => s.publish(full)), playing: this.playing, quiet: this.quiet });
  }

  guard(work: () => void): void {
    try {
      work();
    } catch (e) {
      this.fail(e);
    }
  }

  fail(e: unknown): void {
    this.playing = false;
    this.wantPlay = false;
    this.busy = false;
    clearTimeout(this.#timer);
    post({ gid: this.gid, seq: this.seq, type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

const groups = new Map<number, Group>();

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  let g = groups.get(m.gid);
  if (!g) {
    if (m.type === 'close') return;
    g = new Group(m.gid);
    groups.set(m.gid, g);
  }
  g.handle(m);
  if (m.type === 'close') groups.delete(m.gid);
};

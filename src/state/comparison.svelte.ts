/**
 * Two simulations on one clock: the machines of a `<Compare>` figure. It plays
 * them itself (neither Simulation's own loop runs), so both sides always show the
 * same simulated second, and every reader action is applied to both at that second.
 */
import type { Action } from '../engine/model';
import { Simulation, SPEEDS, type SimSnapshot } from './simulation.svelte';
import { comparePreset, sideLink, sideOptions, type ComparePreset } from './compare';
import { uiPreset } from './presets';
import type { SimLink } from './link';
import { TICK } from '../engine/model';

/** Wall-clock budget of engine work per animation frame, ms, for both machines together. */
const FRAME_BUDGET_MS = 8;
/** Simulated seconds each machine runs at a time, so the budget is checked often. */
const SLICE_SECONDS = 0.5;
/**
 * While playing, the panels are redrawn at most this often (ms of wall time); on a slow
 * device less often: about four times as long as the last redraw took, up to a second.
 */
const PUBLISH_EVERY_MS = 120;
const PUBLISH_AT_MOST_MS = 1000;

export class Comparison {
  readonly def: ComparePreset;
  readonly a: Simulation;
  readonly b: Simulation;
  #playing = $state(false);
  #wantPlay = $state(false);
  #speed = $state(1);
  #raf = 0;
  #lastWall = 0;
  #lastPublish = 0;
  #owed = 0;
  #publishEvery = PUBLISH_EVERY_MS;
  #publishedLastFrame = false;
  #generation = 0;

  constructor(name: string, snapshots?: readonly [SimSnapshot, SimSnapshot]) {
    this.def = comparePreset(name);
    this.a = new Simulation(sideOptions(this.def, 'a'), snapshots?.[0]);
    this.b = new Simulation(sideOptions(this.def, 'b'), snapshots?.[1]);
    this.#speed = uiPreset(this.def.preset).speed;
  }

  get ready(): boolean {
    return this.a.ready && this.b.ready;
  }
  get busy(): boolean {
    return this.a.busy || this.b.busy;
  }
  get progress(): number {
    return (this.a.progress + this.b.progress) / 2;
  }
  get error(): string | null {
    return this.a.error ?? this.b.error;
  }
  get playing(): boolean {
    return this.#playing;
  }
  get willPlay(): boolean {
    return this.#playing || this.#wantPlay;
  }
  get speed(): number {
    return this.#speed;
  }
  set speed(value: number) {
    this.#speed = (SPEEDS as readonly number[]).includes(value) ? value : 1;
  }
  get unlinkable(): boolean {
    return this.a.unlinkable;
  }

  /** Bring the side that is behind up to the other (a frame's budget may have stopped it short). */
  #sync(publish = true): void {
    const t = Math.max(this.a.t, this.b.t);
    this.a.advanceBy(t - this.a.t, Infinity, publish);
    this.b.advanceBy(t - this.b.t, Infinity, publish);
  }

  play(): void {
    if (this.#playing || this.error) return;
    if (!this.ready || this.busy) {
      this.#wantPlay = true;
      return;
    }
    this.#wantPlay = false;
    this.#playing = true;
    this.#owed = 0;
    this.#lastWall = performance.now();
    this.#raf = requestAnimationFrame(this.#loop);
  }

  pause(): void {
    this.#wantPlay = false;
    const was = this.#playing;
    this.#playing = false;
    cancelAnimationFrame(this.#raf);
    if (was && this.ready && !this.busy) this.#sync();
  }

  #loop = (now: number): void => {
    if (!this.#playing) return;
    const frame = now - this.#lastWall;
    const wall = Math.min(frame, 250);
    this.#lastWall = now;
    // The frame after a redraw took about as long as the redraw: space redraws to match.
    if (this.#publishedLastFrame) this.#publishEvery = Math.min(PUBLISH_AT_MOST_MS, Math.max(PUBLISH_EVERY_MS, frame * 4));
    const publish = now - this.#lastPublish >= this.#publishEvery;
    this.#publishedLastFrame = publish;
    if (publish) this.#lastPublish = now;
    // The engine moves in whole 100 ms ticks: time owed is carried until a tick is due.
    this.#owed = Math.min(this.#owed + (wall / 1000) * this.#speed, 60);
    const ticks = Math.floor(this.#owed / TICK + 1e-6);
    if (ticks > 0) {
      this.#owed -= ticks * TICK;
      // The side behind sets the pace: the other waits for it rather than run ahead. Both
      // run in short slices, side by side, until the target or the frame's budget is reached.
      const target = Math.min(this.a.t, this.b.t) + ticks * TICK;
      const started = performance.now();
      for (;;) {
        const behind = Math.min(this.a.t, this.b.t);
        if (behind >= target - 1e-9 || performance.now() - started >= FRAME_BUDGET_MS) break;
        const next = Math.min(target, behind + SLICE_SECONDS);
        this.a.advanceBy(next - this.a.t, Infinity, false);
        this.b.advanceBy(next - this.b.t, Infinity, false);
      }
    }
    if (publish) {
      this.a.advanceBy(0);
      this.b.advanceBy(0);
    }
    if (this.error) {
      this.pause();
      return;
    }
    this.#raf = requestAnimationFrame(this.#loop);
  };

  /** Advance both by one vmstat interval. */
  stepInterval(): void {
    if (!this.ready || this.busy) return;
    this.#sync();
    this.a.stepInterval();
    this.b.stepInterval();
  }

  /** A reader's action, applied to both machines at the same simulated second. */
  act(action: Action): void {
    if (this.ready && !this.busy) this.#sync(false);
    this.a.act(action);
    this.b.act(action);
  }

  /** The comparison as a link: the left side's moment and actions (the right's are the same). */
  link(): SimLink {
    if (this.ready && !this.busy && !this.#playing) this.#sync();
    const l = this.a.link();
    return {
      preset: this.def.name,
      ...(l.seed !== undefined && { seed: l.seed }),
      ...(l.t !== undefined && { t: l.t }),
      ...(l.actions?.length && { actions: l.actions }),
    };
  }

  /** Open a linked moment (or the start, for a link with no time) on both sides. */
  async restore(link: SimLink): Promise<void> {
    const generation = ++this.#generation;
    const wantPlay = this.willPlay;
    this.pause();
    this.#wantPlay = wantPlay;
    await Promise.all([this.a.restore(sideLink(this.def, 'a', link)), this.b.restore(sideLink(this.def, 'b', link))]);
    if (generation !== this.#generation) return;
    if (this.#wantPlay) {
      this.#wantPlay = false;
      this.play();
    }
  }

  /** Back to the start, still playing if it was. */
  reset(): void {
    void this.restore({ preset: this.def.name });
  }

  /** Abandon the replay in progress and open the start instead. */
  cancel(): void {
    if (this.busy) this.reset();
  }

  destroy(): void {
    this.pause();
    this.a.destroy();
    this.b.destroy();
  }
}

/**
 * Two machines on one clock: the machines of a `<Compare>` figure. The worker runs
 * both as one group (src/state/sim-worker.ts), so both sides always show the same
 * simulated second, and every reader action is applied to both at that second.
 */
import { Driven, type SimView, type SimSnapshot } from './simulation.svelte';
import { comparePreset, sideLink, type ComparePreset } from './compare';
import type { SimLink } from './link';
import type { UiPreset } from './presets';
import type { ScenarioData } from './sim-shared';

export class Comparison extends Driven {
  readonly def: ComparePreset;
  readonly a: SimView;
  readonly b: SimView;

  /** The panels show the two starting states until the worker has worked the machines out (restore()). */
  /** `preset` is the compared preset (both sides boot it, one knob apart). */
  constructor(name: string, snapshots: readonly [SimSnapshot, SimSnapshot], preset: UiPreset, scenario: ScenarioData) {
    const def = comparePreset(name);
    super(snapshots, preset, scenario);
    this.def = def;
    this.a = this.views[0]!;
    this.b = this.views[1]!;
  }

  /** The comparison as a link: the left side's moment and actions (the right's are the same). */
  link(): SimLink {
    const l = this.ready ? this.links[0] : undefined;
    return {
      preset: this.def.name,
      ...(l?.seed !== undefined && { seed: l.seed }),
      ...(l?.t !== undefined && { t: l.t }),
      ...(l?.actions?.length && { actions: l.actions }),
    };
  }

  /** Open a linked moment (or the start, for a link with no time) on both sides. */
  restore(link: SimLink): Promise<void> {
    return this.open([sideLink(this.def, 'a', link), sideLink(this.def, 'b', link)], this.willPlay);
  }

  /** Back to the start, still playing if it was. */
  reset(): void {
    void this.restore({ preset: this.def.name });
  }

  /** Abandon the replay in progress and open the start instead. */
  cancel(): void {
    if (this.busy) this.reset();
  }
}

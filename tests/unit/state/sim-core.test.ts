import { describe, expect, it } from 'vitest';
import { SimCore } from '../../../src/state/sim-core';
import { presetBasics, startingSnapshot } from '../../../src/state/ui-context';
import { LIMITS, type SimLink } from '../../../src/state/link';

const never = () => false;
/** Opens a link as the worker does, with its preset's basics from the page. */
const open = (link: SimLink, abandoned = never, sliceMs = 25) => SimCore.open(link, presetBasics(link.preset), abandoned, quiet, sliceMs);
const quiet = () => {};

describe('a simulator machine in the worker', () => {
  it('opens a preset exactly where the page built it, so hydration changes nothing on screen', async () => {
    for (const preset of ['page-cache', 'oom-loop', 'memory-limits']) {
      const built = startingSnapshot({ preset });
      const opened = await open({ preset });
      expect(opened!.snapshot(), preset).toEqual(built);
    }
  });

  it('gives a link that reopens the same state, actions and all', async () => {
    const core = (await open({ preset: 'playground', swapMiB: 512 }))!;
    core.act({ type: 'startContainer', profile: 'dhbox-lab', restart: 'unless-stopped' });
    core.advance(12.3);
    core.act({ type: 'startContainer', profile: 'dhbox-lab', restart: 'always', memLimitMiB: 256 });
    core.advance(40);
    core.act({ type: 'dropCaches' });
    core.advance(7.5);
    const link = core.link();
    expect(link.actions).toHaveLength(3);
    const again = (await open(link))!;
    expect(again.t).toBeCloseTo(core.t, 6);
    expect(again.publish(true).frame).toEqual(core.publish(true).frame);
    expect(again.link()).toEqual(link);
  });

  it('says so once the reader has taken more actions than a link holds', async () => {
    const core = (await open({ preset: 'playground' }))!;
    for (let i = 0; i < LIMITS.actions; i++) core.act({ type: 'dropCaches' });
    expect(core.publish().overflow).toBe(false);
    core.act({ type: 'dropCaches' });
    expect(core.publish().overflow).toBe(true);
  });

  it('posts the kernel log and the events only when they change', async () => {
    const core = (await open({ preset: 'oom-loop' }))!;
    expect(core.publish().dmesg).toBeDefined();
    expect(core.publish().dmesg).toBeUndefined();
    expect(core.publish().events).toBeUndefined();
    core.act({ type: 'startContainer', profile: 'dhbox-lab', restart: 'unless-stopped' });
    expect(core.publish().events).toBeDefined();
  });

  it('stops opening when abandoned', async () => {
    let calls = 0;
    const core = await open({ preset: 'oom-loop', t: 3000 }, () => ++calls > 2, 1);
    expect(core).toBeNull();
  });
});

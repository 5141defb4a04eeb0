import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  LIMITS,
  parseLink,
  parseLinkValue,
  withLink,
  type LinkContext,
  type SimLink,
  type TimedLinkAction,
} from '../../../src/state/link';
import type { Action } from '../../../src/engine/model';

const ctx: LinkContext = {
  presets: ['seed', 'thrashing', 'oom-loop'],
  profiles: ['lab', 'web', 'batch', 'idle'],
  apps: ['dhbox'],
};

const name = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,31}$/);
const comm = fc.stringMatching(/^[A-Za-z0-9._-]{1,15}$/);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record(
    {
      type: fc.constant('startContainer' as const),
      profile: fc.constantFrom(...ctx.profiles),
      name,
      restart: fc.constantFrom('no' as const, 'on-failure' as const, 'always' as const, 'unless-stopped' as const),
      memLimitMiB: fc.integer({ min: LIMITS.limitMiB.min, max: LIMITS.limitMiB.max }),
    },
    { requiredKeys: ['type', 'profile'] },
  ),
  fc.record({ type: fc.constantFrom('stopContainer' as const, 'killContainer' as const), name }),
  fc.constant({ type: 'killAll' as const }),
  fc.record({ type: fc.constant('startApp' as const), app: fc.constantFrom(...ctx.apps) }),
  fc.record({ type: fc.constant('setSwap' as const), mib: fc.integer({ min: 0, max: LIMITS.swapMiB.max }) }),
  fc.record({ type: fc.constant('setSwappiness' as const), value: fc.integer({ min: 0, max: 200 }) }),
  fc.record({ type: fc.constant('setOomScoreAdj' as const), value: fc.integer({ min: -1000, max: 1000 }), pid: fc.integer({ min: 1, max: 4194304 }) }),
  fc.record({ type: fc.constant('setOomScoreAdj' as const), value: fc.integer({ min: -1000, max: 1000 }), comm }),
  fc.record({ type: fc.constant('dropCaches' as const), what: fc.constantFrom(1 as const, 2 as const, 3 as const) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('readFile' as const), mib: fc.integer({ min: 1, max: 16384 }), name }, { requiredKeys: ['type', 'mib'] }),
);

const tenths = (max: number) => fc.integer({ min: 0, max: max * 10 }).map((n) => n / 10);

const link: fc.Arbitrary<SimLink> = fc
  .record(
    {
      preset: fc.constantFrom(...ctx.presets),
      ramMiB: fc.integer({ min: LIMITS.ramMiB.min, max: LIMITS.ramMiB.max }),
      swapMiB: fc.integer({ min: 0, max: LIMITS.swapMiB.max }),
      swappiness: fc.integer({ min: 0, max: 200 }),
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      t: tenths(LIMITS.t.max),
      actions: fc.array(fc.record({ t: tenths(LIMITS.t.max), action }), { maxLength: 12 }),
    },
    { requiredKeys: ['preset'] },
  )
  .map((l) => {
    const actions: TimedLinkAction[] | undefined = l.actions
      ?.slice()
      .sort((a, b) => a.t - b.t)
      .filter((a) => l.t === undefined || a.t <= l.t);
    const out: SimLink = { ...l };
    if (actions === undefined || actions.length === 0) delete out.actions;
    else out.actions = actions;
    return out;
  });

describe('simulator links', () => {
  it('round-trip any valid state through the address bar', () => {
    fc.assert(
      fc.property(link, fc.option(fc.stringMatching(/^figure-\d-\d$/), { nil: undefined }), (state, id) => {
        const search = withLink('?x=1', state, id);
        const url = new URL(`http://localhost/chapters/x/${search}`);
        const parsed = parseLink(url.search, ctx, id);
        expect(parsed.ignored).toEqual([]);
        expect(parsed.link).toEqual(state);
        expect(url.searchParams.get('x')).toBe('1');
      }),
    );
  });

  it('reads as plain words in the address bar', () => {
    const search = withLink('', {
      preset: 'thrashing',
      ramMiB: 990,
      swapMiB: 0,
      seed: 7,
      t: 312.4,
      actions: [
        { t: 120, action: { type: 'startContainer', profile: 'lab', memLimitMiB: 300 } },
        { t: 200, action: { type: 'killAll' } },
      ],
    });
    expect(search).toBe('?sim=v1;preset=thrashing;ram=990;swap=0;seed=7;t=312.4;do=120@start:lab:limit=300,200@killall');
  });

  it('keeps two simulators on one page apart', () => {
    const a = withLink('', { preset: 'seed', t: 10 }, 'figure-3-1');
    const both = withLink(a, { preset: 'oom-loop', t: 20 }, 'figure-3-2');
    expect(parseLink(both, ctx, 'figure-3-1').link).toEqual({ preset: 'seed', t: 10 });
    expect(parseLink(both, ctx, 'figure-3-2').link).toEqual({ preset: 'oom-loop', t: 20 });
    expect(parseLink(both, ctx).link).toBeUndefined();
  });

  it('keeps the valid parts of a link and says what it ignored', () => {
    const { link: l, ignored } = parseLinkValue('v1;preset=seed;ram=99999999999;swappiness=60;color=red;t=-5', ctx);
    expect(l).toEqual({ preset: 'seed', swappiness: 60 });
    expect(ignored).toHaveLength(3);
    expect(ignored.join('\n')).toMatch(/ram/);
    expect(ignored.join('\n')).toMatch(/unknown setting “color”/);
    expect(ignored.join('\n')).toMatch(/time/);
  });

  it.each([
    ['a wrong version', 'v9;preset=seed', /format “v9”/],
    ['no version', 'preset=seed', /format/],
    ['an unknown preset', 'v1;preset=nope', /preset “nope” does not exist/],
    ['a script tag', 'v1;preset=<script>alert(1)</script>', /does not exist/],
    ['a huge number', 'v1;preset=seed;seed=1e400', /seed/],
    ['a repeated key', 'v1;preset=seed;ram=990;ram=512', /more than once/],
    ['a bad action', 'v1;preset=seed;do=5@start:lab,7@format:c', /not understood/],
    ['an action without time', 'v1;preset=seed;do=killall', /no time/],
    ['actions out of order', 'v1;preset=seed;do=50@killall,20@drop', /earlier than/],
    ['an action after the time', 'v1;preset=seed;t=10;do=50@killall', /after the link's time/],
    ['an unknown profile', 'v1;preset=seed;do=5@start:<img src=x>', /unknown container profile/],
    ['a non-numeric seed', 'v1;preset=seed;seed=NaN', /seed/],
    ['a negative RAM', 'v1;preset=seed;ram=-512', /ram/],
  ])('survives %s', (_what, value, message) => {
    const parsed = parseLinkValue(value, ctx);
    expect(parsed.ignored.join('\n')).toMatch(message);
    if (parsed.link) expect(ctx.presets).toContain(parsed.link.preset);
  });

  it('quotes what it ignored as short plain text', () => {
    const { ignored } = parseLinkValue(`v1;preset=${'<b>'.repeat(100)}`, ctx);
    expect(ignored[0]!.length).toBeLessThan(100);
  });

  it('uses the first of repeated parameters and says so', () => {
    const parsed = parseLink('?sim=v1;preset=seed&sim=v1;preset=oom-loop', ctx);
    expect(parsed.link?.preset).toBe('seed');
    expect(parsed.ignored[0]).toMatch(/2 times/);
  });

  it('never throws, whatever the query', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (junk, value) => {
        const parsed = parseLink(`?${junk}&sim=${encodeURIComponent(value)}`, ctx);
        if (parsed.link) expect(ctx.presets).toContain(parsed.link.preset);
        for (const note of parsed.ignored) expect(note).toMatch(/^[\x20-\x7e“”…–]{1,200}$/);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom('v1', ';', 'preset=seed', 'do=', '@', ':', ',', 'start', 'lab', '1', '=', 'limit', 'adj', 'pid'), { maxLength: 30 }), (bits) => {
        const parsed = parseLinkValue(bits.join(''), ctx);
        for (const a of parsed.link?.actions ?? []) expect(a.t).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

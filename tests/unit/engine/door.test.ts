import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Machine, type Action, type MachineConfig } from '../../../src/engine/index';
import { accountedPages, buckets } from '../../../src/engine/readouts';
import type { Touch } from '../../../src/engine/model';
import { num, oneOf, ownKey, record, validateAction, validateConfig } from '../../../src/engine/validate';

/**
 * The engine's door (validate.ts): whatever comes in, a machine either refuses it with
 * an Error that names the field, or runs, and a machine that runs never shows NaN in a
 * read-out, never a negative count, and never loses a page. Seeds are fixed.
 */

/** Values that have broken engines before: non-finite, negative, huge, fractional, not numbers, odd names. */
const oddNumber = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 0.5, -0.0001, 1e308, 2 ** 53, -1e9, 1e-300),
  fc.double(),
  fc.integer({ min: -2_000_000, max: 2_000_000 }),
);
const oddName = fc.constantFrom('toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', '', ' ', 'dhbox-lab ', 'x'.repeat(300), '../etc');
const oddValue = fc.oneof(oddNumber, oddName, fc.constantFrom(null, true, [], {}, '12'));

const goodConfig = fc.record({
  ramMiB: fc.integer({ min: 256, max: 4096 }),
  swapMiB: fc.constantFrom(0, 256, 1024),
  swappiness: fc.integer({ min: 0, max: 200 }),
  cpus: fc.integer({ min: 1, max: 8 }),
  seed: fc.integer({ min: 0, max: 1000 }),
});
const CONFIG_KEYS = ['ramMiB', 'swapMiB', 'swappiness', 'cpus', 'seed', 'host', 'minFreeKbytes', 'watermarkScaleFactor', 'disk.readMiBps', 'disk.writeMiBps', 'disk.iops', 'disk.latencyMs'] as const;
/** A good config with at most one field replaced by an odd value. */
const configArb = fc.tuple(goodConfig, fc.option(fc.tuple(fc.constantFrom(...CONFIG_KEYS), oddValue), { nil: undefined })).map(([cfg, bad]) => {
  const c: Record<string, unknown> = { ...cfg };
  if (!bad) return { config: c, field: undefined };
  const [key, v] = bad;
  if (key.startsWith('disk.')) c.disk = { [key.slice(5)]: v };
  else c[key] = v;
  return { config: c, field: key };
});

const profileArb = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('dhbox-lab', 'web-app', 'batch-job', 'idle-service') }, { weight: 1, arbitrary: oddName });
const goodAction: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant('startContainer' as const), profile: fc.constantFrom('dhbox-lab', 'web-app', 'batch-job', 'idle-service'), restart: fc.constantFrom('no' as const, 'always' as const, 'on-failure' as const), memLimitMiB: fc.constantFrom(0, 64, 200, 512) }) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        type: fc.constant('startContainer' as const),
        profile: fc.constantFrom('dhbox-lab', 'batch-job'),
        memLimitMiB: fc.constantFrom(0, 150, 300),
        memHighMiB: fc.constantFrom(0, 120, 250),
        memLowMiB: fc.constantFrom(0, 100),
        memMinMiB: fc.constantFrom(0, 50),
        swapMaxMiB: fc.constantFrom(-1, 0, 128),
        oomGroup: fc.boolean(),
        oomScoreAdj: fc.integer({ min: -1000, max: 1000 }),
        requestMiB: fc.constantFrom(0, 100),
      },
      { requiredKeys: ['type', 'profile'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('updateContainer' as const), name: fc.constantFrom('dhbox-lab-1', 'batch-job-2', 'nope'), memLimitMiB: fc.constantFrom(0, 100, 400), memHighMiB: fc.constantFrom(0, 150) }, { requiredKeys: ['type', 'name'] }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('setResponders' as const),
      responders: fc.record({ earlyoom: fc.constantFrom(null, {}), oomd: fc.constantFrom(null, {}, { pressureLimit: 30, pressureDurationS: 5 }), kubelet: fc.constantFrom(null, {}) }, { requiredKeys: [] }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'killAll' as const }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('setSwap' as const), mib: fc.constantFrom(0, 256, 1024) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('setSwappiness' as const), value: fc.integer({ min: 0, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('setOomScoreAdj' as const), comm: fc.constantFrom('jupyter-noteboo', 'python3', 'mysqld'), value: fc.integer({ min: -1000, max: 1000 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('dropCaches' as const), what: fc.constantFrom(1 as const, 2 as const, 3 as const) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('readFile' as const), mib: fc.integer({ min: 1, max: 300 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('stopContainer' as const), name: fc.constantFrom('dhbox-lab-1', 'web-app-2', 'nope') }) },
  { weight: 1, arbitrary: fc.constant({ type: 'startApp' as const, app: 'dhbox-web' }) },
  {
    weight: 2,
    // Any program the table lets in, at the edges of its ranges.
    arbitrary: fc.record({
      type: fc.constant('startHostProcess' as const),
      service: fc.record(
        {
          name: fc.constantFrom('leak', 'a-very-long-program-name', 'x'),
          anonMiB: fc.constantFrom(0, 0.001, 50, 5000),
          peakMiB: fc.constantFrom(0, 100),
          heapS: fc.constantFrom(0, 1e-9, 5),
          startCpu: fc.constantFrom(0, 1e-9, 2),
          startShare: fc.constantFrom(0, 0.5, 4),
          startReads: fc.constant<Touch[]>([{ file: 'host/libc', mib: 1 }, { file: 'no/such/file', mib: 5 }]),
          startWrites: fc.constant<Touch[]>([{ file: 'host/journal', mib: 2, sync: true }]),
          hot: fc.constantFrom<Touch[][]>([], [{ file: 'host/libc', mib: 0 }], [{ file: 'host/libc', mib: 1e6 }]),
          wakeHz: fc.constantFrom(0, 1e-6, 10, 1e6),
          cpuPerWake: fc.constantFrom(0, 1e-9, 0.05, 1e6),
          writeKiBps: fc.constantFrom(0, 1e9),
          writeFile: fc.constant('host/journal'),
          growMiBps: fc.constantFrom(0, 1e-9, 20),
          maxMiB: fc.constantFrom(0, 300),
          anonHot: fc.constantFrom(0, 1),
          threads: fc.constantFrom(1, 1e6),
          vmMiB: fc.constantFrom(0, 1e6),
          oneShot: fc.boolean(),
        },
        { requiredKeys: ['name', 'anonMiB', 'startCpu', 'hot', 'wakeHz', 'cpuPerWake'] },
      ),
    }),
  },
);
/** A good action with at most one field (or its type, or its profile) made odd. */
const actionArb = fc
  .tuple(goodAction, fc.option(fc.tuple(fc.constantFrom('type', 'value', 'mib', 'memLimitMiB', 'restart', 'what', 'name', 'pid', 'app', 'extra'), oddValue), { nil: undefined, freq: 2 }), profileArb)
  .map(([a, bad, profile]) => {
    const o: Record<string, unknown> = { ...a };
    if (!bad && o.type === 'startContainer') o.profile = profile;
    if (!bad) return { action: o, field: o.profile === profile && !['dhbox-lab', 'web-app', 'batch-job', 'idle-service'].includes(profile) ? 'profile' : undefined };
    const [key, v] = bad;
    o[key] = v;
    return { action: o, field: key };
  });

/** Every number in a read-out, with its path. */
function numbers(x: unknown, path = ''): [string, number][] {
  if (typeof x === 'number') return [[path, x]];
  if (Array.isArray(x)) return x.flatMap((v, i) => numbers(v, `${path}[${i}]`));
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => numbers(v, `${path}.${k}`));
  return [];
}

/** The read-outs a reader sees; throws naming the first NaN, infinity, negative count or lost page. */
function checkReadouts(m: Machine, since: ReturnType<Machine['counters']>): void {
  const outs = {
    free: m.free('modern'),
    freeClassic: m.free('classic'),
    meminfo: m.meminfo(),
    vmstat: m.vmstat(since),
    vmstatNow: m.vmstat(m.counters()),
    sinceBoot: m.vmstatSinceBoot(),
    psi: m.psi(),
    ps: m.ps(),
    docker: m.docker(),
    processes: m.processes(),
    lsSeconds: m.lsSeconds(),
    lru: m.lru(),
    buckets: m.buckets(),
    watermarks: m.watermarks(),
  };
  for (const [path, v] of numbers(outs)) if (!Number.isFinite(v)) throw new Error(`read-out ${path} is ${v}`);
  for (const [path, v] of numbers({ meminfo: outs.meminfo, buckets: outs.buckets, lru: outs.lru, ps: outs.ps, lsSeconds: outs.lsSeconds, psi: outs.psi }))
    if (v < 0 && !/oomScoreAdj|adj/i.test(path)) throw new Error(`read-out ${path} is negative: ${v}`);
  if (accountedPages(buckets(m.state)) !== m.totalPages()) throw new Error(`pages lost: ${accountedPages(buckets(m.state))} of ${m.totalPages()}`);
}

/** A refusal: a plain Error (not a TypeError or RangeError) whose message names the field. */
function expectNamedRefusal(e: unknown, field: string | undefined): void {
  expect(e).toBeInstanceOf(Error);
  expect((e as Error).constructor).toBe(Error);
  const msg = (e as Error).message;
  expect(msg).toMatch(/must be|is missing|^unknown /);
  if (field) expect(msg).toContain(field);
}

describe("the engine's door (property tests)", () => {
  it('a config either runs or is refused with an Error naming the field; a running machine shows no NaN', () => {
    fc.assert(
      fc.property(configArb, ({ config, field }) => {
        let m: Machine;
        try {
          m = new Machine(config as unknown as MachineConfig);
        } catch (e) {
          expectNamedRefusal(e, field);
          return;
        }
        const since = m.counters();
        m.act({ type: 'startContainer', profile: 'dhbox-lab' });
        m.step(3);
        checkReadouts(m, since);
      }),
      { numRuns: 60, seed: 1 },
    );
  }, 60_000);

  it('random action sequences with odd values: each applies or is refused by name; no NaN, no negative count, no lost page', () => {
    fc.assert(
      fc.property(goodConfig, fc.array(fc.tuple(actionArb, fc.integer({ min: 1, max: 20 })), { minLength: 1, maxLength: 8 }), (cfg, steps) => {
        const m = new Machine(cfg);
        let since = m.counters();
        for (const [{ action, field }, dt] of steps) {
          try {
            m.act(action as unknown as Action);
          } catch (e) {
            expectNamedRefusal(e, field);
          }
          m.step(dt);
          checkReadouts(m, since);
          since = m.counters();
        }
      }),
      { numRuns: 30, seed: 2 },
    );
  }, 120_000);

  it('timelines and times are checked where they come in: schedule, step, runUntil', () => {
    fc.assert(
      fc.property(oddNumber, (t) => {
        const m = new Machine({ ramMiB: 990, seed: 3 });
        const ok = Number.isFinite(t) && t >= 0 && t <= 366 * 86400;
        const tries: [() => void, string][] = [
          [() => m.schedule([{ t, action: { type: 'killAll' } }]), 'timeline[0]: t must be'],
          [() => m.step(t), 'seconds must be'],
        ];
        for (const [f, msg] of tries) {
          if (ok) continue;
          expect(f).toThrow(msg);
        }
        if (!ok) expect(() => m.runUntil(t)).toThrow('t must be');
      }),
      { numRuns: 60, seed: 3 },
    );
  });
});

describe('validate.ts', () => {
  it('names the field and the value in its messages', () => {
    expect(() => new Machine({ ramMiB: Infinity })).toThrow('ramMiB must be a finite number between 64 and 1048576 (got Infinity)');
    expect(() => new Machine({ ramMiB: 990, cpus: 0 })).toThrow('cpus must be an integer between 1 and 1024 (got 0)');
    expect(() => new Machine({ ramMiB: 990, disk: { readMiBps: 0 } })).toThrow(/^disk\.readMiBps must be/);
    expect(() => new Machine({ ramMiB: 990, host: 'toString' })).toThrow('unknown host profile toString');
    expect(() => new Machine({ ramMiB: 990, colour: 'red' } as unknown as MachineConfig)).toThrow('unknown config field colour');
    const m = new Machine({ ramMiB: 990 });
    expect(() => m.act({ type: 'startContainer', profile: 'toString' })).toThrow('unknown container profile toString');
    expect(() => m.act({ type: 'startContainer', profile: '__proto__' })).toThrow('unknown container profile __proto__');
    expect(() => m.act(JSON.parse('{"type":"startContainer","profile":"dhbox-lab","__proto__":1}') as Action)).toThrow('unknown field startContainer.__proto__');
    expect(() => m.act({ type: 'setSwap', mib: NaN })).toThrow('setSwap.mib must be a finite number between 0 and 1048576 (got NaN)');
    expect(() => m.act({ type: 'startApp', app: 'constructor' })).toThrow('unknown app constructor');
    expect(() => m.act({ type: 'setOomScoreAdj', value: 1001 })).toThrow('setOomScoreAdj.value must be an integer between -1000 and 1000 (got 1001)');
    expect(() => m.act({ type: 'valueOf' } as unknown as Action)).toThrow('unknown action type valueOf');
    expect(() => m.act({ type: 'startContainer', profile: 'dhbox-lab', memHighMiB: -5 })).toThrow('startContainer.memHighMiB must be a finite number between 6 and 1048576 (got -5)');
    expect(() => m.act({ type: 'startContainer', profile: 'dhbox-lab', swapMaxMiB: -2 })).toThrow(/^startContainer\.swapMaxMiB must be/);
    expect(() => m.act({ type: 'updateContainer', name: 'lab', memLimitMiB: Infinity })).toThrow(/^updateContainer\.memLimitMiB must be/);
    expect(() => m.act({ type: 'setResponders', responders: { earlyoom: { memPercent: 150 } } })).toThrow(/^setResponders\.responders\.earlyoom\.memPercent must be/);
    expect(() => new Machine({ ramMiB: 990, kernel: 'ancient' } as unknown as MachineConfig)).toThrow(/^kernel must be one of/);
    // A refused action leaves the machine as it was.
    expect(m.state.containers).toHaveLength(0);
  });

  it('exports small helpers to build tables with', () => {
    expect(num('x', 3, { min: 0, max: 5, int: true })).toBe(3);
    expect(() => num('x', 3.5, { min: 0, max: 5, int: true })).toThrow('x must be an integer between 0 and 5 (got 3.5)');
    expect(() => num('x', 0, { min: 0, max: 5, above: true })).toThrow('x must be a finite number above 0 and up to 5 (got 0)');
    expect(oneOf('policy', 'always', ['no', 'always'])).toBe('always');
    expect(() => oneOf('policy', 'sometimes', ['no', 'always'])).toThrow('policy must be one of "no", "always" (got "sometimes")');
    expect(ownKey('thing', 'a', { a: 1 })).toBe(1);
    expect(() => ownKey('thing', 'toString', { a: 1 })).toThrow('unknown thing toString');
    expect(() => record('knob', { a: 1 }, { b: { check: () => undefined } })).toThrow('unknown field knob.a');
    expect(() => record('knob', {}, { b: { check: () => undefined } })).toThrow('knob.b is missing');
    expect(validateConfig({ ramMiB: 990 })).toEqual({ ramMiB: 990 });
    expect(validateAction(null, { type: 'killAll' })).toEqual({ type: 'killAll' });
  });
});

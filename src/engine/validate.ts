/**
 * The engine's door: every machine configuration and every action is checked
 * before it touches a state. A bad value throws an Error that names the field and
 * says what it should be, e.g.
 *
 *   ramMiB must be a finite number between 64 and 1048576 (got Infinity)
 *   unknown container profile toString
 *
 * so a NaN, an Infinity or an unknown name never gets far enough to turn page counts
 * into NaN. Names are looked up as own properties only (Object.hasOwn), so "toString"
 * or "__proto__" are unknown names, not Object.prototype's.
 *
 * The ranges are the kernel's and Docker's where they have one: vm.swappiness 0..200
 * (Documentation/admin-guide/sysctl/vm.rst), vm.watermark_scale_factor 1..3000
 * (mm/page_alloc.c's sysctl table), oom_score_adj −1000..1000 (OOM_SCORE_ADJ_MIN/MAX,
 * include/uapi/linux/oom.h; fs/proc/base.c returns EINVAL outside it),
 * drop_caches 1..3 (fs/drop_caches.c), Docker's smallest memory limit of 6 MiB
 * (daemon/daemon_unix.go, linuxMinMemory), container names as Docker accepts them
 * (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`, daemon/names). Elsewhere they are what the model
 * can run without dividing by zero.
 *
 * Table-driven: a record type is a table of fields, each a check built from the small
 * helpers below (`num`, `str`, `oneOf`, `ownKey`, `list`, `record`). To add an action,
 * add its table to ACTION_FIELDS; to add a config field, add it to CONFIG_FIELDS.
 */
import type { Action, MachineConfig, MachineState, ServiceSpec, TimedAction } from './model';
import { CONTAINERS, HOSTS } from './profiles';

/** The largest memory size the door lets in, MiB (1 TiB). */
export const MAX_MIB = 1048576;
/** The longest simulated time the door lets in, seconds (a year). */
export const MAX_SECONDS = 366 * 86400;

/** A field check: throws an Error naming `field` when `v` is not acceptable. */
export type Check = (field: string, v: unknown) => void;

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
};

/** Throw the door's error for `field`. */
export function fail(field: string, what: string, v: unknown): never {
  throw new Error(`${field} must be ${what} (got ${show(v)})`);
}

export interface NumRange {
  min: number;
  max: number;
  /** Whole numbers only. */
  int?: boolean;
  /** min itself is not allowed (a rate or a size that must be above zero). */
  above?: boolean;
}

/** A finite number in [min, max] (or (min, max] with `above`), an integer with `int`. */
export function num(field: string, v: unknown, r: NumRange): number {
  const ok =
    typeof v === 'number' && Number.isFinite(v) && (r.above ? v > r.min : v >= r.min) && v <= r.max && (!r.int || Number.isInteger(v));
  if (!ok) fail(field, `${r.int ? 'an integer' : 'a finite number'} ${r.above ? `above ${r.min} and up to ${r.max}` : `between ${r.min} and ${r.max}`}`, v);
  return v as number;
}

export interface StrRules {
  /** Longest length in characters (default 4096). */
  max?: number;
  /** At least one character (default true). */
  nonEmpty?: boolean;
  pattern?: RegExp;
  /** How to describe the pattern in the error. */
  patternText?: string;
}

export function str(field: string, v: unknown, rules: StrRules = {}): string {
  const max = rules.max ?? 4096;
  if (typeof v !== 'string') fail(field, 'a string', v);
  if ((rules.nonEmpty ?? true) && v.length === 0) fail(field, 'a non-empty string', v);
  if (v.length > max) fail(field, `at most ${max} characters long`, v.length > 40 ? `${v.length} characters` : v);
  if (rules.pattern && !rules.pattern.test(v)) fail(field, rules.patternText ?? `a string matching ${rules.pattern}`, v);
  return v;
}

/** One of a fixed list of values. */
export function oneOf<T extends string | number>(field: string, v: unknown, values: readonly T[]): T {
  if (!values.some((x) => x === v)) fail(field, `one of ${values.map((x) => (typeof x === 'string' ? JSON.stringify(x) : String(x))).join(', ')}`, v);
  return v as T;
}

/** A key of `table` as its own property (never one inherited from Object.prototype). */
export function ownKey<T>(what: string, v: unknown, table: Record<string, T>): T {
  if (typeof v !== 'string' || !Object.hasOwn(table, v)) throw new Error(`unknown ${what} ${typeof v === 'string' ? v : show(v)}`);
  return table[v]!;
}

export function bool(field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(field, 'true or false', v);
  return v;
}

/** A plain object (not null, not an array). */
export function object(field: string, v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, 'an object', v);
  return v as Record<string, unknown>;
}

/** A table of a record's fields: each field's check, and whether it may be left out. */
export type Fields = Record<string, { check: Check; optional?: boolean }>;

/**
 * Check a record against its table: no fields outside the table (a typo is an error,
 * not a silently ignored knob), every required field present, every present field valid.
 * An optional field set to undefined counts as left out. Fields are named
 * `prefix.field` (just `field` with an empty prefix).
 */
export function record(prefix: string, v: unknown, fields: Fields, what = ''): Record<string, unknown> {
  const name = (k: string) => (prefix === '' ? k : `${prefix}.${k}`);
  const o = object(prefix === '' ? what || 'the record' : prefix, v);
  for (const k of Object.keys(o)) if (!Object.hasOwn(fields, k)) throw new Error(`unknown ${what ? `${what} ` : ''}field ${name(k)}`);
  for (const [k, spec] of Object.entries(fields)) {
    const x = Object.hasOwn(o, k) ? o[k] : undefined;
    if (x === undefined) {
      if (!spec.optional) throw new Error(`${name(k)} is missing`);
      continue;
    }
    spec.check(name(k), x);
  }
  return o;
}

/** An array of at most `max` items, each checked. */
export function list(field: string, v: unknown, max: number, item: Check): unknown[] {
  if (!Array.isArray(v)) fail(field, 'an array', v);
  if (v.length > max) fail(field, `an array of at most ${max} items`, `${v.length} items`);
  v.forEach((x, i) => item(`${field}[${i}]`, x));
  return v;
}

// ---- shorthands for tables -----------------------------------------------------

const n = (r: NumRange): Check => (f, v) => void num(f, v, r);
const s = (rules: StrRules = {}): Check => (f, v) => void str(f, v, rules);
const b: Check = (f, v) => void bool(f, v);
const opt = (check: Check) => ({ check, optional: true });
const req = (check: Check) => ({ check });

const MIB = n({ min: 0, max: MAX_MIB });
/** Docker's container names (daemon/names: validContainerNamePattern). */
const CONTAINER_NAME = s({ max: 128, pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, patternText: 'a container name: letters, digits, "_", "." or "-", starting with a letter or digit' });

// ---- the machine's configuration ---------------------------------------------------

const DISK_FIELDS: Fields = {
  readMiBps: opt(n({ min: 0, max: 1e6, above: true })),
  writeMiBps: opt(n({ min: 0, max: 1e6, above: true })),
  iops: opt(n({ min: 0, max: 1e8, above: true })),
  latencyMs: opt(n({ min: 0, max: 60000 })),
};

// ---- memory cgroup knobs and user-space responders ----------------------------------

const PERCENT = n({ min: 0, max: 100 });
const COMMS: Check = (f, v) => void list(f, v, 64, s({ max: 64 }));
/** A responder's options, or null to stop it. */
const orNull = (fields: Fields): Check => (f, v) => {
  if (v !== null) record(f, v, fields);
};
const RESPONDER_FIELDS: Fields = {
  earlyoom: opt(orNull({ memPercent: opt(PERCENT), swapPercent: opt(PERCENT), prefer: opt(COMMS), avoid: opt(COMMS) })),
  oomd: opt(orNull({ pressureLimit: opt(n({ min: 0, max: 100, above: true })), pressureDurationS: opt(n({ min: 0, max: MAX_SECONDS, above: true })), swapLimit: opt(n({ min: 0, max: 100, above: true })) })),
  kubelet: opt(orNull({ evictionHardMiB: opt(MIB) })),
};

/** A size that may be 0 for "no limit" (memory.max, memory.high), else at least 6 MiB as Docker requires. */
const LIMIT: Check = (f, v) => {
  if (v !== 0) num(f, v, { min: 6, max: MAX_MIB });
};
/** The memory cgroup knobs of startContainer and updateContainer (model.ts MemoryKnobs). */
const KNOB_FIELDS: Fields = {
  memLimitMiB: opt(LIMIT),
  memHighMiB: opt(LIMIT),
  memLowMiB: opt(MIB),
  memMinMiB: opt(MIB),
  // memory.swap.max: −1 is "max".
  swapMaxMiB: opt((f, v) => {
    if (v !== -1) num(f, v, { min: 0, max: MAX_MIB });
  }),
  oomGroup: opt(b),
  oomKillDisable: opt(b),
  oomScoreAdj: opt(n({ min: -1000, max: 1000, int: true })),
  requestMiB: opt(MIB),
};

export const CONFIG_FIELDS: Fields = {
  ramMiB: req(n({ min: 64, max: MAX_MIB })),
  swapMiB: opt(MIB),
  swappiness: opt(n({ min: 0, max: 200, int: true })),
  cpus: opt(n({ min: 1, max: 1024, int: true })),
  disk: opt((f, v) => void record(f, v, DISK_FIELDS)),
  seed: opt(n({ min: -0x80000000, max: 0xffffffff, int: true })),
  host: opt((_f, v) => void ownKey('host profile', v, HOSTS)),
  minFreeKbytes: opt(n({ min: 0, max: MAX_MIB * 1024, int: true })),
  watermarkScaleFactor: opt(n({ min: 1, max: 3000, int: true })),
  kernel: opt((f, v) => void oneOf(f, v, ['modern', 'classic'] as const)),
  responders: opt((f, v) => void record(f, v, RESPONDER_FIELDS)),
};

/** Check a machine configuration (createState's input); throws naming the first bad field. */
export function validateConfig(config: unknown): MachineConfig {
  const c = record('', config, CONFIG_FIELDS, 'config') as unknown as MachineConfig;
  // min_free_kbytes above a quarter of RAM leaves nothing to run in (the kernel's own default is at most 256 MiB).
  if (c.minFreeKbytes !== undefined && c.minFreeKbytes > c.ramMiB * 256) fail('minFreeKbytes', `at most a quarter of RAM (${Math.floor(c.ramMiB * 256)} KiB)`, c.minFreeKbytes);
  return c;
}

// ---- a program's description (startHostProcess) ---------------------------------

const TOUCH_FIELDS: Fields = {
  file: req(s({ max: 256 })),
  mib: req(MIB),
  sync: opt(b),
  sequential: opt(b),
};
const touches: Check = (f, v) => void list(f, v, 64, (g, x) => void record(g, x, TOUCH_FIELDS));

export const SERVICE_FIELDS: Fields = {
  name: req(s({ max: 256 })),
  command: opt(s({ max: 4096, nonEmpty: false })),
  uid: opt(n({ min: 0, max: 0xfffffffe, int: true })),
  user: opt(s({ max: 256 })),
  oomScoreAdj: opt(n({ min: -1000, max: 1000, int: true })),
  anonMiB: req(MIB),
  peakMiB: opt(MIB),
  heapS: opt(n({ min: 0, max: MAX_SECONDS })),
  startCpu: req(n({ min: 0, max: MAX_SECONDS })),
  startShare: opt(n({ min: 0, max: 1024 })),
  startReads: opt(touches),
  startWrites: opt(touches),
  hot: req(touches),
  wakeHz: req(n({ min: 0, max: 1e6 })),
  cpuPerWake: req(n({ min: 0, max: 1e6 })),
  writeKiBps: opt(n({ min: 0, max: 1e9 })),
  writeFile: opt(s({ max: 256 })),
  growMiBps: opt(n({ min: 0, max: MAX_MIB })),
  maxMiB: opt(MIB),
  anonHot: opt(n({ min: 0, max: 1 })),
  threads: opt(n({ min: 1, max: 1e6, int: true })),
  vmMiB: opt(n({ min: 0, max: 128 * MAX_MIB })),
  supervised: opt(b),
  main: opt(b),
  delay: opt(n({ min: 0, max: MAX_SECONDS })),
  hostSide: opt(b),
  oneShot: opt(b),
};

export function validateService(field: string, v: unknown): ServiceSpec {
  return record(field, v, SERVICE_FIELDS) as unknown as ServiceSpec;
}

// ---- actions -------------------------------------------------------------------------

export const RESTART_POLICIES = ['no', 'on-failure', 'always', 'unless-stopped'] as const;

/**
 * Each action type's fields besides `type`. A check may look at the machine (`m`) for
 * names that depend on it (the host's apps); it is null when actions are checked before
 * a machine exists (a timeline given to replay()).
 */
export const ACTION_FIELDS: Record<string, (m: MachineState | null) => Fields> = {
  startContainer: () => ({
    profile: req((_f, v) => void ownKey('container profile', v, CONTAINERS)),
    name: opt(CONTAINER_NAME),
    restart: opt((f, v) => void oneOf(f, v, RESTART_POLICIES)),
    ...KNOB_FIELDS,
  }),
  updateContainer: () => ({ name: req(s({ max: 128 })), ...KNOB_FIELDS }),
  setResponders: () => ({ responders: req((f, v) => void record(f, v, RESPONDER_FIELDS)) }),
  stopContainer: () => ({ name: req(s({ max: 128 })) }),
  killContainer: () => ({ name: req(s({ max: 128 })) }),
  killAll: () => ({}),
  startApp: (m) => ({
    app: req((_f, v) => {
      if (m) ownKey('app', v, ownKey('host profile', m.config.host, HOSTS).apps);
      else if (!Object.values(HOSTS).some((h) => typeof v === 'string' && Object.hasOwn(h.apps, v))) throw new Error(`unknown app ${typeof v === 'string' ? v : show(v)}`);
    }),
  }),
  startHostProcess: () => ({ service: req((f, v) => void validateService(f, v)) }),
  setSwap: () => ({ mib: req(MIB) }),
  setSwappiness: () => ({ value: req(n({ min: 0, max: 200, int: true })) }),
  setOomScoreAdj: () => ({
    value: req(n({ min: -1000, max: 1000, int: true })),
    pid: opt(n({ min: 1, max: 0x3fffffff, int: true })),
    comm: opt(s({ max: 64 })),
  }),
  dropCaches: () => ({ what: opt((f, v) => void oneOf(f, v, [1, 2, 3] as const)) }),
  readFile: () => ({
    mib: req(n({ min: 0, max: MAX_MIB, above: true })),
    name: opt(s({ max: 4096 })),
  }),
};

/**
 * Check one action (applyAction's input); `m` is the machine it is for, if there is
 * one yet. Fields are named `type.field`, e.g. "setSwap.mib must be …".
 */
export function validateAction(m: MachineState | null, a: unknown): Action {
  const o = object('action', a);
  const type = Object.hasOwn(o, 'type') ? o.type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(ACTION_FIELDS, type)) throw new Error(`unknown action type ${typeof type === 'string' ? type : show(type)}`);
  record(type, a, { type: req(() => undefined), ...ACTION_FIELDS[type]!(m) });
  return o as unknown as Action;
}

/** A point on the simulated clock, seconds since boot. */
export function validateTime(field: string, v: unknown): number {
  return num(field, v, { min: 0, max: MAX_SECONDS });
}

/** Check a timeline of timestamped actions (Machine.schedule, replay); errors start with the entry, "timeline[3]: …". */
export function validateTimeline(m: MachineState | null, timeline: unknown): TimedAction[] {
  list('timeline', timeline, 1e6, (f, x) => {
    try {
      const o = record('', x, { t: req((g, v) => void validateTime(g, v)), action: req(() => undefined) }, 'timeline entry');
      validateAction(m, o.action);
    } catch (e) {
      throw new Error(`${f}: ${(e as Error).message}`);
    }
  });
  return timeline as TimedAction[];
}

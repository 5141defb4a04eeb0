/**
 * Simulator state in a link.
 *
 * A simulator's state is its preset, the machine knobs it booted with, its seed,
 * the simulated time, and the actions the reader took (each with the simulated
 * second it happened at). Replaying those from the preset reproduces the state
 * exactly, because the engine is deterministic.
 *
 * In the query string it reads, for example:
 *
 *   ?sim=v1;preset=thrashing;ram=990;swap=0;swappiness=60;seed=7;t=312.4;do=120@start:lab,200@killall
 *
 * The parameter is `sim` for the page's only simulator, or `sim.ID` for the one
 * whose id is ID (several simulators on one page keep separate state). Parsing
 * never throws: valid parts are kept, everything else is listed in `ignored`.
 */
import type { Action, MemoryKnobs, RestartPolicy } from '../engine/model';

export const LINK_VERSION = 'v1';

export const LIMITS = {
  ramMiB: { min: 256, max: 16384 },
  swapMiB: { min: 0, max: 16384 },
  swappiness: { min: 0, max: 200 },
  seed: { min: 0, max: 0xffffffff },
  t: { min: 0, max: 86400 },
  actions: 1000,
  /** Characters of a link value read. */
  chars: 65536,
  limitMiB: { min: 16, max: 16384 },
  adj: { min: -1000, max: 1000 },
  readMiB: { min: 1, max: 16384 },
} as const;

export interface TimedLinkAction {
  /** Simulated seconds since boot, to one decimal. */
  t: number;
  action: Action;
}

export interface SimLink {
  preset: string;
  ramMiB?: number;
  swapMiB?: number;
  swappiness?: number;
  seed?: number;
  t?: number;
  actions?: TimedLinkAction[];
}

export interface LinkContext {
  /** Preset names the site knows. */
  presets: readonly string[];
  /** Container profiles the engine knows. */
  profiles: readonly string[];
  /** Host apps the engine knows. */
  apps: readonly string[];
}

export interface ParsedLink {
  /** The valid parts; undefined when the link holds nothing usable for this simulator. */
  link?: SimLink;
  /** Plain-text notes on what was ignored, for a notice (never HTML). */
  ignored: string[];
}

const RESTART: readonly RestartPolicy[] = ['no', 'on-failure', 'always', 'unless-stopped'];
const NAME = /^[a-z0-9][a-z0-9._-]{0,31}$/;
const COMM = /^[A-Za-z0-9._-]{1,15}$/;
const DECIMAL = /^\d{1,9}(\.\d{1,12})?$/;
const INTEGER = /^-?\d{1,10}$/;

/** The query parameter of a simulator. */
export function linkParam(simId?: string): string {
  return simId ? `sim.${simId}` : 'sim';
}

/** Quote a fragment of the input for a notice, short and printable. */
function quote(s: string): string {
  const clean = s.replace(/[^\x20-\x7e]/g, '?');
  return `“${clean.length > 40 ? `${clean.slice(0, 39)}…` : clean}”`;
}

function int(raw: string, lo: number, hi: number): number | undefined {
  if (!INTEGER.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= lo && n <= hi ? n : undefined;
}

function seconds(raw: string): number | undefined {
  if (!DECIMAL.test(raw)) return undefined;
  const n = Math.round(Number(raw) * 10) / 10;
  return n >= LIMITS.t.min && n <= LIMITS.t.max ? n : undefined;
}

/** One action token: `T@verb[:arg][:key=value…]`. */
export function parseAction(token: string, ctx: LinkContext): TimedLinkAction | string {
  const at = token.indexOf('@');
  if (at < 0) return `action ${quote(token)} has no time (write it as SECONDS@action)`;
  const t = seconds(token.slice(0, at));
  if (t === undefined) return `action ${quote(token)} has a time outside 0–${LIMITS.t.max} s`;
  const [verb = '', ...rest] = token.slice(at + 1).split(':');
  const opts = new Map<string, string>();
  const args: string[] = [];
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq > 0) opts.set(part.slice(0, eq), part.slice(eq + 1));
    else args.push(part);
  }
  const bad = `action ${quote(token)} is not understood`;
  const arg = args[0] ?? '';
  switch (verb) {
    case 'start': {
      if (!ctx.profiles.includes(arg)) return `action ${quote(token)} names an unknown container profile`;
      const action: Extract<Action, { type: 'startContainer' }> = { type: 'startContainer', profile: arg };
      for (const [k, v] of opts) {
        if (k === 'name' && NAME.test(v)) action.name = v;
        else if (k === 'restart' && (RESTART as readonly string[]).includes(v)) action.restart = v as RestartPolicy;
        else if (!knob(action, k, v)) return bad;
      }
      return { t, action };
    }
    case 'update': {
      if (!NAME.test(arg) || opts.size === 0) return bad;
      const action: Extract<Action, { type: 'updateContainer' }> = { type: 'updateContainer', name: arg };
      for (const [k, v] of opts) if (!knob(action, k, v)) return bad;
      return { t, action };
    }
    case 'earlyoom': {
      if (arg === 'off' && !opts.size) return { t, action: { type: 'setResponders', responders: { earlyoom: null } } };
      if (arg !== 'on') return bad;
      const e: { memPercent?: number; swapPercent?: number } = {};
      for (const [k, v] of opts) {
        const x = int(v, 0, 100);
        if (x === undefined) return bad;
        if (k === 'm') e.memPercent = x;
        else if (k === 's') e.swapPercent = x;
        else return bad;
      }
      return { t, action: { type: 'setResponders', responders: { earlyoom: e } } };
    }
    case 'oomd': {
      if (arg === 'off' && !opts.size) return { t, action: { type: 'setResponders', responders: { oomd: null } } };
      if (arg !== 'on') return bad;
      const o: { pressureLimit?: number; pressureDurationS?: number; swapLimit?: number } = {};
      for (const [k, v] of opts) {
        if (k === 'limit' && int(v, 1, 100) !== undefined) o.pressureLimit = Number(v);
        else if (k === 'duration' && int(v, 1, 3600) !== undefined) o.pressureDurationS = Number(v);
        else if (k === 'swap' && int(v, 1, 100) !== undefined) o.swapLimit = Number(v);
        else return bad;
      }
      return { t, action: { type: 'setResponders', responders: { oomd: o } } };
    }
    case 'kubelet': {
      if (arg === 'off' && !opts.size) return { t, action: { type: 'setResponders', responders: { kubelet: null } } };
      if (arg !== 'on') return bad;
      const k: { evictionHardMiB?: number } = {};
      for (const [key, v] of opts) {
        if (key === 'hard' && int(v, 1, LIMITS.limitMiB.max) !== undefined) k.evictionHardMiB = Number(v);
        else return bad;
      }
      return { t, action: { type: 'setResponders', responders: { kubelet: k } } };
    }
    case 'stop':
    case 'kill':
      if (!NAME.test(arg) || opts.size) return bad;
      return { t, action: { type: verb === 'stop' ? 'stopContainer' : 'killContainer', name: arg } };
    case 'killall':
      if (args.length || opts.size) return bad;
      return { t, action: { type: 'killAll' } };
    case 'app':
      if (!ctx.apps.includes(arg) || opts.size) return `action ${quote(token)} names an unknown app`;
      return { t, action: { type: 'startApp', app: arg } };
    case 'swap': {
      const mib = int(arg, LIMITS.swapMiB.min, LIMITS.swapMiB.max);
      if (mib === undefined || opts.size) return bad;
      return { t, action: { type: 'setSwap', mib } };
    }
    case 'swappiness': {
      const value = int(arg, LIMITS.swappiness.min, LIMITS.swappiness.max);
      if (value === undefined || opts.size) return bad;
      return { t, action: { type: 'setSwappiness', value } };
    }
    case 'adj': {
      const value = int(arg, LIMITS.adj.min, LIMITS.adj.max);
      if (value === undefined || opts.size !== 1) return bad;
      const pid = opts.get('pid');
      const comm = opts.get('comm');
      if (pid !== undefined && int(pid, 1, 4194304) !== undefined) return { t, action: { type: 'setOomScoreAdj', value, pid: Number(pid) } };
      if (comm !== undefined && COMM.test(comm)) return { t, action: { type: 'setOomScoreAdj', value, comm } };
      return bad;
    }
    case 'drop': {
      if (opts.size) return bad;
      if (!arg) return { t, action: { type: 'dropCaches' } };
      if (arg === '1' || arg === '2' || arg === '3') return { t, action: { type: 'dropCaches', what: Number(arg) as 1 | 2 | 3 } };
      return bad;
    }
    case 'read': {
      const mib = int(arg, LIMITS.readMiB.min, LIMITS.readMiB.max);
      if (mib === undefined) return bad;
      const name = opts.get('name');
      if (opts.size > (name === undefined ? 0 : 1) || (name !== undefined && !NAME.test(name))) return bad;
      return { t, action: name ? { type: 'readFile', mib, name } : { type: 'readFile', mib } };
    }
    default:
      return bad;
  }
}

/**
 * A memory knob of `start:` and `update:` (cgroup v2 names, Docker's meaning):
 * limit (memory.max, docker -m), high, low (memory.low, docker --memory-reservation),
 * min, swap (memory.swap.max; `max` for no limit), group (memory.oom.group, 0/1),
 * adj (docker --oom-score-adj), request (a pod's memory request), oomkilldisable (0/1).
 */
function knob(a: MemoryKnobs, k: string, v: string): boolean {
  const mib = () => int(v, LIMITS.limitMiB.min, LIMITS.limitMiB.max);
  switch (k) {
    case 'limit':
      return mib() !== undefined && ((a.memLimitMiB = Number(v)), true);
    case 'high':
      return mib() !== undefined && ((a.memHighMiB = Number(v)), true);
    case 'low':
      return int(v, 0, LIMITS.limitMiB.max) !== undefined && ((a.memLowMiB = Number(v)), true);
    case 'min':
      return int(v, 0, LIMITS.limitMiB.max) !== undefined && ((a.memMinMiB = Number(v)), true);
    case 'swap':
      if (v === 'max') return (a.swapMaxMiB = -1), true;
      return int(v, 0, LIMITS.swapMiB.max) !== undefined && ((a.swapMaxMiB = Number(v)), true);
    case 'group':
      return (v === '0' || v === '1') && ((a.oomGroup = v === '1'), true);
    case 'oomkilldisable':
      return (v === '0' || v === '1') && ((a.oomKillDisable = v === '1'), true);
    case 'adj':
      return int(v, LIMITS.adj.min, LIMITS.adj.max) !== undefined && ((a.oomScoreAdj = Number(v)), true);
    case 'request':
      return int(v, 0, LIMITS.limitMiB.max) !== undefined && ((a.requestMiB = Number(v)), true);
    default:
      return false;
  }
}

/** The `:key=value` form of the knobs that are set, in a fixed order. */
function formatKnobs(a: MemoryKnobs): string {
  let s = '';
  if (a.memLimitMiB !== undefined) s += `:limit=${a.memLimitMiB}`;
  if (a.memHighMiB !== undefined) s += `:high=${a.memHighMiB}`;
  if (a.memLowMiB !== undefined) s += `:low=${a.memLowMiB}`;
  if (a.memMinMiB !== undefined) s += `:min=${a.memMinMiB}`;
  if (a.swapMaxMiB !== undefined) s += `:swap=${a.swapMaxMiB < 0 ? 'max' : a.swapMaxMiB}`;
  if (a.oomGroup !== undefined) s += `:group=${a.oomGroup ? 1 : 0}`;
  if (a.oomKillDisable !== undefined) s += `:oomkilldisable=${a.oomKillDisable ? 1 : 0}`;
  if (a.oomScoreAdj !== undefined) s += `:adj=${a.oomScoreAdj}`;
  if (a.requestMiB !== undefined) s += `:request=${a.requestMiB}`;
  return s;
}

function formatSeconds(t: number): string {
  return String(Math.round(t * 10) / 10);
}

/** The text form of one action, the inverse of parseAction. */
export function formatAction({ t, action: a }: TimedLinkAction): string {
  const at = `${formatSeconds(t)}@`;
  switch (a.type) {
    case 'startContainer': {
      let s = `${at}start:${a.profile}`;
      if (a.name) s += `:name=${a.name}`;
      if (a.restart) s += `:restart=${a.restart}`;
      return s + formatKnobs(a);
    }
    case 'updateContainer':
      return `${at}update:${a.name}${formatKnobs(a)}`;
    case 'setResponders': {
      const r = a.responders;
      const parts: string[] = [];
      if (r.earlyoom !== undefined) {
        const e = r.earlyoom;
        parts.push(e ? `${at}earlyoom:on${e.memPercent !== undefined ? `:m=${e.memPercent}` : ''}${e.swapPercent !== undefined ? `:s=${e.swapPercent}` : ''}` : `${at}earlyoom:off`);
      }
      if (r.oomd !== undefined) {
        const o = r.oomd;
        parts.push(
          o
            ? `${at}oomd:on${o.pressureLimit !== undefined ? `:limit=${o.pressureLimit}` : ''}${o.pressureDurationS !== undefined ? `:duration=${o.pressureDurationS}` : ''}${o.swapLimit !== undefined ? `:swap=${o.swapLimit}` : ''}`
            : `${at}oomd:off`,
        );
      }
      if (r.kubelet !== undefined) {
        const k = r.kubelet;
        parts.push(k ? `${at}kubelet:on${k.evictionHardMiB !== undefined ? `:hard=${k.evictionHardMiB}` : ''}` : `${at}kubelet:off`);
      }
      if (parts.length === 0 || (r.earlyoom?.prefer ?? r.earlyoom?.avoid)) throw new Error('these responder settings cannot be put in a link');
      return parts.join(',');
    }
    case 'stopContainer':
      return `${at}stop:${a.name}`;
    case 'killContainer':
      return `${at}kill:${a.name}`;
    case 'killAll':
      return `${at}killall`;
    case 'startApp':
      return `${at}app:${a.app}`;
    case 'setSwap':
      return `${at}swap:${a.mib}`;
    case 'setSwappiness':
      return `${at}swappiness:${a.value}`;
    case 'setOomScoreAdj':
      return `${at}adj:${a.value}:${a.pid !== undefined ? `pid=${a.pid}` : `comm=${a.comm ?? ''}`}`;
    case 'dropCaches':
      return a.what ? `${at}drop:${a.what}` : `${at}drop`;
    case 'readFile':
      return a.name ? `${at}read:${a.mib}:name=${a.name}` : `${at}read:${a.mib}`;
    case 'startHostProcess':
      throw new Error('host processes with a custom spec cannot be put in a link');
  }
}

/** The value of the simulator's query parameter (without the parameter name). */
export function formatLink(link: SimLink): string {
  const parts = [LINK_VERSION, `preset=${link.preset}`];
  if (link.ramMiB !== undefined) parts.push(`ram=${link.ramMiB}`);
  if (link.swapMiB !== undefined) parts.push(`swap=${link.swapMiB}`);
  if (link.swappiness !== undefined) parts.push(`swappiness=${link.swappiness}`);
  if (link.seed !== undefined) parts.push(`seed=${link.seed}`);
  if (link.t !== undefined) parts.push(`t=${formatSeconds(link.t)}`);
  if (link.actions?.length) parts.push(`do=${link.actions.map(formatAction).join(',')}`);
  return parts.join(';');
}

/** A full query string (`?…`) that sets one simulator's state, keeping other parameters. */
export function withLink(search: string, link: SimLink, simId?: string): string {
  const params = new URLSearchParams(search);
  const name = linkParam(simId);
  params.delete(name);
  const rest = params.toString();
  // Written by hand so that ; = , : @ stay readable instead of percent-encoded.
  const own = `${encodeURIComponent(name)}=${formatLink(link).replace(/[^A-Za-z0-9._~;=,:@-]/g, encodeURIComponent)}`;
  return `?${rest ? `${rest}&` : ''}${own}`;
}

/** Parses the value of a simulator's query parameter. Never throws. */
export function parseLinkValue(value: string, ctx: LinkContext): ParsedLink {
  const ignored: string[] = [];
  const [version = '', ...fields] = value.split(';');
  if (version !== LINK_VERSION) {
    return { ignored: [`the link's format ${quote(version)} is not one this page reads (${LINK_VERSION}); the simulator starts from its preset`] };
  }
  const link: Partial<SimLink> = {};
  const seen = new Set<string>();
  for (const field of fields) {
    if (!field) continue;
    const eq = field.indexOf('=');
    const key = eq < 0 ? field : field.slice(0, eq);
    const raw = eq < 0 ? '' : field.slice(eq + 1);
    if (seen.has(key)) {
      ignored.push(`${quote(key)} appears more than once; the first is used`);
      continue;
    }
    seen.add(key);
    const range = (name: string, lo: number, hi: number, unit = '') =>
      `${name} ${quote(raw)} is not a whole number from ${lo} to ${hi}${unit}`;
    switch (key) {
      case 'preset':
        if (ctx.presets.includes(raw)) link.preset = raw;
        else ignored.push(`preset ${quote(raw)} does not exist`);
        break;
      case 'ram': {
        const n = int(raw, LIMITS.ramMiB.min, LIMITS.ramMiB.max);
        if (n === undefined) ignored.push(range('ram', LIMITS.ramMiB.min, LIMITS.ramMiB.max, ' MiB'));
        else link.ramMiB = n;
        break;
      }
      case 'swap': {
        const n = int(raw, LIMITS.swapMiB.min, LIMITS.swapMiB.max);
        if (n === undefined) ignored.push(range('swap', LIMITS.swapMiB.min, LIMITS.swapMiB.max, ' MiB'));
        else link.swapMiB = n;
        break;
      }
      case 'swappiness': {
        const n = int(raw, LIMITS.swappiness.min, LIMITS.swappiness.max);
        if (n === undefined) ignored.push(range('swappiness', LIMITS.swappiness.min, LIMITS.swappiness.max));
        else link.swappiness = n;
        break;
      }
      case 'seed': {
        const n = int(raw, LIMITS.seed.min, LIMITS.seed.max);
        if (n === undefined) ignored.push(range('seed', LIMITS.seed.min, LIMITS.seed.max));
        else link.seed = n;
        break;
      }
      case 't': {
        const n = seconds(raw);
        if (n === undefined) ignored.push(`time ${quote(raw)} is not a number of seconds from 0 to ${LIMITS.t.max}`);
        else link.t = n;
        break;
      }
      case 'do': {
        const actions: TimedLinkAction[] = [];
        const tokens = raw.split(',').filter(Boolean);
        if (tokens.length > LIMITS.actions) ignored.push(`only the first ${LIMITS.actions} actions are used`);
        for (const token of tokens.slice(0, LIMITS.actions)) {
          const parsed = parseAction(token, ctx);
          if (typeof parsed === 'string') ignored.push(parsed);
          else if (actions.length && parsed.t < actions.at(-1)!.t) ignored.push(`action ${quote(token)} is earlier than the one before it`);
          else actions.push(parsed);
        }
        link.actions = actions;
        break;
      }
      default:
        ignored.push(`unknown setting ${quote(key)}`);
    }
  }
  if (link.preset === undefined) {
    if (!seen.has('preset')) ignored.push('the link names no preset; the simulator starts from its own');
    return { ignored };
  }
  const full = link as SimLink;
  if (full.actions && full.t !== undefined) {
    const late = full.actions.filter((a) => a.t > full.t!);
    if (late.length) {
      ignored.push(`${late.length} action(s) after the link's time ${full.t} s`);
      full.actions = full.actions.filter((a) => a.t <= full.t!);
    }
  }
  return { link: full, ignored };
}

/** Reads one simulator's state from a query string. Never throws. */
export function parseLink(search: string, ctx: LinkContext, simId?: string): ParsedLink {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(search);
  } catch {
    return { ignored: ['the address could not be read'] };
  }
  const values = params.getAll(linkParam(simId));
  if (values.length === 0) return { ignored: [] };
  const parsed = parseLinkValue(values[0]!.slice(0, LIMITS.chars), ctx);
  if (values.length > 1) parsed.ignored.unshift(`the link sets this simulator ${values.length} times; the first is used`);
  if (values[0]!.length > LIMITS.chars) parsed.ignored.unshift(`the link is too long; only its first ${LIMITS.chars} characters were read`);
  return parsed;
}

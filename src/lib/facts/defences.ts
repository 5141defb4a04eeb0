/**
 * Facts for chapter 7, "Keeping a box alive". Each figure's preset is booted as
 * the reader's simulator boots it (helpers.boot), driven as the prose says, and
 * measured. The four-lab presets start at t = 440 with the fourth lab scripted
 * for t = 450; "the five minutes after the fourth lab starts" is 450 → 750 s.
 */
import type { FactFn } from '../facts';
import type { EngineEvent } from '../../engine';
import { cgroupPath, memcgUsage } from '../../engine/memcg';
import { Machine } from '../../engine/index';
import { act, boot, median, run, type Booted } from './helpers';

const LAB4_AT = 450;
const WINDOW_END = 750;

export interface Outcome {
  /** Global (whole-machine) OOM kills by the kernel in the window. */
  kernelKills: number;
  /** Memory cgroup OOM kills in the window. */
  memcgKills: number;
  /** Kills (or evictions) by a user-space responder in the window. */
  responderKills: EngineEvent[];
  /** Median and worst `ls` latency, sampled every 5 s, seconds. */
  lsMedian: number;
  lsMax: number;
  /** Average disk reads over the window, MiB/s. */
  readMiBps: number;
  /** memory.events oom_kill per container during the window. */
  oomKillsBy: Record<string, number>;
  /** Container states at the end of the window. */
  stateBy: Record<string, string>;
  /** Every kill report of the window, in order. */
  kills: ReturnType<Booted['m']['oomKills']>;
  b: Booted;
}

function measure(b: Booted, until = WINDOW_END): Outcome {
  run(b, Math.max(0, LAB4_AT - b.m.t));
  const m = b.m;
  const events0 = m.eventCount();
  // Reports are gathered as they come: the kernel log keeps only the newest.
  const kills: ReturnType<typeof m.oomKills> = [];
  const c0 = m.counters();
  const killed0 = Object.fromEntries(m.cgroups().map((c) => [c.name, c.events.oom_kill]));
  const ls: number[] = [];
  while (m.t < until - 1e-9) {
    for (let i = 0; i < 50; i++) {
      const n = m.oomKillCount();
      m.step(0.1);
      kills.push(...m.oomKillsSince(n));
    }
    ls.push(m.lsSeconds());
  }
  const responderKills = m
    .eventsSince(events0)
    .filter((e) => (e.kind === 'earlyoom' && e.text.startsWith('earlyoom: sending')) || (e.kind === 'oomd' && e.text.includes(' Killed ')) || (e.kind === 'kubelet' && e.text.includes('Evicted pod')));
  const cg = m.cgroups();
  return {
    kernelKills: kills.filter((k) => !k.memcg).length,
    memcgKills: kills.filter((k) => k.memcg).length,
    responderKills,
    lsMedian: median(ls),
    lsMax: Math.max(...ls),
    readMiBps: m.rates(c0).bi / 1024,
    oomKillsBy: Object.fromEntries(cg.map((c) => [c.name, c.events.oom_kill - (killed0[c.name] ?? 0)])),
    stateBy: Object.fromEntries(cg.map((c) => [c.name, c.state])),
    kills,
    b,
  };
}

const outcomes = new Map<string, Outcome>();
/** A preset run through the window, optionally with reader actions at the start. */
function outcome(preset: string, setup?: (b: Booted) => void): Outcome {
  const key = preset + (setup ? `+${setup.name}` : '');
  let o = outcomes.get(key);
  if (!o) {
    const b = boot(preset);
    setup?.(b);
    o = measure(b);
    outcomes.set(key, o);
  }
  return o;
}

/** Named setups (their names key the cache). */
function swapOn(b: Booted) {
  act(b, { type: 'setSwap', mib: 1024 });
}
function noFourthLab(b: Booted) {
  // The reader presses nothing; this drops the scripted fourth lab by stopping it as it starts.
  b.m.runUntil(LAB4_AT + 0.1);
  act(b, { type: 'stopContainer', name: 'lab4' });
}

const s1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1);
const s2 = (x: number) => (Math.round(x * 100) / 100).toFixed(2);
const mib = (bytes: number) => Math.round(bytes / 1048576);

function cgOf(b: Booted, name: string) {
  const c = b.m.cgroups().find((x) => x.name === name);
  if (!c) throw new Error(`no container ${name}`);
  return c;
}

function nameOfScope(b: Booted, text: string): string {
  const c = b.m.state.containers.find((x) => text.includes(` Killed ${cgroupPath(b.m.state, x)} `));
  if (!c) throw new Error(`no container for "${text}"`);
  return c.name;
}

// ---- the memory-limits figure: two labs and a leaking job with -m 256m ------

let limitsRun: { b: Booted; exits: EngineEvent[] } | undefined;
function limits() {
  if (!limitsRun) {
    const b = boot('memory-limits');
    const from = b.m.eventCount();
    b.m.runUntil(390);
    limitsRun = { b, exits: b.m.eventsSince(from).filter((e) => e.kind === 'exit' && e.container === 'trainer') };
  }
  return limitsRun;
}

/** The trainer's first exit, as Docker records it (exit code and OOMKilled). */
function firstTrainerExit() {
  const b = boot('memory-limits');
  for (let i = 0; i < 3000; i++) {
    b.m.step(0.1);
    const c = b.m.cgroups().find((x) => x.name === 'trainer');
    if (c && c.state !== 'running') return { c, t: b.m.t };
  }
  throw new Error('memory-limits: the trainer never exited');
}

let lowerRun: { first: number; start: number; lab1: number; lab2: number; trainer: number; lab2State: string } | undefined;
/** The reader sets lab1's memory.max to 128 MiB as Figure 7.1 starts, and watches a minute. */
function lowerLab1() {
  if (!lowerRun) {
    const b = boot('memory-limits');
    const start = b.m.t;
    const before = Object.fromEntries(b.m.cgroups().map((c) => [c.name, c.events.oom_kill]));
    act(b, { type: 'updateContainer', name: 'lab1', memLimitMiB: 128 });
    let first = -1;
    while (b.m.t < start + 60) {
      b.m.step(0.1);
      if (first < 0 && cgOf(b, 'lab1').events.oom_kill > before.lab1!) first = b.m.t;
    }
    if (first < 0) throw new Error('memory-limits: lab1 at 128 MiB was not killed');
    const d = (n: string) => cgOf(b, n).events.oom_kill - before[n]!;
    lowerRun = { first, start, lab1: d('lab1'), lab2: d('lab2'), trainer: d('trainer'), lab2State: cgOf(b, 'lab2').state };
  }
  return lowerRun;
}

// ---- memory.high: a leak throttled -------------------------------------------

function growth(high: boolean) {
  const m = new Machine({ ramMiB: 2048, seed: 1 });
  m.act({ type: 'startContainer', profile: 'batch-job', name: 'trainer', ...(high ? { memHighMiB: 200 } : {}) });
  m.runUntil(60);
  const c = m.state.containers[0]!;
  const u = memcgUsage(m.state, c);
  m.runUntil(120);
  return ((memcgUsage(m.state, c) - u) / 256) / 60;
}

let highRun: { b: Booted } | undefined;
function highPreset() {
  if (!highRun) {
    const b = boot('memory-high');
    b.m.runUntil(300);
    highRun = { b };
  }
  return highRun;
}

function trainerOf(b: Booted) {
  const c = b.m.cgroups().find((x) => x.name === 'trainer');
  if (!c) throw new Error('no trainer');
  return c;
}

let highMaxRun: { kills: number; first: number; start: number } | undefined;
/** The reader sets the throttled trainer's memory.max to 256 MiB as it appears (125 s), five minutes from the figure's start. */
function highThenMax() {
  if (!highMaxRun) {
    const b = boot('memory-high');
    const start = b.m.t;
    b.m.runUntil(125);
    act(b, { type: 'updateContainer', name: 'trainer', memLimitMiB: 256 });
    const n = b.m.oomKillCount();
    let first = -1;
    while (b.m.t < start + 300) {
      const k = b.m.oomKillCount();
      b.m.step(0.5);
      if (first < 0 && b.m.oomKillCount() > n) first = b.m.oomKillsSince(k)[0]!.t;
    }
    if (first < 0) throw new Error('memory-high: no memcg kill after memory.max 256');
    highMaxRun = { kills: b.m.oomKillCount() - n, first, start };
  }
  return highMaxRun;
}

// ---- kubelet -----------------------------------------------------------------

let kubeRun: { b: Booted; ev: EngineEvent } | undefined;
function kube() {
  if (!kubeRun) {
    const b = boot('kubelet');
    const from = b.m.eventCount();
    while (b.m.t < 900) {
      b.m.step(1);
      const ev = b.m.eventsSince(from).find((e) => e.kind === 'kubelet' && e.text.includes('Evicted pod'));
      if (ev) {
        kubeRun = { b, ev };
        return kubeRun;
      }
    }
    throw new Error('kubelet: nothing evicted');
  }
  return kubeRun;
}

function adjOf(b: Booted, name: string): number {
  const c = b.m.state.containers.find((x) => x.name === name);
  const p = b.m.state.procs.find((x) => x.alive && x.cid === c?.id && x.comm === 'supervisord');
  if (!p) throw new Error(`no supervisord in ${name}`);
  return p.adj;
}

export const facts: Record<string, FactFn> = {
  // -- the incident with no defence (Figure 7.2) and per-lab limits (Figure 7.3)
  'defences.none-kernel-kills': () => outcome('four-labs').kernelKills,
  'defences.none-first-kill-s': () => {
    const o = outcome('four-labs');
    const k = o.kills.find((x) => x.t >= LAB4_AT);
    if (!k) throw new Error('four-labs: no kernel kill');
    return Math.round(k.t - LAB4_AT);
  },
  /** The box's PSI some avg10 sixty seconds after the fourth lab starts, before the kernel's first kill. */
  'defences.none-psi-some': () => {
    const b = boot('four-labs');
    b.m.runUntil(LAB4_AT + 60);
    if (b.m.oomKills().some((k) => k.t >= LAB4_AT)) throw new Error('four-labs: a kill came within a minute');
    // (a kill after LAB4_AT would be the newest report, which the log always keeps)
    return Math.round(b.m.psi().some.avg10);
  },
  'defences.none-ls-median-s': () => s1(outcome('four-labs').lsMedian),
  'defences.none-ls-max-s': () => s1(outcome('four-labs').lsMax),
  'defences.none-read-mibps': () => Math.round(outcome('four-labs').readMiBps),
  'defences.limits-kernel-kills': () => outcome('lab-limits').kernelKills,
  'defences.limits-memcg-kills': () => outcome('lab-limits').memcgKills,
  'defences.limits-ls-median-s': () => s2(outcome('lab-limits').lsMedian),
  'defences.limits-read-mibps': () => Math.round(outcome('lab-limits').readMiBps),
  'defences.limits-lab1-kills': () => outcome('lab-limits').oomKillsBy.lab1!,
  'defences.limits-lab4-kills': () => outcome('lab-limits').oomKillsBy.lab4!,
  /** Labs still Up at the end of the window with per-lab limits. */
  'defences.limits-labs-up': () => Object.values(outcome('lab-limits').stateBy).filter((s) => s === 'running').length,
  'defences.limits-lab3-kills': () => outcome('lab-limits').oomKillsBy.lab3!,
  /** Before the fourth lab: memcg kills in the three limited labs (Figure 7.3 at its start). */
  'defences.limits-kills-before-lab4': () => boot('lab-limits').m.cgroups().reduce((s, c) => s + c.events.oom_kill, 0),
  /** Mapped page cache (memory.stat file_mapped) charged to lab1 and lab2 with no limits, MiB, when Figure 7.2 starts. */
  'defences.lab1-mapped-mib': () => mib(cgOf(boot('four-labs'), 'lab1').stat.file_mapped!),
  'defences.lab2-mapped-mib': () => mib(cgOf(boot('four-labs'), 'lab2').stat.file_mapped!),
  /** Page cache charged to lab1 and lab2 with no limits (memory.stat file), MiB. */
  'defences.lab1-file-mib': () => mib(cgOf(boot('four-labs'), 'lab1').stat.file!),
  'defences.lab2-file-mib': () => mib(cgOf(boot('four-labs'), 'lab2').stat.file!),
  /** With limits, file refaults of lab1 against lab3 by the start of Figure 7.3 (times). */
  'defences.lab1-refault-ratio': () => {
    const b = boot('lab-limits');
    return Math.round(cgOf(b, 'lab1').stat.workingset_refault_file! / cgOf(b, 'lab3').stat.workingset_refault_file!);
  },

  // -- the memory-limits figure (Figure 7.1)
  'defences.trainer-kills': () => limits().b.m.cgroups().find((c) => c.name === 'trainer')!.events.oom_kill,
  'defences.trainer-restarts': () => limits().b.m.state.containers.find((c) => c.name === 'trainer')!.restartCount,
  'defences.trainer-labs-kills': () => limits().b.m.cgroups().filter((c) => c.name !== 'trainer').reduce((s, c) => s + c.events.oom_kill, 0),
  'defences.trainer-backoff-ms': () => {
    const delays = [...new Set(limits().exits.map((e) => /restarts it in (\d+) ms/.exec(e.text)?.[1]))];
    if (delays.length !== 1 || !delays[0]) throw new Error(`memory-limits: restart delays ${delays.join(', ')}`);
    return delays[0];
  },
  'defences.lower-first-kill-s': () => s1(lowerLab1().first - lowerLab1().start),
  'defences.lower-lab1-kills': () => lowerLab1().lab1,
  'defences.lower-lab2-kills': () => lowerLab1().lab2,
  'defences.trainer-exit-code': () => firstTrainerExit().c.exitCode,
  'defences.trainer-oomkilled': () => String(firstTrainerExit().c.oomKilled),
  'defences.trainer-first-exit-s': () => Math.round(firstTrainerExit().t - 120),

  // -- memory.high (Figure 7.4)
  'defences.leak-rate-mibps': () => s1(growth(false)),
  'defences.throttled-rate-mibps': () => s2(growth(true)),
  'defences.high-events': () => trainerOf(highPreset().b).events.high,
  'defences.high-current-mib': () => mib(trainerOf(highPreset().b).current),
  'defences.high-psi-some': () => Math.round(trainerOf(highPreset().b).pressure.some.avg10),
  'defences.high-box-psi-some': () => Math.round(highPreset().b.m.psi().some.avg10),
  'defences.high-kills': () => highPreset().b.m.oomKillCount(),
  /** Seconds from setting memory.max (as the trainer appears, at 125 s) to its first memcg kill. */
  'defences.high-max-first-kill-s': () => Math.round(highThenMax().first - 125),
  'defences.high-max-kills-5min': () => {
    const n = highThenMax().kills;
    return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
  },

  // -- earlyoom (Figures 7.5 and 7.6)
  'defences.earlyoom-first-s': () => {
    const k = outcome('earlyoom').responderKills[0];
    if (!k) throw new Error('earlyoom: no kill');
    return Math.round(k.t - LAB4_AT);
  },
  'defences.earlyoom-first-victim': () => {
    const k = outcome('earlyoom').responderKills[0]!;
    const comm = /"([^"]+)"/.exec(k.text)?.[1];
    if (!comm) throw new Error(`earlyoom: no victim in "${k.text}"`);
    return comm;
  },
  'defences.earlyoom-kills': () => outcome('earlyoom').responderKills.length,
  'defences.earlyoom-kernel-kills': () => outcome('earlyoom').kernelKills,
  'defences.earlyoom-ls-median-s': () => s2(outcome('earlyoom').lsMedian),
  'defences.earlyoom-swap-kills': () => outcome('earlyoom-swap').responderKills.length,
  'defences.earlyoom-swap-kernel-kills': () => outcome('earlyoom-swap').kernelKills,
  'defences.earlyoom-swap-ls-median-s': () => s2(outcome('earlyoom-swap').lsMedian),
  'defences.earlyoom-swap-used-mib': () => {
    const f = outcome('earlyoom-swap').b.m.free();
    return f.swap_used;
  },
  'defences.earlyoom-swap-free-pct': () => {
    const f = outcome('earlyoom-swap').b.m.free();
    return Math.round((100 * f.swap_free) / f.swap_total);
  },
  /** The reader switches swap on in Figure 7.5 as it starts: earlyoom's kills in the window. */
  'defences.earlyoom-swap-on-kills': () => outcome('earlyoom', swapOn).responderKills.length,

  // -- systemd-oomd (Figure 7.7)
  'defences.oomd-kill-after-s': () => {
    const k = outcome('oomd').responderKills[0];
    if (!k) throw new Error('oomd: no kill');
    return Math.round(k.t - LAB4_AT);
  },
  'defences.oomd-victim': () => {
    const o = outcome('oomd');
    return nameOfScope(o.b, o.responderKills[0]!.text);
  },
  'defences.oomd-pressure': () => /being (\d+\.\d\d)%/.exec(outcome('oomd').responderKills[0]!.text)![1]!,
  'defences.oomd-kills': () => outcome('oomd').responderKills.length,
  'defences.oomd-kernel-kills': () => outcome('oomd').kernelKills,
  'defences.oomd-ls-median-s': () => s2(outcome('oomd').lsMedian),
  'defences.oomd-labs-up': () => Object.values(outcome('oomd').stateBy).filter((s) => s === 'running').length,

  // -- the kubelet (Figure 7.8)
  'defences.kubelet-evicted': () => {
    const { b } = kube();
    const c = b.m.cgroups().find((x) => x.evicted);
    if (!c) throw new Error('kubelet: no evicted pod');
    return c.name;
  },
  'defences.kubelet-evicted-using-mib': () => /was using (\d+)Mi/.exec(kube().ev.text)![1]!,
  'defences.kubelet-evicted-qos': () => kube().b.m.cgroups().find((x) => x.evicted)!.qos!,
  'defences.kubelet-adj-guaranteed': () => adjOf(kube().b, 'lab1'),
  'defences.kubelet-adj-burstable': () => adjOf(kube().b, 'lab2'),
  'defences.kubelet-adj-besteffort': () => adjOf(kube().b, 'lab4'),

  // -- the runbook: fewer labs
  'defences.three-labs-kernel-kills': () => outcome('four-labs', noFourthLab).kernelKills,
  'defences.three-labs-ls-median-s': () => s2(outcome('four-labs', noFourthLab).lsMedian),
};

/**
 * Facts for chapter 5, "The OOM killer". Figure 5.1 boots the `oom-loop` preset
 * (t = 800, four labs, the kill loop under way); the reader sets oom_score_adj in
 * the process table, presses "Kill all containers", or just watches. The facts
 * below take the same steps on boot('oom-loop'). The kill lines and the report
 * come from the incident's replay (`seed`).
 */
import type { FactFn } from '../facts';
import type { OomKill } from '../../engine/format/types';
import { nextGlobalVictim, totalPagesFor } from '../../engine/oom';
import { cgroupPath } from '../../engine/memcg';
import { Machine } from '../../engine/index';
import { frameOf } from '../../state/engine-port';
import { scenarioRun } from '../engine-output';
import { act, boot, free, median, run, type Booted } from './helpers';

/** The live process the kernel would kill now (what the process table marks). */
function nextVictim(b: Booted) {
  const victim = nextGlobalVictim(b.m.state);
  if (!victim) throw new Error('oom-loop: no candidate for the OOM killer');
  return victim;
}

/** The container name of a process, or "the host". */
function where(b: Booted, cid: number): string {
  return b.m.state.containers.find((c) => c.id === cid)?.name ?? 'the host';
}

/** `mysqld in lab1`: a kill's victim as the prose names it. */
function victimName(b: Booted, k: OomKill): string {
  const c = b.m.state.containers.find((x) => k.victimMemcgPath === cgroupPath(b.m.state, x));
  return `${k.victim.comm} in ${c ? c.name : 'the host'}`;
}

/** Run in 0.1 s ticks until the next OOM kill (at most `max` seconds) and return it. */
function untilKill(b: Booted, max = 600): OomKill {
  const n = b.m.oomKillCount();
  for (let i = 0; i < max * 10; i++) {
    b.m.step(0.1);
    if (b.m.oomKillCount() > n) return b.m.oomKillsSince(n)[0]!;
  }
  throw new Error(`oom-loop: no OOM kill within ${max} s of t=${b.m.t}`);
}

function oneDecimal(x: number): string {
  return (Math.round(x * 10) / 10).toFixed(1);
}

/** The first lab's small `bash` (the try-this volunteers it). */
function labBash(b: Booted) {
  const p = b.m.state.procs.find((q) => q.alive && q.comm === 'bash' && q.cid > 0);
  if (!p) throw new Error('oom-loop: no bash in a lab');
  return p;
}

function oomScoreOf(b: Booted, pid: number): number {
  const row = frameOf(b).procs.find((r) => r.pid === pid);
  if (!row) throw new Error(`oom-loop: pid ${pid} is not in the process table`);
  return row.oomScore;
}

// ---- runs shared by several facts (each is deterministic) -------------------

let undisturbed: { start: number; kills: OomKill[]; names: string[]; b: Booted } | undefined;
/** Figure 5.1 left alone: its kills in the first minute after the reader takes over (at least six). */
function leftAlone() {
  if (!undisturbed) {
    const b = boot('oom-loop');
    const start = b.m.t;
    const kills: OomKill[] = [];
    const names: string[] = [];
    while (kills.length < 6 || kills.at(-1)!.t - start <= 60) {
      const k = untilKill(b);
      kills.push(k);
      names.push(victimName(b, k));
    }
    undisturbed = { start, kills, names, b };
  }
  return undisturbed;
}

let protectedRun: { marked: string; newMark: string; kill: OomKill; killed: string; start: number } | undefined;
/** Protect the marked next victim with −1000 at the start, then run to the next kill. */
function protectMarked() {
  if (!protectedRun) {
    const b = boot('oom-loop');
    const start = b.m.t;
    const v = nextVictim(b);
    const marked = `${v.comm} in ${where(b, v.cid)}`;
    act(b, { type: 'setOomScoreAdj', pid: v.pid, value: -1000 });
    const nv = nextVictim(b);
    const newMark = `${nv.comm} in ${where(b, nv.cid)}`;
    const kill = untilKill(b);
    protectedRun = { marked, newMark, kill, killed: victimName(b, kill), start };
  }
  return protectedRun;
}

let volunteerRun: { before: number; after: number; kill: OomKill; next: OomKill; nextName: string } | undefined;
/** Set a lab's bash to +1000 at the start, then run through two kills. */
function volunteerBash() {
  if (!volunteerRun) {
    const b = boot('oom-loop');
    const bash = labBash(b);
    const before = oomScoreOf(b, bash.pid);
    act(b, { type: 'setOomScoreAdj', pid: bash.pid, value: 1000 });
    const after = oomScoreOf(b, bash.pid);
    const kill = untilKill(b);
    if (kill.victim.pid !== bash.pid) throw new Error(`oom-loop: +1000 bash was not killed first (${kill.victim.comm})`);
    const next = untilKill(b);
    volunteerRun = { before, after, kill, next, nextName: victimName(b, next) };
  }
  return volunteerRun;
}

function seedKills(): OomKill[] {
  const final = scenarioRun('seed').final;
  const kills = final.ooms;
  if (kills.length === 0) throw new Error('seed: no OOM kills');
  if (final.klog.oomsDropped > 0) throw new Error('seed: the kernel log no longer holds every kill report');
  return kills;
}

export const facts: Record<string, FactFn> = {
  /** oom_score_adj's unit on the 990 MiB box without swap: totalpages / 1000 pages, in KiB. */
  'oom-killer.adj-step-kib': () => {
    const b = boot('oom-loop');
    return Math.floor(totalPagesFor(b.m.state) / 1000) * 4;
  },

  /** /proc/PID/oom_score (5.9+) of a lab's 2 MiB bash when Figure 5.1 starts. */
  'oom-killer.bash-oom-score': () => {
    const b = boot('oom-loop');
    return oomScoreOf(b, labBash(b).pid);
  },

  /** The highest oom_score in the table when Figure 5.1 starts. */
  'oom-killer.top-oom-score': () => Math.max(...frameOf(boot('oom-loop')).procs.map((p) => p.oomScore)),

  /** The process marked "next victim" when Figure 5.1 starts. */
  'oom-killer.marked-at-start': () => protectMarked().marked,

  /** Who the next kill takes after the reader sets the marked victim's oom_score_adj to −1000. */
  'oom-killer.protected-next-victim': () => protectMarked().killed,

  /** Seconds after the figure starts at which that kill comes. */
  'oom-killer.protected-kill-after-s': () => {
    const r = protectMarked();
    return Math.round(r.kill.t - r.start);
  },

  /** oom_score of that bash after the reader sets its oom_score_adj to +1000. */
  'oom-killer.bash-volunteer-score': () => volunteerBash().after,

  /** MiB the volunteered bash's death gave back (its anon + file RSS). */
  'oom-killer.bash-freed-mib': () => {
    const v = volunteerBash().kill.victim;
    return Math.round((v.anonRssKb + v.fileRssKb + v.shmemRssKb) / 1024);
  },

  /** Seconds from the bash kill to the next kill. */
  /** When the kill after the volunteered bash comes, in words: "at once" (same moment) or "N s later". */
  'oom-killer.bash-next-kill-when': () => {
    const r = volunteerBash();
    const dt = Math.round((r.next.t - r.kill.t) * 10) / 10;
    return dt < 0.5 ? 'at once' : `${Math.round(dt)} s later`;
  },

  /** Who that next kill takes. */
  'oom-killer.bash-next-victim': () => volunteerBash().nextName,

  /** Processes inside one lab container (not counting its shim and docker-proxy on the host). */
  'oom-killer.lab-process-count': () => {
    const b = boot('oom-loop');
    const st = b.m.state;
    const lab = st.containers.find((c) => c.profile === 'dhbox-lab' && c.state === 'running');
    if (!lab) throw new Error('oom-loop: no running lab');
    return st.procs.filter((p) => p.alive && p.cid === lab.id && !p.spec.hostSide).length;
  },

  /** The incident replay: how many OOM kills, and over how many seconds. */
  'oom-killer.seed-kill-count': () => seedKills().length,
  'oom-killer.seed-kill-span-s': () => {
    const k = seedKills();
    return Math.round(k.at(-1)!.t - k[0]!.t);
  },

  /** RSS of the replay's first victim, MiB. */
  'oom-killer.first-victim-rss-mib': () => {
    const v = seedKills()[0]!.victim;
    return oneDecimal((v.anonRssKb + v.fileRssKb + v.shmemRssKb) / 1024);
  },

  /** The part of that RSS that is mapped file pages (file-rss): counted in badness, left in the page cache by the kill. */
  'oom-killer.first-victim-file-rss-mib': () => oneDecimal(seedKills()[0]!.victim.fileRssKb / 1024),

  /** Seconds from a notebook server's OOM kill to its supervisor's restart (Figure 5.1's log). */
  'oom-killer.notebook-restart-s': () => {
    const b = boot('oom-loop');
    const ev = b.m.events();
    const kill = ev.find((e) => e.kind === 'oom' && e.text.includes('jupyter-noteboo'));
    if (!kill) throw new Error('oom-loop: no notebook server killed before the start');
    const restart = ev.find((e) => e.kind === 'restart' && e.t >= kill.t && e.container === kill.container && e.text.includes('jupyter-notebook'));
    if (!restart) throw new Error('oom-loop: no supervisor restart after the kill');
    return Math.round(restart.t - kill.t);
  },

  /** Figure 5.1 left alone: seconds to its first kill, and whom it takes. */
  'oom-killer.first-kill-after-s': () => {
    const r = leftAlone();
    return Math.round(r.kills[0]!.t - r.start);
  },
  'oom-killer.first-kill-victim': () => leftAlone().names[0]!,

  /** Median gap between the figure's kills (its first six). */
  'oom-killer.median-kill-gap-s': () => {
    const k = leftAlone().kills.slice(0, 6);
    return Math.round(median(k.slice(1).map((x, i) => x.t - k[i]!.t)));
  },

  /** Kills in the figure's first minute. */
  'oom-killer.kills-first-minute': () => {
    const r = leftAlone();
    return r.kills.filter((k) => k.t - r.start <= 60).length;
  },

  /**
   * The first notebook server the figure kills was itself a restart: seconds from
   * its start to its death, and its size then (MiB): grown back to full size.
   */
  'oom-killer.regrow-s': () => {
    const r = leftAlone();
    const k = r.kills.find((x) => x.victim.comm === 'jupyter-noteboo');
    if (!k) throw new Error('oom-loop: no notebook server among the first kills');
    const started = r.b.m.events().find((e) => e.kind === 'restart' && e.pid === k.victim.pid);
    if (!started) throw new Error(`oom-loop: pid ${k.victim.pid} was not a supervisor restart`);
    return Math.round(k.t - started.t);
  },
  'oom-killer.regrow-kill-mib': () => {
    const r = leftAlone();
    const k = r.kills.find((x) => x.victim.comm === 'jupyter-noteboo')!;
    return Math.round((k.victim.anonRssKb + k.victim.fileRssKb) / 1024);
  },

  /** `available` (free -m) 30 s after "Kill all containers". */
  'oom-killer.available-after-kill-all': () => {
    const b = boot('oom-loop');
    act(b, { type: 'killAll' });
    run(b, 30);
    return free(b).available;
  },
  /** A lab limited to 200 MiB on a 2 GiB box: when its first memcg kill comes (s after it starts). */
  'oom-killer.limited-first-kill-s': () => Math.round(limitedLab().killAt),
  /** … the page cache it had read back from disk in the five seconds before that kill (MiB, its memory.stat). */
  'oom-killer.limited-refault-mib': () => Math.round(limitedLab().refaultMiB),
  /** … and the box's free memory at its lowest meanwhile (MiB): nowhere near the watermarks. */
  'oom-killer.limited-box-free-mib': () => Math.round(limitedLab().lowestFreeMiB),
  /** Its kills in its first five minutes (the supervisor keeps restarting what the limit cannot hold). */
  'oom-killer.limited-kills-5min': () => limitedLab().kills5min,
};

let limited: { killAt: number; refaultMiB: number; lowestFreeMiB: number; kills5min: number } | undefined;

/** One dhbox lab started with `docker run -m 200m` on an otherwise idle 2 GiB box (seed 1). */
function limitedLab() {
  if (limited) return limited;
  const m = new Machine({ ramMiB: 2048, seed: 1 });
  m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'lab', memLimitMiB: 200 });
  const c = m.state.containers[0]!;
  let lowest = Infinity;
  const refaults: { t: number; n: number }[] = [];
  while (c.events.oom_kill === 0 && m.t < 600) {
    m.tick();
    refaults.push({ t: m.t, n: c.stat.workingset_refault_file });
    lowest = Math.min(lowest, m.state.free);
  }
  const killAt = m.t;
  const before = refaults.find((r) => r.t >= killAt - 5)?.n ?? 0;
  const refaultMiB = (c.stat.workingset_refault_file - before) / 256;
  m.runUntil(300);
  limited = { killAt, refaultMiB, lowestFreeMiB: lowest / 256, kills5min: c.events.oom_kill };
  return limited;
}

import type { Container, MachineState, Proc, Responders } from './model';
import { emptyPsi } from './psi';
import { cgroupPath, containerById, memcgUsage, memcgSwap } from './memcg';
import { meminfo } from './readouts';
import { oomScore, rss, unkillable } from './oom';
import { signalProc, stopForEviction } from './machine';
import { logEvent } from './klog';

/**
 * User-space responders: daemons that kill before the kernel's OOM killer does,
 * each with the rules its own documentation gives.
 *
 * - earlyoom (README and earlyoom(1)): polls MemAvailable and SwapFree up to ten times
 *   a second; when BOTH are at or below their minimums (default 10 % each) it sends
 *   SIGTERM to the process with the highest /proc/PID/oom_score (skipping
 *   oom_score_adj −1000), SIGKILL when both are at or below half of them.
 *   --prefer / --avoid move a name's score by ±300. Without swap, SwapFree counts as
 *   0 % (it is then below any minimum), so memory alone decides.
 * - systemd-oomd (systemd-oomd.service(8), oomd.conf(5), systemd.resource-control(5)):
 *   on a slice with ManagedOOMMemoryPressure=kill, when the `full` avg10 of the slice's
 *   memory.pressure (oomd_cgroup_context_acquire() reads it with PRESSURE_TYPE_FULL:
 *   the share of time all its tasks stalled, never the `some` line) stays above
 *   ManagedOOMMemoryPressureLimit (default 60 %) for DefaultMemoryPressureDurationSec
 *   (30 s) with reclaim going on (oomd_pressure_above()), it kills the whole child
 *   cgroup with the most reclaim activity (pgscan since the last check,
 *   oomd_kill_by_pgscan_rate()); with
 *   ManagedOOMSwap=kill, when memory use and swap use both pass SwapUsedLimit (90 %),
 *   the child cgroup using the most swap (if it uses over 5 % of it). It then waits
 *   15 s before acting again.
 * - kubelet node-pressure eviction (Kubernetes "Node-pressure Eviction"): every 10 s,
 *   memory.available = capacity − working set (usage − inactive_file); below the hard
 *   threshold (memory.available<100Mi) it evicts one pod: first those using more than
 *   they requested, then by how far usage exceeds the request. Evicted pods are not
 *   restarted on this node (phase Failed, reason Evicted), unlike OOMKilled ones.
 */

const PSI_EMPTY = emptyPsi;

export function setResponders(m: MachineState, r: Responders): void {
  const rs = m.responders;
  if (r.earlyoom !== undefined) {
    rs.earlyoom = r.earlyoom ? { memPercent: 10, swapPercent: 10, ...r.earlyoom, nextPoll: m.t, lastReport: -1e9 } : null;
    logStart(m, 'earlyoom', r.earlyoom ? earlyoomBanner(m) : 'earlyoom stopped');
  }
  if (r.oomd !== undefined) {
    rs.oomd = r.oomd
      ? { pressureLimit: 60, pressureDurationS: 30, swapLimit: 90, ...r.oomd, nextPoll: m.t, swapSince: -1, quietUntil: 0, psi: PSI_EMPTY(), overSince: -1, lastScan: {} }
      : null;
    logStart(m, 'oomd', r.oomd ? `systemd-oomd: monitoring /system.slice (ManagedOOMMemoryPressure=kill, limit ${rs.oomd!.pressureLimit}% for ${rs.oomd!.pressureDurationS}s; ManagedOOMSwap=kill at ${rs.oomd!.swapLimit}%)` : 'systemd-oomd stopped');
  }
  if (r.kubelet !== undefined) {
    rs.kubelet = r.kubelet ? { evictionHardMiB: 100, ...r.kubelet, nextPoll: m.t } : null;
    logStart(m, 'kubelet', r.kubelet ? `kubelet: eviction manager started, hard threshold memory.available<${rs.kubelet!.evictionHardMiB}Mi` : 'kubelet stopped');
  }
}

function logStart(m: MachineState, kind: 'earlyoom' | 'oomd' | 'kubelet', text: string): void {
  logEvent(m, { t: m.t, kind, text });
}

function earlyoomBanner(m: MachineState): string {
  const e = m.responders.earlyoom!;
  const mem = Math.round(m.totalPages / 256);
  const swap = Math.round(m.swapTotal / 256);
  return `earlyoom: mem total: ${mem} MiB, swap total: ${swap} MiB; sending SIGTERM when mem <= ${e.memPercent} % and swap <= ${e.swapPercent} %, SIGKILL when mem <= ${e.memPercent! / 2} % and swap <= ${e.swapPercent! / 2} %`;
}

/** Once a tick, after the kernel's work: each responder whose poll is due looks. */
export function respond(m: MachineState): void {
  const rs = m.responders;
  if (rs.earlyoom && m.t + 1e-9 >= rs.earlyoom.nextPoll) earlyoom(m);
  if (rs.oomd && m.t + 1e-9 >= rs.oomd.nextPoll) oomd(m);
  if (rs.kubelet && m.t + 1e-9 >= rs.kubelet.nextPoll) kubelet(m);
}

// ---------------------------------------------------------------------------
// earlyoom
// ---------------------------------------------------------------------------

function earlyoom(m: MachineState): void {
  const e = m.responders.earlyoom!;
  const mi = meminfo(m);
  const memPct = (100 * mi.MemAvailable) / mi.MemTotal;
  const swapPct = mi.SwapTotal > 0 ? (100 * mi.SwapFree) / mi.SwapTotal : 0;
  const termMem = e.memPercent!;
  const termSwap = e.swapPercent!;
  // sleep_time_ms(): the time memory could take to fall to the limits at 6,000 MiB/s
  // (swap at 800 MiB/s), between 100 ms and 1 s.
  const memHead = Math.max(0, ((memPct - termMem) * mi.MemTotal) / 100 / 1024);
  const swapHead = Math.max(0, ((swapPct - termSwap) * mi.SwapTotal) / 100 / 1024);
  e.nextPoll = m.t + Math.min(1, Math.max(0.1, memHead / 6000 + swapHead / 800));
  if (memPct > termMem || swapPct > termSwap) return;
  const kill = memPct <= termMem / 2 && swapPct <= termSwap / 2;
  const sig = kill ? 'SIGKILL' : 'SIGTERM';
  logEvent(m, {
    t: m.t,
    kind: 'earlyoom',
    text: `earlyoom: low memory! at or below ${sig} limits: mem ${(kill ? termMem / 2 : termMem).toFixed(2)}%, swap ${(kill ? termSwap / 2 : termSwap).toFixed(2)}%`,
  });
  let victim: Proc | null = null;
  let best = -Infinity;
  let bestRss = -1;
  for (const p of m.procs) {
    if (unkillable(p)) continue;
    let score = oomScore(m, p);
    if (e.prefer?.includes(p.comm)) score += 300;
    if (e.avoid?.includes(p.comm)) score -= 300;
    const r = rss(m, p);
    if (score > best || (score === best && r > bestRss)) {
      victim = p;
      best = score;
      bestRss = r;
    }
  }
  if (!victim) {
    logEvent(m, { t: m.t, kind: 'earlyoom', text: 'earlyoom: Could not find a process to kill. Sleeping 1 second.' });
    e.nextPoll = m.t + 1;
    return;
  }
  logEvent(m, {
    t: m.t,
    kind: 'earlyoom',
    pid: victim.pid,
    ...(containerById(m, victim.cid) ? { container: containerById(m, victim.cid)!.name } : {}),
    text: `earlyoom: sending ${sig} to process ${victim.pid} uid ${victim.uid} "${victim.comm}": oom_score ${best}, VmRSS ${Math.round(bestRss / 256)} MiB`,
  });
  signalProc(m, victim, kill ? 137 : 143);
  // It waits for the victim to exit before it looks again.
  e.nextPoll = Math.max(e.nextPoll, m.t + 0.2);
}

// ---------------------------------------------------------------------------
// systemd-oomd
// ---------------------------------------------------------------------------

function oomd(m: MachineState): void {
  const o = m.responders.oomd!;
  // Pressure is checked every second, swap use more often (every 150 ms in systemd-oomd).
  o.nextPoll = m.t + 1;
  const scans: Record<string, number> = {};
  for (const c of m.containers) scans[c.id] = c.stat.pgscan;
  const lastScan = o.lastScan;
  o.lastScan = scans;
  if (m.t < o.quietUntil) return;
  const live = m.containers.filter((c) => c.state === 'running');
  if (live.length === 0) return;
  // ManagedOOMSwap=kill (monitor_swap_contexts_handler()): memory used and swap used both
  // above SwapUsedLimit, i.e. MemAvailable and SwapFree both under the rest
  // (oomd_mem_available_below(), oomd_swap_free_below()); then the candidate using the
  // most swap among those using more than 5 % of it (THRESHOLD_SWAP_USED_PERCENT,
  // oomd_kill_by_swap_usage()).
  const mi = m.swapTotal > 0 ? meminfo(m) : null;
  const rest = (100 - o.swapLimit!) / 100;
  if (mi && mi.SwapTotal > 0 && mi.MemAvailable < mi.MemTotal * rest && mi.SwapFree < mi.SwapTotal * rest) {
    let pick: Container | null = null;
    let most = m.swapTotal * 0.05;
    for (const c of live) {
      const sw = memcgSwap(m, c);
      if (sw > most) {
        pick = c;
        most = sw;
      }
    }
    if (pick) {
      killCgroup(
        m,
        pick,
        `systemd-oomd: Killed ${cgroupPath(m, pick)} due to memory used (${(mi.MemTotal - mi.MemAvailable) * 1024}) / total (${mi.MemTotal * 1024}) and swap used (${(mi.SwapTotal - mi.SwapFree) * 1024}) / total (${mi.SwapTotal * 1024}) being more than ${o.swapLimit!.toFixed(2)}%`,
      );
      return;
    }
  }
  // ManagedOOMMemoryPressure=kill: the slice's `full` avg10 over the limit for the whole
  // duration, with reclaim (oomd_pressure_above() on the PRESSURE_TYPE_FULL reading).
  // The slice's psi_group is accounted with the containers' in machine.ts, cgroupPressure().
  const avg10 = o.psi.full[0]!;
  if (avg10 <= o.pressureLimit!) {
    o.overSince = -1;
    return;
  }
  if (o.overSince < 0) o.overSince = m.t;
  if (m.t - o.overSince + 1e-9 < o.pressureDurationS!) return;
  let pick: Container | null = null;
  let rate = 0;
  let usage = 0;
  for (const c of live) {
    const d = c.stat.pgscan - (lastScan[c.id] ?? c.stat.pgscan);
    const u = memcgUsage(m, c);
    if (d > rate || (d === rate && d > 0 && u > usage)) {
      pick = c;
      rate = d;
      usage = u;
    }
  }
  // No reclaim activity in any candidate: nothing to do ("with reclaim activity").
  if (!pick) return;
  killCgroup(
    m,
    pick,
    `systemd-oomd: Killed ${cgroupPath(m, pick)} due to memory pressure for /system.slice being ${avg10.toFixed(2)}% > ${o.pressureLimit!.toFixed(2)}% for > ${timespan(o.pressureDurationS!)} with reclaim activity`,
  );
  o.overSince = -1;
}

/** format_timespan() at one-second accuracy, as oomd prints the duration: "30s", "1min 30s", "2h". */
function timespan(seconds: number): string {
  let t = Math.round(seconds);
  if (t <= 0) return '0';
  const units: [string, number][] = [['d', 86400], ['h', 3600], ['min', 60], ['s', 1]];
  const parts: string[] = [];
  for (const [u, n] of units) {
    if (t >= n) {
      parts.push(`${Math.floor(t / n)}${u}`);
      t %= n;
    }
  }
  return parts.join(' ');
}

/** oomd_cgroup_kill(): SIGKILL every process of the cgroup; then a quiet period (15 s). */
function killCgroup(m: MachineState, c: Container, text: string): void {
  const o = m.responders.oomd!;
  logEvent(m, { t: m.t, kind: 'oomd', container: c.name, text });
  const victims = m.procs.filter((p) => p.alive && p.cid === c.id && !p.spec.hostSide);
  for (const p of victims) if (p.alive) signalProc(m, p, 137);
  o.quietUntil = m.t + 15;
}

// ---------------------------------------------------------------------------
// kubelet
// ---------------------------------------------------------------------------

function kubelet(m: MachineState): void {
  const k = m.responders.kubelet!;
  k.nextPoll = m.t + 10;
  const mi = meminfo(m);
  // The node's working set: usage less inactive file pages (kubelet's memory.available).
  const usageKb = mi.MemTotal - mi.MemFree;
  const workingSetKb = Math.max(0, usageKb - mi.InactiveFile);
  const availableMi = (mi.MemTotal - workingSetKb) / 1024;
  if (availableMi >= k.evictionHardMiB!) return;
  const pods = m.containers.filter((c) => c.state === 'running');
  if (pods.length === 0) return;
  logEvent(m, { t: m.t, kind: 'kubelet', text: `kubelet: eviction manager: attempting to reclaim memory (memory.available ${Math.round(availableMi)}Mi < ${k.evictionHardMiB}Mi)` });
  const ws = new Map<number, number>();
  for (const c of pods) ws.set(c.id, podWorkingSet(m, c));
  const over = (c: Container) => (ws.get(c.id) ?? 0) - c.request;
  pods.sort((a, b) => {
    const ea = over(a) > 0 ? 1 : 0;
    const eb = over(b) > 0 ? 1 : 0;
    if (ea !== eb) return eb - ea;
    return over(b) - over(a);
  });
  const pod = pods[0]!;
  const usedMi = Math.round((ws.get(pod.id) ?? 0) / 256);
  logEvent(m, {
    t: m.t,
    kind: 'kubelet',
    container: pod.name,
    text: `kubelet: Evicted pod ${pod.name} (${pod.qos}): The node was low on resource: memory. Threshold quantity: ${k.evictionHardMiB}Mi, available: ${Math.round(availableMi)}Mi. Container ${pod.name} was using ${usedMi}Mi, request is ${Math.round(pod.request / 256)}Mi.`,
  });
  stopForEviction(m, pod);
}

/** A pod's working set: its cgroup's usage less its inactive file pages. */
function podWorkingSet(m: MachineState, c: Container): number {
  let inactive = 0;
  for (const f of m.files) if (f.cg === c.id) inactive += f.inactive;
  return Math.max(0, memcgUsage(m, c) - inactive);
}

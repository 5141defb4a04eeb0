import type { Container, MachineState, MemcgCounters, MemcgEvents, MemoryKnobs, Proc } from './model';
import { PAGES_PER_MIB } from './model';
import { containerWithId } from './lookup';

/**
 * Memory cgroups (cgroup v2, Documentation/admin-guide/cgroup-v2.rst, "Memory"):
 * what a container's cgroup is charged, its knobs, its events and statistics.
 * The charge path (try_charge_memcg()) is in machine.ts `alloc`, cgroup-scoped and
 * protected reclaim in reclaim.ts.
 *
 * Charging: anonymous memory, page tables and kernel stacks go to the cgroup of the
 * task that allocates them; a page-cache page to the cgroup of the task that first
 * faults it in ("Memory Ownership": a page is charged to the cgroup that instantiated
 * it and stays there until it is freed, however many other cgroups use it). The model
 * keeps one owner per file: shared image layers are charged to the container that
 * read them first, and a file nobody has cached any more goes to its next reader.
 */

const mibToPages = (x: number) => Math.round(x * PAGES_PER_MIB);

export function containerById(m: MachineState, id: number): Container | undefined {
  return containerWithId(m.containers, id);
}

/**
 * A container's cgroup path, as the kernel's OOM report, memory.* files and
 * systemd-oomd print it. Docker names the cgroup after the full 64-hex container ID
 * (moby daemon/oci_linux.go, WithCgroups()): with the systemd cgroup driver on
 * cgroup v2 (modern era) the spec's "system.slice:docker:<id>" becomes the scope
 * /system.slice/docker-<id>.scope (runc's systemd driver); with the cgroupfs driver
 * on cgroup v1 (classic era) it is /docker/<id>.
 */
export function cgroupPath(m: MachineState, c: Container): string {
  return m.config.kernel === 'classic' ? `/docker/${c.hexId}` : `/system.slice/docker-${c.hexId}.scope`;
}

/** The memory cgroup a process charges: its container's, or the root (0) for host tasks and shims. */
export function cgOf(p: Proc): number {
  return p.spec.hostSide ? 0 : p.cid;
}

/** memory.current: pages charged to a container's memory cgroup. */
export function memcgUsage(m: MachineState, c: Container): number {
  let n = c.shmem + c.kernel + c.slab;
  for (const p of m.procs) if (p.alive && p.cid === c.id && !p.spec.hostSide) n += p.anonA + p.anonI + p.pgt + p.kstack;
  for (const f of m.files) if (f.cg === c.id) n += f.active + f.inactive + f.inflight;
  return n;
}

/** memory.current and memory.swap.current of every container at once (one pass over processes and files). */
export function memcgTotals(m: MachineState): Map<number, { usage: number; swap: number }> {
  const t = new Map<number, { usage: number; swap: number }>();
  for (const c of m.containers) t.set(c.id, { usage: c.shmem + c.kernel + c.slab, swap: 0 });
  for (const p of m.procs) {
    if (!p.alive || p.spec.hostSide) continue;
    const x = t.get(p.cid);
    if (!x) continue;
    x.usage += p.anonA + p.anonI + p.pgt + p.kstack;
    x.swap += p.swap + p.swapCache;
  }
  for (const f of m.files) {
    const x = f.cg > 0 ? t.get(f.cg) : undefined;
    if (x) x.usage += f.active + f.inactive + f.inflight;
  }
  return t;
}

/** memory.swap.current: swap entries of its processes (swap-cache slots included). */
export function memcgSwap(m: MachineState, c: Container): number {
  let n = 0;
  for (const p of m.procs) if (p.alive && p.cid === c.id && !p.spec.hostSide) n += p.swap + p.swapCache;
  return n;
}

/**
 * How many more swap entries the cgroup of `cid` may take (memory.swap.max less
 * memory.swap.current; mem_cgroup_get_nr_swap_pages()); Infinity without a limit.
 */
export function swapRoom(m: MachineState, cid: number): number {
  if (cid <= 0) return Infinity;
  const c = containerById(m, cid);
  if (!c || c.swapMax < 0) return Infinity;
  return Math.max(0, c.swapMax - memcgSwap(m, c));
}

export function emptyMemcgEvents(): MemcgEvents {
  return { low: 0, high: 0, max: 0, oom: 0, oom_kill: 0, oom_group_kill: 0 };
}

export function emptyMemcgCounters(): MemcgCounters {
  return {
    pgfault: 0, pgmajfault: 0, workingset_refault_anon: 0, workingset_refault_file: 0,
    workingset_activate_anon: 0, workingset_activate_file: 0, pgscan: 0, pgsteal: 0,
  };
}

/** Count an event in the memory.stat of the cgroup `cid` (nothing for the root). */
export function cgStat(m: MachineState, cid: number, key: keyof MemcgCounters, n: number): void {
  if (cid <= 0 || n === 0) return;
  const c = containerById(m, cid);
  if (c) c.stat[key] += n;
}

/**
 * Kubernetes QoS class (Pod Quality of Service): Guaranteed when the memory limit
 * equals the request (a request left unset defaults to the limit), Burstable with a
 * request or a limit, BestEffort with neither.
 */
export function qosClass(k: MemoryKnobs): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const limit = k.memLimitMiB ?? 0;
  const request = k.requestMiB ?? (limit > 0 ? limit : 0);
  if (limit > 0 && request === limit) return 'Guaranteed';
  if (limit > 0 || request > 0) return 'Burstable';
  return 'BestEffort';
}

/**
 * The oom_score_adj the kubelet gives a pod's containers (pkg/kubelet/qos,
 * GetContainerOOMScoreAdjust): Guaranteed −997, BestEffort 1000, Burstable
 * 1000 − 1000 × request / capacity, kept within [2, 999].
 */
export function kubeletOomScoreAdj(m: MachineState, c: Container): number {
  if (c.qos === 'Guaranteed') return -997;
  if (c.qos === 'BestEffort') return 1000;
  const adj = 1000 - Math.floor((1000 * c.request) / m.totalPages);
  return Math.min(999, Math.max(2, adj));
}

/**
 * Set a container's cgroup files from Docker-style knobs (at `docker run`, or
 * `docker update` when `update`). Docker: `-m` → memory.max; `--memory-swap`
 * unset → as much swap again as memory (memory.swap.max = memory.max), −1 → max;
 * `--memory-reservation` → memory.low. Returns a warning Docker would print, if any.
 */
export function applyKnobs(m: MachineState, c: Container, k: MemoryKnobs, update: boolean): string | null {
  let warning: string | null = null;
  if (k.memLimitMiB !== undefined) c.memLimit = k.memLimitMiB > 0 ? mibToPages(k.memLimitMiB) : 0;
  if (k.memHighMiB !== undefined) c.memHigh = k.memHighMiB > 0 ? mibToPages(k.memHighMiB) : 0;
  if (k.memLowMiB !== undefined) c.memLow = mibToPages(Math.max(0, k.memLowMiB));
  if (k.memMinMiB !== undefined) c.memMin = mibToPages(Math.max(0, k.memMinMiB));
  if (k.oomGroup !== undefined) c.oomGroup = k.oomGroup;
  if (k.requestMiB !== undefined) c.request = mibToPages(Math.max(0, k.requestMiB));
  const knobs: MemoryKnobs = { ...(update ? c.knobs : {}), ...k };
  if (k.swapMaxMiB !== undefined) c.swapMax = k.swapMaxMiB < 0 ? -1 : mibToPages(k.swapMaxMiB);
  else if (knobs.swapMaxMiB === undefined) c.swapMax = c.memLimit > 0 ? c.memLimit : -1;
  if (k.oomKillDisable) {
    if (m.config.kernel === 'classic') c.oomKillDisable = true;
    else warning = 'WARNING: Your kernel does not support OomKillDisable. OomKillDisable discarded.';
  } else if (k.oomKillDisable === false) {
    c.oomKillDisable = false;
  }
  if (k.oomScoreAdj !== undefined) c.adj = Math.max(-1000, Math.min(1000, Math.round(k.oomScoreAdj)));
  c.knobs = knobs;
  c.qos = qosClass(knobs);
  return warning;
}

/** memory.low / memory.min in force for global reclaim: cgroups to pass over. */
export function protectedCgroups(m: MachineState): { hard: number[]; soft: number[] } | null {
  let any = false;
  for (const c of m.containers) if (c.state === 'running' && (c.memLow > 0 || c.memMin > 0)) any = true;
  if (!any) return null;
  const hard: number[] = [];
  const soft: number[] = [];
  for (const c of m.containers) {
    if (c.state !== 'running' || (c.memLow === 0 && c.memMin === 0)) continue;
    const usage = memcgUsage(m, c);
    if (usage <= c.memMin) hard.push(c.id);
    else if (usage <= Math.max(c.memLow, c.memMin)) soft.push(c.id);
  }
  return hard.length + soft.length > 0 ? { hard, soft } : null;
}

/**
 * mem_cgroup_handle_over_high() penalty (mm/memcontrol.c, calculate_high_delay()):
 * overage = (usage − high) / high; the task sleeps overage² × 64 × nr_pages / 64
 * seconds for the nr_pages it charged, at most 2 s (MEMCG_MAX_HIGH_DELAY_JIFFIES),
 * and not at all under 10 ms (HZ / 100).
 */
export function highPenalty(usage: number, high: number, nrPages: number): number {
  if (high <= 0 || usage <= high) return 0;
  const overage = (usage - high) / Math.max(1, high);
  const s = Math.min(2, overage * overage * nrPages);
  return s <= 0.01 ? 0 : s;
}

/** memory.stat of a container, bytes (the keys cgroup-v2.rst lists, those the model has). */
export function memcgStat(m: MachineState, c: Container): Record<string, number> {
  let anon = 0;
  let activeAnon = 0;
  let inactiveAnon = 0;
  let kernelStack = 0;
  let pagetables = 0;
  let swapcached = 0;
  for (const p of m.procs) {
    if (!p.alive || p.cid !== c.id || p.spec.hostSide) continue;
    anon += p.anonA + p.anonI;
    activeAnon += p.anonA;
    inactiveAnon += p.anonI;
    kernelStack += p.kstack;
    pagetables += p.pgt;
    swapcached += p.swapCache;
  }
  let activeFile = 0;
  let inactiveFile = 0;
  let dirty = 0;
  let mapped = 0;
  const mappedIds = new Set<number>();
  for (const p of m.procs) if (p.alive && p.cid === c.id) for (const id of p.hotIds) mappedIds.add(id);
  for (const f of m.files) {
    if (f.cg !== c.id) continue;
    activeFile += f.active;
    inactiveFile += f.inactive + f.inflight;
    dirty += f.dirty;
    if (mappedIds.has(f.id)) mapped += f.active + f.inactive;
  }
  const b = (pages: number) => pages * 4096;
  const s = c.stat;
  return {
    anon: b(anon),
    file: b(activeFile + inactiveFile + c.shmem),
    kernel: b(c.kernel + c.slab + kernelStack + pagetables),
    kernel_stack: b(kernelStack),
    pagetables: b(pagetables),
    shmem: b(c.shmem),
    file_mapped: b(mapped),
    file_dirty: b(dirty),
    swapcached: b(swapcached),
    inactive_anon: b(inactiveAnon + c.shmem),
    active_anon: b(activeAnon),
    inactive_file: b(inactiveFile),
    active_file: b(activeFile),
    slab: b(c.slab + c.kernel),
    workingset_refault_anon: s.workingset_refault_anon,
    workingset_refault_file: s.workingset_refault_file,
    workingset_activate_anon: s.workingset_activate_anon,
    workingset_activate_file: s.workingset_activate_file,
    pgscan: s.pgscan,
    pgsteal: s.pgsteal,
    pgfault: s.pgfault,
    pgmajfault: s.pgmajfault,
  };
}

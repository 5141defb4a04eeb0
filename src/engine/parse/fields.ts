/**
 * What each column or field means, in the guide's words, with its unit and the
 * chapter section that teaches it. Used by /explain/ and `npm run explain`.
 */

export interface FieldDoc {
  meaning: string;
  unit?: string;
  /** Site path of the chapter section, e.g. "/chapters/reading-free/#the-columns". */
  href?: string;
}

const FREE = '/chapters/reading-free/';
const CACHE = '/chapters/page-cache/';
const EVICT = '/chapters/eviction/';
const THRASH = '/chapters/thrashing/';
const OOM = '/chapters/oom-killer/';
const DIAG = '/chapters/diagnosing-a-real-box/';

export const FREE_FIELDS: Record<string, FieldDoc> = {
  total: { meaning: 'RAM the kernel manages: installed memory minus what firmware and the kernel image reserved at boot.', href: `${FREE}#the-columns` },
  used: { meaning: 'Memory in use. procps-ng 4 computes it as total − available; older versions as total − free − buff/cache, which counts less as used.', href: `${FREE}#the-used-trap` },
  free: { meaning: 'Pages holding nothing at all. Small on a healthy box, because Linux fills spare RAM with cache.', href: `${FREE}#why-free-is-small` },
  shared: { meaning: 'tmpfs and shared memory (Shmem): counted inside buff/cache, but not freeable like ordinary cache.', href: `${FREE}#the-columns` },
  'buff/cache': { meaning: 'Page cache, block-device buffers and reclaimable kernel slab: file data kept in RAM that the kernel can drop when programs need room.', href: `${FREE}#what-buffcache-holds` },
  buffers: { meaning: 'Block-device buffers (filesystem metadata), shown apart by free -w.', href: `${FREE}#what-buffcache-holds` },
  cache: { meaning: 'Page cache plus reclaimable slab, shown apart by free -w.', href: `${FREE}#what-buffcache-holds` },
  cached: { meaning: 'Page cache (the pre-2014 free layout, before buff/cache was one column).', href: `${FREE}#what-buffcache-holds` },
  available: { meaning: 'The kernel\'s estimate of how much memory programs could get without swapping: free plus the cache and slab it could reclaim. The figure to watch.', href: `${FREE}#what-available-estimates` },
  'Mem:': { meaning: 'RAM: the row the other columns describe.', href: `${FREE}#the-columns` },
  'Swap:': { meaning: 'Swap space: total, used and free. Zero everywhere means the box has no swap, so anonymous memory can never leave RAM.', href: `${THRASH}#a-disk-nobody-asked-to-read` },
  '-/+ buffers/cache:': { meaning: 'Old procps only: used without buffers and cache, and free with them: the ancestor of available.', href: `${FREE}#what-available-estimates` },
  'Total:': { meaning: 'free -t: RAM and swap added together.', href: `${FREE}#the-columns` },
};

export const VMSTAT_FIELDS: Record<string, FieldDoc> = {
  r: { meaning: 'Tasks runnable: running or waiting for a CPU.', unit: 'tasks', href: `${DIAG}#vmstat-1` },
  b: { meaning: 'Tasks in uninterruptible sleep, nearly always waiting for the disk (state D). Many of them with bi high is the thrashing picture.', unit: 'tasks', href: `${THRASH}#idle-but-waiting` },
  swpd: { meaning: 'Swap in use.', unit: 'KiB', href: `${THRASH}#a-disk-nobody-asked-to-read` },
  free: { meaning: 'Free memory.', unit: 'KiB', href: `${FREE}#why-free-is-small` },
  buff: { meaning: 'Block-device buffers.', unit: 'KiB', href: `${FREE}#what-buffcache-holds` },
  cache: { meaning: 'Page cache plus reclaimable slab. Shrinking toward nothing while bi stays high means code is being evicted and read back.', unit: 'KiB', href: `${CACHE}#files-kept-in-ram` },
  inact: { meaning: 'vmstat -a: memory on the inactive LRU lists, the first candidates for reclaim.', unit: 'KiB', href: `${EVICT}#two-lists-for-each-kind-of-page` },
  active: { meaning: 'vmstat -a: memory on the active LRU lists, recently used twice or more.', unit: 'KiB', href: `${EVICT}#two-lists-for-each-kind-of-page` },
  si: { meaning: 'Swapped in from disk.', unit: 'KiB/s', href: `${THRASH}#a-disk-nobody-asked-to-read` },
  so: { meaning: 'Swapped out to disk.', unit: 'KiB/s', href: `${THRASH}#a-disk-nobody-asked-to-read` },
  bi: { meaning: 'Blocks read from block devices: file reads, and code paged back in after eviction.', unit: '1 KiB blocks/s', href: `${THRASH}#a-disk-nobody-asked-to-read` },
  bo: { meaning: 'Blocks written to block devices (dirty pages written back, logs).', unit: '1 KiB blocks/s', href: `${CACHE}#clean-and-dirty-pages` },
  in: { meaning: 'Interrupts.', unit: 'per second', href: `${DIAG}#vmstat-1` },
  cs: { meaning: 'Context switches.', unit: 'per second', href: `${DIAG}#vmstat-1` },
  us: { meaning: 'CPU time in user code.', unit: '% of CPU time', href: `${THRASH}#idle-but-waiting` },
  sy: { meaning: 'CPU time in the kernel, reclaim included.', unit: '% of CPU time', href: `${EVICT}#direct-reclaim` },
  id: { meaning: 'CPU time idle with no task waiting on I/O.', unit: '% of CPU time', href: `${THRASH}#idle-but-waiting` },
  wa: { meaning: 'CPU time idle while some task waits for I/O. High wa with id 0 and bi high: the CPUs wait for the disk.', unit: '% of CPU time', href: `${THRASH}#idle-but-waiting` },
  st: { meaning: 'Time stolen by the hypervisor for other guests.', unit: '% of CPU time', href: `${DIAG}#vmstat-1` },
  gu: { meaning: 'Time running a guest (a VM) on this host (procps-ng 4.0.3 and later).', unit: '% of CPU time', href: `${DIAG}#vmstat-1` },
};

export const MEMINFO_FIELDS: Record<string, FieldDoc> = {
  MemTotal: { meaning: 'RAM the kernel manages.', unit: 'KiB', href: `${FREE}#the-columns` },
  MemFree: { meaning: 'Pages holding nothing.', unit: 'KiB', href: `${FREE}#why-free-is-small` },
  MemAvailable: { meaning: 'Estimate of memory available to programs without swapping (free -m shows it as available).', unit: 'KiB', href: `${FREE}#what-available-estimates` },
  Buffers: { meaning: 'Block-device buffers.', unit: 'KiB', href: `${FREE}#what-buffcache-holds` },
  Cached: { meaning: 'Page cache, including tmpfs/shmem (which cannot simply be dropped).', unit: 'KiB', href: `${CACHE}#files-kept-in-ram` },
  SwapCached: { meaning: 'Pages read back from swap that still have a copy there.', unit: 'KiB', href: `${THRASH}#a-disk-nobody-asked-to-read` },
  Active: { meaning: 'Memory on the active LRU lists.', unit: 'KiB', href: `${EVICT}#two-lists-for-each-kind-of-page` },
  Inactive: { meaning: 'Memory on the inactive LRU lists, reclaimed first.', unit: 'KiB', href: `${EVICT}#two-lists-for-each-kind-of-page` },
  'Active(anon)': { meaning: 'Recently used anonymous memory (heaps, stacks).', unit: 'KiB', href: `${EVICT}#two-lists-for-each-kind-of-page` },
  'Inactive(anon)': { meaning: 'Anonymous memory not used lately: what swap would take first.', unit: 'KiB', href: `${EVICT}#two-lists-for-each-kind-of-page` },
  'Active(file)': { meaning: 'File pages used more than once lately, code among them.', unit: 'KiB', href: `${EVICT}#a-second-chance-for-code` },
  'Inactive(file)': { meaning: 'File pages used once: the cheapest memory to reclaim.', unit: 'KiB', href: `${EVICT}#used-twice-before-it-is-active` },
  Unevictable: { meaning: 'Pages reclaim may not touch (mlocked, ramfs).', unit: 'KiB' },
  Mlocked: { meaning: 'Pages locked in RAM with mlock().', unit: 'KiB' },
  SwapTotal: { meaning: 'Swap space configured. 0 means no swap.', unit: 'KiB', href: `${THRASH}#a-disk-nobody-asked-to-read` },
  SwapFree: { meaning: 'Swap space unused.', unit: 'KiB' },
  Dirty: { meaning: 'File pages changed in RAM and not yet written to disk.', unit: 'KiB', href: `${CACHE}#clean-and-dirty-pages` },
  Writeback: { meaning: 'Dirty pages being written now.', unit: 'KiB', href: `${CACHE}#clean-and-dirty-pages` },
  AnonPages: { meaning: 'Anonymous memory mapped into processes: without swap, only a kill frees it.', unit: 'KiB', href: `${OOM}#how-it-chooses` },
  Mapped: { meaning: 'File pages mapped into processes (code and libraries among them).', unit: 'KiB', href: `${CACHE}#mapped-and-unmapped-pages` },
  Shmem: { meaning: 'tmpfs and shared memory; counted in Cached, but reclaimable only to swap.', unit: 'KiB', href: `${FREE}#the-columns` },
  KReclaimable: { meaning: 'Kernel memory it can free under pressure (mostly SReclaimable).', unit: 'KiB' },
  Slab: { meaning: 'Kernel object caches.', unit: 'KiB' },
  SReclaimable: { meaning: 'Slab the kernel can free (dentries, inodes); free counts it as cache.', unit: 'KiB', href: `${FREE}#what-buffcache-holds` },
  SUnreclaim: { meaning: 'Slab the kernel cannot free.', unit: 'KiB' },
  KernelStack: { meaning: 'Kernel stacks of all threads.', unit: 'KiB' },
  PageTables: { meaning: 'Page tables of all processes (they count toward OOM badness).', unit: 'KiB', href: `${OOM}#how-it-chooses` },
  CommitLimit: { meaning: 'The commit ceiling, enforced only with vm.overcommit_memory=2.', unit: 'KiB' },
  Committed_AS: { meaning: 'Memory promised to processes; under the default overcommit it can exceed RAM.', unit: 'KiB' },
};

export const PSI_FIELDS: Record<string, FieldDoc> = {
  some: { meaning: 'Share of time at least one task was stalled waiting for this resource.', unit: '% of wall time', href: `${THRASH}#pressure-stall-information` },
  full: { meaning: 'Share of time all non-idle tasks were stalled at once: no useful work got done.', unit: '% of wall time', href: `${THRASH}#pressure-stall-information` },
  avg10: { meaning: 'Average over the last 10 seconds.', unit: '%', href: `${THRASH}#pressure-stall-information` },
  avg60: { meaning: 'Average over the last minute.', unit: '%', href: `${THRASH}#pressure-stall-information` },
  avg300: { meaning: 'Average over the last five minutes.', unit: '%', href: `${THRASH}#pressure-stall-information` },
  total: { meaning: 'Total stall time since boot.', unit: 'µs', href: `${THRASH}#pressure-stall-information` },
};

export const PROC_VMSTAT_FIELDS: Record<string, FieldDoc> = {
  pgmajfault: { meaning: 'Major page faults since boot: pages that had to come from disk or swap.', unit: 'count', href: `${DIAG}#the-counters-in-procvmstat` },
  pgfault: { meaning: 'All page faults since boot, minor ones included.', unit: 'count', href: `${DIAG}#the-counters-in-procvmstat` },
  workingset_refault_file: { meaning: 'File pages read back soon after being evicted: the measure of thrashing.', unit: 'pages', href: `${EVICT}#refaults` },
  workingset_refault_anon: { meaning: 'Anonymous pages swapped in soon after being swapped out.', unit: 'pages', href: `${EVICT}#refaults` },
  workingset_activate_file: { meaning: 'Refaulted file pages put straight on the active list.', unit: 'pages', href: `${EVICT}#refaults` },
  pswpin: { meaning: 'Pages read in from swap since boot.', unit: 'pages', href: `${DIAG}#the-counters-in-procvmstat` },
  pswpout: { meaning: 'Pages written out to swap since boot.', unit: 'pages', href: `${DIAG}#the-counters-in-procvmstat` },
  oom_kill: { meaning: 'Processes killed by the OOM killer since boot.', unit: 'count', href: `${DIAG}#the-counters-in-procvmstat` },
  allocstall_normal: { meaning: 'Times a task had to reclaim memory itself (direct reclaim) for the Normal zone.', unit: 'count', href: `${EVICT}#direct-reclaim` },
  allocstall_movable: { meaning: 'Direct-reclaim stalls for the Movable zone.', unit: 'count', href: `${EVICT}#direct-reclaim` },
  allocstall_dma32: { meaning: 'Direct-reclaim stalls for the DMA32 zone.', unit: 'count', href: `${EVICT}#direct-reclaim` },
  pgscan_kswapd: { meaning: 'Pages kswapd scanned for reclaim.', unit: 'pages', href: `${EVICT}#kswapd` },
  pgscan_direct: { meaning: 'Pages scanned by tasks reclaiming for themselves.', unit: 'pages', href: `${EVICT}#direct-reclaim` },
  pgsteal_kswapd: { meaning: 'Pages kswapd reclaimed.', unit: 'pages', href: `${EVICT}#kswapd` },
  pgsteal_direct: { meaning: 'Pages reclaimed in direct reclaim.', unit: 'pages', href: `${EVICT}#direct-reclaim` },
  nr_free_pages: { meaning: 'Free pages now.', unit: 'pages (4 KiB)', href: `${FREE}#why-free-is-small` },
  nr_active_file: { meaning: 'Pages on the active file list now.', unit: 'pages', href: `${EVICT}#two-lists-for-each-kind-of-page` },
  nr_inactive_file: { meaning: 'Pages on the inactive file list now.', unit: 'pages', href: `${EVICT}#two-lists-for-each-kind-of-page` },
  nr_active_anon: { meaning: 'Pages on the active anon list now.', unit: 'pages', href: `${EVICT}#two-lists-for-each-kind-of-page` },
  nr_inactive_anon: { meaning: 'Pages on the inactive anon list now.', unit: 'pages', href: `${EVICT}#two-lists-for-each-kind-of-page` },
};

export const CGROUP_FIELDS: Record<string, FieldDoc> = {
  anon: { meaning: 'Anonymous memory charged to the cgroup.', unit: 'bytes', href: `${DIAG}#containers` },
  file: { meaning: 'Page cache charged to the cgroup (the first to be reclaimed at its limit).', unit: 'bytes', href: `${DIAG}#containers` },
  kernel: { meaning: 'Kernel memory charged to the cgroup.', unit: 'bytes' },
  shmem: { meaning: 'tmpfs and shared memory charged to the cgroup.', unit: 'bytes' },
  low: { meaning: 'Times the cgroup was reclaimed from despite being under memory.low.', unit: 'count', href: `${DIAG}#containers` },
  high: { meaning: 'Times the cgroup went over memory.high and was throttled.', unit: 'count', href: `${DIAG}#containers` },
  max: { meaning: 'Times the cgroup reached memory.max and had to reclaim inside it.', unit: 'count', href: `${DIAG}#containers` },
  oom: { meaning: 'Times an allocation in the cgroup failed at the limit and the OOM killer was called.', unit: 'count', href: `${OOM}#keeping-it-in-the-container` },
  oom_kill: { meaning: 'Processes in the cgroup killed by any OOM killer.', unit: 'count', href: `${OOM}#keeping-it-in-the-container` },
  oom_group_kill: { meaning: 'Times the whole cgroup was killed together (memory.oom.group).', unit: 'count', href: `${OOM}#keeping-it-in-the-container` },
};

export const OOM_FIELDS: Record<string, FieldDoc> = {
  'invoked oom-killer': { meaning: 'The task whose allocation failed: often not the one that dies.', href: `${OOM}#reading-a-kill-report` },
  gfp_mask: { meaning: 'What kind of allocation failed (GFP_HIGHUSER_MOVABLE: a user page; GFP_KERNEL: kernel memory, in a cgroup usually a charge).', href: `${OOM}#reading-a-kill-report` },
  order: { meaning: 'Size of the allocation as a power of two pages: 0 is one page.', unit: 'log2 pages', href: `${OOM}#reading-a-kill-report` },
  pid: { meaning: 'Process ID.', href: `${OOM}#reading-a-kill-report` },
  uid: { meaning: 'User ID of the process.', href: `${OOM}#reading-a-kill-report` },
  total_vm: { meaning: 'Address space size. Not used in the choice.', unit: 'pages (4 KiB)', href: `${OOM}#reading-a-kill-report` },
  rss: { meaning: 'Resident pages: anonymous, file-backed and shared.', unit: 'pages (4 KiB)', href: `${OOM}#how-it-chooses` },
  pgtables_bytes: { meaning: 'Page-table size.', unit: 'bytes', href: `${OOM}#how-it-chooses` },
  nr_ptes: { meaning: 'Page-table pages (older kernels).', unit: 'pages', href: `${OOM}#how-it-chooses` },
  'page tables': { meaning: 'The process\'s page tables: pgtables_bytes / 4096, or nr_ptes (+ nr_pmds) on older kernels. They count toward badness.', unit: 'pages (4 KiB)', href: `${OOM}#how-it-chooses` },
  points: { meaning: 'The badness redone: rss + swapents + page tables, plus oom_score_adj × totalpages / 1000. The highest is killed; on a tie, the later task.', unit: 'pages', href: `${OOM}#how-it-chooses` },
  swapents: { meaning: 'Pages of the process in swap.', unit: 'pages (4 KiB)', href: `${OOM}#how-it-chooses` },
  oom_score_adj: { meaning: 'The bias, from −1000 (never chosen) to +1000, in thousandths of RAM plus swap.', unit: 'thousandths of totalpages', href: `${OOM}#how-it-chooses` },
  name: { meaning: 'The comm: the executable name cut to 15 characters.', href: `${OOM}#reading-a-kill-report` },
  score: { meaning: 'Classic kill line: badness × 1000 / totalpages, the share of the machine in thousandths.', href: `${OOM}#reading-a-kill-report` },
  'anon-rss': { meaning: 'Anonymous resident memory of the victim: what its death frees.', unit: 'kB', href: `${OOM}#reading-a-kill-report` },
  'file-rss': { meaning: 'File-backed resident pages of the victim (shared cache; little is freed).', unit: 'kB', href: `${OOM}#reading-a-kill-report` },
  'shmem-rss': { meaning: 'Shared memory the victim had mapped.', unit: 'kB', href: `${OOM}#reading-a-kill-report` },
  'oom-kill:constraint': { meaning: 'CONSTRAINT_NONE: the whole machine ran out; CONSTRAINT_MEMCG: a cgroup hit its limit.', href: `${OOM}#keeping-it-in-the-container` },
  oom_reaper: { meaning: 'The kernel thread that strips a victim\'s memory if it is slow to exit.', href: `${OOM}#reading-a-kill-report` },
};

export const DOCKER_STATS_FIELDS: Record<string, FieldDoc> = {
  'MEM USAGE / LIMIT': { meaning: 'The container cgroup\'s memory (inactive page cache left out) and its limit: the whole machine when the container has no -m.', href: `${DIAG}#containers` },
  'MEM %': { meaning: 'Usage as a share of the limit.', unit: '%', href: `${DIAG}#containers` },
  'CPU %': { meaning: 'CPU used, where 100 % is one CPU.', unit: '%' },
  PIDS: { meaning: 'Processes and threads in the container.', unit: 'count' },
};

export const PS_FIELDS: Record<string, FieldDoc> = {
  PID: { meaning: 'Process ID.' },
  RSS: { meaning: 'Resident set size.', unit: 'KiB', href: `${OOM}#how-it-chooses` },
  '%MEM': { meaning: 'RSS as a share of RAM.', unit: '%' },
  OOM: { meaning: '/proc/PID/oom_score: the highest goes first.', href: `${OOM}#how-it-chooses` },
  OOMADJ: { meaning: 'oom_score_adj, from −1000 to +1000.', href: `${OOM}#how-it-chooses` },
  COMMAND: { meaning: 'The command name.' },
};

export const SYSCTL_FIELDS: Record<string, FieldDoc> = {
  'vm.swappiness': { meaning: 'How readily reclaim takes anonymous memory (to swap) rather than page cache: 0 to 200, default 60. Without swap it changes nothing.', href: `${THRASH}#a-disk-nobody-asked-to-read` },
  'vm.overcommit_memory': { meaning: '0: heuristic overcommit (the default); 1: always allow; 2: refuse beyond CommitLimit.' },
  'vm.panic_on_oom': { meaning: '1 or 2: panic instead of running the OOM killer.', href: `${OOM}#when-it-runs` },
  'vm.oom_kill_allocating_task': { meaning: '1: kill the task that asked for memory instead of the one with the highest badness.', href: `${OOM}#how-it-chooses` },
  'vm.min_free_kbytes': { meaning: 'The base of the zone watermarks: free memory the kernel keeps in reserve.', unit: 'KiB', href: `${EVICT}#three-watermarks` },
  'vm.vfs_cache_pressure': { meaning: 'How hard reclaim goes after dentry and inode caches (default 100).' },
};

/** The docs for a block kind. */
export function fieldDocs(kind: string): Record<string, FieldDoc> {
  switch (kind) {
    case 'free':
      return FREE_FIELDS;
    case 'vmstat':
      return VMSTAT_FIELDS;
    case 'meminfo':
      return MEMINFO_FIELDS;
    case 'psi':
      return PSI_FIELDS;
    case 'proc-vmstat':
      return PROC_VMSTAT_FIELDS;
    case 'memory.stat':
    case 'memory.events':
      return CGROUP_FIELDS;
    case 'dmesg':
      return OOM_FIELDS;
    case 'docker-stats':
      return DOCKER_STATS_FIELDS;
    case 'ps':
      return PS_FIELDS;
    case 'sysctl':
      return SYSCTL_FIELDS;
    default:
      return {};
  }
}

/** Every chapter link the explanations use (for a test that they exist). */
export function allFieldLinks(): string[] {
  const all = [SYSCTL_FIELDS, FREE_FIELDS, VMSTAT_FIELDS, MEMINFO_FIELDS, PSI_FIELDS, PROC_VMSTAT_FIELDS, CGROUP_FIELDS, OOM_FIELDS, DOCKER_STATS_FIELDS, PS_FIELDS];
  return [...new Set(all.flatMap((d) => Object.values(d).map((f) => f.href).filter((h): h is string => !!h)))];
}

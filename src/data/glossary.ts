/**
 * The guide's terms: a one-paragraph definition each, and the chapter section
 * that teaches it. The glossary page lists them all; in a chapter, the first use
 * of a term (one of its `match` phrases, in running text) becomes a link to its
 * entry with the definition as a card on hover and keyboard focus.
 */
export interface GlossaryTerm {
  /** Anchor on the glossary page, e.g. "page-cache". */
  id: string;
  /** The term as the heading of its entry. */
  term: string;
  /**
   * Phrases that count as a use of the term in chapter text, matched whole-word and
   * case-insensitively; a phrase in backticks matches inline code that is exactly it.
   */
  match: string[];
  /** One paragraph; `backticks` mark code. */
  definition: string;
  /** The chapter (slug) and section (heading id) that teaches it. */
  chapter: string;
  section: string;
}

export const GLOSSARY: GlossaryTerm[] = [
  {
    id: 'page-cache',
    term: 'Page cache',
    match: ['page cache'],
    definition:
      'The contents of files kept in RAM, in 4 KiB pages, so that reading them again needs no disk. It includes the code of running programs, which map it directly. Linux lets it fill memory nothing else wants and takes clean pages back when programs need memory; `free` counts it in `buff/cache`.',
    chapter: 'page-cache',
    section: 'files-kept-in-ram',
  },
  {
    id: 'available',
    term: 'Available memory',
    match: ['`available`', '`MemAvailable`'],
    definition:
      "The kernel's estimate, in `MemAvailable`, of how much memory new work could get without swapping: free memory above a reserve, plus most of the page cache and reclaimable slab. It counts every clean file page as reclaimable, including code that will be read back the moment it runs.",
    chapter: 'reading-free',
    section: 'what-available-estimates',
  },
  {
    id: 'anonymous-memory',
    term: 'Anonymous memory (anon)',
    match: ['anonymous memory'],
    definition:
      "Memory that belongs to no file: heaps, stacks and other program data. Its only way out of RAM is swap, so on a machine without swap the kernel cannot reclaim it at all.",
    chapter: 'eviction',
    section: 'nothing-to-take-but-cache',
  },
  {
    id: 'dirty-page',
    term: 'Dirty page',
    match: ['dirty page', 'dirty pages'],
    definition:
      "A cached file page that has been changed and not yet written to disk. It must be written back before its memory can be reused; the flusher threads do that in the background, on timers and thresholds set in `/proc/sys/vm`.",
    chapter: 'page-cache',
    section: 'clean-and-dirty-pages',
  },
  {
    id: 'major-fault',
    term: 'Major fault',
    match: ['major fault', 'major faults'],
    definition:
      'A page fault for a page that is not in memory, so the task sleeps while the kernel reads it from disk or swap. A minor fault finds the page already in RAM and only updates page tables.',
    chapter: 'page-cache',
    section: 'files-kept-in-ram',
  },
  {
    id: 'lru',
    term: 'LRU lists',
    match: ['LRU lists', 'LRU'],
    definition:
      "The kernel's lists of reclaimable pages, roughly in order of last use: active and inactive lists for file pages and for anonymous pages. Reclaim frees from the tail of an inactive list and refills it from the active one; a file page must be used twice to become active.",
    chapter: 'eviction',
    section: 'two-lists-for-each-kind-of-page',
  },
  {
    id: 'watermark',
    term: 'Watermarks',
    match: ['watermarks', 'watermark'],
    definition:
      'Three thresholds of free memory per zone, `min`, `low` and `high`, derived from `vm.min_free_kbytes`. Below `low` the allocator wakes `kswapd`; below `min` an allocating task must reclaim memory itself.',
    chapter: 'eviction',
    section: 'three-watermarks',
  },
  {
    id: 'kswapd',
    term: 'kswapd',
    match: ['`kswapd`'],
    definition:
      "The kernel thread (one per memory node) that reclaims memory in the background when free memory falls below the low watermark, and sleeps again once it is above high. Programs do not wait for it.",
    chapter: 'eviction',
    section: 'kswapd',
  },
  {
    id: 'direct-reclaim',
    term: 'Direct reclaim',
    match: ['direct reclaim'],
    definition:
      "Reclaim done by the task that asked for memory, in its own context, when free memory is at the min watermark. The task stalls while it scans and frees pages; `/proc/vmstat` counts each stall in `allocstall`, and PSI counts the time.",
    chapter: 'eviction',
    section: 'direct-reclaim',
  },
  {
    id: 'refault',
    term: 'Refault',
    match: ['refault', 'refaults'],
    definition:
      "A fault on a file page that was evicted a short while ago, recognised by the shadow entry left in its place. If it came back within the refault distance, the kernel activates it straight away; `/proc/vmstat` counts refaults in `workingset_refault_file`.",
    chapter: 'eviction',
    section: 'refaults',
  },
  {
    id: 'thrashing',
    term: 'Thrashing',
    match: ['thrashing', 'thrashes'],
    definition:
      'The state in which the pages running programs need no longer fit in memory, so reclaim evicts pages that are needed again a moment later and the machine spends its time waiting for the disk instead of running programs.',
    chapter: 'thrashing',
    section: 'code-lives-in-the-page-cache',
  },
  {
    id: 'psi',
    term: 'Pressure stall information (PSI)',
    match: ['pressure stall information', 'PSI'],
    definition:
      "Since Linux 4.20, `/proc/pressure/memory` reports the share of time in which some or all non-idle tasks were stalled on memory (reclaiming, being throttled, or waiting for working-set pages to be read back), averaged over 10, 60 and 300 seconds.",
    chapter: 'thrashing',
    section: 'pressure-stall-information',
  },
  {
    id: 'oom-killer',
    term: 'OOM killer',
    match: ['OOM killer'],
    definition:
      "The kernel's last resort when reclaim has failed: `out_of_memory()` picks the process with the largest badness and kills it with `SIGKILL`. It is reached from the page allocator only after repeated rounds of reclaim free nothing.",
    chapter: 'oom-killer',
    section: 'when-it-runs',
  },
  {
    id: 'badness',
    term: 'Badness',
    match: ['badness'],
    definition:
      "The OOM killer's score for a process: its resident pages, swap entries and page-table pages, plus `oom_score_adj` thousandths of RAM and swap. The largest badness is killed; `/proc/PID/oom_score` shows a scaled version.",
    chapter: 'oom-killer',
    section: 'how-it-chooses',
  },
  {
    id: 'oom-score-adj',
    term: 'oom_score_adj',
    match: ['`oom_score_adj`'],
    definition:
      'A per-process setting from −1000 to +1000, in `/proc/PID/oom_score_adj`, that shifts its badness by thousandths of the machine: −1000 exempts it from the OOM killer, +1000 puts it first in line. Children inherit it.',
    chapter: 'oom-killer',
    section: 'how-it-chooses',
  },
  {
    id: 'memcg',
    term: 'Memory cgroup (memcg)',
    match: ['memory cgroup', 'cgroup'],
    definition:
      "A group of processes whose memory the kernel accounts together, under cgroup v2 with `memory.max`, `memory.high`, `memory.low` and a pressure file of its own. At `memory.max` the group reclaims its own pages and, failing that, the OOM killer acts inside it alone.",
    chapter: 'oom-killer',
    section: 'keeping-it-in-the-container',
  },
  {
    id: 'swap',
    term: 'Swap',
    match: ['swap space', 'swap'],
    definition:
      "Disk space where the kernel can put anonymous pages it reclaims, so that memory nobody is using can leave RAM. A page swapped out and touched again is read back by a major fault. The incident's machine had none.",
    chapter: 'eviction',
    section: 'nothing-to-take-but-cache',
  },
  {
    id: 'swappiness',
    term: 'Swappiness',
    match: ['`swappiness`', 'swappiness'],
    definition:
      "`vm.swappiness`, 0 to 200 (default 60): how readily reclaim takes anonymous pages, to swap, rather than file pages. Reclaim weighs anon by swappiness and file by 200 minus it, corrected by what refaults and swap-ins recently cost. Without swap it changes nothing: anonymous pages have nowhere to go.",
    chapter: 'eviction',
    section: 'nothing-to-take-but-cache',
  },
];

export function glossaryTerm(id: string): GlossaryTerm | undefined {
  return GLOSSARY.find((t) => t.id === id);
}

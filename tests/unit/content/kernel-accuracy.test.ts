/**
 * Statements about the kernel that the chapters once got wrong, each pinned to
 * what the kernel source or the incident's record says: the wrong wording must
 * stay gone, the corrected claim and its figures must be quoted, and the source
 * behind the correction must be in that chapter's sources list.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fact } from '../../../src/lib/facts';
import { commandOutput } from '../../../src/lib/engine-output';

const seed = JSON.parse(readFileSync('src/data/seed-observations.json', 'utf8')) as {
  free_m: { mark: string; free: number; shared: number; buff_cache: number; available: number }[];
  vmstat: Record<string, number[][]>;
};

function chapter(file: string) {
  const text = readFileSync(`content/chapters/${file}`, 'utf8');
  const [prose, sources = ''] = text.split('\n## Sources\n');
  /** The prose with line breaks inside paragraphs left alone, for phrase checks. */
  // Sources are links; the checks read their text.
  return { text, prose: prose!, sources: sources.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1') };
}

/** The paragraph of `prose` that contains `needle` (paragraphs are separated by blank lines). */
function paragraphWith(prose: string, needle: string): string {
  const p = prose.split(/\n\s*\n/).find((x) => x.includes(needle));
  if (!p) throw new Error(`no paragraph contains ${needle}`);
  return p;
}

/** The section under a level-2 heading, up to the next one. */
function section(prose: string, heading: string): string {
  const start = prose.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const rest = prose.slice(start + heading.length + 5);
  const end = rest.indexOf('\n## ');
  return end < 0 ? rest : rest.slice(0, end);
}

const mark = (m: string) => seed.free_m.find((r) => r.mark === m)!;

describe('chapter 1: MemTotal and the two formulas for used', () => {
  const c = chapter('01-reading-free.mdx');

  it('puts the struct page array and early reservations, not just firmware and the kernel image, behind MemTotal', () => {
    expect(c.prose).not.toContain("minus what firmware reserves and what the kernel's own image occupies");
    const total = paragraphWith(c.prose, '**`total`**');
    expect(total).toContain('struct page');
    expect(total).toMatch(/memblock/);
    expect(total).toMatch(/page allocator manages/);
    expect(c.sources).toMatch(/mm\/memblock\.c.*memblock_free_all\(\)/);
  });

  it('places the kernel reserve in free, not in buff/cache', () => {
    expect(c.prose).not.toMatch(/whole of `buff\/cache` as if it could be handed back, including shared memory that cannot be dropped without swap and the reserve/);
    const p = paragraphWith(c.prose, 'Trust `available`');
    expect(p).toMatch(/`free` includes the reserve/);
    expect(p).toMatch(/`buff\/cache` includes shared memory/);
  });
});

describe('chapter 2: where the first lab took available memory from', () => {
  const c = chapter('02-page-cache.mdx');
  const before = mark('app-started');
  const after = mark('container-1');
  const freeFall = before.free - after.free;
  const availFall = before.available - after.available;
  const cacheRise = after.buff_cache - before.buff_cache;
  const unexplained = availFall - (freeFall - cacheRise);

  it('does the arithmetic in full, with the part the cache rise does not explain', () => {
    expect([freeFall, availFall, cacheRise, unexplained]).toEqual([394, 249, 170, 25]);
    expect(c.prose).not.toContain('because 170 MiB of what left `free` had gone into the cache');
    const p = paragraphWith(c.prose, `\`free\` fell by ${freeFall} MiB`);
    expect(p).toContain(`${freeFall} − ${cacheRise} = ${freeFall - cacheRise}`);
    expect(p).toContain(`${unexplained} MiB`);
    expect(p).toContain(`${after.shared - before.shared} MiB of it is shared memory`);
  });
});

describe('chapter 3: reading the second lab between samples', () => {
  const c = chapter('03-eviction.mdx');
  const rows = seed.vmstat['container-2-start']!;
  const lastBefore = seed.vmstat['container-1-start']!.at(-1)!;

  it('does not claim free memory must have crossed low, since free rose in that interval', () => {
    expect(c.prose).not.toContain('so free memory must have crossed `low` between samples');
    const freeBefore = 61304; // the row printed just before the second lab, quoted by the chapter
    const freeAfter = rows[0]![3]!;
    expect(freeAfter).toBeGreaterThan(freeBefore);
    expect(lastBefore[3]).toBeLessThan(freeAfter);
    const p = paragraphWith(c.prose, 'No sample comes near a watermark');
    expect(p).toContain(`${freeAfter.toLocaleString('en-US')} KiB`);
    expect(p).toMatch(/truncating a file drops its cache at once/);
    expect(c.sources).toContain('mm/truncate.c');
  });

  it('says that "no memory limits" is inferred from the global kill line', () => {
    const p = paragraphWith(c.prose, 'No sample comes near a watermark');
    expect(p).toMatch(/inference/);
    expect(p).toContain('`Out of memory:` prefix');
  });

  it('explains the inactive_is_low ratio, and the model keeps the file lists near 1:1 on this box', { timeout: 60_000 }, () => {
    expect(c.prose).not.toContain('the kernel aims for about equal sizes');
    const p = paragraphWith(c.prose, '`inactive_is_low()`');
    expect(p).toMatch(/square root of ten times/);
    expect(p).toMatch(/1 to 1 below 1 GiB/);
    const mi = commandOutput('seed', 'container-2', 'cat /proc/meminfo');
    const kb = (name: string) => Number(new RegExp(`^${name.replace(/[()]/g, '\\$&')}:\\s+(\\d+) kB`, 'm').exec(mi)![1]);
    const ratio = kb('Active(file)') / kb('Inactive(file)');
    expect(ratio).toBeLessThan(1.25);
  });
});

describe('chapter 4: refaults, read-around and PSI', () => {
  const c = chapter('04-thrashing.mdx');

  it('credits the inactive list, not workingset detection, with resisting a file read once', () => {
    expect(c.prose).not.toContain('Workingset detection defends well against a large file read once');
    const refaults = section(c.prose, 'Refaults');
    expect(refaults).toContain('(/chapters/eviction/#used-twice-before-it-is-active)');
    expect(refaults).toMatch(/evicted from a too-short inactive list before their next use/);
    expect(chapter('03-eviction.mdx').prose).toContain('\n## Used twice before it is active\n');
    expect(c.sources).toMatch(/mm\/workingset\.c` \(its opening comment/);
  });

  it('counts fault read-around in bi and quotes the model’s KiB per major fault', { timeout: 60_000 }, () => {
    expect(c.prose).not.toContain('Nearly all of it was code and library pages');
    expect(c.prose).not.toContain('the whole cache about every one and a half seconds');
    const p = paragraphWith(c.prose, 'close to 62 MiB/s');
    expect(p).toContain('`do_sync_mmap_readahead()`');
    expect(p).toContain('`mmap_miss`');
    expect(p).toContain('<Fact name="thrashing.kib-per-major-fault" />');
    // More than one 4 KiB page per fault: read-around is on while the labs thrash.
    expect(Number(fact('thrashing.kib-per-major-fault'))).toBeGreaterThan(4);
    expect(c.sources).toContain('`do_sync_mmap_readahead()`');
  });

  it('lists memory.high throttling, reclaim and swap-in among memory stalls', () => {
    const p = paragraphWith(c.prose, 'A task is stalled on memory');
    expect(p).toContain('`memory.high`');
    expect(p).toMatch(/reclaims or compacts memory itself/);
    expect(p).toMatch(/swap-in/);
    expect(c.sources).toContain('`mm/memcontrol.c` (`memory.high` reclaim and throttling');
    expect(c.sources).toContain('kernel/sched/psi.c');
  });

  it('does not say b was 0 before the fourth lab, which the record contradicts', () => {
    const b = ['container-1-start', 'container-2-start', 'after-container-3'].flatMap((k) => seed.vmstat[k]!.map((r) => r[1]!));
    expect(Math.max(...b)).toBe(1);
    expect(c.prose).not.toContain('The `b` column, 0 until then');
    expect(c.prose).toContain('never above 1 before');
  });
});

describe('chapter 5: memcg kills and what a kill frees', () => {
  const c = chapter('05-oom-killer.mdx');

  it('says a limit confines the kill, not the slowdown, and gets the memcg report’s first line right', () => {
    expect(c.prose).not.toContain('the rest of the machine untouched');
    expect(c.prose).not.toMatch(/report (begins|starts) (with )?`?Memory cgroup out of memory/);
    const p = paragraphWith(c.prose, '`try_charge_memcg()`');
    expect(p).toContain('begins `invoked oom-killer`');
    expect(p).toContain('the kill line reads `Memory cgroup out of memory`');
    expect(c.prose).toContain('A limit confines the kill, not the slowdown');
    expect(c.sources).toContain('`try_charge_memcg()`');
  });

  it('gives the old CAP_SYS_ADMIN discount and does not count file-rss as freed', { timeout: 60_000 }, () => {
    const choose = section(c.prose, 'How it chooses');
    expect(choose).toMatch(/before 4\.17, took 3 % off for root/);
    expect(choose).toMatch(/Mapped shared libraries do count, though killing one user does not free them/);
    expect(c.prose).not.toContain('Each kill freed about 37 MiB');
    expect(c.prose).not.toContain("Each kill freed one process's memory");
    expect(c.prose).toContain('<Fact name="oom-killer.first-victim-file-rss-mib" />');
    expect(Number(fact('oom-killer.first-victim-file-rss-mib'))).toBeGreaterThan(0);
    expect(c.sources).toContain('`oom_badness()`');
  });
});

describe('what the model leaves out, as chapters 4 and 5 say it', () => {
  const note = (file: string) => section(chapter(file).prose, 'What this model leaves out');

  it('agree that the model retries reclaim as the kernel does', () => {
    expect(note('04-thrashing.mdx')).toMatch(/retries as `should_reclaim_retry\(\)` does/);
    expect(note('05-oom-killer.mdx')).toMatch(/uses the kernel's retry rule/);
    for (const f of ['04-thrashing.mdx', '05-oom-killer.mdx']) expect(note(f)).not.toMatch(/does not (use|follow) the kernel's retry rule/);
  });

  it('do not describe a kill loop slower than the replay or an init that is scored', () => {
    const n = note('05-oom-killer.mdx');
    expect(n).not.toMatch(/more slowly than the incident/);
    expect(n).not.toMatch(/init is (listed|scored)/);
    // The replay's loop is at least as fast as the incident's seven kills in 50 seconds.
    expect(Number(fact('oom-killer.seed-kill-count')) / Number(fact('oom-killer.seed-kill-span-s'))).toBeGreaterThanOrEqual(7 / 50 - 0.02);
  });
});

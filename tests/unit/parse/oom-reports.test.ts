/**
 * Five OOM reports published by others (fixtures/oom, sources in SOURCES.md):
 * different kernels (3.10 to 5.14), global and memory-cgroup, the classic and
 * the modern kill line. The victim and the ranking redone from each task table
 * must agree with the kernel's own choice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { badness, diagnose, parseCapture, adjSentences, type DmesgBlock } from '../../../src/engine/parse';

const report = (file: string) => {
  const c = parseCapture(readFileSync(join(__dirname, 'fixtures/oom', file), 'utf8'));
  const d = c.blocks.find((b) => b.block.kind === 'dmesg')!.block as DmesgBlock;
  const r = d.reports.find((x) => x.tasks.length)!;
  return { c, d, r, bad: badness(r) };
};

describe('published OOM reports', () => {
  it('4.9, global, classic: CRI_main chosen, RCUSwitch runner-up, score as printed', () => {
    const { r, bad, c } = report('lkml-4.9-global-classic.txt');
    expect(c.unread).toEqual([]);
    expect(r.constraint).toBe('global');
    expect(r.kernel).toMatch(/^4\.9\.85/);
    expect(r.tasks).toHaveLength(23);
    expect(r.chosen).toMatchObject({ pid: 739, comm: 'CRI_main', score: 180, form: 'classic' });
    expect(bad.agrees).toBe(true);
    expect(bad.ranking[0]!.task.name).toBe('CRI_main');
    expect(bad.ranking[1]!.task.name).toBe('RCUSwitch');
    expect(bad.exempt.map((t) => t.name)).toEqual(['watchdog']);
    expect(bad.rules.rootDiscount).toBe(true);
    expect(bad.totalPages).toBe(8192 - 1214);
    expect(Math.abs(bad.ranking[0]!.score! - 180)).toBeLessThanOrEqual(2);
    if (bad.ranking[0]!.score !== 180) expect(bad.notes.join(' ')).toContain('The kill line printed score 180');
    expect(r.memInfo).toMatchObject({ active_anon: 2727, free: 1994 });
  });

  it('5.14-era, global, modern, with console text printed into the task table', () => {
    const { r, bad, c } = report('azure-5.14-global-modern.txt');
    expect(r.constraint).toBe('global');
    expect(r.tasks).toHaveLength(23);
    expect(r.killed).toMatchObject({ pid: 1082, comm: 'netconfig', form: 'modern', anonRssKb: 1456, oomScoreAdj: 0, uid: 0 });
    expect(r.summary).toMatchObject({ constraint: 'CONSTRAINT_NONE', pid: 1082 });
    expect(bad.agrees).toBe(true);
    // 364 + 17 page-table pages against 364 + 15: the tie is broken by page tables.
    expect(bad.ranking.slice(0, 2).map((x) => [x.task.pid, x.points])).toEqual([
      [1082, 381],
      [1103, 379],
    ]);
    expect(bad.exempt.map((t) => t.name).sort()).toEqual(['auditd', 'auomscollect', 'systemd-udevd']);
    // auomscollect was the largest process; −1000 kept it alive.
    const f = diagnose(c).findings.find((x) => x.badness)!;
    expect(adjSentences(f).join(' ')).toMatch(/auomscollect was larger than the victim/);
    expect(c.unread.map((u) => u.line)).toEqual([89]);
    expect(c.unread[0]!.reason).toMatch(/systemd/);
  });

  it('5.3, memory cgroup, modern without UID: qemu-system-x86 chosen, virt-launcher runner-up', () => {
    const { r, bad, c } = report('harvester-5.3-memcg-modern.txt');
    expect(c.unread).toEqual([]);
    expect(r.constraint).toBe('memcg');
    expect(r.memcgLimitKb).toBe(67579904);
    expect(r.invoker).toMatchObject({ comm: 'CPU 11/KVM', oomScoreAdj: 830 });
    expect(r.killed).toMatchObject({ pid: 70870, comm: 'qemu-system-x86', memcg: true });
    expect(bad.agrees).toBe(true);
    expect(bad.ranking.map((x) => x.task.name).slice(0, 3)).toEqual(['qemu-system-x86', 'virt-launcher', 'libvirtd']);
    expect(bad.totalPages).toBe(67579904 / 4);
    const d = diagnose(c).findings.find((x) => x.badness)!;
    expect(d.kind).toBe('memcg-limit');
  });

  it('5.8, memory cgroup, modern, indented and without timestamps', () => {
    const { r, bad, c } = report('ltp-5.8-memcg-modern.txt');
    expect(c.unread).toEqual([]);
    expect(r.constraint).toBe('memcg');
    expect(r.summary?.oomMemcg).toBe('/ltp_19257');
    expect(r.killed).toMatchObject({ pid: 19289, comm: 'memcg_process', pgtablesKb: 40, anonRssKb: 84 });
    expect(r.reaped?.pid).toBe(19289);
    expect(bad.ranking[0]!.task.pid).toBe(19289);
    expect(bad.agrees).toBe(true);
  });

  it('3.10, memory cgroup, classic: the chosen parent and the child killed in its place', () => {
    const { r, bad, d, c } = report('k8s-3.10-memcg-classic.txt');
    expect(c.unread).toEqual([]);
    expect(r.constraint).toBe('memcg');
    expect(r.taskColumns).toContain('nr_ptes');
    expect(r.chosen).toMatchObject({ pid: 24572, score: 0 });
    expect(r.killed).toMatchObject({ pid: 28438, comm: 'java' });
    expect(d.kills.map((k) => k.pid)).toEqual([28438]);
    expect(bad.ranking[0]!.task.pid).toBe(28438);
    expect(bad.agrees).toBe(true);
    // 119961 rss + 136409 swap entries + 1661 page-table pages, less 3 % for root.
    expect(bad.ranking[0]!.basePoints).toBe(119961 + 136409 + 1661);
    const f = diagnose(c).findings.find((x) => x.kind === 'memcg-limit')!;
    expect(f.evidence.join(' ')).toMatch(/sacrifice child/);
  });
});

describe('oom_score_adj in the arithmetic', () => {
  const table = (rows: string[]) =>
    ['[  100.000000] Tasks state (memory values in pages):', '[  100.000000] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name', ...rows, '[  100.000000] 262144 pages RAM', '[  100.000000] 0 pages reserved', '[  100.000000] Total swap = 0kB'];
  it('moves the choice when it outweighs memory, and says so', () => {
    const c = parseCapture(
      table([
        '[  100.000000] [    10]     0    10    90000    50000    65536        0             0 big',
        '[  100.000000] [    11]     0    11    90000    20000    65536        0           500 small',
      ]).join('\n'),
    );
    const r = (c.blocks[0]!.block as DmesgBlock).reports[0]!;
    const bad = badness(r);
    // 500 × (262144 / 1000 = 262) = 131000 pages added to small.
    expect(bad.ranking[0]!.task.name).toBe('small');
    expect(bad.ranking[0]!.adjPoints).toBe(500 * 262);
    expect(bad.withoutAdj?.task.name).toBe('big');
    const f = diagnose(c).findings.find((x) => x.badness)!;
    expect(adjSentences(f).join(' ')).toMatch(/Without oom_score_adj the kernel would have killed big/);
  });

  it('gives ties to the later task and never picks −1000', () => {
    const c = parseCapture(
      table([
        '[  100.000000] [    20]     0    20    90000    70000    65536        0         -1000 protected',
        '[  100.000000] [    21]     0    21    90000     1000    65536        0             0 first',
        '[  100.000000] [    22]     0    22    90000     1000    65536        0             0 second',
      ]).join('\n'),
    );
    const bad = badness((c.blocks[0]!.block as DmesgBlock).reports[0]!);
    expect(bad.ranking.map((x) => x.task.name)).toEqual(['second', 'first']);
    expect(bad.exempt.map((t) => t.name)).toEqual(['protected']);
  });

  it('on a tie in the printed table, puts the process the kernel killed first and names the other as runner-up', () => {
    const c = parseCapture(
      [
        ...table([
          '[  100.000000] [    31]     0    31    90000     3000    65536        0             0 one',
          '[  100.000000] [    32]     0    32    90000     3000    65536        0          -500 two',
          '[  100.000000] [    33]     0    33    90000     3000    65536        0             0 three',
        ]),
        '[  100.100000] Out of memory: Killed process 31 (one) total-vm:360000kB, anon-rss:12000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:64kB oom_score_adj:0',
      ].join('\n'),
    );
    const bad = badness((c.blocks[0]!.block as DmesgBlock).reports[0]!);
    expect(bad.tiedAtTop?.map((x) => x.task.name).sort()).toEqual(['one', 'three']);
    expect(bad.ranking.map((x) => x.task.name)).toEqual(['one', 'three', 'two']);
    expect(bad.agrees).toBe(true);
    expect(bad.withoutAdj).toBeUndefined();
  });
});

describe('the 6.8+ task table', () => {
  it('reads rss_anon, rss_file and rss_shmem columns by name, and counts swap entries', () => {
    const c = parseCapture(readFileSync(join(__dirname, 'fixtures/oom/relate-6.8-task-table.txt'), 'utf8'));
    expect(c.unread).toEqual([]);
    const r = (c.blocks[0]!.block as DmesgBlock).reports[0]!;
    expect(r.taskColumns).toContain('rss_anon');
    expect(r.reservedPages).toBe(63159);
    expect(r.tasks.map((t) => [t.pid, t.rss, t.swapents, t.pgtablesPages, t.oomScoreAdj, t.name])[6]).toEqual([737, 4691, 1240, 376832 / 4096, 0, 'docker-swarm']);
    const bad = badness(r);
    // Without RAM in the excerpt, oom_score_adj cannot be weighed; memory alone ranks docker-swarm first.
    expect(bad.totalPages).toBeUndefined();
    expect(bad.ranking[0]!.task.name).toBe('docker-swarm');
    expect(bad.ranking[0]!.points).toBe(4691 + 1240 + 92);
    expect(bad.notes.join(' ')).toMatch(/oom_score_adj is left out/);
  });
});

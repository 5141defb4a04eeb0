/**
 * Each diagnosis on inputs built to show it: swap thrashing, a leak, a
 * memory-cgroup limit (memory.events, docker stats, a journalctl report),
 * pressure and calm in PSI, the pre-2014 free layout, /proc/vmstat counters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { badness, diagnose, parseCapture, type DmesgBlock, type DockerStatsBlock, type FreeBlock, type MemoryEventsBlock, type MemoryStatBlock } from '../../../src/engine/parse';
import { formatVmstat, vmstatRowFromArray } from '../../../src/engine/format/vmstat';

const kinds = (text: string) => diagnose(parseCapture(text)).findings.map((f) => f.kind);
const vm = (rows: number[][]) => `$ vmstat 5\n${formatVmstat(rows.map(vmstatRowFromArray))}`;

describe('diagnoses', () => {
  it('swap thrashing: si and so high together with the CPU waiting', () => {
    const row = (k: number) => [1, 9, 500000 + k * 100, 20000, 1000, 60000, 4200, 4800, 4300, 5000, 900, 1500, 2, 10, 3, 85, 0];
    const d = diagnose(parseCapture(vm([row(0), row(1), row(2), row(3), row(4)])));
    expect(d.verdict!.kind).toBe('swap-thrashing');
    expect(d.verdict!.evidence.join(' ')).toMatch(/si 4200 and so 4800 KiB\/s/);
  });

  it('a leak: swap use climbing in every row', () => {
    const rows = Array.from({ length: 8 }, (_, k) => [1, 0, 100000 + k * 40000, 30000, 2000, 150000, 0, 8000, 10, 8010, 300, 500, 20, 5, 70, 5, 0]);
    expect(kinds(vm(rows))).toEqual(['leak']);
  });

  it('pressure with reclaim working: busy, but not all the time', () => {
    const calm = [0, 0, 0, 90000, 2000, 300000, 0, 0, 0, 20, 80, 150, 1, 1, 97, 1, 0];
    const busy = [2, 3, 0, 60000, 2000, 250000, 0, 0, 9000, 800, 900, 2000, 30, 10, 35, 25, 0];
    expect(kinds(vm([calm, calm, busy, calm, busy, busy]))).toEqual(['pressure']);
    expect(kinds(vm([calm, busy, calm, calm, calm]))).toEqual(['healthy']);
  });

  it('PSI: calm, pressure and stalls, on memory; cpu and io only for the record', () => {
    const psi = (some: number, full: number, res = 'memory') => `$ cat /proc/pressure/${res}\nsome avg10=${some.toFixed(2)} avg60=1.00 avg300=0.50 total=12345\nfull avg10=${full.toFixed(2)} avg60=0.50 avg300=0.10 total=2345`;
    expect(kinds(psi(0, 0))).toEqual(['healthy']);
    expect(kinds(psi(12, 2))).toEqual(['pressure']);
    expect(kinds(psi(95, 80))).toEqual(['thrashing']);
    expect(kinds(psi(95, 80, 'io'))).toEqual(['info']);
  });

  it('a memory-cgroup limit from memory.events, with memory.stat read beside it', () => {
    const text = '$ cat /sys/fs/cgroup/system.slice/docker-abc.scope/memory.events\nlow 0\nhigh 0\nmax 1520\noom 12\noom_kill 12\noom_group_kill 0\n$ cat /sys/fs/cgroup/system.slice/docker-abc.scope/memory.stat\nanon 262144000\nfile 1048576\nkernel 4096000\nshmem 0\nfile_mapped 0\n';
    const c = parseCapture(text);
    expect(c.unread).toEqual([]);
    expect((c.blocks[0]!.block as MemoryEventsBlock).values.oom_kill).toBe(12);
    expect((c.blocks[1]!.block as MemoryStatBlock).version).toBe(2);
    const d = diagnose(c);
    expect(d.verdict!.kind).toBe('memcg-limit');
    expect(d.verdict!.evidence).toContain('oom_kill 12');
  });

  it('docker stats --no-stream: a container at its limit', () => {
    const text = [
      '$ docker stats --no-stream',
      'CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT     MEM %     NET I/O          BLOCK I/O         PIDS',
      '3f1c9a2b7d4e   batch     98.12%    255.8MiB / 256MiB     99.92%    1.2kB / 0B       12.3MB / 0B       4',
      '9c5d9d0b6a8e   lab1      0.07%     190.3MiB / 1.934GiB   9.61%     3.4kB / 1.1kB    35.1MB / 6.2MB    14',
    ].join('\n');
    const c = parseCapture(text);
    expect(c.unread).toEqual([]);
    const b = c.blocks[0]!.block as DockerStatsBlock;
    expect(b.rows.map((r) => [r.name, Math.round(r.usageKib), Math.round(r.limitKib), r.pids])).toEqual([
      ['batch', Math.round(255.8 * 1024), 256 * 1024, 4],
      ['lab1', Math.round(190.3 * 1024), Math.round(1.934 * 1024 * 1024), 14],
    ]);
    expect(diagnose(c).verdict!.kind).toBe('memcg-limit');
    expect(diagnose(c).verdict!.detail).toMatch(/^batch is at 90 %/);
  });

  it('the pre-2014 free layout: available from the -/+ buffers/cache row', () => {
    const text = '$ free -k\n             total       used       free     shared    buffers     cached\nMem:       1020232     946844      73388       2100      57232     477380\n-/+ buffers/cache:     412232     608000\nSwap:      1046524      10808    1035716\n';
    const c = parseCapture(text);
    expect(c.unread).toEqual([]);
    const f = c.blocks[0]!.block as FreeBlock;
    expect(f.era).toBe('old');
    expect(f.figures).toMatchObject({ total: 1020232, free: 73388, buffCache: 57232 + 477380, available: 608000, swapUsed: 10808 });
    expect(kinds(text)).toEqual(['healthy']);
  });

  it('/proc/vmstat: oom_kill since boot is an OOM kill; otherwise a note on what to compare', () => {
    const base = 'nr_free_pages 1000\npgfault 5000\npgmajfault 70\nworkingset_refault_file 300\npswpin 0\npswpout 0\nallocstall_normal 4\n';
    expect(kinds(`${base}oom_kill 3\n`)).toEqual(['oom-kill']);
    const d = diagnose(parseCapture(`${base}oom_kill 0\n`));
    expect(d.verdict!.kind).toBe('info');
    expect(d.verdict!.detail).toMatch(/reclaim memory themselves 4 times/);
  });

  it('a journalctl -k report that ends at the oom-kill summary: the summary names the victim', () => {
    const c = parseCapture(readFileSync(join(__dirname, 'fixtures/oom/harvester-5.14-memcg-journal.txt'), 'utf8'));
    expect(c.unread).toEqual([]);
    const r = (c.blocks[0]!.block as DmesgBlock).reports[0]!;
    expect(r.kernel).toMatch(/^5\.14\.21/);
    const bad = badness(r);
    expect(bad.victimPid).toBe(39079);
    expect(bad.agrees).toBe(true);
    expect(bad.ranking[1]!.task.name).toBe('virt-launcher');
    const f = diagnose(c).findings[0]!;
    expect(f.kind).toBe('memcg-limit');
    expect(f.evidence[0]).toMatch(/chose qemu-system-x86 \(PID 39079\)/);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dmesgLine,
  dmesgTimestamp,
  formatInvokedLine,
  formatKillLine,
  formatMemcgInfo,
  formatOomKill,
  formatOomSummary,
  formatReaperLine,
  formatTaskRow,
  grepDmesg,
  oomKillRecords,
  TASK_TABLE_HEADER,
  truncateComm,
  GFP,
} from '../../../src/engine/format/dmesg';
import type { OomKill, OomTask } from '../../../src/engine/format/types';
import { cprintf } from './cprintf';

function kill(over: Partial<OomKill> = {}): OomKill {
  return {
    t: 100,
    invoker: { comm: 'python3', pid: 4242, oomScoreAdj: 0 },
    tasks: [],
    victim: {
      pid: 4242,
      comm: 'python3',
      uid: 0,
      totalVmKb: 0,
      anonRssKb: 0,
      fileRssKb: 0,
      shmemRssKb: 0,
      pgtablesKb: 0,
      oomScoreAdj: 0,
      score: 0,
    },
    ...over,
  };
}

describe('dmesg timestamps and comm', () => {
  it('prints [%5lu.%06lu]', () => {
    expect(dmesgTimestamp(3635.537538)).toBe('[ 3635.537538]');
    expect(dmesgTimestamp(0)).toBe('[    0.000000]');
    expect(dmesgTimestamp(487.203019)).toBe('[  487.203019]');
    expect(dmesgTimestamp(101236.553584)).toBe('[101236.553584]');
  });

  it('truncates comm to 15 characters (TASK_COMM_LEN 16)', () => {
    expect(truncateComm('jupyter-notebook')).toBe('jupyter-noteboo');
    expect(truncateComm('bash')).toBe('bash');
  });

  it('indents continuation lines of a multi-line record', () => {
    expect(dmesgLine(1, 'a\n b')).toBe('[    1.000000] a\n                b');
  });
});

describe('classic kernel (the incident)', () => {
  // The incident's `dmesg | grep "Out of memory"`, verbatim.
  const incident: [number, number, number][] = [
    [3635.537538, 21580, 37],
    [3636.822607, 22714, 37],
    [3643.006328, 24976, 37],
    [3654.916468, 26118, 37],
    [3658.712286, 28364, 35],
    [3666.654763, 30603, 36],
    [3685.390829, 30620, 36],
  ];
  const expected = [
    '[ 3635.537538] Out of memory: Kill process 21580 (jupyter-noteboo) score 37 or sacrifice child',
    '[ 3636.822607] Out of memory: Kill process 22714 (jupyter-noteboo) score 37 or sacrifice child',
    '[ 3643.006328] Out of memory: Kill process 24976 (jupyter-noteboo) score 37 or sacrifice child',
    '[ 3654.916468] Out of memory: Kill process 26118 (jupyter-noteboo) score 37 or sacrifice child',
    '[ 3658.712286] Out of memory: Kill process 28364 (jupyter-noteboo) score 35 or sacrifice child',
    '[ 3666.654763] Out of memory: Kill process 30603 (jupyter-noteboo) score 36 or sacrifice child',
    '[ 3685.390829] Out of memory: Kill process 30620 (jupyter-noteboo) score 36 or sacrifice child',
  ];

  it('reproduces `dmesg | grep "Out of memory"` exactly', () => {
    const records = incident.flatMap(([t, pid, score]) =>
      oomKillRecords(
        kill({
          t: t - 0.000412,
          killT: t,
          invoker: { comm: 'jupyter-notebook', pid: pid + 3, oomScoreAdj: 0 },
          victim: { ...kill().victim, pid, comm: 'jupyter-notebook', score },
          tasks: [],
        }),
        'classic',
      ),
    );
    expect(grepDmesg(records, 'Out of memory')).toBe(expected.join('\n'));
  });

  it('prints the 4.15 invoked line and cpuset line', () => {
    // Real 4.15.0-108 sample: "CPU 0/KVM invoked oom-killer: gfp_mask=0x15000c0(GFP_KERNEL_ACCOUNT), nodemask=(null), order=0, oom_score_adj=0"
    const k = kill({ invoker: { comm: 'CPU 0/KVM', pid: 24430, oomScoreAdj: 0 }, gfpMask: GFP.KERNEL_ACCOUNT_4X.mask });
    expect(formatInvokedLine(k, 'classic')).toBe(
      'CPU 0/KVM invoked oom-killer: gfp_mask=0x15000c0(GFP_KERNEL_ACCOUNT), nodemask=(null), order=0, oom_score_adj=0',
    );
    const text = formatOomKill(k, 'classic').split('\n');
    expect(text[1]).toBe('[  100.000000] CPU 0/KVM cpuset=/ mems_allowed=0');
  });

  it('prints the classic task table with [%5d]', () => {
    const t: OomTask = { pid: 21580, uid: 1000, tgid: 21580, totalVmPages: 60000, rssPages: 9000, pgtablesBytes: 335872, swapents: 0, oomScoreAdj: 0, comm: 'jupyter-notebook' };
    expect(formatTaskRow(t, 'classic')).toBe(
      cprintf('[%5d] %5d %5d %8lu %8lu %8ld %8lu         %5hd %s', 21580, 1000, 21580, 60000, 9000, 335872, 0, 0, 'jupyter-noteboo'),
    );
  });
});

describe('modern kernel', () => {
  it('prints the invoked line of 5.x/6.x', () => {
    // Real 5.4 sample: "app invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0"
    expect(formatInvokedLine(kill({ invoker: { comm: 'app', pid: 5641, oomScoreAdj: 0 } }))).toBe(
      'app invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0',
    );
    // Real 5.4 memcg sample: "uwsgi invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=986"
    const memcg = { path: '/kubepods/pod', usageKb: 1048576, limitKb: 1048576, failcnt: 141 };
    expect(formatInvokedLine(kill({ invoker: { comm: 'uwsgi', pid: 63635, oomScoreAdj: 986 }, memcg }))).toBe(
      'uwsgi invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=986',
    );
    expect(formatMemcgInfo(kill({ memcg })).slice(0, 2)).toEqual([
      'memory: usage 1048576kB, limit 1048576kB, failcnt 141',
      'swap: usage 0kB, limit 9007199254740988kB, failcnt 0',
    ]);
  });

  it('prints task rows as dump_task does', () => {
    // Real sample: "[  487.203019] [    363]     0   363    12467     2052    94208        0             0 upowerd"
    const t: OomTask = { pid: 363, uid: 0, tgid: 363, totalVmPages: 12467, rssPages: 2052, pgtablesBytes: 94208, swapents: 0, oomScoreAdj: 0, comm: 'upowerd' };
    expect(dmesgLine(487.203019, formatTaskRow(t))).toBe(
      '[  487.203019] [    363]     0   363    12467     2052    94208        0             0 upowerd',
    );
    expect(TASK_TABLE_HEADER).toBe('[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name');
  });

  it('prints the memcg kill line and the reaper line', () => {
    // Real 5.4 samples (reportportal/kubernetes#203).
    const k = kill({
      memcg: { path: '/kubepods/pod', usageKb: 1, limitKb: 1, failcnt: 1 },
      victim: { pid: 63214, comm: 'uwsgi', uid: 0, totalVmKb: 3149468, anonRssKb: 164992, fileRssKb: 52176, shmemRssKb: 92, pgtablesKb: 1372, oomScoreAdj: 986, score: 0 },
      reaped: { t: 7063.263325, anonRssKb: 0, fileRssKb: 0, shmemRssKb: 92 },
    });
    expect(dmesgLine(7063.247407, formatKillLine(k))).toBe(
      '[ 7063.247407] Memory cgroup out of memory: Killed process 63214 (uwsgi) total-vm:3149468kB, anon-rss:164992kB, file-rss:52176kB, shmem-rss:92kB, UID:0 pgtables:1372kB oom_score_adj:986',
    );
    expect(dmesgLine(7063.263325, formatReaperLine(k) ?? '')).toBe(
      '[ 7063.263325] oom_reaper: reaped process 63214 (uwsgi), now anon-rss:0kB, file-rss:0kB, shmem-rss:92kB',
    );
    expect(formatKillLine({ ...k, memcg: undefined })).toMatch(/^Out of memory: Killed process 63214 \(uwsgi\) /);
  });

  it('prints the oom-kill summary line', () => {
    const k = kill({
      memcg: { path: '/kubepods.slice/pod1.slice', usageKb: 1, limitKb: 1, failcnt: 1 },
      victimMemcgPath: '/kubepods.slice/pod1.slice/cri-containerd-ec9e.scope',
      victim: { ...kill().victim, pid: 461754, comm: 'pt_main_thread', uid: 0 },
    });
    // Shape of a real line (leptonai/gpud#70), on a single-node machine.
    expect(formatOomSummary(k)).toBe(
      'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-ec9e.scope,mems_allowed=0,' +
        'oom_memcg=/kubepods.slice/pod1.slice,task_memcg=/kubepods.slice/pod1.slice/cri-containerd-ec9e.scope,task=pt_main_thread,pid=461754,uid=0',
    );
    expect(formatOomSummary(kill())).toBe(
      'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=python3,pid=4242,uid=0',
    );
  });

  it('prints a whole global OOM report in kernel order', () => {
    const k = kill({
      memInfo: {
        activeAnon: 1, inactiveAnon: 2, isolatedAnon: 0, activeFile: 3, inactiveFile: 4, isolatedFile: 0,
        unevictable: 0, dirty: 0, writeback: 0, slabReclaimable: 5, slabUnreclaimable: 6, mapped: 7, shmem: 8,
        pagetables: 9, free: 10, freeSwapPages: 0, totalSwapPages: 0, totalRamPages: 262046, reservedPages: 8560,
      },
      tasks: [{ pid: 4242, uid: 0, tgid: 4242, totalVmPages: 1, rssPages: 1, pgtablesBytes: 4096, swapents: 0, oomScoreAdj: 0, comm: 'python3' }],
      reaped: { t: 100.01, anonRssKb: 0, fileRssKb: 0, shmemRssKb: 0 },
    });
    const lines = formatOomKill(k).split('\n').map((l) => l.slice(15));
    expect(lines).toEqual([
      'python3 invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0',
      'Mem-Info:',
      'active_anon:1 inactive_anon:2 isolated_anon:0',
      ' active_file:3 inactive_file:4 isolated_file:0',
      ' unevictable:0 dirty:0 writeback:0',
      ' slab_reclaimable:5 slab_unreclaimable:6',
      ' mapped:7 shmem:8 pagetables:9 bounce:0',
      ' kernel_misc_reclaimable:0',
      ' free:10 free_pcp:0 free_cma:0',
      '15 total pagecache pages',
      '0 pages in swap cache',
      'Free swap  = 0kB',
      'Total swap = 0kB',
      '262046 pages RAM',
      '0 pages HighMem/MovableOnly',
      '8560 pages reserved',
      'Tasks state (memory values in pages):',
      '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
      '[   4242]     0  4242        1        1     4096        0             0 python3',
      'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=python3,pid=4242,uid=0',
      'Out of memory: Killed process 4242 (python3) total-vm:0kB, anon-rss:0kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0',
      'oom_reaper: reaped process 4242 (python3), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
    ]);
  });
});

describe('properties', () => {
  const task = fc.record({
    pid: fc.integer({ min: 1, max: 4194304 }),
    uid: fc.integer({ min: 0, max: 65535 }),
    tgid: fc.integer({ min: 1, max: 4194304 }),
    totalVmPages: fc.nat({ max: 2 ** 40 }),
    rssPages: fc.nat({ max: 2 ** 30 }),
    pgtablesBytes: fc.nat({ max: 2 ** 40 }),
    swapents: fc.nat({ max: 2 ** 30 }),
    oomScoreAdj: fc.integer({ min: -1000, max: 1000 }),
    comm: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/[\n%]/.test(s)),
  });

  it('task rows are what the kernel printf prints, never wider', () => {
    fc.assert(
      fc.property(task, (t) => {
        const comm = Array.from(t.comm).slice(0, 15).join('');
        expect(formatTaskRow(t)).toBe(
          cprintf('[%7d] %5d %5d %8lu %8lu %8ld %8lu         %5hd %s', t.pid, t.uid, t.tgid, t.totalVmPages, t.rssPages, t.pgtablesBytes, t.swapents, t.oomScoreAdj, comm),
        );
      }),
    );
  });

  it('timestamps are [%5lu.%06lu] for any uptime', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 9 }), fc.nat({ max: 999999 }), (s, us) => {
        expect(dmesgTimestamp(s + us / 1e6)).toBe(cprintf('[%5lu.%s]', s, String(us).padStart(6, '0')));
      }),
    );
  });
});

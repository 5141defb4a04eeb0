import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMeminfo, meminfoLine } from '../../../src/engine/format/meminfo';
import { formatPsi, psiAvg } from '../../../src/engine/format/psi';
import type { Meminfo } from '../../../src/engine/format/types';

const m: Meminfo = {
  MemTotal: 1013840, MemFree: 528736, MemAvailable: 870444, Buffers: 51328, Cached: 340000, SwapCached: 0,
  Active: 200000, Inactive: 250000, ActiveAnon: 1000, InactiveAnon: 60000, ActiveFile: 199000, InactiveFile: 190000,
  Unevictable: 0, Mlocked: 0, SwapTotal: 0, SwapFree: 0, Dirty: 12, Writeback: 0, AnonPages: 61000, Mapped: 40000,
  Shmem: 4320, KReclaimable: 29012, Slab: 60000, SReclaimable: 29012, SUnreclaim: 30988, KernelStack: 2000,
  PageTables: 1500, CommitLimit: 506920, Committed_AS: 300000,
};

describe('/proc/meminfo', () => {
  it('prints show_val_kb lines: 16-wide label, %8 value, " kB"', () => {
    expect(meminfoLine('MemTotal', 1013840)).toBe('MemTotal:        1013840 kB');
    expect(meminfoLine('Active(anon)', 1000)).toBe('Active(anon):       1000 kB');
    expect(meminfoLine('VmallocTotal', 34359738367)).toBe('VmallocTotal:   34359738367 kB');
    expect(meminfoLine('HugePages_Total', 0, 'count')).toBe('HugePages_Total:       0');
    expect(meminfoLine('HugePages_Free', 0, 'count')).toBe('HugePages_Free:        0');
    expect(meminfoLine('Hugepagesize', 2048, 'kb8')).toBe('Hugepagesize:       2048 kB');
    expect(meminfoLine('HardwareCorrupted', 0)).toBe('HardwareCorrupted:     0 kB');
    expect(meminfoLine('DirectMap2M', 980992, 'kb8')).toBe('DirectMap2M:      980992 kB');
  });

  it('lists the fields in kernel order for 6.1', () => {
    const names = formatMeminfo(m).split('\n').map((l) => l.split(':')[0]);
    expect(names).toEqual([
      'MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapCached', 'Active', 'Inactive',
      'Active(anon)', 'Inactive(anon)', 'Active(file)', 'Inactive(file)', 'Unevictable', 'Mlocked',
      'SwapTotal', 'SwapFree', 'Zswap', 'Zswapped', 'Dirty', 'Writeback', 'AnonPages', 'Mapped', 'Shmem',
      'KReclaimable', 'Slab', 'SReclaimable', 'SUnreclaim', 'KernelStack', 'PageTables', 'SecPageTables',
      'NFS_Unstable', 'Bounce', 'WritebackTmp', 'CommitLimit', 'Committed_AS', 'VmallocTotal', 'VmallocUsed',
      'VmallocChunk', 'Percpu', 'HardwareCorrupted', 'AnonHugePages', 'ShmemHugePages', 'ShmemPmdMapped',
      'FileHugePages', 'FilePmdMapped', 'CmaTotal', 'CmaFree', 'HugePages_Total', 'HugePages_Free',
      'HugePages_Rsvd', 'HugePages_Surp', 'Hugepagesize', 'Hugetlb', 'DirectMap4k', 'DirectMap2M',
    ]);
    const classic = formatMeminfo(m, { kernel: [4, 15] });
    expect(classic).not.toMatch(/KReclaimable|Zswap|FileHugePages|SecPageTables|Percpu|Hugetlb/);
    expect(formatMeminfo(m)).toContain('DirectMap4k:       67584 kB\nDirectMap2M:      980992 kB');
  });

  it('lines are never wider than the kernel\'s for the value', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 50 }), (v) => {
        for (const line of formatMeminfo({ ...m, MemFree: v, Cached: v }).split('\n')) {
          const digits = /(\d+)( kB)?$/.exec(line);
          expect(digits).not.toBeNull();
          const d = digits?.[1]?.length ?? 0;
          const unit = line.endsWith(' kB') ? 3 : 0;
          const label = line.startsWith('HugePages_') ? 19 : line.startsWith('HardwareCorrupted') ? 19 : 16;
          const minW = line.startsWith('HugePages_') || line.startsWith('HardwareCorrupted') ? 5 : 8;
          expect(line.length).toBe(label + Math.max(minW, d) + unit);
        }
      }),
    );
  });
});

describe('/proc/pressure/memory', () => {
  it('prints psi_show lines', () => {
    expect(formatPsi({ some: { avg10: 0, avg60: 0, avg300: 0, total: 0 }, full: { avg10: 0, avg60: 0, avg300: 0, total: 0 } })).toBe(
      'some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0',
    );
    expect(formatPsi({ some: { avg10: 91.237, avg60: 54.5, avg300: 12.01, total: 123456789 }, full: { avg10: 88.999, avg60: 50, avg300: 10.1, total: 98765432 } })).toBe(
      'some avg10=91.23 avg60=54.50 avg300=12.01 total=123456789\nfull avg10=88.99 avg60=50.00 avg300=10.10 total=98765432',
    );
  });

  it('averages always have two decimals', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 100, noNaN: true }), (p) => {
      expect(psiAvg(p)).toMatch(/^\d{1,3}\.\d\d$/);
    }));
  });
});

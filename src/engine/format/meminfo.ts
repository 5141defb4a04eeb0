import type { Meminfo } from './types';

/**
 * /proc/meminfo as fs/proc/meminfo.c prints it on x86_64.
 *
 * Most lines come from show_val_kb(): a 16-character label ("MemTotal:       ")
 * then seq_put_decimal_ull_width(…, 8) and " kB" — values wider than 8 digits
 * push " kB" right. HugePages_* use "%5lu" without a unit; Hugepagesize,
 * Hugetlb and DirectMap* use "%8lu kB".
 */

/** Fields the model does not track; all optional, default 0 (or the architecture constant). */
export interface MeminfoExtra {
  Zswap?: number;
  Zswapped?: number;
  SecPageTables?: number;
  NFS_Unstable?: number;
  Bounce?: number;
  WritebackTmp?: number;
  /** x86_64: 34359738367 kB. */
  VmallocTotal?: number;
  VmallocUsed?: number;
  VmallocChunk?: number;
  Percpu?: number;
  HardwareCorrupted?: number;
  AnonHugePages?: number;
  ShmemHugePages?: number;
  ShmemPmdMapped?: number;
  FileHugePages?: number;
  FilePmdMapped?: number;
  CmaTotal?: number;
  CmaFree?: number;
  Unaccepted?: number;
  HugePages_Total?: number;
  HugePages_Free?: number;
  HugePages_Rsvd?: number;
  HugePages_Surp?: number;
  /** kB; 2048 on x86_64. */
  Hugepagesize?: number;
  Hugetlb?: number;
  /** Default: derived from MemTotal (direct map of all RAM rounded up to 128 MiB). */
  DirectMap4k?: number;
  DirectMap2M?: number;
  /** Printed only when given (machines with gbpages). */
  DirectMap1G?: number;
}

export interface MeminfoOptions {
  /** Kernel version [major, minor] whose field list to print. Default [6, 1]. */
  kernel?: readonly [number, number];
  extra?: MeminfoExtra;
}

type Since = readonly [number, number];

interface Field {
  name: string;
  since?: Since;
  until?: Since;
  kind: 'kb' | 'count' | 'kb8';
  value: (m: Meminfo, x: Required<Omit<MeminfoExtra, 'DirectMap1G'>>) => number;
}

const f = (
  name: string,
  value: Field['value'],
  kind: Field['kind'] = 'kb',
  since?: Since,
  until?: Since,
): Field => ({ name, value, kind, ...(since ? { since } : {}), ...(until ? { until } : {}) });

const FIELDS: readonly Field[] = [
  f('MemTotal', (m) => m.MemTotal),
  f('MemFree', (m) => m.MemFree),
  f('MemAvailable', (m) => m.MemAvailable),
  f('Buffers', (m) => m.Buffers),
  f('Cached', (m) => m.Cached),
  f('SwapCached', (m) => m.SwapCached),
  f('Active', (m) => m.Active),
  f('Inactive', (m) => m.Inactive),
  f('Active(anon)', (m) => m.ActiveAnon),
  f('Inactive(anon)', (m) => m.InactiveAnon),
  f('Active(file)', (m) => m.ActiveFile),
  f('Inactive(file)', (m) => m.InactiveFile),
  f('Unevictable', (m) => m.Unevictable),
  f('Mlocked', (m) => m.Mlocked),
  f('SwapTotal', (m) => m.SwapTotal),
  f('SwapFree', (m) => m.SwapFree),
  f('Zswap', (_m, x) => x.Zswap, 'kb', [5, 19]),
  f('Zswapped', (_m, x) => x.Zswapped, 'kb', [5, 19]),
  f('Dirty', (m) => m.Dirty),
  f('Writeback', (m) => m.Writeback),
  f('AnonPages', (m) => m.AnonPages),
  f('Mapped', (m) => m.Mapped),
  f('Shmem', (m) => m.Shmem),
  f('KReclaimable', (m) => m.KReclaimable, 'kb', [4, 20]),
  f('Slab', (m) => m.Slab),
  f('SReclaimable', (m) => m.SReclaimable),
  f('SUnreclaim', (m) => m.SUnreclaim),
  f('KernelStack', (m) => m.KernelStack),
  f('PageTables', (m) => m.PageTables),
  f('SecPageTables', (_m, x) => x.SecPageTables, 'kb', [6, 1]),
  f('NFS_Unstable', (_m, x) => x.NFS_Unstable),
  f('Bounce', (_m, x) => x.Bounce),
  f('WritebackTmp', (_m, x) => x.WritebackTmp),
  f('CommitLimit', (m) => m.CommitLimit),
  f('Committed_AS', (m) => m.Committed_AS),
  f('VmallocTotal', (_m, x) => x.VmallocTotal),
  f('VmallocUsed', (_m, x) => x.VmallocUsed),
  f('VmallocChunk', (_m, x) => x.VmallocChunk),
  f('Percpu', (_m, x) => x.Percpu, 'kb', [4, 16]),
  f('HardwareCorrupted', (_m, x) => x.HardwareCorrupted),
  f('AnonHugePages', (_m, x) => x.AnonHugePages),
  f('ShmemHugePages', (_m, x) => x.ShmemHugePages, 'kb', [4, 8]),
  f('ShmemPmdMapped', (_m, x) => x.ShmemPmdMapped, 'kb', [4, 8]),
  f('FileHugePages', (_m, x) => x.FileHugePages, 'kb', [5, 4]),
  f('FilePmdMapped', (_m, x) => x.FilePmdMapped, 'kb', [5, 4]),
  f('CmaTotal', (_m, x) => x.CmaTotal),
  f('CmaFree', (_m, x) => x.CmaFree),
  f('Unaccepted', (_m, x) => x.Unaccepted, 'kb', [6, 5]),
  f('HugePages_Total', (_m, x) => x.HugePages_Total, 'count'),
  f('HugePages_Free', (_m, x) => x.HugePages_Free, 'count'),
  f('HugePages_Rsvd', (_m, x) => x.HugePages_Rsvd, 'count'),
  f('HugePages_Surp', (_m, x) => x.HugePages_Surp, 'count'),
  f('Hugepagesize', (_m, x) => x.Hugepagesize, 'kb8'),
  f('Hugetlb', (_m, x) => x.Hugetlb, 'kb8', [4, 16]),
  f('DirectMap4k', (_m, x) => x.DirectMap4k, 'kb8'),
  f('DirectMap2M', (_m, x) => x.DirectMap2M, 'kb8'),
];

function atLeast(v: Since, since: Since): boolean {
  return v[0] > since[0] || (v[0] === since[0] && v[1] >= since[1]);
}

function num(n: number): string {
  return String(Math.max(0, Math.trunc(n)));
}

/** One line for a field, in the kernel's widths. */
export function meminfoLine(name: string, value: number, kind: 'kb' | 'count' | 'kb8' = 'kb'): string {
  if (name === 'HardwareCorrupted') return `HardwareCorrupted: ${num(value).padStart(5)} kB`;
  switch (kind) {
    case 'kb':
      return `${`${name}:`.padEnd(16)}${num(value).padStart(8)} kB`;
    case 'count':
      return `${`${name}:`.padEnd(19)}${num(value).padStart(5)}`;
    case 'kb8':
      return `${`${name}:`.padEnd(16)}${num(value).padStart(8)} kB`;
  }
}

function defaults(m: Meminfo, e: MeminfoExtra): Required<Omit<MeminfoExtra, 'DirectMap1G'>> {
  const block = 131072;
  const phys = Math.ceil(Math.max(m.MemTotal, 1) / block) * block;
  const dm4k = Math.min(67584, phys);
  return {
    Zswap: 0,
    Zswapped: 0,
    SecPageTables: 0,
    NFS_Unstable: 0,
    Bounce: 0,
    WritebackTmp: 0,
    VmallocTotal: 34359738367,
    VmallocUsed: 0,
    VmallocChunk: 0,
    Percpu: 0,
    HardwareCorrupted: 0,
    AnonHugePages: 0,
    ShmemHugePages: 0,
    ShmemPmdMapped: 0,
    FileHugePages: 0,
    FilePmdMapped: 0,
    CmaTotal: 0,
    CmaFree: 0,
    Unaccepted: 0,
    HugePages_Total: 0,
    HugePages_Free: 0,
    HugePages_Rsvd: 0,
    HugePages_Surp: 0,
    Hugepagesize: 2048,
    Hugetlb: 0,
    DirectMap4k: dm4k,
    DirectMap2M: phys - dm4k,
    ...stripUndefined(e),
  };
}

function stripUndefined(e: MeminfoExtra): Partial<MeminfoExtra> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(e)) if (typeof v === 'number') out[k] = v;
  return out as Partial<MeminfoExtra>;
}

/** The full text of /proc/meminfo. */
export function formatMeminfo(m: Meminfo, opts: MeminfoOptions = {}): string {
  const kernel = opts.kernel ?? [6, 1];
  const extra = opts.extra ?? {};
  const x = defaults(m, extra);
  const lines: string[] = [];
  for (const fl of FIELDS) {
    if (fl.since && !atLeast(kernel, fl.since)) continue;
    lines.push(meminfoLine(fl.name, fl.value(m, x), fl.kind));
  }
  if (extra.DirectMap1G !== undefined) lines.push(meminfoLine('DirectMap1G', extra.DirectMap1G, 'kb8'));
  return lines.join('\n');
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatFree, formatFreeMiB, freeFigures } from '../../../src/engine/format/free';
import type { Meminfo } from '../../../src/engine/format/types';
import { asModern, incidentSnapshots } from '../../../src/data/incident';

/** The incident's first transcript, re-spaced as procps-ng 3.3.x lays it out. */
const BOOT_CLASSIC = [
  '              total        used        free      shared  buff/cache   available',
  'Mem:            990          78         518           4         392         867',
  'Swap:             0           0           0',
].join('\n');

/** The same figures in the procps-ng 4 layout, with used = total − available. */
const BOOT_MODERN = [
  '               total        used        free      shared  buff/cache   available',
  'Mem:             990         123         518           4         392         867',
  'Swap:              0           0           0',
].join('\n');

describe('free -m for recorded snapshots', () => {
  it('prints the classic layout of the incident era', () => {
    expect(formatFreeMiB(incidentSnapshots[0]!, 'classic')).toBe(BOOT_CLASSIC);
  });

  it('prints the modern layout with used recomputed from available', () => {
    expect(formatFreeMiB(asModern(incidentSnapshots[0]!), 'modern')).toBe(BOOT_MODERN);
  });

  it('keeps every recorded figure, in column order, for each snapshot', () => {
    for (const s of incidentSnapshots) {
      const mem = formatFreeMiB(s, 'classic').split('\n')[1]!;
      expect(mem.trim().split(/\s+/)).toEqual(['Mem:', ...[s.total, s.used, s.free, s.shared, s.buff_cache, s.available].map(String)]);
    }
  });
});

function meminfo(partial: Partial<Meminfo>): Meminfo {
  const zero = {
    MemTotal: 0, MemFree: 0, MemAvailable: 0, Buffers: 0, Cached: 0, SwapCached: 0, Active: 0, Inactive: 0,
    ActiveAnon: 0, InactiveAnon: 0, ActiveFile: 0, InactiveFile: 0, Unevictable: 0, Mlocked: 0, SwapTotal: 0,
    SwapFree: 0, Dirty: 0, Writeback: 0, AnonPages: 0, Mapped: 0, Shmem: 0, KReclaimable: 0, Slab: 0,
    SReclaimable: 0, SUnreclaim: 0, KernelStack: 0, PageTables: 0, CommitLimit: 0, Committed_AS: 0,
  } satisfies Meminfo;
  return { ...zero, ...partial };
}

describe('free figures from /proc/meminfo', () => {
  const m = meminfo({
    MemTotal: 1013776, MemFree: 60416, MemAvailable: 582656, Buffers: 57344, Cached: 520192, SReclaimable: 16384,
    Shmem: 10240, SwapTotal: 1048572, SwapFree: 1000000,
  });

  it('counts reclaimable slab in buff/cache, and uses total − available in the modern era', () => {
    const f = freeFigures(m, 'modern');
    expect(f.cache).toBe(520192 + 16384);
    expect(f.used).toBe(1013776 - 582656);
    expect(f.swapUsed).toBe(1048572 - 1000000);
  });

  it('uses total − free − buff/cache in the classic era', () => {
    expect(freeFigures(m, 'classic').used).toBe(1013776 - 60416 - 57344 - 520192 - 16384);
  });

  it('truncates to MiB with -m', () => {
    const line = formatFree(freeFigures(m, 'modern'), { unit: 'm' }).split('\n')[1]!;
    expect(line.trim().split(/\s+/)).toEqual(['Mem:', '990', '421', '59', '10', '580', '569']);
  });

  it('never lets a value run into its neighbour', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 65536, max: 2 ** 36 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom('modern' as const, 'classic' as const),
        (total, freeShare, cacheShare, era) => {
          const free = Math.floor(total * freeShare);
          const cached = Math.floor((total - free) * cacheShare);
          const f = freeFigures(meminfo({ MemTotal: total, MemFree: free, Cached: cached, MemAvailable: free + cached }), era);
          for (const unit of ['k', 'm'] as const) {
            const lines = formatFree(f, { era, unit }).split('\n');
            const header = lines[0]!;
            for (const line of lines.slice(1)) {
              expect(line.length).toBeLessThanOrEqual(header.length);
              expect(line.trim().split(/\s+/).length).toBe(line.startsWith('Mem:') ? 7 : 4);
            }
          }
        },
      ),
    );
  });
});

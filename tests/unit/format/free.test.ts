import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatFree, formatFreeMiB, humanSize, humanSizeClassic, type FreeFigures } from '../../../src/engine/format/free';
import { cprintf } from './cprintf';

describe('free -h (procps-ng 4 scale_size)', () => {
  it('scales like procps-ng 4', () => {
    expect(humanSize(0)).toBe('0B');
    expect(humanSize(1)).toBe('1.0Ki');
    expect(humanSize(999)).toBe('999Ki');
    expect(humanSize(1013840)).toBe('990Mi'); // 990.08 MiB: "990.1Mi" is too long, "%ld" truncates
    expect(humanSize(1048000)).toBe('1.0Gi'); // 1023.4 MiB: "1023Mi" is too long
    expect(humanSize(10443030)).toBe('9Gi'); // 9.959 GiB: "10.0Gi" is too long, "%ld" truncates to 9
    expect(humanSize(1310720)).toBe('1.2Gi'); // exactly 1.25: glibc rounds the tie to even
    expect(humanSize(5376)).toBe('5.2Mi'); // exactly 5.25
  });

  it('classic (procps-ng 3.3.10) has no "i" and four characters', () => {
    expect(humanSizeClassic(0)).toBe('0B');
    expect(humanSizeClassic(518)).toBe('518K');
    expect(humanSizeClassic(1013840)).toBe('990M');
    expect(humanSizeClassic(4096)).toBe('4.0M');
  });

  it('-h values never exceed five characters (four for 3.3.x) in the units procps knows', () => {
    fc.assert(fc.property(fc.nat({ max: 999 * 2 ** 40 }), (k) => {
      expect(humanSize(k).length).toBeLessThanOrEqual(5);
    }));
    fc.assert(fc.property(fc.nat({ max: 999 * 2 ** 30 }), (k) => {
      expect(humanSizeClassic(k).length).toBeLessThanOrEqual(4);
    }));
  });
});

const fig = (total: number, used: number, free: number, shared: number, buffers: number, cache: number, available: number): FreeFigures => ({
  total, used, free, shared, buffers, cache, available, swapTotal: 0, swapUsed: 0, swapFree: 0,
});

describe('free layouts', () => {
  it('modern -m, -h and -w match procps-ng 4 free.c', () => {
    const f = fig(1013840, 143396, 528736, 4320, 51328, 369012, 870444);
    expect(formatFree(f, { unit: 'm' }).split('\n')).toEqual([
      '               total        used        free      shared  buff/cache   available',
      'Mem:             990         140         516           4         410         850',
      'Swap:              0           0           0',
    ]);
    expect(formatFree(f, { unit: 'h', wide: true }).split('\n')).toEqual([
      '               total        used        free      shared     buffers       cache   available',
      'Mem:           990Mi       140Mi       516Mi       4.2Mi        50Mi       360Mi       850Mi',
      'Swap:             0B          0B          0B',
    ]);
  });

  it('classic -m matches the incident', () => {
    expect(formatFreeMiB({ total: 990, used: 78, free: 518, shared: 4, buff_cache: 392, available: 867 }, 'classic').split('\n')).toEqual([
      '              total        used        free      shared  buff/cache   available',
      'Mem:            990          78         518           4         392         867',
      'Swap:             0           0           0',
    ]);
  });

  it('every line is what free.c\'s printf prints', () => {
    const k = fc.nat({ max: 2 ** 45 });
    fc.assert(
      fc.property(fc.tuple(k, k, k, k, k, k, k), fc.boolean(), (v, wide) => {
        const f = fig(...v);
        const lines = formatFree(f, { unit: 'k', wide }).split('\n');
        const mem = wide ? [f.total, f.used, f.free, f.shared, f.buffers, f.cache, f.available] : [f.total, f.used, f.free, f.shared, f.buffers + f.cache, f.available];
        expect(lines[1]).toBe(cprintf('%-9s%11s' + ' %11s'.repeat(mem.length - 1), 'Mem:', ...mem));
        const classic = formatFree(f, { unit: 'k', wide, era: 'classic' }).split('\n');
        expect(classic[1]).toBe(cprintf('%-7s' + ' %11s'.repeat(mem.length), 'Mem:', ...mem));
      }),
    );
  });
});

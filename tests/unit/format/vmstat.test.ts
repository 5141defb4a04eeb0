import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatVmstat, formatVmstatRow, vmstatHeader, vmstatRowFromArray, vmstatRowWidth } from '../../../src/engine/format/vmstat';
import { cprintf } from './cprintf';

const FMT = '%2lu %2lu %6lu %6lu %6lu %6lu %4u %4u %5u %5u %4u %4u %2u %2u %2u %2u %2u';
const WIDE = '%4lu %4lu %12lu %12lu %12lu %12lu %4u %4u %5u %5u %4u %4u %3u %3u %3u %3u %3u';

describe('vmstat', () => {
  it('prints the procps header lines', () => {
    expect(vmstatHeader()).toEqual([
      'procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----',
      ' r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st',
    ]);
  });

  it('formats the incident rows with procps widths', () => {
    // Rows from the incident (../shared/seed); spacing from vmstat.c's format string.
    expect(formatVmstatRow(vmstatRowFromArray([0, 0, 0, 463880, 51328, 369012, 0, 0, 635, 32, 94, 231, 2, 1, 95, 1, 1]))).toBe(
      ' 0  0      0 463880  51328 369012    0    0   635    32   94  231  2  1 95  1  1',
    );
    // id = 100 does not fit in %2u: the rest of the line moves right by one.
    expect(formatVmstatRow(vmstatRowFromArray([0, 0, 0, 463356, 51336, 369044, 0, 0, 0, 2, 36, 68, 0, 0, 100, 0, 0]))).toBe(
      ' 0  0      0 463356  51336 369044    0    0     0     2   36   68  0  0 100  0  0',
    );
    expect(formatVmstatRow(vmstatRowFromArray([0, 11, 0, 9576, 588, 101548, 0, 0, 68988, 485, 4097, 6006, 1, 10, 0, 88, 0]))).toBe(
      ' 0 11      0   9576    588 101548    0    0 68988   485 4097 6006  1 10  0 88  0',
    );
    expect(formatVmstatRow(vmstatRowFromArray([0, 75, 0, 9944, 160, 98220, 0, 0, 63342, 59, 1724, 5150, 0, 10, 0, 89, 1]))).toBe(
      ' 0 75      0   9944    160  98220    0    0 63342    59 1724 5150  0 10  0 89  1',
    );
  });

  it('prints a transcript: header then rows, header repeated every 21 rows by default', () => {
    const row = vmstatRowFromArray([0, 0, 0, 462380, 51372, 369116, 0, 0, 0, 0, 43, 101, 0, 0, 100, 0, 0]);
    const text = formatVmstat([row, row]);
    expect(text.split('\n')).toEqual([...vmstatHeader(), formatVmstatRow(row), formatVmstatRow(row)]);
    const long = formatVmstat(Array.from({ length: 22 }, () => row)).split('\n');
    expect(long).toHaveLength(2 + 22 + 2);
    expect(long[23]).toBe(vmstatHeader()[0]);
    expect(formatVmstat(Array.from({ length: 22 }, () => row), { headerEvery: 0 }).split('\n')).toHaveLength(24);
  });

  const values = fc.array(fc.nat({ max: 2 ** 31 - 1 }), { minLength: 17, maxLength: 17 });

  it('every row is exactly what printf with vmstat\'s format string prints', () => {
    fc.assert(
      fc.property(values, (v) => {
        const row = vmstatRowFromArray(v);
        expect(formatVmstatRow(row)).toBe(cprintf(FMT, ...v));
        expect(formatVmstatRow(row, { wide: true })).toBe(cprintf(WIDE, ...v));
        expect(formatVmstatRow(row).length).toBe(vmstatRowWidth(row));
      }),
    );
  });

  it('rows with values that fit their columns are exactly as wide as the header', () => {
    const fit = fc.tuple(
      fc.nat(99), fc.nat(99), fc.nat(999999), fc.nat(999999), fc.nat(999999), fc.nat(999999),
      fc.nat(9999), fc.nat(9999), fc.nat(99999), fc.nat(99999), fc.nat(9999), fc.nat(9999),
      fc.nat(99), fc.nat(99), fc.nat(99), fc.nat(99), fc.nat(99),
    );
    fc.assert(
      fc.property(fit, (v) => {
        expect(formatVmstatRow(vmstatRowFromArray(v)).length).toBe(vmstatHeader()[1].length);
      }),
    );
  });
});

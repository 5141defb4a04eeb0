import { describe, expect, it } from 'vitest';
import { formatProcSwaps, formatSwaponShow, humanSize, swapAreas } from '../../../src/engine/format/swaps';

describe('swap areas', () => {
  it('print /proc/swaps as swap_show() does: a padded name, then tab-separated KiB', () => {
    expect(formatProcSwaps(swapAreas(1048576, 130248))).toBe(
      'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n' + '/swapfile' + ' '.repeat(31) + 'file\t\t1048576\t\t130248\t\t-2',
    );
    expect(formatProcSwaps(swapAreas(0, 0))).toBe('Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority');
  });

  it('print swapon --show with util-linux sizes, and nothing without swap', () => {
    expect(formatSwaponShow(swapAreas(1048576, 130248))).toBe('NAME      TYPE SIZE   USED PRIO\n/swapfile file   1G 127.2M   -2');
    expect(formatSwaponShow(swapAreas(262144, 0))).toBe('NAME      TYPE SIZE USED PRIO\n/swapfile file 256M   0B   -2');
    expect(formatSwaponShow([])).toBe('');
  });

  it('size like util-linux: one decimal when it has one, rounding up into the next whole', () => {
    expect(humanSize(0)).toBe('0B');
    expect(humanSize(1023)).toBe('1023B');
    expect(humanSize(1024)).toBe('1K');
    expect(humanSize(1.5 * 1024 ** 3)).toBe('1.5G');
    expect(humanSize(1024 ** 3 - 1024)).toBe('1024M');
  });
});

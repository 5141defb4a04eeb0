/**
 * Captures from a real machine (tests/unit/parse/fixtures/real, taken with the
 * commands in their names): every line is read, and the figures agree with
 * each other and with the text.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCapture, type FreeBlock, type MeminfoBlock, type ProcVmstatBlock, type PsiBlock, type VmstatBlock } from '../../../src/engine/parse';

const DIR = join(__dirname, 'fixtures/real');
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');
const COMMANDS: Record<string, string> = {
  'free.txt': 'free',
  'free-m.txt': 'free -m',
  'free-h.txt': 'free -h',
  'free-w.txt': 'free -w',
  'free-gt.txt': 'free -g -t',
  'free-kwt.txt': 'free -k -w -t',
  'vmstat-1-3.txt': 'vmstat 1 3',
  'vmstat-w.txt': 'vmstat -w 1 2',
  'vmstat-a.txt': 'vmstat -a 1 2',
  'meminfo.txt': 'cat /proc/meminfo',
  'pressure-memory.txt': 'cat /proc/pressure/memory',
  'pressure-cpu.txt': 'cat /proc/pressure/cpu',
  'pressure-io.txt': 'cat /proc/pressure/io',
  'proc-vmstat.txt': 'cat /proc/vmstat',
};

describe('real captures from this machine', () => {
  it('cover every file in the fixture folder', () => {
    expect(readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it.each(Object.entries(COMMANDS))('%s parses with no unread line, alone and after its command line', (file, command) => {
    const text = read(file);
    for (const paste of [text, `$ ${command}\n${text}`]) {
      const c = parseCapture(paste);
      expect(c.problem).toBeUndefined();
      expect(c.unread).toEqual([]);
      expect(c.blocks).toHaveLength(1);
      const b = c.blocks[0]!;
      // The block covers every non-blank line of the output.
      const nonBlank = text.split('\n').filter((l) => l.trim()).length;
      expect(b.to - b.from + 1).toBe(nonBlank);
    }
  });

  it('reads free in each unit to the same machine as /proc/meminfo', () => {
    const mem = parseCapture(read('meminfo.txt')).blocks[0]!.block as MeminfoBlock;
    const total = mem.fields.MemTotal!;
    const freeOf = (file: string) => parseCapture(`$ ${COMMANDS[file]}\n${read(file)}`).blocks[0]!.block as FreeBlock;
    expect(freeOf('free.txt').figures.total).toBe(total);
    expect(freeOf('free-w.txt').wide).toBe(true);
    expect(freeOf('free-kwt.txt').total?.kib[0]).toBe(total + mem.fields.SwapTotal!);
    expect(freeOf('free-m.txt').figures.total).toBe(Math.floor(total / 1024) * 1024);
    expect(freeOf('free-gt.txt').figures.total).toBe(Math.floor(total / 1024 / 1024) * 1024 * 1024);
    const h = freeOf('free-h.txt');
    expect(h.unit).toBe('h');
    expect(Math.abs(h.figures.total - total) / total).toBeLessThan(0.05);
    expect(freeOf('free.txt').era).toBe('modern');
  });

  it('reads vmstat columns by their headers, wide and -a included', () => {
    const v = (f: string) => parseCapture(read(f)).blocks[0]!.block as VmstatBlock;
    expect(v('vmstat-1-3.txt').rows).toHaveLength(3);
    expect(v('vmstat-1-3.txt').firstIsSinceBoot).toBe(true);
    const wide = v('vmstat-w.txt');
    expect(wide.wide).toBe(true);
    expect(wide.columns).toContain('gu');
    expect(v('vmstat-a.txt').active).toBe(true);
    expect(v('vmstat-a.txt').rows[0]).toHaveProperty('inact');
    const line2 = read('vmstat-1-3.txt').split('\n')[2]!.trim().split(/\s+/).map(Number);
    expect(Object.values(v('vmstat-1-3.txt').rows[0]!)).toEqual(line2);
  });

  it('names the pressure file from the command line', () => {
    for (const r of ['memory', 'cpu', 'io']) {
      const b = parseCapture(`$ cat /proc/pressure/${r}\n${read(`pressure-${r}.txt`)}`).blocks[0]!.block as PsiBlock;
      expect(b.resource).toBe(r);
      expect(b.some).toBeDefined();
      expect(b.full).toBeDefined();
    }
  });

  it('reads every /proc/vmstat counter', () => {
    const text = read('proc-vmstat.txt');
    const b = parseCapture(text).blocks[0]!.block as ProcVmstatBlock;
    expect(Object.keys(b.counters)).toHaveLength(text.trim().split('\n').length);
    for (const k of ['pgmajfault', 'workingset_refault_file', 'pswpin', 'pswpout', 'allocstall_normal', 'oom_kill']) expect(b.counters).toHaveProperty(k);
  });

  it('reads several captures pasted together as separate blocks', () => {
    const all = Object.entries(COMMANDS).map(([f, cmd]) => `$ ${cmd}\n${read(f)}`).join('\n');
    const c = parseCapture(all);
    expect(c.unread).toEqual([]);
    expect(c.blocks.map((b) => b.command)).toEqual(Object.values(COMMANDS));
  });
});

describe('a capture saved with the runbook\'s one-liner', () => {
  it('reads every block, names both pressure files, and lists only the date, uptime and other kernel lines as unread', () => {
    const text = [
      'Wed Dec  2 13:52:36 UTC 2026',
      ' 13:52:36 up 45 min,  0 user,  load average: 10.34, 10.65, 8.47',
      read('free-m.txt').trimEnd(),
      read('vmstat-1-3.txt').trimEnd(),
      '==> /proc/pressure/memory <==',
      read('pressure-memory.txt').trimEnd(),
      '',
      '==> /proc/pressure/io <==',
      read('pressure-io.txt').trimEnd(),
      read('meminfo.txt').trimEnd(),
      read('proc-vmstat.txt').trimEnd(),
      '    PID   RSS  OOM OOMADJ COMMAND',
      '      1 10936    0     0 init',
      '   1104  4116  666     0 bash',
      '[Wed Dec  2 13:07:17 2026] EXT4-fs (vda): mounted filesystem with ordered data mode.',
    ].join('\n');
    const c = parseCapture(text);
    expect(c.blocks.map((b) => b.block.kind)).toEqual(['free', 'vmstat', 'psi', 'psi', 'meminfo', 'proc-vmstat', 'ps', 'dmesg']);
    expect(c.blocks.filter((b) => b.block.kind === 'psi').map((b) => (b.block as PsiBlock).resource)).toEqual(['memory', 'io']);
    expect(c.unread.map((u) => u.line)).toEqual([1, 2, text.split('\n').length]);
  });

  it('takes any "$ …" prompt as a command line, even for a tool it does not read', () => {
    const c = parseCapture('$ uptime\n$ free -m\n' + read('free-m.txt'));
    expect(c.unread).toEqual([]);
    expect(c.context).toEqual([1, 2]);
    expect((c.blocks[0]!.block as FreeBlock).unitFrom).toBe('command');
  });
});

/**
 * Whatever is pasted, the reader answers: garbage, binary, half-lines and
 * huge pastes give a clear message or a list of unread lines, never a throw;
 * reading in slices gives the same result as reading at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureReader, MAX_PASTE_CHARS, diagnose, explain, parseCapture, renderMarkdown, renderText } from '../../../src/engine/parse';

const writeup = readFileSync(new URL('../../../../shared/seed/what-happens-when-you-run-out-of-memory.txt', import.meta.url), 'utf8');
const azure = readFileSync(join(__dirname, 'fixtures/oom/azure-5.14-global-modern.txt'), 'utf8');

describe('pastes the reader cannot use', () => {
  it('says the paste is empty', () => {
    expect(parseCapture('   \n\n').problem).toMatch(/nothing to read/);
  });

  it('says a binary file is binary', () => {
    const bytes = Array.from({ length: 4000 }, (_, i) => String.fromCharCode((i * 37) % 256)).join('');
    expect(parseCapture(bytes).problem).toMatch(/binary/);
    expect(parseCapture(`MemTotal: 1 kB\u0000\u0001`).problem).toMatch(/binary/);
  });

  it('refuses a paste over the limit with its size, and reads one just under it', () => {
    const big = 'x'.repeat(5_000_000);
    const c = parseCapture(big);
    expect(c.problem).toMatch(/5\.0 million characters/);
    expect(c.blocks).toEqual([]);
    const line = `${'free avg10=0.00\n'}`;
    const under = line.repeat(Math.floor((MAX_PASTE_CHARS - 10) / line.length));
    expect(parseCapture(under).problem).toBeUndefined();
  });

  it('lists every line of garbage as unread, with a reason', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 120 }), { maxLength: 40 }), (ls) => {
        const c = parseCapture(ls.join('\n'));
        for (const u of c.unread) expect(u.reason).toMatch(/\w{3}/);
        expect(() => diagnose(c)).not.toThrow();
        expect(() => renderMarkdown(explain(c))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('survives real output cut anywhere: half-lines and missing ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: writeup.length }), fc.integer({ min: 0, max: azure.length }), (a, b) => {
        for (const text of [writeup.slice(0, a), writeup.slice(a), azure.slice(0, b), azure.slice(b)]) {
          const c = parseCapture(text);
          const e = explain(c);
          expect(typeof renderText(e)).toBe('string');
          // Every non-blank line is accounted for: in a block, a context line, or unread.
          const lines = text.split('\n');
          for (let i = 0; i < lines.length; i++) {
            if (!lines[i]!.trim()) continue;
            const n = i + 1;
            const inBlock = c.blocks.some((bl) => n >= bl.from && n <= bl.to);
            expect(inBlock || c.context.includes(n) || c.unread.some((u) => u.line === n), `line ${n}: ${lines[i]}`).toBe(true);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reads output copied from a web page or a coloured terminal', () => {
    const meminfo = readFileSync(join(__dirname, 'fixtures/real/meminfo.txt'), 'utf8');
    const pasted = '\ufeff' + meminfo.replace(/ {2}/g, '\u00a0 ').replace(/^MemTotal/m, '\u001b[1mMemTotal\u001b[0m');
    const c = parseCapture(pasted);
    expect(c.unread).toEqual([]);
    expect(c.blocks.map((b) => b.block.kind)).toEqual(['meminfo']);
    const vm = parseCapture('nr_free_pages\u00a01000\npgmajfault 70\npswpin 0\npswpout 0\noom_kill 1\n');
    expect(vm.blocks.map((b) => b.block.kind)).toEqual(['proc-vmstat']);
  });

  it('names what is wrong with a cut-off vmstat row', () => {
    const c = parseCapture('procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\n 1  0      0 21546448  85432 2892060    0    0  1921\n 0  0      0 21546448  85432 2892060    0    0     0     0   61   89  0  0 100  0  0');
    expect(c.unread).toHaveLength(1);
    expect(c.unread[0]!.reason).toMatch(/9 numbers under a header of 17 columns/);
  });
});

describe('reading in slices', () => {
  it('gives the same result as reading at once, for a 1 MB paste', () => {
    const pair = `${writeup}\n${azure}\n`;
    const copies = Math.ceil(1_000_000 / pair.length);
    const text = pair.repeat(copies);
    const perPair = parseCapture(pair).blocks.length;
    const once = parseCapture(text);
    const r = new CaptureReader(text);
    let steps = 0;
    let t = 0;
    while (!r.step(5, () => (t += 1))) steps++;
    expect(steps).toBeGreaterThan(10);
    expect(r.result()).toEqual(once);
    expect(once.blocks.length).toBe(copies * perPair);
  });
});

describe('npm run explain', () => {
  it('prints the diagnosis and the unread lines for a capture on standard input', { timeout: 30_000 }, () => {
    const out = execFileSync('npx', ['tsx', 'src/cli/explain.ts'], { input: writeup, encoding: 'utf8' });
    expect(out.split('\n')[0]).toBe('Diagnosis: An OOM loop');
    expect(out).toMatch(/^Thrashing \(lines \d+–\d+\)/m);
    expect(out).toMatch(/Lines not read \(\d+\):/);
    const md = execFileSync('npx', ['tsx', 'src/cli/explain.ts', '--markdown'], { input: azure, encoding: 'utf8' });
    expect(md).toMatch(/^\*\*Diagnosis: An OOM kill\*\*/);
    expect(md).toContain('| Rank | pid | name |');
  });
});

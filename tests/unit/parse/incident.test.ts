/**
 * The incident's own figures, read from the write-up's text as it was
 * published (whitespace collapsed, prose around it), agree with the recorded
 * observations, and are diagnosed as the write-up tells it: calm, then
 * thrashing, then an OOM loop of jupyter-noteboo.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnose, parseCapture, type DmesgBlock, type FreeBlock, type VmstatBlock } from '../../../src/engine/parse';

const text = readFileSync(new URL('../../../../shared/seed/what-happens-when-you-run-out-of-memory.txt', import.meta.url), 'utf8');
const seed = JSON.parse(readFileSync(new URL('../../../../shared/reference/seed-observations.json', import.meta.url), 'utf8')) as {
  free_m: { total: number; used: number; free: number; shared: number; buff_cache: number; available: number }[];
  vmstat: Record<string, number[][]>;
  vmstat_columns: string[];
  dmesg_oom: string[];
};
const capture = parseCapture(text);
const kinds = (k: string) => capture.blocks.filter((b) => b.block.kind === k).map((b) => b.block);

describe('the write-up, parsed', () => {
  it('finds its five free -m snapshots with the recorded figures, in MiB', () => {
    const free = kinds('free') as FreeBlock[];
    expect(free.map((f) => f.mem!.cells.map(Number))).toEqual(seed.free_m.map((r) => [r.total, r.used, r.free, r.shared, r.buff_cache, r.available]));
    for (const f of free) expect(f.unit).toBe('m');
  });

  it('finds every recorded vmstat row, column by column', () => {
    const rows = (kinds('vmstat') as VmstatBlock[]).flatMap((b) => b.rows.map((r) => seed.vmstat_columns.map((c) => r[c])));
    const recorded = Object.values(seed.vmstat).flat();
    // The write-up repeats the last row of one run at the top of the next.
    for (const r of recorded) expect(rows).toContainEqual(r);
    // And nothing else: every row read is a line of the write-up.
    const lines = new Set(text.split('\n').map((l) => l.trim().split(/\s+/).join(' ')));
    for (const r of rows) expect(lines).toContain(r.join(' '));
  });

  it('reads the seven kill lines', () => {
    const d = kinds('dmesg') as DmesgBlock[];
    const kills = d.flatMap((b) => b.kills);
    expect(kills.map((k) => `[${k.t!.toFixed(6).padStart(12)}] Out of memory: Kill process ${k.pid} (${k.comm}) score ${k.score} or sacrifice child`)).toEqual(seed.dmesg_oom);
  });

  it('lists the prose and the comments as unread, with reasons, and nothing from the outputs', () => {
    for (const u of capture.unread) expect(u.reason.length).toBeGreaterThan(10);
    const unreadNumbers = capture.unread.filter((u) => /^\s*\d+(\s+\d+){5,}\s*$/.test(u.text));
    expect(unreadNumbers).toEqual([]);
    expect(capture.unread.some((u) => u.text.startsWith('# Here'))).toBe(true);
  });
});

describe('the write-up, diagnosed', () => {
  const d = diagnose(capture);
  const order = (k: string) => d.findings.findIndex((f) => f.kind === k);

  it('is calm first, then thrashing, then an OOM loop of jupyter-noteboo', () => {
    expect(d.findings[0]!.kind).toBe('healthy');
    expect(order('thrashing')).toBeGreaterThan(0);
    expect(order('oom-loop')).toBeGreaterThan(order('thrashing'));
    for (const f of d.findings.slice(0, order('thrashing'))) expect(['healthy', 'pressure']).toContain(f.kind);
    expect(d.verdict!.kind).toBe('oom-loop');
  });

  it('quotes the thrashing figures the write-up points at: bi pinned, wa high, id 0, no swap', () => {
    const t = d.findings.find((f) => f.kind === 'thrashing')!;
    const block = capture.blocks[t.block]!.block as VmstatBlock;
    const pinned = block.rows.filter((r) => r.bi! > 60000);
    expect(pinned.length).toBeGreaterThanOrEqual(10);
    const text = [t.detail, ...t.evidence].join(' ');
    expect(text).toMatch(/bi /);
    expect(text).toMatch(/wa /);
    expect(text).toMatch(/id 0/);
    expect(text).toMatch(/swpd 0/);
    expect(t.evidence.join(' ')).toContain(String(Math.max(...pinned.map((r) => r.bi!))));
  });

  it('names the loop: seven kills with new PIDs in 50 seconds', () => {
    const loop = d.findings.find((f) => f.kind === 'oom-loop')!;
    expect(loop.detail).toContain('jupyter-noteboo');
    expect(loop.detail).toContain('7 times');
    expect(loop.detail).toContain('in 50 s');
    expect(loop.evidence[0]).toBe('PIDs 21580, 22714, 24976, 26118, 28364, 30603, 30620');
  });

  it('estimates the machine: 990 MiB of RAM, no swap', () => {
    expect(d.machine.ramMiB).toBe(990);
    expect(d.machine.swapMiB).toBe(0);
  });
});

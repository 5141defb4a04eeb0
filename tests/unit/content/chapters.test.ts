/**
 * The chapters as source: frontmatter, simulators, "try this" prompts, figure
 * references, and every build-time fact and terminal block they use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chapterSchema, chapterSlug } from '../../../src/lib/chapter-schema';
import { fact, factNames } from '../../../src/lib/facts';
import { COMMANDS, CONTAINER_COMMANDS, commandOutput, type Command } from '../../../src/lib/engine-output';
import { PRESET_NAMES, PRESETS } from '../../../src/state/presets';
import { COMPARE_NAMES } from '../../../src/state/compare';

const DIR = 'content/chapters';
const files = readdirSync(DIR).filter((f) => f.endsWith('.mdx')).sort();
const chapters = files.map((file) => {
  const text = readFileSync(join(DIR, file), 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${file}: no frontmatter`);
  return { file, slug: chapterSlug(file), frontmatter: parse(match[1]!) as unknown, body: match[2]! };
});
/** The chapters that teach with a live simulator (chapter 1 uses the recorded snapshots). */
const simulated = chapters.filter((c) => c.slug !== 'reading-free');

const attrs = (tag: string) =>
  Object.fromEntries([...tag.matchAll(/(\w+)=(?:"([^"]*)"|'([^']*)')/g)].map((m) => [m[1]!, m[2] ?? m[3]!]));

describe('chapters', () => {
  it('include the five core chapters after chapter 1, in order, the defences as chapter 7 and the runbook as chapter 8', () => {
    const order = chapters.map((c) => [c.slug, (c.frontmatter as { order: number }).order]);
    expect(order).toEqual([
      ['reading-free', 1],
      ['page-cache', 2],
      ['eviction', 3],
      ['thrashing', 4],
      ['oom-killer', 5],
      ['swap', 6],
      ['keeping-a-box-alive', 7],
      ['diagnosing-a-real-box', 8],
    ]);
  });

  it.each(chapters.map((c) => [c.file, c] as const))('%s has valid frontmatter and no level-1 heading', (_f, c) => {
    expect(chapterSchema.safeParse(c.frontmatter).success).toBe(true);
    expect(c.body).not.toMatch(/^# /m);
  });

  it.each(simulated.map((c) => [c.file, c] as const))('%s has a simulator, two "try this" prompts and the closing sections', (_f, c) => {
    const sims = [...c.body.matchAll(/<Simulator\b[^>]*\/>/g)].map((m) => attrs(m[0]));
    expect(sims.length).toBeGreaterThan(0);
    for (const s of sims) {
      expect(PRESET_NAMES).toContain(s.preset);
      expect(s.figure).toMatch(/^\d+\.\d+$/);
      expect(s.caption?.length).toBeGreaterThan(20);
    }
    expect([...c.body.matchAll(/<details class="try">\s*<summary>Try this:/g)].length).toBeGreaterThanOrEqual(2);
    for (const heading of ['What this model leaves out', 'In short', 'Sources']) expect(c.body).toContain(`## ${heading}`);
  });

  /** Words of prose a chapter may have: the swap and defences chapters cover more ground than the others. */
  const WORDS: Record<string, readonly [number, number]> = { swap: [1800, 3000], 'keeping-a-box-alive': [2000, 3200] };

  it.each(simulated.map((c) => [c.file, c] as const))('%s has the words of prose its scope allows (1,200 to 2,500 unless said otherwise)', (_f, c) => {
    const prose = c.body
      .split('## Sources')[0]!
      .replace(/^import .*$/gm, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/[#*`|>-]/g, ' ');
    const words = prose.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length;
    const [min, max] = WORDS[c.slug] ?? [1200, 2500];
    expect(words).toBeGreaterThanOrEqual(min);
    expect(words).toBeLessThanOrEqual(max);
  });

  describe('the swap chapter', () => {
    const c = chapters.find((x) => x.slug === 'swap')!;
    const compares = [...c.body.matchAll(/<Compare\b[^>]*\/>/g)].map((m) => attrs(m[0]));

    it('has at least two comparisons, each a known one with a number of its own and a caption', () => {
      expect(compares.length).toBeGreaterThanOrEqual(2);
      for (const x of compares) {
        expect(COMPARE_NAMES).toContain(x.preset);
        expect(x.figure).toMatch(/^6\.\d+$/);
        expect(x.caption?.length).toBeGreaterThan(20);
      }
      expect(compares.map((x) => x.preset)).toContain('swap-off-on');
    });

    it('has three "try this" prompts, each answered with figures the engine computes', () => {
      const tries = [...c.body.matchAll(/<details class="try">([\s\S]*?)<\/details>/g)].map((m) => m[1]!);
      expect(tries.length).toBeGreaterThanOrEqual(3);
      for (const t of tries) {
        const answer = t.split('</summary>')[1]!;
        expect([...answer.matchAll(/<Fact name="swap\.[^"]+"/g)].length, t.slice(0, 80)).toBeGreaterThanOrEqual(2);
      }
    });

    it('shows the swap tools as the engine prints them: swapon --show, /proc/swaps and SwapCached', { timeout: 60_000 }, () => {
      for (const command of ['swapon --show', 'cat /proc/swaps', 'grep Swap /proc/meminfo', 'vmstat 5', 'free -m']) {
        expect(c.body).toContain(`command="${command}"`);
      }
      expect(commandOutput('seed-swap', 'container-4', 'swapon --show')).toMatch(/^NAME +TYPE +SIZE +USED +PRIO\n\/swapfile +file /);
      expect(commandOutput('seed', 'container-4', 'swapon --show')).toBe('');
      expect(commandOutput('seed-swap', 'container-4', 'grep Swap /proc/meminfo')).toMatch(/^SwapCached: +\d+ kB\nSwapTotal: +1048576 kB\nSwapFree: +\d+ kB$/);
    });

    it('links forward to no chapter that does not exist, and every simulator preset belongs to a chapter', () => {
      expect(PRESETS.swap!.chapter).toBe('swap');
      const slugs = new Set(chapters.map((x) => x.slug));
      for (const p of Object.values(PRESETS)) if (p.chapter) expect(slugs, p.name).toContain(p.chapter);
    });
  });

  it('the defences chapter compares two defences with a <Compare> of the incident’s four labs', () => {
    const c = chapters.find((x) => x.slug === 'keeping-a-box-alive')!;
    const compares = [...c.body.matchAll(/<Compare\b[^>]*\/>/g)].map((m) => attrs(m[0]));
    expect(compares.length).toBeGreaterThanOrEqual(1);
    for (const x of compares) {
      expect(COMPARE_NAMES).toContain(x.preset);
      expect(x.figure).toMatch(/^7\.\d+$/);
    }
  });

  it.each(
    chapters.filter((c) => ['page-cache', 'eviction', 'thrashing', 'oom-killer'].includes(c.slug)).map((c) => [c.file, c] as const),
  )('%s offers the swap switch in its simulators and says in a sentence what it does, linking to the swap chapter', (_f, c) => {
    const sims = [...c.body.matchAll(/<Simulator\b[^>]*\/>/g)].map((m) => attrs(m[0]));
    for (const s of sims) expect(PRESETS[s.preset!]!.controls, s.preset).toContain('swap');
    expect(c.body).toMatch(/"Swap on"[^\n]*\(\/chapters\/swap\/(#[a-z0-9-]+)?\)/);
  });

  it.each(chapters.map((c) => [c.file, c] as const))('%s refers only to figures it has, numbered after its own chapter', (_f, c) => {
    const n = (c.frontmatter as { order: number }).order;
    const own = new Set([...c.body.matchAll(/figure="(\d+\.\d+)"/g)].map((m) => m[1]!));
    for (const f of own) expect(f.startsWith(`${n}.`)).toBe(true);
    for (const m of c.body.matchAll(/Figure (\d+\.\d+)/g)) expect(own, `Figure ${m[1]}`).toContain(m[1]);
  });

  it.each(chapters.map((c) => [c.file, c] as const))('%s links only to chapters that exist', (_f, c) => {
    const slugs = new Set(chapters.map((x) => x.slug));
    for (const m of c.body.matchAll(/\(\/chapters\/([a-z0-9-]+)\/(#[a-z0-9-]+)?\)/g)) expect(slugs, m[0]).toContain(m[1]);
  });

  it('use only facts that are defined, and every fact computes', { timeout: 60_000 }, () => {
    const defined = new Set(factNames());
    const used = new Set(chapters.flatMap((c) => [...c.body.matchAll(/<Fact name="([^"]+)"/g)].map((m) => m[1]!)));
    expect(used.size).toBeGreaterThan(10);
    for (const name of used) {
      expect(defined, name).toContain(name);
      expect(fact(name), name).toMatch(/\S/);
    }
  });

  it('print engine terminal output for every EngineOutput they use', { timeout: 60_000 }, () => {
    for (const c of chapters) {
      for (const m of c.body.matchAll(/<EngineOutput\b[^>]*\/>/g)) {
        const a = attrs(m[0]);
        expect(COMMANDS, `${c.file}: ${m[0]}`).toContain(a.command);
        if (CONTAINER_COMMANDS.includes(a.command as Command)) expect(a.container, `${c.file}: ${m[0]}`).toBeDefined();
        const text = commandOutput(a.scenario!, a.at!, a.command as Command, 6, a.container);
        expect(text.length, `${c.file}: ${m[0]}`).toBeGreaterThan(0);
      }
    }
  });
});

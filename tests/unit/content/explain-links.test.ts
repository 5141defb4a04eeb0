/**
 * The links between the chapters and /explain/: chapter 8's captures open
 * examples that exist, every explanation /explain/ gives links to a chapter
 * section that exists, and chapter 8 is the runbook the page points to.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import GithubSlugger from 'github-slugger';
import { describe, expect, it } from 'vitest';
import { chapterSlug } from '../../../src/lib/chapter-schema';
import { allFieldLinks, diagnose, parseCapture } from '../../../src/engine/parse';
import { explainExamples, exampleOutput } from '../../../src/lib/explain-examples';

const DIR = 'content/chapters';
const chapters = readdirSync(DIR)
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => ({ file: f, slug: chapterSlug(f), text: readFileSync(join(DIR, f), 'utf8') }));

/** The ids Astro gives a chapter's ## and ### headings (github-slugger over the heading text). */
function headingIds(text: string): Set<string> {
  const slugger = new GithubSlugger();
  return new Set([...text.matchAll(/^#{2,3} (.+)$/gm)].map((m) => slugger.slug(m[1]!.replace(/`/g, ''))));
}

describe('chapter 8 and /explain/', () => {
  const ch8 = chapters.find((c) => c.slug === 'diagnosing-a-real-box')!;

  it('chapter 8 has 1,500 to 2,500 words of prose', () => {
    const prose = ch8.text.split('## Sources')[0]!.replace(/^---[\s\S]*?---/, '').replace(/^import .*$/gm, '').replace(/<[^>]+>/g, ' ').replace(/[#*`|>-]/g, ' ');
    const words = prose.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length;
    expect(words).toBeGreaterThanOrEqual(1500);
    expect(words).toBeLessThanOrEqual(2500);
  });

  it('walks the runbook: free, vmstat, PSI, /proc/vmstat, ps, the kernel log, containers, saving, reproducing', () => {
    for (const s of ['free -m', 'vmstat 1', '/proc/pressure/memory', 'pgmajfault', 'workingset_refault_file', 'pswpin', 'pswpout', 'allocstall', 'oom_kill', 'ps -eo pid,rss,oom,oomadj,comm --sort=-rss', 'journalctl -k', 'memory.events', 'stress-ng --vm', 'systemd-run --scope -p MemoryMax=']) {
      expect(ch8.text, s).toContain(s);
    }
  });

  it('links each capture to an /explain/ example that exists and shows the same command', () => {
    const examples = new Map(explainExamples().map((e) => [e.id, e]));
    const used = [...ch8.text.matchAll(/\(\/explain\/\?example=([a-z-]+)\)/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThanOrEqual(5);
    for (const id of used) expect([...examples.keys()], id).toContain(id);
    // Each "Explain …" link follows the EngineOutput it explains.
    const pairs = [...ch8.text.matchAll(/<EngineOutput scenario="(\w+)" at="([\w-]+)" command=(?:"([^"]+)"|'([^']+)')[^>]*\/>\s*\n\s*\n\[Explain [^\]]+\]\(\/explain\/\?example=([a-z-]+)\)/g)];
    expect(pairs.length).toBeGreaterThanOrEqual(5);
    for (const m of pairs) {
      const ex = examples.get(m[5]!)!;
      expect([ex.scenario, ex.at, ex.command]).toEqual([m[1], m[2], m[3] ?? m[4]]);
    }
  });

  it('every example is read without an unread line and diagnosed', { timeout: 60_000 }, () => {
    for (const e of explainExamples()) {
      expect(e.text).toBe(`$ ${e.command}\n${exampleOutput(e)}`);
      const c = parseCapture(e.text);
      expect(c.unread, e.id).toEqual([]);
      expect(diagnose(c).verdict, e.id).toBeDefined();
    }
  });

  it('every explanation on /explain/ links to a chapter section that exists', () => {
    const ids = new Map(chapters.map((c) => [c.slug, headingIds(c.text)]));
    const links = allFieldLinks();
    expect(links.length).toBeGreaterThan(20);
    for (const href of links) {
      const m = /^\/chapters\/([a-z0-9-]+)\/#([a-z0-9-]+)$/.exec(href);
      expect(m, href).not.toBeNull();
      expect(ids.get(m![1]!), href).toContain(m![2]);
    }
  });
});

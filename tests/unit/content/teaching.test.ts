/**
 * What a teacher relies on: every chapter opens with what the reader will be able
 * to do and ends with things to try on a real machine; the glossary defines the
 * guide's terms and points at sections that exist; the first use of a term in a
 * chapter links to its definition, and nothing else does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import GithubSlugger from 'github-slugger';
import { chapterSchema, chapterSlug } from '../../../src/lib/chapter-schema';
import { GLOSSARY } from '../../../src/data/glossary';
import { glossaryHtml } from '../../../src/lib/glossary-html';

const chapters = readdirSync('content/chapters')
  .filter((f) => f.endsWith('.mdx'))
  .sort()
  .map((file) => {
    const text = readFileSync(`content/chapters/${file}`, 'utf8');
    const [, fm, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text)!;
    return { file, slug: chapterSlug(file), data: chapterSchema.parse(parse(fm!)), body: body! };
  });

/** Heading ids as Astro gives them (github-slugger over the heading text). */
function headingIds(body: string): Set<string> {
  const slugger = new GithubSlugger();
  return new Set([...body.matchAll(/^#{2,3} (.+)$/gm)].map((m) => slugger.slug(m[1]!.replace(/`/g, ''))));
}

describe('chapters for teaching', () => {
  it.each(chapters.map((c) => [c.file, c] as const))('%s opens with two to four objectives and ends with things to try', (_f, c) => {
    expect(c.data.objectives?.length).toBeGreaterThanOrEqual(2);
    expect(c.data.objectives!.length).toBeLessThanOrEqual(4);
    expect(c.data.ownMachine?.length).toBeGreaterThanOrEqual(2);
    expect(c.data.ownMachine!.length).toBeLessThanOrEqual(3);
    // The section sits at the end of the prose, just before the sources.
    expect(c.body).toMatch(new RegExp(`<OwnMachine chapter="${c.slug}" />\\s*## Sources\\n`));
    for (const item of c.data.ownMachine!) if (item.link) expect(['/explain/', '/glossary/', '/playground/']).toContain(item.link);
  });
});

describe('glossary', () => {
  const bySlug = new Map(chapters.map((c) => [c.slug, c]));

  it('defines the terms the guide teaches, each once', () => {
    const ids = GLOSSARY.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['page-cache', 'anonymous-memory', 'lru', 'watermark', 'kswapd', 'direct-reclaim', 'refault', 'thrashing', 'psi', 'badness', 'memcg', 'swappiness', 'oom-score-adj']) {
      expect(ids).toContain(id);
    }
    for (const t of GLOSSARY) expect(t.definition.split(/\s+/).length, t.id).toBeGreaterThan(20);
  });

  it.each(GLOSSARY.map((t) => [t.id, t] as const))('%s points at a chapter section that exists', (_id, t) => {
    const c = bySlug.get(t.chapter);
    expect(c, t.chapter).toBeDefined();
    expect(headingIds(c!.body), `${t.chapter}#${t.section}`).toContain(t.section);
  });
});

describe('definition cards', () => {
  const opts = { base: '/', chapterTitles: { eviction: 'Eviction: where memory comes from' } };
  const link = (html: string) => glossaryHtml(html, GLOSSARY, opts);

  it('link the first use of a term in running text, and only the first', () => {
    const { html, linked } = link('<p>The page cache grows. The page cache shrinks.</p><ul><li>More page cache.</li></ul>');
    expect(linked).toEqual(['page-cache']);
    expect(html.match(/class="term-link"/g)).toHaveLength(1);
    expect(html).toContain('<a class="term-link" href="/glossary/#page-cache" aria-describedby="term-def-page-cache">page cache</a>');
    expect(html).toContain('<span class="term-card" role="tooltip" id="term-def-page-cache" data-pagefind-ignore>');
  });

  it('leave headings, links, code blocks, figures, try-this boxes and islands alone', () => {
    const html =
      '<h2 id="x">The page cache</h2><p><a href="/y">page cache</a></p><pre><code>page cache</code></pre>' +
      '<figure><figcaption>page cache</figcaption></figure><details><summary>page cache</summary><p>page cache</p></details>' +
      '<astro-island><p>page cache</p></astro-island>';
    expect(link(html)).toEqual({ html, linked: [] });
  });

  it('match a backticked term only as inline code that is exactly it', () => {
    const { html, linked } = link('<p>Run <code>kswapd0</code> and then <code>kswapd</code> wakes.</p>');
    expect(linked).toEqual(['kswapd']);
    expect(html).toContain('<a class="term-link" href="/glossary/#kswapd" aria-describedby="term-def-kswapd"><code>kswapd</code></a>');
    expect(html).toContain('<code>kswapd0</code> and');
  });

  it('say on the card which chapter teaches the term, with its code as code', () => {
    const { html } = link('<p>Then <code>kswapd</code> woke.</p>');
    expect(html).toContain('<em>Taught in “Eviction: where memory comes from”.</em>');
    expect(html).toMatch(/<strong>kswapd<\/strong> The kernel thread/);
  });

  it('do not match inside longer words', () => {
    expect(link('<p>A swapless box; swapping is not swap-in.</p>').linked).toEqual([]);
  });
});

describe('sources', () => {
  it.each(chapters.map((c) => [c.file, c] as const))('%s links its kernel documents, source files and manual pages', (_f, c) => {
    const sources = c.body.split('\n## Sources\n')[1]!;
    // Nothing that has a canonical page is left as bare code.
    expect(sources).not.toMatch(/(?<!\[)`(?:Documentation\/[\w./-]+\.rst|(?:mm|kernel|fs|include)\/[\w./-]+\.[ch]|[\w.-]+\(\d\))`/);
    const links = [...sources.matchAll(/\]\((https?:\/\/[^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(2);
    for (const url of links) {
      expect(url).toMatch(
        /^https:\/\/(docs\.kernel\.org\/[\w/-]+\.html|git\.kernel\.org\/pub\/scm\/linux\/kernel\/git\/torvalds\/linux\.git\/tree\/[\w./-]+\?h=v6\.12|man7\.org\/linux\/man-pages\/man\d\/[\w.-]+\.\d\.html|man\.archlinux\.org\/man\/[\w.-]+\.\d\.en)$/,
      );
    }
  });
});

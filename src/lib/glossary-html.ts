/**
 * The glossary's definition cards, applied to a chapter's rendered HTML: the
 * first use of each term in running text becomes a link to its glossary entry,
 * followed by a card that CSS shows on hover and keyboard focus. Without
 * JavaScript or CSS it is still a link; the card is its accessible description.
 *
 * Running text means paragraphs and list items outside headings, links, code
 * blocks, figures, tables, "try this" boxes and islands. A phrase written in
 * backticks in the glossary matches inline code that is exactly that phrase.
 */
import type { GlossaryTerm } from '../data/glossary';

const SKIP = new Set([
  'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'figure', 'table', 'details', 'summary', 'nav', 'button', 'svg',
  'astro-island', 'astro-slot', 'script', 'style', 'template', 'textarea', 'select', 'label',
]);
const TEXT = new Set(['p', 'li']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text with `backticks` as HTML. */
function codeSpans(s: string): string {
  return s
    .split('`')
    .map((part, i) => (i % 2 ? `<code>${esc(part)}</code>` : esc(part)))
    .join('');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface GlossaryHtmlOptions {
  /** Site base path, "/" or "/oom/". */
  base: string;
  /** Title of the chapter that teaches each term, by chapter slug. */
  chapterTitles?: Record<string, string>;
}

function card(t: GlossaryTerm, inner: string, opts: GlossaryHtmlOptions): string {
  const title = opts.chapterTitles?.[t.chapter];
  const taught = title ? ` <em>Taught in “${esc(title.replace(/`/g, ''))}”.</em>` : '';
  return (
    `<span class="term"><a class="term-link" href="${opts.base}glossary/#${t.id}" aria-describedby="term-def-${t.id}">${inner}</a>` +
    `<span class="term-card" role="tooltip" id="term-def-${t.id}" data-pagefind-ignore><strong>${esc(t.term)}</strong> ${codeSpans(t.definition)}${taught}</span></span>`
  );
}

/** The ids of the terms `html` would link, in the order of their first use (for tests). */
export function glossaryHtml(html: string, terms: readonly GlossaryTerm[], opts: GlossaryHtmlOptions): { html: string; linked: string[] } {
  const plain = terms.map((t) => ({
    t,
    res: t.match.filter((p) => !p.startsWith('`')).map((p) => new RegExp(`(?<![\\w-])${escapeRe(esc(p))}(?![\\w-])`, 'i')),
  }));
  const code = new Map<string, GlossaryTerm>();
  for (const t of terms) for (const p of t.match) if (p.startsWith('`')) code.set(esc(p.slice(1, -1)), t);
  const used = new Set<string>();
  const linked: string[] = [];

  const firstMatch = (s: string): [number, number, GlossaryTerm] | null => {
    let best: [number, number, GlossaryTerm] | null = null;
    for (const { t, res } of plain) {
      if (used.has(t.id)) continue;
      for (const re of res) {
        const m = re.exec(s);
        if (m && (!best || m.index < best[0] || (m.index === best[0] && m[0].length > best[1]))) best = [m.index, m[0].length, t];
      }
    }
    return best;
  };

  const stack: string[] = [];
  let skip = 0;
  let inText = 0;
  const tokens = html.match(/<!--[\s\S]*?-->|<\/?[a-zA-Z][\w-]*(?:"[^"]*"|'[^']*'|[^'">])*>|[^<]+|</g) ?? [];
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.startsWith('<!--')) {
      out += tok;
      continue;
    }
    const tag = /^<(\/?)([a-zA-Z][\w-]*)/.exec(tok);
    if (tag) {
      const name = tag[2]!.toLowerCase();
      if (tag[1]) {
        // Close the nearest open element of this name.
        const at = stack.lastIndexOf(name);
        if (at >= 0) {
          for (const n of stack.splice(at)) {
            if (SKIP.has(n)) skip--;
            if (TEXT.has(n)) inText--;
          }
        }
        out += tok;
        continue;
      }
      // Inline code that is exactly a term: <code>kswapd</code>.
      if (name === 'code' && !skip && inText && tokens[i + 2] === '</code>') {
        const t = code.get(tokens[i + 1] ?? '');
        if (t && !used.has(t.id)) {
          used.add(t.id);
          linked.push(t.id);
          out += card(t, tok + tokens[i + 1] + tokens[i + 2], opts);
          i += 2;
          continue;
        }
      }
      if (!VOID.has(name) && !tok.endsWith('/>')) {
        stack.push(name);
        if (SKIP.has(name)) skip++;
        if (TEXT.has(name)) inText++;
      }
      out += tok;
      continue;
    }
    if (skip || !inText || stack.includes('code')) {
      out += tok;
      continue;
    }
    let rest = tok;
    let m = firstMatch(rest);
    while (m) {
      const [at, len, t] = m;
      used.add(t.id);
      linked.push(t.id);
      out += rest.slice(0, at) + card(t, rest.slice(at, at + len), opts);
      rest = rest.slice(at + len);
      m = firstMatch(rest);
    }
    out += rest;
  }
  return { html: out, linked };
}

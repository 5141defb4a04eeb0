/**
 * Reads a column-aligned text table (free's output) back into cells, so a narrow
 * screen can show the same text turned on its side. Values are matched to the
 * header whose right edge is nearest theirs, as the columns are right-aligned.
 * Nothing is computed: every cell is a token of the text as printed.
 */
export interface Columns {
  headers: string[];
  rows: { label: string; cells: string[] }[];
}

function tokens(line: string): { text: string; end: number }[] {
  return [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], end: (m.index ?? 0) + m[0].length }));
}

export function readColumns(text: string): Columns {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const [header = '', ...rest] = lines;
  const heads = tokens(header);
  const rows = rest.map((line) => {
    const colon = line.indexOf(':');
    const label = colon >= 0 ? line.slice(0, colon + 1).trim() : '';
    const cells: string[] = heads.map(() => '');
    for (const tok of tokens(colon >= 0 ? ' '.repeat(colon + 1) + line.slice(colon + 1) : line)) {
      let best = 0;
      heads.forEach((h, i) => {
        if (Math.abs(h.end - tok.end) < Math.abs(heads[best]!.end - tok.end)) best = i;
      });
      cells[best] = cells[best] ? `${cells[best]} ${tok.text}` : tok.text;
    }
    return { label, cells };
  });
  return { headers: heads.map((h) => h.text), rows };
}

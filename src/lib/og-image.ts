/**
 * Link-preview images (Open Graph, 1200 × 630 PNG), drawn at build time: Satori
 * lays out the card and turns its text into paths with the guide's own serif,
 * and resvg rasterises the SVG. Nothing is fetched at run time.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import satori from 'satori';
import { Resvg } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);
const font = (weight: 400 | 700) => readFileSync(require.resolve(`@fontsource/source-serif-4/files/source-serif-4-latin-${weight}-normal.woff`));

export const OG_WIDTH = 1200;
export const OG_HEIGHT = 630;

export interface OgCard {
  /** Small line above the title, e.g. "Chapter 3". */
  kicker: string;
  title: string;
  description: string;
}

type El = { type: string; props: { style?: Record<string, unknown>; children?: unknown } };
const div = (style: Record<string, unknown>, children?: unknown): El => ({ type: 'div', props: { style: { display: 'flex', ...style }, children } });

/** The card as a PNG. Colours follow the site's dark theme and its memory palette. */
export async function ogImage(card: OgCard): Promise<Buffer> {
  const inner = OG_WIDTH - 2 * 72;
  const bar = div({ width: inner, height: 24, borderRadius: 6, overflow: 'hidden' }, [
    div({ width: '46%', background: '#56b4e9' }),
    div({ width: '38%', background: '#e69f00' }),
    div({ width: '16%', background: '#5e7d61' }),
  ]);
  const tree = div(
    { width: OG_WIDTH, height: OG_HEIGHT, alignItems: 'center', justifyContent: 'center', background: '#17181b', color: '#e9e7e2', fontFamily: 'Source Serif 4' },
    [
      div({ width: inner, height: OG_HEIGHT - 2 * 56, flexDirection: 'column', justifyContent: 'space-between' }, [
        div({ flexDirection: 'column', width: inner }, [
          div({ fontSize: 28, color: '#a9a8a3', letterSpacing: 2, textTransform: 'uppercase' }, card.kicker),
          div({ fontSize: 64, fontWeight: 700, lineHeight: 1.1, marginTop: 12 }, card.title.replace(/`/g, '')),
          div({ fontSize: 30, lineHeight: 1.35, marginTop: 24, color: '#c9c7c2' }, card.description),
        ]),
        div({ flexDirection: 'column', width: inner }, [bar, div({ fontSize: 26, marginTop: 16, color: '#a9a8a3' }, 'Out of Memory · what Linux does when memory runs out')]),
      ]),
    ],
  );
  const svg = await satori(tree as Parameters<typeof satori>[0], {
    width: OG_WIDTH,
    height: OG_HEIGHT,
    fonts: [
      { name: 'Source Serif 4', data: font(400), weight: 400, style: 'normal' },
      { name: 'Source Serif 4', data: font(700), weight: 700, style: 'normal' },
    ],
  });
  return new Resvg(svg, { fitTo: { mode: 'width', value: OG_WIDTH } }).render().asPng();
}

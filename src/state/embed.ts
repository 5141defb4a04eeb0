/**
 * The embed snippet a teacher pastes into slides or a course page: an iframe of
 * /embed/<preset>/ with the simulator's link and display options, and a few
 * lines of script that size the iframe to the height the embed page reports.
 * Without the script (a page that strips it) the iframe keeps its fixed height.
 */
import { formatLink, type SimLink } from './link';

export type EmbedTheme = 'auto' | 'light' | 'dark';

export interface EmbedSize {
  name: string;
  label: string;
  /** CSS width of the iframe (a length or a percentage). */
  width: string;
  /** Starting height in pixels, and the height kept when the page does not run the snippet's script. */
  height: number;
  /** Whether the iframe grows to the simulator's height. */
  fit: boolean;
}

export const EMBED_SIZES: readonly EmbedSize[] = [
  { name: 'page', label: 'Course page: full width, as tall as the simulator', width: '100%', height: 900, fit: true },
  { name: 'slide', label: 'Slide: 960 × 540, scrolls inside', width: '960', height: 540, fit: false },
  { name: 'phone', label: 'Narrow column: 360 wide, as tall as the simulator', width: '360', height: 1400, fit: true },
];

export interface EmbedOptions {
  /** The site's origin, e.g. https://example.org. */
  origin: string;
  /** The site's base path, "/" or "/oom/". */
  base: string;
  preset: string;
  /** The iframe's accessible title. */
  title: string;
  link?: SimLink;
  size?: string;
  theme?: EmbedTheme;
  panels?: readonly string[];
  autoplay?: boolean;
  largeText?: boolean;
}

/** The message an embed page posts to its parent whenever its height changes. */
export const HEIGHT_MESSAGE = 'oom-embed-height';

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The embed page's address with the options in its query. */
export function embedSrc(o: EmbedOptions): string {
  const parts: string[] = [];
  if (o.link) parts.push(`sim=${formatLink(o.link).replace(/[^A-Za-z0-9._~;=,:@-]/g, encodeURIComponent)}`);
  if (o.theme && o.theme !== 'auto') parts.push(`theme=${o.theme}`);
  if (o.panels?.length) parts.push(`panels=${o.panels.join(',')}`);
  if (o.autoplay) parts.push('autoplay=1');
  if (o.largeText) parts.push('text=large');
  const base = o.base.endsWith('/') ? o.base : `${o.base}/`;
  return `${o.origin}${base}embed/${o.preset}/${parts.length ? `?${parts.join('&')}` : ''}`;
}

/** The HTML to paste: the iframe, then (for sizes that fit their content) the resizing script. */
export function embedSnippet(o: EmbedOptions): string {
  const size = EMBED_SIZES.find((s) => s.name === (o.size ?? 'page')) ?? EMBED_SIZES[0]!;
  const iframe =
    `<iframe src="${escapeAttr(embedSrc(o))}" title="${escapeAttr(o.title)}" width="${size.width}" height="${size.height}"` +
    ` style="border:0;max-width:100%" loading="lazy"${size.fit ? ' data-oom-embed' : ''}></iframe>`;
  if (!size.fit) return iframe;
  const script =
    `<script>addEventListener("message",function(e){var d=e.data;if(e.origin!==${JSON.stringify(o.origin)}||!d||d.type!=="${HEIGHT_MESSAGE}")return;` +
    `document.querySelectorAll("iframe[data-oom-embed]").forEach(function(f){if(f.contentWindow===e.source)f.style.height=Math.ceil(d.height)+"px"})})</script>`;
  return `${iframe}\n${script}`;
}

/**
 * Two machines side by side (`<Compare>`): the same simulator preset, seed and
 * reader actions, one knob apart. This module holds the comparison presets, the
 * link format and the difference said in words; no DOM, no runes, so a unit test
 * can read what a figure will say.
 */
import type { Frame, Totals } from './engine-port';
import { formatLink, parseLinkValue, linkParam, type LinkContext, type ParsedLink, type SimLink } from './link';
import type { SimulationOptions } from './sim-shared';
import type { PanelId } from './presets';

/** The one setting a comparison changes between its two machines. */
export type CompareKnob = 'swap' | 'swappiness' | 'ram';

export interface ComparePreset {
  name: string;
  /** Short title for the figure's header and the embed page. */
  title: string;
  /** One sentence on what it shows, for the embed page and /simulators/. */
  description: string;
  /** The simulator preset both machines boot (src/state/presets.ts). */
  preset: string;
  knob: CompareKnob;
  /** The knob's value on the left (a) and on the right (b). */
  a: number;
  b: number;
  /** The panels each side shows, in this order. */
  panels: readonly PanelId[];
  /** The chapter that explains it. */
  chapter: string;
}

export const COMPARE_PANELS: readonly PanelId[] = ['memory', 'io', 'cpu', 'ls', 'free', 'vmstat'];

export const COMPARE_PRESETS: Record<string, ComparePreset> = {
  'swap-off-on': {
    name: 'swap-off-on',
    title: 'No swap beside 1 GiB of swap',
    description:
      'The incident box with three labs running, twice: on the left with no swap, on the right with a 1 GiB swap file. Add the fourth lab to both and compare the disk, the CPU and ls.',
    preset: 'thrashing',
    knob: 'swap',
    a: 0,
    b: 1024,
    panels: COMPARE_PANELS,
    chapter: 'swap',
  },
  'swappiness-0-60': {
    name: 'swappiness-0-60',
    title: 'Swappiness 0 beside swappiness 60',
    description:
      'Two boxes with three labs and the same 1 GiB of swap, one at vm.swappiness 0 and one at the default 60. Add the fourth lab to both and see whether the swap is used.',
    preset: 'swap',
    knob: 'swappiness',
    a: 0,
    b: 60,
    panels: COMPARE_PANELS,
    chapter: 'swap',
  },
  'swap-256-1024': {
    name: 'swap-256-1024',
    title: 'A small swap beside a large one',
    description:
      'Three labs on two boxes, one with 256 MiB of swap and one with 1 GiB. Add labs to both until the small swap is full, and watch what happens after.',
    preset: 'thrashing',
    knob: 'swap',
    a: 256,
    b: 1024,
    panels: COMPARE_PANELS,
    chapter: 'swap',
  },
  'ram-990-2048': {
    name: 'ram-990-2048',
    title: '990 MiB of RAM beside 2 GiB',
    description: 'The incident box with no swap, and the same box with twice the RAM. Add labs to both and see how many each can hold before it thrashes.',
    preset: 'thrashing',
    knob: 'ram',
    a: 990,
    b: 2048,
    panels: COMPARE_PANELS,
    chapter: 'swap',
  },
  'earlyoom-swap-off-on': {
    name: 'earlyoom-swap-off-on',
    title: 'earlyoom without swap beside earlyoom with 1 GiB of swap',
    description:
      'The incident box with earlyoom running and the fourth lab starting ten seconds in, twice: on the left with no swap, where earlyoom kills again and again, on the right with a 1 GiB swap file, where it never acts.',
    preset: 'earlyoom',
    knob: 'swap',
    a: 0,
    b: 1024,
    panels: COMPARE_PANELS,
    chapter: 'keeping-a-box-alive',
  },
};

export const COMPARE_NAMES = Object.keys(COMPARE_PRESETS);

export function comparePreset(name: string): ComparePreset {
  const p = Object.prototype.hasOwnProperty.call(COMPARE_PRESETS, name) ? COMPARE_PRESETS[name] : undefined;
  if (!p) throw new Error(`unknown comparison "${name}" (known: ${COMPARE_NAMES.join(', ')})`);
  return p;
}

export type Side = 'a' | 'b';

/** What one side's knob reads as, for headings: "No swap", "1024 MiB of swap", "swappiness 60", "2048 MiB of RAM". */
export function sideLabel(p: ComparePreset, side: Side): string {
  const v = p[side];
  switch (p.knob) {
    case 'swap':
      return v === 0 ? 'No swap' : `${v} MiB of swap`;
    case 'swappiness':
      return `Swappiness ${v}`;
    case 'ram':
      return `${v} MiB of RAM`;
  }
}

/** The machine one side boots. */
export function sideOptions(p: ComparePreset, side: Side, seed?: number): SimulationOptions {
  const key = p.knob === 'swap' ? 'swapMiB' : p.knob === 'swappiness' ? 'swappiness' : 'ramMiB';
  return { preset: p.preset, [key]: p[side], ...(seed !== undefined && { seed }) };
}

/** One side's simulator link, from the comparison's link. */
export function sideLink(p: ComparePreset, side: Side, link: SimLink): SimLink {
  const o = sideOptions(p, side, link.seed);
  return {
    preset: p.preset,
    ...(o.swapMiB !== undefined && { swapMiB: o.swapMiB }),
    ...(o.swappiness !== undefined && { swappiness: o.swappiness }),
    ...(o.ramMiB !== undefined && { ramMiB: o.ramMiB }),
    ...(o.seed !== undefined && { seed: o.seed }),
    ...(link.t !== undefined && { t: link.t }),
    ...(link.actions?.length && { actions: link.actions }),
  };
}

/** The comparison's link value: `v1;preset=<comparison>;seed=…;t=…;do=…` (the knobs are the preset's). */
export function formatCompareLink(link: SimLink): string {
  return formatLink({
    preset: link.preset,
    ...(link.seed !== undefined && { seed: link.seed }),
    ...(link.t !== undefined && { t: link.t }),
    ...(link.actions?.length && { actions: link.actions }),
  });
}

/** Reads a comparison's state from a query string (`sim` in an embed, `sim.<figure id>` on a chapter). Never throws. */
export function parseCompareLink(search: string, ctx: LinkContext, id?: string): ParsedLink {
  const params = new URLSearchParams(search);
  const value = params.get(linkParam(id));
  if (value === null) return { ignored: [] };
  const parsed = parseLinkValue(value.slice(0, 65536), { ...ctx, presets: COMPARE_NAMES });
  const link = parsed.link;
  if (!link) return parsed;
  const ignored = [...parsed.ignored];
  for (const k of ['ramMiB', 'swapMiB', 'swappiness'] as const) {
    if (link[k] !== undefined) {
      ignored.push(`a comparison's ${k === 'ramMiB' ? 'ram' : k === 'swapMiB' ? 'swap' : 'swappiness'} is set by its preset; the link's is not used`);
      delete link[k];
    }
  }
  return { link, ignored };
}

/** One line of the difference: a measure, and what each side reads. */
export interface DiffRow {
  key: 'read' | 'stall' | 'ls' | 'kills' | 'swap';
  label: string;
  a: string;
  b: string;
}

const MiB = (kib: number) => Math.round(kib / 1024);
const grouped = (n: number) => Math.round(n).toLocaleString('en-US');
const lsText = (s: number) => (s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(1)} s`);

/**
 * The difference between the two machines since the figure's start (`base*`:
 * each side's totals at that moment), as rows for a table and as one paragraph
 * for screen readers.
 */
export function compareSummary(p: ComparePreset, a: Frame, b: Frame, baseA: Totals, baseB: Totals): { rows: DiffRow[]; text: string } {
  const since = (f: Frame, base: Totals) => ({
    read: MiB(f.totals.readKiB - base.readKiB),
    stall: Math.max(0, (f.totals.stallFullUs - base.stallFullUs) / 1e6),
    kills: f.totals.kills - base.kills,
  });
  const sa = since(a, baseA);
  const sb = since(b, baseB);
  const swap = (f: Frame) => (f.swapTotalMiB > 0 ? `${Math.round(f.memory.swap)} of ${f.swapTotalMiB} MiB` : 'no swap');
  const rows: DiffRow[] = [
    { key: 'read', label: 'Read from disk', a: `${grouped(sa.read)} MiB`, b: `${grouped(sb.read)} MiB` },
    { key: 'stall', label: 'Time all tasks stalled on memory (PSI full)', a: `${sa.stall.toFixed(0)} s`, b: `${sb.stall.toFixed(0)} s` },
    { key: 'ls', label: 'ls would take', a: lsText(a.lsSeconds), b: lsText(b.lsSeconds) },
    { key: 'kills', label: 'OOM kills', a: String(sa.kills), b: String(sb.kills) },
    { key: 'swap', label: 'Swap used', a: swap(a), b: swap(b) },
  ];
  const la = sideLabel(p, 'a');
  const lb = sideLabel(p, 'b');
  const t = Math.round(Math.min(a.t, b.t));
  const text =
    `At ${t} seconds. ${la} on the left, ${lb.charAt(0).toLowerCase()}${lb.slice(1)} on the right; totals since the figure's start. ` +
    rows.map((r) => `${r.label}: ${r.a} against ${r.b}.`).join(' ') +
    ` CPU waiting on I/O now: ${a.cpu.wa}% against ${b.cpu.wa}%.`;
  return { rows, text };
}

import { describe, expect, it } from 'vitest';
import { timeWindow } from '../../../src/charts/time-axis';
import { readColumns } from '../../../src/components/sim/columns';
import { embedSnippet, embedSrc } from '../../../src/state/embed';
import { frameOf } from '../../../src/state/engine-port';
import { bootPreset } from '../../../src/state/ui-context';

describe('the time window', () => {
  it('starts at the first sample and fills from the left until a whole window exists', () => {
    const samples = [25, 26, 27, 100].map((t) => ({ t }));
    expect(timeWindow(samples, 300)).toEqual({ t0: 25, t1: 325 });
  });

  it('ends at the newest sample once full, a window wide', () => {
    const samples = Array.from({ length: 500 }, (_, i) => ({ t: i }));
    expect(timeWindow(samples, 300)).toEqual({ t0: 199, t1: 499 });
  });
});

describe('free -m turned on its side', () => {
  // The modern layout (a chapter's box) and the incident's era.
  for (const preset of ['page-cache', 'incident']) {
    it(`reads every cell of ${preset}'s free -m back, under its own header`, () => {
      const text = frameOf(bootPreset({ preset })).free;
      const cols = readColumns(text);
      const lines = text.split('\n').filter((l) => l.trim());
      expect(cols.headers).toEqual(lines[0]!.trim().split(/\s+/));
      const mem = cols.rows.find((r) => r.label === 'Mem:')!;
      expect(mem.cells).toEqual(lines[1]!.replace('Mem:', '').trim().split(/\s+/));
      const swap = cols.rows.find((r) => r.label === 'Swap:')!;
      expect(swap.cells.slice(0, 3).every(Boolean)).toBe(true);
      expect(swap.cells.slice(3).every((c) => c === '')).toBe(true);
    });
  }
});

describe('the embed snippet', () => {
  const base = { origin: 'https://example.org', base: '/oom/', preset: 'thrashing', title: 'Thrashing "live" & more' };

  it('puts the options in the address, under the base path', () => {
    expect(embedSrc({ ...base, link: { preset: 'thrashing', t: 450 }, theme: 'light', panels: ['io', 'vmstat'], autoplay: true, largeText: true })).toBe(
      'https://example.org/oom/embed/thrashing/?sim=v1;preset=thrashing;t=450&theme=light&panels=io,vmstat&autoplay=1&text=large',
    );
    expect(embedSrc(base)).toBe('https://example.org/oom/embed/thrashing/');
  });

  it('sizes a course-page iframe by message from the embed origin only, and leaves a slide fixed', () => {
    const page = embedSnippet(base);
    expect(page).toMatch(/^<iframe src="https:\/\/example\.org\/oom\/embed\/thrashing\/" title="Thrashing &quot;live&quot; &amp; more" width="100%" height="900"/);
    expect(page).toContain('e.origin!=="https://example.org"');
    expect(page).toContain('<script>');
    const slide = embedSnippet({ ...base, size: 'slide' });
    expect(slide).toMatch(/width="960" height="540"/);
    expect(slide).not.toContain('<script>');
  });
});

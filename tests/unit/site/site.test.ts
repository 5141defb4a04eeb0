import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chapterSchema, chapterSlug } from '../../../src/lib/chapter-schema';
import { stackedBar, fromEnd } from '../../../src/charts/stacked-bar';
import { figureId } from '../../../src/components/mdx/figure';
import { incidentSnapshots } from '../../../src/data/incident';
import raw from '../../../src/data/seed-observations.json' with { type: 'json' };

describe('chapter frontmatter', () => {
  const ok = { title: 'The page cache', description: 'Why Linux fills free memory with file contents.', order: 2 };

  it('accepts a complete frontmatter and defaults draft to false', () => {
    expect(chapterSchema.parse(ok)).toEqual({ ...ok, draft: false });
  });

  it.each([
    ['title', { ...ok, title: '' }],
    ['description', { ...ok, description: 'short' }],
    ['order', { ...ok, order: 1.5 }],
    ['order', { ...ok, order: '2' }],
    ['draft', { ...ok, draft: 'yes' }],
  ])('rejects a bad %s and names the field', (field, data) => {
    const result = chapterSchema.safeParse(data);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  it('rejects unknown fields, so a typo does not pass silently', () => {
    const result = chapterSchema.safeParse({ ...ok, descripton: 'typo' });
    expect(result.success).toBe(false);
  });

  it('derives stable slugs from file names', () => {
    expect(chapterSlug('01-reading-free.mdx')).toBe('reading-free');
    expect(chapterSlug('content/chapters/12-oom-killer.mdx')).toBe('oom-killer');
  });
});

describe('stacked bar geometry', () => {
  it('lays parts end to end and reaches the full width when they sum to the total', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 10, max: 2000 }), (values, width) => {
        const total = values.reduce((a, b) => a + b, 0);
        const segs = stackedBar(values.map((value, i) => ({ key: `k${i}`, value })), total, width);
        expect(segs[0]!.x0).toBe(0);
        for (let i = 1; i < segs.length; i++) expect(segs[i]!.x0).toBeCloseTo(segs[i - 1]!.x1, 9);
        for (const s of segs) expect(s.x1).toBeGreaterThanOrEqual(s.x0);
        if (total > 0) expect(segs.at(-1)!.x1).toBeCloseTo(width, 9);
      }),
    );
  });

  it('clamps parts that overshoot the total', () => {
    const segs = stackedBar([{ key: 'a', value: 80 }, { key: 'b', value: 80 }], 100, 200);
    expect(segs[1]!.x1).toBe(200);
  });

  it('places "available" measured from the right end', () => {
    expect(fromEnd(25, 100, 400)).toBe(300);
  });
});

describe('figure anchors', () => {
  it('turns figure numbers into ids', () => {
    expect(figureId('1.1')).toBe('figure-1-1');
    expect(figureId('3.12')).toBe('figure-3-12');
  });

  it('refuses something that is not a figure number', () => {
    expect(() => figureId('one')).toThrow(/should look like 3.2/);
  });
});

describe('incident snapshots', () => {
  it('carry every recorded free -m row, in order', () => {
    expect(incidentSnapshots.map((s) => s.mark)).toEqual(raw.free_m.map((r) => r.mark));
    incidentSnapshots.forEach((s, i) => {
      const r = raw.free_m[i]!;
      expect([s.total, s.used, s.free, s.shared, s.buff_cache, s.available]).toEqual([r.total, r.used, r.free, r.shared, r.buff_cache, r.available]);
    });
  });

  it('add up as the classic free did: used + free + buff/cache is total, give or take truncation', () => {
    for (const s of incidentSnapshots) {
      const sum = s.used + s.free + s.buff_cache;
      expect(Math.abs(sum - s.total)).toBeLessThanOrEqual(3);
    }
  });
});

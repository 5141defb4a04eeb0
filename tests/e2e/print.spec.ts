import { test, expect, hydrate } from './fixtures';

test('a chapter prints: legends in colour, no scroll boxes, simulators whole, "Try this" answers open; the PDF renders', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/chapters/eviction/');
  await hydrate(page, '#figure-3-1');
  await page.emulateMedia({ media: 'print' });
  const figure = page.locator('#figure-3-1');
  // Legend swatches are backgrounds: they must be printed exactly.
  const swatch = figure.locator('.legend .key').first();
  expect(await swatch.evaluate((el) => getComputedStyle(el).printColorAdjust)).toBe('exact');
  // Nothing scrolls: every terminal panel and table shows all it holds.
  const boxes = await page.locator('.terminal, .terminal .rows, .table-scroll').evaluateAll((els) =>
    els.filter((el) => el.getClientRects().length > 0).map((el) => ({ what: el.className, w: el.scrollWidth - el.clientWidth, h: el.scrollHeight - el.clientHeight, overflow: getComputedStyle(el).overflow })),
  );
  expect(boxes.length).toBeGreaterThan(0);
  for (const b of boxes) {
    expect(b.overflow).toBe('visible');
    expect(b.w, b.what).toBeLessThanOrEqual(1);
  }
  // The controls do not print; the simulator avoids a page break inside it.
  await expect(figure.locator('.time-controls')).toBeHidden();
  expect(await figure.evaluate((el) => getComputedStyle(el).breakInside)).toBe('avoid');
  // "Try this" answers are open on paper.
  const answer = page.locator('details.try').first().locator(':scope > :not(summary)').first();
  await expect(answer).toBeVisible();
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
  expect(pages).toBeGreaterThan(2);
  expect(pdf.length).toBeGreaterThan(50_000);
});

import AxeBuilder from '@axe-core/playwright';
import { test, expect, hydrate } from './fixtures';

test('a chapter opens with its objectives and lists "On your own machine" before its sources', async ({ page }) => {
  await page.goto('/chapters/thrashing/');
  const objectives = page.getByRole('region', { name: 'After this chapter you can' });
  await expect(objectives).toBeVisible();
  expect(await objectives.locator('li').count()).toBeGreaterThanOrEqual(2);
  const toc = await page.locator('.toc a').allInnerTexts();
  expect(toc.slice(-2)).toEqual(['On your own machine', 'Sources']);
  const own = page.locator('#on-your-own-machine');
  await expect(own).toHaveCount(1);
  await expect(page.locator('.own-machine li').first().locator('pre')).toContainText('$ cat /proc/pressure/memory');
  await expect(page.locator('.own-machine a[href="/explain/"]').first()).toBeVisible();
});

test('the simulator’s free panel says which procps it imitates', async ({ page }) => {
  await page.goto('/chapters/page-cache/');
  await hydrate(page);
  await expect(page.getByTestId('free-era').first()).toHaveText('As procps-ng 4.0.1 and later print it: used = total − available.');
  // The incident's transcripts say the other formula.
  await page.goto('/chapters/oom-killer/');
  await expect(page.locator('pre.engine-output + p.era-note').first()).toHaveText('As the incident’s procps-ng 3.3 printed it: used = total − free − buff/cache.');
});

for (const theme of ['light', 'dark'] as const) {
  test(`the search page with results passes axe (${theme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto('/search/?q=oom_score_adj');
    await expect(page.locator('.pagefind-ui__result').first()).toBeVisible({ timeout: 15_000 });
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}

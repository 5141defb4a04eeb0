import AxeBuilder from '@axe-core/playwright';
import { test, expect, sitePages, hydrate } from './fixtures';

for (const theme of ['light', 'dark'] as const) {
  test(`axe finds no violations on any page (${theme} theme)`, async ({ page }) => {
    // Every page, each scanned with its simulators running: a few seconds a page.
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: theme });
    const pages = [...(await sitePages(page)), '/no-such-page/'];
    for (const path of pages) {
      await page.goto(path);
      if ((await page.locator('astro-island').count()) > 0) await hydrate(page);
      const results = await new AxeBuilder({ page }).analyze();
      const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(summary, path).toEqual([]);
    }
  });
}

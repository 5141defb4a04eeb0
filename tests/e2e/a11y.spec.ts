import AxeBuilder from '@axe-core/playwright';
import { test, expect, sitePages, hydrate, runSimulators } from './fixtures';
import { PRESET_NAMES } from '../../src/state/presets';

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

for (const theme of ['light', 'dark'] as const) {
  test(`axe finds no violations on any page with a simulator once it has run (${theme} theme, chosen with the toggle)`, async ({ page }) => {
    // Every simulator plays a few simulated seconds first: panels fill, logs grow and
    // scroll, charts draw; the scan then sees what a reader sees. Some 30 simulators
    // on some 25 pages, each hydrated and played: minutes on a busy 2-core machine.
    test.setTimeout(600_000);
    await page.addInitScript((t) => localStorage.setItem('oom-theme', t), theme);
    const chapters = (await sitePages(page)).filter((p) => p.startsWith('/chapters/') || p === '/playground/');
    const pages = [...chapters, ...PRESET_NAMES.map((p) => `/embed/${p}/`)];
    let scanned = 0;
    for (const path of pages) {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      if ((await page.getByTestId('simulator').count()) === 0) continue;
      await runSimulators(page);
      const results = await new AxeBuilder({ page }).analyze();
      const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(summary, path).toEqual([]);
      scanned++;
    }
    expect(scanned).toBeGreaterThanOrEqual(PRESET_NAMES.length + 5);
  });
}

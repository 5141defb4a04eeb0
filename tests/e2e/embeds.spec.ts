import { test, expect, hydrate } from './fixtures';

test('the embed snippet from the simulators page sizes its iframe to the simulator', async ({ page, baseURL }) => {
  await page.goto('/simulators/');
  const snippet = await page.locator('textarea.snippet[data-preset="swap"]').inputValue();
  expect(snippet).toContain(`src="${baseURL}/embed/swap/"`);
  expect(snippet).toContain('height="900"');
  await page.setContent(`<!doctype html><title>Course page</title><h1>Week 3: memory</h1>${snippet}<p>After the simulator.</p>`);
  const iframe = page.locator('iframe');
  const frame = page.frameLocator('iframe');
  await expect(frame.getByTestId('simulator')).toHaveAttribute('data-busy', 'false', { timeout: 30_000 });
  // The iframe grows to the embed page's own height: nothing inside scrolls.
  await expect
    .poll(async () => {
      const outer = (await iframe.boundingBox())!.height;
      const inner = await frame.locator('html').evaluate((el) => el.getBoundingClientRect().height);
      return Math.abs(outer - inner);
    })
    .toBeLessThan(2);
  const height = (await iframe.boundingBox())!.height;
  expect(height).toBeGreaterThan(900);
  expect(await frame.locator('html').evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
});

test('theme=light wins over a dark system preference, and theme=dark over a light one', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/embed/swap/?theme=light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(251, 250, 247)');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/embed/swap/?theme=dark');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(23, 24, 27)');
});

test('embed options: size, theme, panels, autoplay and large text end up in the code, and the embed honours them', async ({ page }) => {
  await page.goto('/chapters/thrashing/');
  await hydrate(page, '#figure-4-1');
  const sim = page.locator('#figure-4-1').getByTestId('simulator');
  await sim.getByRole('button', { name: 'Embed options…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Embed this simulator' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel(/Slide/).check();
  await dialog.getByLabel('Dark', { exact: true }).check();
  await dialog.getByLabel('Open at this moment').uncheck();
  for (const p of ['cpu', 'ls', 'psi', 'free']) await dialog.getByLabel(p, { exact: true }).uncheck();
  await dialog.getByLabel(/Start playing by itself/).check();
  await dialog.getByLabel(/Large text/).check();
  const code = await dialog.getByTestId('embed-code').inputValue();
  expect(code).toMatch(/width="960" height="540"/);
  const src = /src="([^"]+)"/.exec(code)![1]!.replace(/&amp;/g, '&');
  expect(src).toMatch(/\/embed\/thrashing\/\?theme=dark&panels=io,vmstat&autoplay=1&text=large$/);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  await page.goto(src);
  await hydrate(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('html')).toHaveClass(/large-text/);
  await expect(page.getByTestId('vmstat-panel')).toBeVisible();
  await expect(page.getByTestId('free-panel')).toHaveCount(0);
  await expect(page.getByTestId('simulator')).toHaveAttribute('data-playing', 'true');
});

import { test, expect, sitePages } from './fixtures';

test('every page answers 200 with one h1 and a title', async ({ page, request }) => {
  const pages = await sitePages(page);
  expect(pages).toContain('/chapters/reading-free/');
  for (const path of pages) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    await page.goto(path);
    await expect(page.locator('h1'), path).toHaveCount(1);
    expect((await page.title()).length, path).toBeGreaterThan(0);
  }
});

test('an unknown address gets the 404 page', async ({ page }) => {
  const response = await page.goto('/no-such-chapter/');
  expect(response?.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('Page not found');
  await expect(page.locator('main a[href="/"]')).toBeVisible();
});

test('the home page lists every chapter in order with its description', async ({ page }) => {
  await page.goto('/');
  const items = page.locator('.chapter-list li');
  expect(await items.count()).toBeGreaterThan(0);
  await expect(items.first().locator('a')).toHaveAttribute('href', '/chapters/reading-free/');
  await expect(items.first().locator('p')).not.toBeEmpty();
});

test('every in-page link and heading anchor resolves to an element', async ({ page }) => {
  const pages = await sitePages(page);
  for (const path of pages) {
    await page.goto(path);
    const anchors = await page.locator('a[href^="#"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    for (const href of anchors) {
      const id = decodeURIComponent(href.slice(1));
      expect(await page.locator(`[id="${id}"]`).count(), `${path}${href}`).toBe(1);
    }
  }
  await page.goto('/chapters/reading-free/');
  const headings = page.locator('.prose h2[id]');
  expect(await headings.count()).toBeGreaterThan(2);
  const first = headings.first();
  const id = await first.getAttribute('id');
  const anchor = first.locator('a.heading-anchor');
  await expect(anchor).toHaveAttribute('href', `#${id}`);
  await anchor.click();
  await expect(page).toHaveURL(new RegExp(`#${id}$`));
  await expect(first).toBeInViewport();
});

test('the table of contents links every section', async ({ page }) => {
  await page.goto('/chapters/reading-free/');
  const tocTargets = await page.locator('.toc a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const headingIds = await page.locator('.prose h2[id], .prose h3[id]').evaluateAll((hs) => hs.map((h) => `#${h.id}`));
  expect(tocTargets).toEqual(headingIds);
});

test('next links walk every chapter in order, and previous links walk back', async ({ page }) => {
  await page.goto('/');
  const listed = await page.locator('.chapter-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const walked: string[] = [];
  await page.locator('.chapter-list a').first().click();
  for (;;) {
    walked.push(new URL(page.url()).pathname);
    const next = page.locator('.chapter-nav a[rel="next"]');
    if ((await next.getAttribute('href')) === '/') break;
    await next.click();
  }
  expect(walked).toEqual(listed);
  for (let i = walked.length - 1; i > 0; i--) {
    await page.locator('.chapter-nav a[rel="prev"]').click();
    await expect(page).toHaveURL(new RegExp(`${walked[i - 1]}$`));
  }
  await expect(page.locator('.chapter-nav a[rel="prev"]')).toHaveAttribute('href', '/');
});

test('the theme toggle switches themes and the choice survives a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/chapters/reading-free/');
  const toggle = page.getByRole('button', { name: 'Dark theme' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const dark = await background();
  expect(dark).not.toBe(light);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background()).toBe(dark);
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('the system preference sets the theme when the reader has not chosen', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute('aria-pressed', 'true');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(bg);
});

test('the skip link moves focus to the main content', async ({ page }) => {
  await page.goto('/chapters/reading-free/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  await expect(page.locator('main')).toBeFocused();
});

test('pages fit a 360 px wide screen without sideways scrolling', async ({ page }) => {
  const pages = await sitePages(page);
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of pages) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});

test('fonts are served by the site itself', async ({ page }) => {
  const fonts: string[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'font') fonts.push(r.url());
  });
  await page.goto('/chapters/reading-free/');
  await page.evaluate(() => document.fonts.ready);
  expect(fonts.length).toBeGreaterThan(0);
  for (const f of fonts) expect(new URL(f).pathname).toMatch(/^\/_astro\/.+\.woff2$/);
});

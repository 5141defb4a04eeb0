import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';

/** Every page of the production build, as site paths ("/chapters/eviction/"). */
function builtPages(dir = 'dist', prefix = '/'): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name === '_astro' || name === 'pagefind' || name === 'og') continue;
      out.push(...builtPages(path, `${prefix}${name}/`));
    } else if (name === 'index.html') out.push(prefix);
  }
  return out.sort();
}

test.describe('search', () => {
  for (const [query, expected] of [
    ['swappiness', /\/glossary\/#swappiness$/],
    ['oom_score_adj', /\/chapters\/oom-killer\/#how-it-chooses$/],
  ] as const) {
    test(`"${query}" typed into the header finds ${expected.source}`, async ({ page }) => {
      await page.goto('/chapters/reading-free/');
      const box = page.getByRole('search').getByRole('searchbox', { name: 'Search the guide' });
      await box.fill(query);
      await box.press('Enter');
      await expect(page).toHaveURL(new RegExp(`/search/\\?q=${query}$`));
      const results = page.locator('.pagefind-ui__result');
      await expect(results.first()).toBeVisible({ timeout: 15_000 });
      // Results arrive a few at a time as their fragments load.
      await expect
        .poll(async () => (await page.locator('.pagefind-ui__result a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))).some((h) => expected.test(h)), {
          timeout: 15_000,
        })
        .toBe(true);
    });
  }

  test('the index is served by the site itself', async ({ request }) => {
    expect((await request.get('/pagefind/pagefind.js')).status()).toBe(200);
    expect((await request.get('/pagefind/pagefind-ui.js')).status()).toBe(200);
  });
});

test('sitemap-index.xml lists every page', async ({ request }) => {
  const index = await (await request.get('/sitemap-index.xml')).text();
  const maps = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
  expect(maps.length).toBeGreaterThan(0);
  const listed = new Set<string>();
  for (const map of maps) {
    const xml = await (await request.get(map)).text();
    for (const m of xml.matchAll(/<loc>([^<]+)<\/loc>/g)) listed.add(new URL(m[1]!).pathname);
  }
  const pages = builtPages().filter((p) => p !== '/404/');
  expect(pages).toContain('/glossary/');
  for (const p of pages) expect(listed, p).toContain(p);
});

test('every page has a title, a description and a preview image that exists', async () => {
  const pages = builtPages();
  expect(pages.length).toBeGreaterThan(10);
  const images = new Set<string>();
  for (const p of pages) {
    const html = readFileSync(join('dist', p, 'index.html'), 'utf8');
    const meta = (prop: string) => new RegExp(`<meta (?:property|name)="${prop}" content="([^"]+)"`).exec(html)?.[1];
    expect(meta('og:title'), p).toBeTruthy();
    expect(meta('og:description')?.length, p).toBeGreaterThan(20);
    expect(meta('twitter:card'), p).toBe('summary_large_image');
    const image = meta('og:image');
    expect(image, p).toBeTruthy();
    const file = join('dist', new URL(image!).pathname);
    expect(existsSync(file), `${p}: ${file}`).toBe(true);
    expect(readFileSync(file).subarray(1, 4).toString(), file).toBe('PNG');
    images.add(file);
    if (p.startsWith('/chapters/')) expect(file, p).toBe(join('dist', 'og', `${p.split('/')[2]}.png`));
  }
  expect(images.size).toBeGreaterThan(5);
});

test.describe('definition cards', () => {
  test('open on keyboard focus, close with Escape, and pass axe while open', async ({ page }) => {
    await page.goto('/chapters/eviction/');
    const first = page.locator('.prose .term-link').first();
    const id = await first.getAttribute('aria-describedby');
    const card = page.locator(`[id="${id}"]`);
    await expect(card).toBeHidden();
    // Tab from the top of the page until the first term has focus.
    await page.locator('body').press('Tab');
    for (let i = 0; i < 80 && !(await first.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(first).toBeFocused();
    await expect(card).toBeVisible();
    await expect(card).toContainText('Taught in');
    const results = await new AxeBuilder({ page }).include('.prose').analyze();
    expect(results.violations.map((v) => v.id)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(card).toBeHidden();
    // Hovering shows a card too, once focus has moved on.
    await first.blur();
    const second = page.locator('.prose .term-link').nth(1);
    const secondCard = page.locator(`[id="${await second.getAttribute('aria-describedby')}"]`);
    await expect(secondCard).toBeHidden();
    await second.hover();
    await expect(secondCard).toBeVisible();
  });

  test('are plain links to the glossary without JavaScript', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
    const page = await context.newPage();
    await page.goto('/chapters/thrashing/');
    const link = page.locator('.prose .term-link', { hasText: 'thrashing' }).first();
    await link.click();
    await expect(page).toHaveURL(/\/glossary\/#thrashing$/);
    await expect(page.locator('h2#thrashing')).toBeVisible();
    await context.close();
  });

  test('every glossary entry links to a chapter section that exists', async ({ page }) => {
    await page.goto('/glossary/');
    const links = await page.locator('.taught a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')!));
    expect(links.length).toBeGreaterThan(12);
    for (const href of links) {
      const [path, hash] = href.split('#');
      await page.goto(path!);
      await expect(page.locator(`[id="${hash}"]`), href).toHaveCount(1);
    }
  });
});

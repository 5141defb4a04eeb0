import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { test, expect, hydrate } from './fixtures';

/**
 * The site built for a path (BASE=/oom/) and served there: every link, asset,
 * embed and copied link must stay under it. The build goes to a temporary
 * directory, served to the browser by a route.
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.xml': 'application/xml',
};

test('the site built under /oom/ keeps every link, asset, embed and copied link under it', async ({ page, context, baseURL }) => {
  test.setTimeout(240_000);
  const out = mkdtempSync(join(tmpdir(), 'oom-base-'));
  try {
    execFileSync(resolve('node_modules/.bin/astro'), ['build', '--outDir', out], { env: { ...process.env, BASE: '/oom/' }, stdio: 'pipe' });
    const outside: string[] = [];
    const missing: string[] = [];
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL! });
    await context.route(`${baseURL}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (!url.pathname.startsWith('/oom/')) {
        outside.push(url.pathname);
        return route.fulfill({ status: 404, body: 'outside the base path' });
      }
      let file = join(out, decodeURIComponent(url.pathname.slice('/oom/'.length)));
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) {
        missing.push(url.pathname);
        return route.fulfill({ status: 404, body: 'not found' });
      }
      return route.fulfill({ status: 200, body: readFileSync(file), contentType: TYPES[extname(file)] ?? 'application/octet-stream' });
    });

    await page.goto('/oom/');
    const hrefs = await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    expect(hrefs.length).toBeGreaterThan(5);
    for (const href of hrefs) expect(href).toMatch(/^\/oom\//);

    await page.goto('/oom/chapters/thrashing/');
    await hydrate(page, '#figure-4-1');
    const chapterLinks = await page.locator('main a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    for (const href of chapterLinks) expect(href).toMatch(/^\/oom\//);
    const sim = page.locator('#figure-4-1').getByTestId('simulator');
    await sim.getByRole('button', { name: 'Copy link to this state' }).click();
    const link = await sim.getByTestId('copied-text').inputValue();
    expect(link).toContain(`${baseURL}/oom/chapters/thrashing/?sim.figure-4-1=v1;preset=thrashing`);
    await sim.getByRole('button', { name: 'Copy embed code' }).click();
    await expect.poll(() => sim.getByTestId('copied-text').inputValue()).toContain(`src="${baseURL}/oom/embed/thrashing/?sim=`);

    await page.goto(link);
    await hydrate(page, '#figure-4-1');
    await expect(page.locator('#figure-4-1').getByTestId('link-notice')).toHaveCount(0);
    await page.goto('/oom/embed/swap/');
    await hydrate(page);
    await expect(page.getByRole('link', { name: 'Open in the guide' })).toHaveAttribute('href', '/oom/chapters/swap/');
    await page.goto('/oom/simulators/');
    expect(await page.locator('textarea.snippet').first().inputValue()).toContain(`${baseURL}/oom/embed/`);

    expect(outside, 'requests outside /oom/').toEqual([]);
    expect(missing, 'requests for files the build does not have').toEqual([]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

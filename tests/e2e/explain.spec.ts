import AxeBuilder from '@axe-core/playwright';
import { test, expect, hydrate } from './fixtures';
import { azure, c4, freeM, largePaste, thrashing, thrashingRows } from './samples';

async function open(page: import('@playwright/test').Page) {
  await page.goto('/explain/');
  await hydrate(page);
}

async function paste(page: import('@playwright/test').Page, text: string) {
  await page.getByLabel('Paste what your box printed').fill(text);
  await expect(page.getByRole('status').first()).toContainText(/Read \d+ block|not read|characters|binary/, { timeout: 20_000 });
}

test('the incident\'s thrashing vmstat rows are diagnosed as thrashing, citing bi and wa', async ({ page }) => {
  await open(page);
  await paste(page, thrashing);
  await expect(page.getByRole('heading', { level: 2, name: 'Diagnosis: Thrashing' })).toBeVisible();
  const finding = page.locator('.finding[data-kind="thrashing"]');
  const maxBi = Math.max(...thrashingRows.slice(1).map((r) => r[8]!));
  await expect(finding).toContainText(`bi ${Math.min(...thrashingRows.slice(1).filter((r) => r[8]! >= 2000 && r[15]! >= 40).map((r) => r[8]!))}–${maxBi} blocks/s`);
  await expect(finding).toContainText(/wa \d+–\d+ %/);
  await expect(finding).toContainText('id 0 %');
  await expect(page.locator('section', { has: page.getByRole('heading', { name: 'Lines not read' }) })).toContainText('Every line was read.');
});

test('an OOM report shows the victim and the runner-up, and what oom_score_adj did', async ({ page }) => {
  await open(page);
  await paste(page, azure);
  await expect(page.getByRole('heading', { level: 2, name: 'Diagnosis: An OOM kill' })).toBeVisible();
  const arith = page.locator('.finding .arith');
  await expect(arith).toContainText('netconfig (PID 1082) first with 381 points');
  await expect(arith.locator('.runner-up')).toHaveText('netconfig');
  await expect(arith).toContainText('(PID 1103) second with 379');
  await expect(page.locator('.finding')).toContainText('auomscollect was larger than the victim');
  // The console line printed into the log is listed, with its reason.
  await expect(page.locator('.unread')).toContainText('Line 89: a message from systemd at boot');
});

test('"Open this in the simulator" opens a simulator with the same RAM', async ({ page }) => {
  await open(page);
  await paste(page, freeM);
  const link = page.getByRole('link', { name: 'Open this in the simulator' });
  await expect(link).toHaveAttribute('href', /^\/playground\/\?sim\.playground=v1;preset=playground;ram=990;swap=0;/);
  await link.click();
  await expect(page).toHaveURL(/\/playground\//);
  await hydrate(page);
  await expect(page.locator('#playground-ram')).toHaveValue(String(c4.total));
  expect(Number(await page.getByTestId('labs-count').first().textContent())).toBeGreaterThan(0);
});

test('no request is made while a paste is explained', async ({ page }) => {
  await open(page);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  for (const text of [thrashing, azure, freeM]) await paste(page, text);
  await page.getByRole('button', { name: 'the last OOM report, in full' }).click();
  await expect(page.locator('.finding').first()).toBeVisible();
  await page.locator('.term-btn').first().focus();
  expect(requests).toEqual([]);
  // Nothing pasted is kept in the browser's storage either.
  const stored = await page.evaluate(() => [...Object.values(localStorage), ...Object.values(sessionStorage)].join('\n'));
  expect(stored).not.toContain('netconfig');
  expect(stored).not.toContain('vmstat');
});

test('a text file dropped on the paste area is read', async ({ page }) => {
  await open(page);
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'oom.txt', { type: 'text/plain' }));
    document.querySelector('[aria-label="Paste or drop a capture"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, azure);
  await expect(page.getByRole('heading', { level: 2, name: 'Diagnosis: An OOM kill' })).toBeVisible();
  await expect(page.getByLabel('Paste what your box printed')).toHaveValue(azure);
});

test("chapter 8's captures open in /explain/ with the diagnosis the chapter quotes", async ({ page }) => {
  await page.goto('/chapters/diagnosing-a-real-box/');
  await page.getByRole('link', { name: 'Explain these vmstat rows' }).click();
  await expect(page).toHaveURL(/\/explain\/\?example=vmstat$/);
  await hydrate(page);
  await expect(page.getByRole('heading', { level: 2, name: 'Diagnosis: Thrashing' })).toBeVisible();
  await page.goBack();
  await page.getByRole('link', { name: 'Explain these kill lines' }).click();
  await hydrate(page);
  await expect(page.getByRole('heading', { level: 2, name: 'Diagnosis: An OOM loop' })).toBeVisible();
});

// How long the page's own tasks take while it reads such a paste is measured by `npm run bench:ui`.
test('a 1 MB paste is read: the diagnosis and the first eight blocks are shown, and the page still answers', async ({ page }) => {
  await open(page);
  // Put the text in the box as a paste would, then let the page read it.
  const box = page.getByLabel('Paste what your box printed');
  await box.evaluate((el, value) => {
    (el as HTMLTextAreaElement).value = value;
  }, largePaste());
  await box.dispatchEvent('input');
  await expect(page.getByRole('status').first()).toContainText(/Read \d+ blocks/, { timeout: 60_000 });
  await expect(page.getByRole('heading', { level: 2, name: /^Diagnosis/ })).toBeVisible();
  await expect(page.locator('article.block')).toHaveCount(8);
  await expect(page.getByRole('button', { name: /more of \d+ remaining blocks/ })).toBeVisible();
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByLabel('Paste what your box printed')).toHaveValue('');
});

test('garbage, binary, a 5 MB paste and half-lines each get a clear answer', async ({ page }) => {
  await open(page);
  await paste(page, 'hello world\n%%% 12 ab\nMem: 1 2 3');
  await expect(page.locator('.unread li')).toHaveCount(3);
  await expect(page.locator('.unread')).toContainText('a free row without its header line');

  await page.getByLabel('Open a text file').setInputFiles({ name: 'core.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) % 256)) });
  await expect(page.getByRole('status').first()).toContainText('binary');

  await page.getByLabel('Paste what your box printed').evaluate((el) => {
    (el as HTMLTextAreaElement).value = 'x'.repeat(5_000_000);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await expect(page.getByRole('status').first()).toContainText('5.0 million characters');

  await paste(page, thrashing.split('\n').slice(0, 5).join('\n') + '\n 0 19 0 8852 288 100');
  await expect(page.locator('.unread')).toContainText('a row of 6 numbers under a header of 17 columns');
});

test('column names explain themselves on keyboard focus, with a link to the chapter', async ({ page }) => {
  await open(page);
  await paste(page, freeM);
  const term = page.locator('.term-btn', { hasText: 'available' }).first();
  await term.focus();
  const card = page.locator('.term:focus-within .card');
  await expect(card).toBeVisible();
  await expect(card).toContainText('estimate');
  await page.keyboard.press('Tab');
  await expect(card.getByRole('link')).toBeFocused();
  await expect(card.getByRole('link')).toHaveAttribute('href', '/chapters/reading-free/#what-available-estimates');
});

test('"Copy as Markdown" copies the explanation', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page);
  await paste(page, thrashing);
  await page.getByRole('button', { name: 'Copy as Markdown' }).click();
  await expect(page.getByText('Copied the explanation as Markdown.')).toBeVisible();
  const md = await page.evaluate(() => navigator.clipboard.readText());
  expect(md).toMatch(/^\*\*Diagnosis: Thrashing\*\*/);
  expect(md).toContain('| r | b | swpd |');
});

test('an example link from a chapter loads its capture', async ({ page }) => {
  await page.goto('/explain/?example=oom-loop');
  await hydrate(page);
  await expect(page.getByRole('heading', { level: 2, name: 'Diagnosis: An OOM loop' })).toBeVisible();
  await expect(page.getByLabel('Paste what your box printed')).toHaveValue(/^\$ dmesg \| grep "Out of memory"/);
});

test("the page's script is loaded on /explain/ only", async ({ page }) => {
  const scripts = async (path: string) => {
    const urls: string[] = [];
    const listener = (r: import('@playwright/test').Request) => {
      if (r.resourceType() === 'script') urls.push(new URL(r.url()).pathname);
    };
    page.on('request', listener);
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    page.off('request', listener);
    return urls;
  };
  expect((await scripts('/explain/')).some((u) => /\/Explain\.[\w-]+\.js$/.test(u))).toBe(true);
  for (const path of ['/', '/chapters/reading-free/', '/chapters/diagnosing-a-real-box/', '/playground/']) {
    expect((await scripts(path)).filter((u) => /Explain/.test(u)), path).toEqual([]);
  }
});

for (const theme of ['light', 'dark'] as const) {
  test(`axe finds no violations with an explanation on screen (${theme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto('/explain/?example=oom-report');
    await hydrate(page);
    await expect(page.locator('.finding').first()).toBeVisible();
    await page.locator('.term-btn').first().focus();
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}

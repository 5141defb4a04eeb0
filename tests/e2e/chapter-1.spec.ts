import { test, expect, hydrate } from './fixtures';
import { incidentSnapshots } from '../../src/data/incident';
import { formatFreeMiB } from '../../src/engine/format/free';

const CHAPTER = '/chapters/reading-free/';
const expected = (i: number) => `$ free -m\n${formatFreeMiB(incidentSnapshots[i]!, 'classic')}`;

test('the slider steps through the snapshots by mouse', async ({ page }) => {
  await page.goto(CHAPTER);
  await hydrate(page, '#figure-1-1');
  const slider = page.getByLabel('Moment in the incident');
  const text = page.getByTestId('free-text');
  const bar = page.getByTestId('free-bar');
  await expect(text).toHaveText(expected(0));
  const usedBefore = await bar.locator('[data-key="used"]').getAttribute('width');

  const box = (await slider.boundingBox())!;
  await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
  const last = incidentSnapshots.length - 1;
  await expect(text).toHaveText(expected(last));
  await expect(bar).toHaveAttribute('data-mark', incidentSnapshots[last]!.mark);
  expect(await bar.locator('[data-key="used"]').getAttribute('width')).not.toBe(usedBefore);
  await expect(bar.locator('[data-key="cache"]')).toHaveAttribute('data-value', String(incidentSnapshots[last]!.buff_cache));
});

test('the slider steps through the snapshots by keyboard', async ({ page }) => {
  await page.goto(CHAPTER);
  await hydrate(page, '#figure-1-1');
  const slider = page.getByLabel('Moment in the incident');
  const text = page.getByTestId('free-text');
  await slider.focus();
  for (let i = 1; i < incidentSnapshots.length; i++) {
    await page.keyboard.press('ArrowRight');
    await expect(text).toHaveText(expected(i));
    await expect(slider).toHaveAttribute('aria-valuetext', new RegExp(`^${incidentSnapshots[i]!.label} `));
    await expect(page.getByTestId('free-bar').locator('[data-key="free"]')).toHaveAttribute(
      'data-value',
      String(incidentSnapshots[i]!.free),
    );
  }
  await page.keyboard.press('ArrowLeft');
  await expect(text).toHaveText(expected(incidentSnapshots.length - 2));
  await page.keyboard.press('Home');
  await expect(text).toHaveText(expected(0));
});

test('the figure reads correctly without JavaScript', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const page = await context.newPage();
  await page.goto(CHAPTER);
  await expect(page.getByTestId('free-text')).toHaveText(expected(0));
  await expect(page.getByTestId('free-bar')).toHaveAttribute('data-mark', 'boot');
  await expect(page.locator('h1')).toContainText('is telling you');
  const table = page.locator('#figure-1-1 table');
  await expect(table.locator('tbody tr')).toHaveCount(incidentSnapshots.length);
  for (const s of incidentSnapshots) await expect(table).toContainText(s.label);
  await context.close();
});

test('the bar has a text alternative that follows the slider', async ({ page }) => {
  await page.goto(CHAPTER);
  await hydrate(page, '#figure-1-1');
  const bar = page.getByTestId('free-bar');
  await expect(bar).toHaveAttribute('role', 'img');
  const s = incidentSnapshots[0]!;
  await expect(bar).toHaveAccessibleName(new RegExp(`${s.used} MiB used.*${s.available} MiB available`));
  await page.getByLabel('Moment in the incident').focus();
  await page.keyboard.press('End');
  const t = incidentSnapshots.at(-1)!;
  await expect(bar).toHaveAccessibleName(new RegExp(`${t.used} MiB used.*${t.available} MiB available`));
});

test('layout and prose load no script; only the figure island does, once it is in view', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  expect(scripts, 'home page scripts').toEqual([]);
  await page.goto(CHAPTER);
  await page.waitForLoadState('networkidle');
  expect(scripts, 'chapter scripts before the figure is in view').toEqual([]);
  await hydrate(page, '#figure-1-1');
  const island = page.locator('#figure-1-1 astro-island');
  const entry = [await island.getAttribute('component-url'), await island.getAttribute('renderer-url')];
  for (const url of entry) expect(scripts).toContain(url);
});

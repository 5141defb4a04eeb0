import type { Locator, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, vmstatRows, still } from './fixtures';
import { COMPARE_NAMES } from '../../src/state/compare';


/** Brings a comparison into view, waits until both machines are worked out, and pauses it. */
async function ready(page: Page, figure: Locator): Promise<Locator> {
  await figure.scrollIntoViewIfNeeded();
  const cmp = figure.getByTestId('compare');
  await expect(cmp).toBeVisible();
  await expect(figure.locator('astro-island')).not.toHaveAttribute('ssr', /.*/);
  await still(cmp);
  return cmp;
}

/** What both sides show, as text: the difference table, each side's free -m, vmstat and CPU. */
async function panels(cmp: Locator): Promise<string[]> {
  const out = [await cmp.getAttribute('data-t'), await cmp.getByTestId('compare-summary').innerText()];
  for (const side of ['a', 'b']) {
    const s = cmp.locator(`.side[data-side="${side}"]`);
    out.push(await cmp.locator(`.vmstat[data-side="${side}"]`).getByTestId('vmstat-panel').innerText(), await s.locator('.cpu-legend').innerText(), (await s.getAttribute('data-wa'))!);
    out.push(await s.locator('[data-testid="free-table"], [data-testid="free-panel"]').first().innerText());
  }
  return out.map((x) => x ?? '');
}

test('comparison: the fourth lab pins the swapless box in iowait while the box with swap writes to swap and stays quiet', async ({ page }) => {
  await page.goto('/chapters/swap/');
  const figure = page.locator('#figure-6-1');
  const cmp = await ready(page, figure);
  await expect(cmp.getByTestId('labs-count')).toHaveText('3');
  const off = cmp.locator('.side[data-side="a"]');
  const on = cmp.locator('.side[data-side="b"]');
  await expect(off).toHaveAttribute('data-swap-total', '0');
  await expect(on).toHaveAttribute('data-swap-total', '1024');
  const vmstatOn = cmp.locator('.vmstat[data-side="b"]').getByTestId('vmstat-panel');
  const before = (await vmstatRows(vmstatOn)).length;

  await cmp.getByLabel(/Lab containers on each box/).focus();
  await page.keyboard.press('ArrowRight');
  await expect(cmp.getByTestId('labs-count')).toHaveText('4');
  const t0 = Number(await cmp.getAttribute('data-t'));
  const step = cmp.getByRole('button', { name: 'Step 5 s' });
  let both = Infinity;
  let swappedOut = false;
  for (let i = 0; i < 12; i++) {
    await step.click();
    await expect.poll(async () => Number(await cmp.getAttribute('data-t'))).toBeCloseTo(t0 + 5 * (i + 1), 1);
    // Both machines stand at the same simulated second.
    expect(await off.getAttribute('data-t')).toBe(await on.getAttribute('data-t'));
    const rows = (await vmstatRows(vmstatOn)).slice(before);
    if (rows.some((r) => r.so! > 0)) swappedOut = true;
    const waOff = Number(await off.getAttribute('data-wa'));
    const waOn = Number(await on.getAttribute('data-wa'));
    if (swappedOut && waOff >= 70 && waOn < 40 && both === Infinity) both = Number(await cmp.getAttribute('data-t')) - t0;
  }
  expect(swappedOut).toBe(true);
  expect(both).toBeLessThanOrEqual(60);
  // The difference, in words: no swap read far more from disk than the box with swap.
  const read = cmp.locator('tr[data-row="read"]');
  const mib = async (side: string) => Number((await read.locator(`td[data-side="${side}"]`).innerText()).replace(/[^\d]/g, ''));
  expect(await mib('a')).toBeGreaterThan(10 * (await mib('b')));
  await expect(cmp.locator('tr[data-row="swap"] td[data-side="a"]')).toHaveText('no swap');
  await expect(cmp.getByTestId('compare-spoken')).toContainText('No swap on the left');
});

test('comparison: its link reopens both panels exactly as they were', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/chapters/swap/');
  const figure = page.locator('#figure-6-1');
  const cmp = await ready(page, figure);
  await cmp.getByLabel(/Lab containers on each box/).focus();
  await page.keyboard.press('ArrowRight');
  await expect(cmp.getByTestId('labs-count')).toHaveText('4');
  const t0 = Number(await cmp.getAttribute('data-t'));
  const step = cmp.getByRole('button', { name: 'Step 5 s' });
  for (let i = 0; i < 4; i++) await step.click();
  // All four steps have landed (the figure may have played a little before it was paused).
  await expect.poll(async () => Number(await cmp.getAttribute('data-t'))).toBeCloseTo(t0 + 20, 1);
  const shown = await panels(cmp);
  await cmp.getByRole('button', { name: 'Copy link to this state' }).click();
  const url = await cmp.getByTestId('copied-text').inputValue();
  expect(url).toMatch(/[?&]sim\.figure-6-1=v1;preset=swap-off-on;t=\d+(\.\d)?;do=\d+(\.\d)?@start:dhbox-lab:restart=unless-stopped#figure-6-1$/);

  const other = await context.newPage();
  await other.goto(url);
  const again = other.locator('#figure-6-1').getByTestId('compare');
  await expect(again).toHaveAttribute('data-busy', 'false', { timeout: 30_000 });
  await expect(again).toHaveAttribute('data-t', shown[0]!);
  await expect(again).toHaveAttribute('data-playing', 'false');
  expect(await panels(again)).toEqual(shown);
  await expect(again.getByTestId('link-notice')).toHaveCount(0);
});

test('comparison: reached by the keyboard, it waits for the reader\'s press of Play, which plays both boxes', async ({ page }) => {
  await page.goto('/chapters/swap/');
  const figure = page.locator('#figure-6-1');
  const play = figure.locator('.time-controls .play');
  // Focus arrives before the figure has started (or even hydrated), as a Tab from the text would.
  await play.focus();
  const cmp = figure.getByTestId('compare');
  await expect(figure.locator('astro-island')).not.toHaveAttribute('ssr', /.*/);
  await expect(cmp).toHaveAttribute('data-busy', 'false', { timeout: 30_000 });
  const t = await cmp.getAttribute('data-t');
  await page.waitForTimeout(1000);
  await expect(cmp).toHaveAttribute('data-playing', 'false');
  await expect(cmp).toHaveAttribute('data-t', t!);
  await expect(play).toHaveText('Play');
  await play.focus();
  await page.keyboard.press('Enter');
  await expect(play).toHaveText('Pause');
  await expect.poll(async () => Number(await cmp.getAttribute('data-t')), { timeout: 20_000 }).toBeGreaterThan(Number(t) + 1);
});

test('thrashing chapter: turning swap on fills in the Swap row of free -m', async ({ page }) => {
  await page.goto('/chapters/thrashing/');
  const figure = page.locator('#figure-4-1');
  await figure.scrollIntoViewIfNeeded();
  const sim = figure.getByTestId('simulator');
  await expect(sim).toHaveAttribute('data-busy', 'false', { timeout: 30_000 });
  await still(sim);
  const free = figure.getByTestId('free-panel');
  await expect(free).toContainText(/Swap:\s+0\s+0\s+0/);
  await figure.getByLabel('Swap on').check();
  await expect(free).toContainText(/Swap:\s+1024\s+\d+\s+\d+/);
  await figure.getByLabel('Swap on').uncheck();
  await expect(free).toContainText(/Swap:\s+0\s+0\s+0/);
});

test('every comparison has an embed page, listed on /simulators/ with its snippet', async ({ page }) => {
  await page.goto('/simulators/');
  for (const name of COMPARE_NAMES) {
    await expect(page.locator(`#compare-${name} a[href="/embed/compare/${name}/"]`)).toHaveCount(1);
    await expect(page.locator(`#compare-${name} textarea`)).toHaveValue(new RegExp(`/embed/compare/${name}/`));
  }
});

for (const name of COMPARE_NAMES) {
  test(`the ${name} comparison's embed plays and passes axe in both themes`, async ({ page }) => {
    test.setTimeout(120_000);
    for (const theme of ['light', 'dark'] as const) {
      await page.goto(`/embed/compare/${name}/?theme=${theme}`);
      const cmp = page.getByTestId('compare');
      await expect(cmp).toHaveAttribute('data-busy', 'false', { timeout: 30_000 });
      const t0 = Number(await cmp.getAttribute('data-t'));
      const toggle = cmp.locator('.time-controls .play');
      if ((await toggle.innerText()).trim() === 'Play') await toggle.click();
      await expect.poll(async () => Number(await cmp.getAttribute('data-t')), { timeout: 20_000 }).toBeGreaterThan(t0 + 3);
      await toggle.click();
      await expect(cmp).toHaveAttribute('data-playing', 'false');
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `${name} ${theme}`).toEqual([]);
    }
  });
}

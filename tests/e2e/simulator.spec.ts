import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { test, expect, hydrate, fastest, still } from './fixtures';
import { PRESETS } from '../../src/state/presets';

const PLAYGROUND = '/playground/';

/** The values of one vmstat column in the panel's rows (after the two header lines). */
async function vmstatColumn(panel: Locator, column: string): Promise<number[]> {
  const text = await panel.innerText();
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines.find((l) => /\br\s+b\s+swpd/.test(l));
  if (!header) return [];
  const names = header.trim().split(/\s+/);
  const at = names.indexOf(column);
  return lines
    .slice(lines.indexOf(header) + 1)
    .map((l) => l.trim().split(/\s+/))
    .filter((cells) => cells.length === names.length && cells.every((c) => /^\d+$/.test(c)))
    .map((cells) => Number(cells[at]));
}


async function dragSliderTo(page: Page, slider: Locator, share: number): Promise<void> {
  await slider.scrollIntoViewIfNeeded();
  const box = (await slider.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 4, y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 4 + ((box.width - 8) * share * i) / 10, y);
  await page.mouse.up();
}

async function ensurePlaying(sim: Locator): Promise<void> {
  if ((await sim.getAttribute('data-playing')) !== 'true') await sim.getByRole('button', { name: 'Play' }).click();
  await expect(sim).toHaveAttribute('data-playing', 'true');
}

test('dragging the containers slider up ends in OOM kills and a supervisor restart', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(PLAYGROUND);
  await hydrate(page);
  const sim = page.locator('[data-testid="simulator"][data-preset="playground"]');
  await fastest(sim);
  await dragSliderTo(page, sim.getByLabel(/Lab containers running/), 1);
  expect(Number(await sim.getByTestId('labs-count').innerText())).toBeGreaterThanOrEqual(4);
  await ensurePlaying(sim);
  const dmesg = sim.getByTestId('dmesg-panel');
  // A lab's notebook server (its comm cut to 15 characters, as the kernel's is): the
  // process a supervisor restarts. Other services may die first, and stay dead.
  await expect(dmesg).toContainText(/Out of memory: Kill(ed)? process \d+ \(jupyter-noteboo\)/, { timeout: 90_000 });
  const killed = /Out of memory: Kill(?:ed)? process (\d+) \((jupyter-noteboo)\)/.exec((await dmesg.textContent())!)!;
  const [pid, comm] = [Number(killed[1]), killed[2]!];
  // The supervisor inside the container starts the killed service again, under a new pid.
  await sim.getByRole('button', { name: /Show all/ }).click();
  const table = sim.getByTestId('process-table');
  await expect(async () => {
    const pids = await table.locator(`tr[data-comm="${comm}"]`).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-pid'))));
    expect(pids.some((p) => p > pid)).toBe(true);
    expect(pids).not.toContain(pid);
  }).toPass({ timeout: 60_000 });
});

test('turning swap on puts pages in swap: swap used and so above zero', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(PLAYGROUND);
  await hydrate(page);
  const sim = page.locator('[data-testid="simulator"][data-preset="playground"]');
  await sim.getByRole('checkbox', { name: 'Swap on' }).check();
  await expect(sim.getByTestId('free-panel')).toContainText(/Swap:\s+1023|Swap:\s+1024/);
  await fastest(sim);
  await dragSliderTo(page, sim.getByLabel(/Lab containers running/), 1);
  await ensurePlaying(sim);
  const vmstat = sim.getByTestId('vmstat-panel');
  await expect(async () => {
    expect(Math.max(0, ...(await vmstatColumn(vmstat, 'so')))).toBeGreaterThan(0);
  }).toPass({ timeout: 90_000 });
  const swapUsed = /Swap:\s+\d+\s+(\d+)/.exec(await sim.getByTestId('free-panel').innerText());
  expect(Number(swapUsed?.[1])).toBeGreaterThan(0);
});

test('keyboard only: tab to the containers slider, press an arrow, vmstat shows the new lab reading from disk', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/chapters/eviction/');
  const figure = page.locator('#figure-3-1');
  await hydrate(page, '#figure-3-1');
  const slider = figure.getByLabel(/Lab containers running/);
  await page.locator('#figure-3-1').evaluate((el) => el.scrollIntoView());
  // Start from the element before the simulator and tab forward.
  await figure.getByRole('button', { name: /Pause|Play/ }).focus();
  for (let i = 0; i < 40 && !(await slider.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(slider).toBeFocused();
  const vmstat = figure.getByTestId('vmstat-panel');
  const rowsBefore = (await vmstatColumn(vmstat, 'bi')).length;
  const before = Number(await figure.getByTestId('labs-count').innerText());
  await page.keyboard.press('ArrowRight');
  await expect(figure.getByTestId('labs-count')).toHaveText(String(before + 1));
  await ensurePlaying(figure.getByTestId('simulator'));
  await expect(async () => {
    const bi = await vmstatColumn(vmstat, 'bi');
    expect(bi.length).toBeGreaterThan(rowsBefore);
    expect(Math.max(...bi.slice(rowsBefore))).toBeGreaterThan(1000);
  }).toPass({ timeout: 60_000 });
});

test('copy link, open it in a new page: the same free -m text', async ({ page, context, baseURL }) => {
  test.setTimeout(90_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL! });
  await page.goto(PLAYGROUND);
  await hydrate(page);
  const sim = page.locator('[data-testid="simulator"][data-preset="playground"]');
  await fastest(sim);
  await sim.getByLabel(/Lab containers running/).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await ensurePlaying(sim);
  await expect.poll(async () => Number(await sim.getAttribute('data-t'))).toBeGreaterThan(120);
  await sim.getByRole('button', { name: 'Pause' }).click();
  await sim.getByRole('button', { name: 'Copy link to this state' }).click();
  const url = await sim.getByTestId('copied-text').inputValue();
  expect(url).toContain('sim.playground=v1;preset=playground');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  const free = await sim.getByTestId('free-panel').innerText();
  const t = await sim.getAttribute('data-t');

  const other = await context.newPage();
  await other.goto(url);
  await hydrate(other);
  const restored = other.locator('[data-testid="simulator"][data-preset="playground"]');
  await expect(restored).toHaveAttribute('data-busy', 'false');
  await expect(restored).toHaveAttribute('data-t', t!);
  await expect(restored.getByTestId('free-panel')).toHaveText(free);
  await expect(restored.getByTestId('link-notice')).toHaveCount(0);
  // The page's other simulator keeps its own state: the link does not touch it.
  // (With reduced motion it does not start playing by itself, so its time stays put.)
  await other.emulateMedia({ reducedMotion: 'reduce' });
  await hydrate(other, '#replay + p + .sim-wrap');
  const incident = other.locator('[data-testid="simulator"][data-preset="incident"]');
  await expect(incident).toHaveAttribute('data-busy', 'false');
  await expect(incident).toHaveAttribute('data-t', '60.0');
});

test('replaying the incident: the timeline jumps to the write-up\'s moments, thrashing included', async ({ page }) => {
  await page.goto(`${PLAYGROUND}#replay`);
  await hydrate(page, '#replay + p + .sim-wrap');
  const sim = page.locator('[data-testid="simulator"][data-preset="incident"]');
  await sim.getByRole('button', { name: 'container-4' }).click();
  await expect(sim).toHaveAttribute('data-busy', 'false', { timeout: 30_000 });
  const scrubber = sim.getByLabel(/Incident timeline/);
  const t = Number(await sim.getAttribute('data-t'));
  expect(t).toBeGreaterThan(3000);
  expect(Number(await scrubber.inputValue())).toBeCloseTo(t, -1);
  await expect(sim.getByRole('button', { name: 'container-4' })).toHaveAttribute('aria-current', 'true');
  // The incident's era: free prints the classic layout, and the disk is pinned.
  await expect(sim.getByTestId('free-panel')).toContainText(/^\$ free -m\n {14}total/);
  expect(Math.max(...(await vmstatColumn(sim.getByTestId('vmstat-panel'), 'bi')))).toBeGreaterThan(30_000);
});

test('a hostile link is partly ignored, with a notice, and nothing breaks', async ({ page }) => {
  const bad = encodeURIComponent('v1;preset=playground;ram=99999999999;seed=<script>alert(1)</script>;bogus=1;t=130');
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${PLAYGROUND}?sim.playground=${bad}&sim.playground=v1;preset=oom-loop`);
  await hydrate(page);
  const sim = page.locator('[data-testid="simulator"][data-preset="playground"]');
  const notice = sim.getByTestId('link-notice');
  await expect(notice).toContainText('ram');
  await expect(notice).toContainText('unknown setting “bogus”');
  await expect(notice).toContainText('2 times');
  await expect(sim).toHaveAttribute('data-busy', 'false');
  await expect(sim).toHaveAttribute('data-t', '130.0');
  expect(await page.locator('script:text("alert(1)")').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('the embed page works inside an iframe on another page', async ({ page, baseURL }) => {
  await page.goto(`${baseURL}/embed/thrashing/`);
  await expect(page.getByRole('link', { name: 'Open in the guide' })).toHaveAttribute('href', '/chapters/thrashing/');
  await page.setContent(
    `<!doctype html><title>Slides</title><iframe src="${baseURL}/embed/oom-loop/?sim=v1;preset=oom-loop;t=820" title="OOM loop" width="900" height="700"></iframe>`,
  );
  const frame = page.frameLocator('iframe');
  await expect(frame.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(frame.getByTestId('simulator')).not.toHaveAttribute('data-t', '');
  await expect(frame.getByTestId('simulator')).toHaveAttribute('data-busy', 'false', { timeout: 30_000 });
  await expect(frame.getByTestId('simulator')).toHaveAttribute('data-t', '820.0');
  await expect(frame.getByTestId('process-table')).toBeVisible();
});

test('the chapter simulator copies an embed snippet with a title', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL! });
  await page.goto('/chapters/thrashing/');
  await hydrate(page, '#figure-4-1');
  const sim = page.locator('#figure-4-1').getByTestId('simulator');
  await sim.getByRole('button', { name: 'Copy embed code' }).click();
  const code = await sim.getByTestId('copied-text').inputValue();
  expect(code).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\/thrashing\/\?sim=v1;preset=thrashing;t=[\d.]+" title="[^"]+"/);
});

test('without JavaScript the simulator shows its starting state and says the controls need JavaScript', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const page = await context.newPage();
  await page.goto('/chapters/eviction/');
  const figure = page.locator('#figure-3-1');
  await expect(figure).toContainText('The simulator\'s controls need JavaScript');
  await expect(figure.getByTestId('free-panel')).toContainText(/Mem:\s+990/);
  await expect(figure.getByTestId('vmstat-panel')).toContainText('swpd');
  await expect(figure.locator('svg.memory-chart path.area-anon')).toHaveAttribute('d', /^M/);
  const bar = figure.getByTestId('memory-bar');
  for (const key of ['kernel', 'anon', 'cache', 'free']) {
    expect(Number(await bar.locator(`rect[data-key="${key}"]`).getAttribute('width'))).toBeGreaterThan(0);
  }
  await context.close();
});

test('axe finds no violations with a simulator running', async ({ page }) => {
  for (const path of [PLAYGROUND, '/chapters/oom-killer/']) {
    await page.goto(path);
    await hydrate(page);
    const sim = page.getByTestId('simulator').first();
    await ensurePlaying(sim);
    await expect.poll(async () => Number(await sim.getAttribute('data-t'))).toBeGreaterThan(5);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), path).toEqual([]);
  }
});

test('an error inside the simulation shows a message and a reset button; the rest of the page keeps working', async ({ page }) => {
  await page.goto('/chapters/eviction/');
  await hydrate(page, '#figure-3-1');
  const sim = page.locator('#figure-3-1').getByTestId('simulator');
  await still(sim);
  const start = PRESETS.eviction!.start.toFixed(1);
  // Make the clock of the page's simulation worker fail for a moment: the next step throws inside the engine.
  await expect.poll(() => page.workers().length).toBeGreaterThan(0);
  const worker = page.workers()[0]!;
  await worker.evaluate(() => {
    const w = self as unknown as { __now: () => number };
    w.__now = performance.now.bind(performance);
    performance.now = () => {
      throw new Error('clock unplugged');
    };
  });
  await sim.getByRole('button', { name: 'Step 5 s' }).click();
  const alert = sim.getByRole('alert');
  await expect(alert).toContainText('The simulation stopped: clock unplugged');
  await worker.evaluate(() => {
    performance.now = (self as unknown as { __now: () => number }).__now;
  });
  // The other simulator on the page and the page itself still work.
  const other = page.locator('#figure-3-2');
  await hydrate(page, '#figure-3-2');
  await other.getByRole('button', { name: 'Step 5 s' }).click();
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', /dark|light/);
  await alert.getByRole('button', { name: 'Reset the simulator' }).click();
  await expect(sim.getByRole('alert')).toHaveCount(0);
  await expect(sim).toHaveAttribute('data-t', start);
  await sim.getByRole('button', { name: 'Step 5 s' }).click();
  await expect(sim).not.toHaveAttribute('data-t', start);
});

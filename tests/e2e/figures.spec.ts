import type { Locator, Page } from '@playwright/test';
import { test, expect, hydrate, hydrateAll, fastest, still } from './fixtures';

/** Every page with a simulator, and the embed page of the one that no chapter shows. */
const SIM_PAGES = ['/chapters/page-cache/', '/chapters/eviction/', '/chapters/thrashing/', '/chapters/oom-killer/', '/chapters/keeping-a-box-alive/', '/playground/', '/embed/swap/'];

/**
 * Boxes inside simulators whose content is wider than they are, and that do not
 * say so: a scroll box must be marked (data-overflow) and show its hint or edge;
 * anything else must not cut its content off.
 */
async function hiddenColumns(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    const name = (el: Element) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}[${el.closest('[data-sim-id]')?.getAttribute('data-sim-id')}]`;
    for (const el of document.querySelectorAll<HTMLElement>('[data-testid="simulator"] *')) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || el.closest('.visually-hidden') || el.getClientRects().length === 0) continue;
      if (el.scrollWidth <= el.clientWidth + 1) continue;
      const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
      if (!scrolls) {
        if (style.overflowX !== 'visible') bad.push(`${name(el)} clips ${el.scrollWidth - el.clientWidth}px`);
        continue;
      }
      if (el.dataset.overflow !== 'x') bad.push(`${name(el)} scrolls ${el.scrollWidth - el.clientWidth}px with no cue`);
    }
    // Nothing in a simulator sticks out past the screen's edge.
    for (const sim of document.querySelectorAll<HTMLElement>('[data-testid="simulator"]')) {
      const r = sim.getBoundingClientRect();
      if (r.right > document.documentElement.clientWidth + 1) bad.push(`${name(sim)} is ${Math.round(r.right - document.documentElement.clientWidth)}px wider than the screen`);
    }
    return bad;
  });
}

/** The rectangle of the first occurrence of `text` inside `box`, and of the box's visible area. */
async function textRect(box: Locator, text: string): Promise<{ text: DOMRect; box: DOMRect; screen: number } | null> {
  return box.evaluate((el, needle) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = n.textContent!.indexOf(needle);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + needle.length);
      return { text: range.getBoundingClientRect().toJSON(), box: el.getBoundingClientRect().toJSON(), screen: document.documentElement.clientWidth };
    }
    return null;
  }, text);
}

function fullyInside(r: { text: DOMRect; box: DOMRect; screen: number } | null): boolean {
  if (!r) return false;
  return r.text.width > 0 && r.text.left >= r.box.left - 0.5 && r.text.right <= r.box.right + 0.5 && r.text.left >= 0 && r.text.right <= r.screen + 0.5;
}

for (const width of [320, 390, 1280, 1920]) {
  test(`at ${width} px every terminal panel and table shows all its columns or says it scrolls`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width, height: 900 });
    for (const path of SIM_PAGES) {
      await page.goto(path);
      // Every figure as a reader scrolling through meets it: hydrated, its cues set.
      await hydrateAll(page);
      // The cue is set once the browser has laid the boxes out.
      await page.waitForTimeout(300);
      expect(await hiddenColumns(page), `${path} at ${width} px`).toEqual([]);
    }
  });
}

for (const width of [390, 1280]) {
  test(`at ${width} px free -m's "available" and the process table's oom_score_adj are fully visible without scrolling`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/chapters/oom-killer/');
    await hydrate(page, '#figure-5-1');
    const figure = page.locator('#figure-5-1');
    const sim = figure.getByTestId('simulator');
    await still(sim);
    await expect(sim).toHaveAttribute('data-playing', 'false');
    await figure.evaluate((el) => el.scrollIntoView());
    // free -m: as printed where it fits, turned on its side where it does not.
    const wide = figure.locator('.free-wide [data-testid="free-panel"]');
    const narrow = figure.getByTestId('free-table');
    const shown = (await wide.isVisible()) ? wide : narrow;
    await expect(shown).toBeVisible();
    expect(fullyInside(await textRect(shown, 'available')), 'available').toBe(true);
    // The number under "available" too.
    if (shown === narrow) {
      const cell = narrow.locator('tr[data-column="available"] td').first();
      expect(await cell.innerText()).toMatch(/^\d+$/);
      expect(fullyInside(await textRect(cell, await cell.innerText()))).toBe(true);
    } else {
      const line = (await wide.innerText()).split('\n').find((l) => l.startsWith('Mem:'))!;
      const last = line.trim().split(/\s+/).at(-1)!;
      const r = await wide.evaluate((el, value) => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const mem = n.textContent!.indexOf('Mem:');
          if (mem < 0) continue;
          const end = n.textContent!.indexOf('\n', mem);
          const at = n.textContent!.lastIndexOf(value, end < 0 ? undefined : end);
          const range = document.createRange();
          range.setStart(n, at);
          range.setEnd(n, at + value.length);
          return { text: range.getBoundingClientRect().toJSON(), box: el.getBoundingClientRect().toJSON(), screen: document.documentElement.clientWidth };
        }
        return null;
      }, last);
      expect(fullyInside(r), `available value ${last}`).toBe(true);
    }
    // The process table's oom_score_adj column: header and the first row's control.
    const table = figure.getByTestId('process-table');
    const scroller = figure.locator('.table-scroll');
    const header = table.locator('th', { hasText: 'oom_score_adj' });
    const control = table.locator('tbody tr').first().locator('select');
    for (const el of [header, control]) {
      const [r, box] = await Promise.all([el.boundingBox(), scroller.boundingBox()]);
      expect(r!.x).toBeGreaterThanOrEqual(box!.x - 0.5);
      expect(r!.x + r!.width).toBeLessThanOrEqual(box!.x + box!.width + 0.5);
      expect(r!.x + r!.width).toBeLessThanOrEqual(width);
    }
    expect(await scroller.evaluate((el) => el.scrollLeft)).toBe(0);
  });
}

test('keyboard: from the top of a chapter, Tab reaches the first simulator\'s first control, and it works at once', async ({ page }) => {
  await page.goto('/chapters/eviction/');
  const sim = page.locator('#figure-3-1 [data-testid="simulator"]');
  let inside = false;
  for (let i = 0; i < 150 && !inside; i++) {
    await page.keyboard.press('Tab');
    inside = await sim.evaluate((el) => el.contains(document.activeElement));
  }
  expect(inside).toBe(true);
  const first = sim.locator('button, select, input, [tabindex="0"]').first();
  await expect(first).toBeFocused();
  const label = (await first.innerText()).trim();
  expect(label).toMatch(/^(Play|Pause)$/);
  await page.keyboard.press('Enter');
  // Whatever it said is what happens: Play plays, Pause stops.
  const playing = label === 'Play' ? 'true' : 'false';
  await expect(sim).toHaveAttribute('data-playing', playing, { timeout: 10_000 });
  await expect(first).toHaveText(label === 'Play' ? 'Pause' : 'Play');
  await expect(first).toBeFocused();
  if (playing === 'true') {
    const t = Number(await sim.getAttribute('data-t'));
    await expect.poll(async () => Number(await sim.getAttribute('data-t'))).toBeGreaterThan(t);
  } else {
    const t = await sim.getAttribute('data-t');
    await page.waitForTimeout(500);
    await expect(sim).toHaveAttribute('data-t', t!);
  }
});

test('setting −1000 on the next victim keeps its row in the table, its control focused and its new score shown', async ({ page }) => {
  await page.goto('/chapters/oom-killer/');
  await hydrate(page, '#figure-5-1');
  const figure = page.locator('#figure-5-1');
  const sim = figure.getByTestId('simulator');
  await still(sim);
  await expect(sim).toHaveAttribute('data-playing', 'false');
  const table = figure.getByTestId('process-table');
  const pid = (await table.locator('tr.victim').getAttribute('data-pid'))!;
  const row = table.locator(`tr[data-pid="${pid}"]`);
  const before = Number(await row.getByTestId('oom-score').innerText());
  const select = row.locator('select');
  await select.focus();
  await select.selectOption('-1000');
  await expect(row).toHaveCount(1);
  await expect(row).toBeVisible();
  await expect(select).toBeFocused();
  await expect(select).toHaveValue('-1000');
  await expect.poll(async () => Number(await row.getByTestId('oom-score').innerText())).toBeLessThan(before);
  await expect(row).toHaveClass(/pinned/);
  await expect(row).not.toHaveClass(/victim/);
  // Running on fast, with focus left where it is: kills and restarts reorder the table, and the row stays, focused.
  await figure.getByLabel('Speed').selectOption('60');
  await select.focus();
  await sim.getByRole('button', { name: 'Play' }).evaluate((b) => (b as HTMLButtonElement).click());
  await expect(sim).toHaveAttribute('data-playing', 'true');
  const t0 = Number(await sim.getAttribute('data-t'));
  for (let i = 0; i < 6; i++) {
    await page.waitForTimeout(500);
    await expect(row).toHaveCount(1);
    await expect(select).toBeFocused();
  }
  expect(Number(await sim.getAttribute('data-t'))).toBeGreaterThan(t0 + 30);
});

test('a process killed while its control has focus keeps its row, which says it is gone', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/chapters/oom-killer/');
  await hydrate(page, '#figure-5-1');
  const figure = page.locator('#figure-5-1');
  const sim = figure.getByTestId('simulator');
  await still(sim);
  await expect(sim).toHaveAttribute('data-playing', 'false');
  await figure.getByLabel('Speed').selectOption('30');
  const table = figure.getByTestId('process-table');
  // The loop kills notebook servers; right after a kill another process can hold the
  // mark for a moment. Step until a notebook server is the marked next victim.
  const step = figure.getByRole('button', { name: /^Step/ });
  for (let i = 0; i < 20 && (await table.locator('tr.victim[data-comm="jupyter-noteboo"]').count()) === 0; i++) await step.click();
  const pid = (await table.locator('tr.victim[data-comm="jupyter-noteboo"]').getAttribute('data-pid'))!;
  const row = table.locator(`tr[data-pid="${pid}"]`);
  await row.locator('select').focus();
  await sim.getByRole('button', { name: 'Play' }).evaluate((b) => (b as HTMLButtonElement).click());
  await expect(row).toHaveClass(/gone/, { timeout: 60_000 });
  await expect(row).toContainText('gone');
  await expect(row.getByRole('button', { name: /Remove the row/ })).toBeFocused();
});

async function dragTo(page: Page, slider: Locator, share: number, hold = 0): Promise<void> {
  await slider.scrollIntoViewIfNeeded();
  const box = (await slider.boundingBox())!;
  const y = box.y + box.height / 2;
  const x0 = box.x + 8;
  await page.mouse.move(x0 + (box.width - 16) * 0.05, y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(x0 + (box.width - 16) * (0.05 + ((share - 0.05) * i) / 10), y);
    await page.waitForTimeout(hold / 10);
  }
  await page.mouse.up();
}

test('the replay scrubber, dragged while playing, follows the pointer and seeks to where it is let go', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/playground/#replay');
  await hydrate(page, '#replay + p + .sim-wrap');
  const sim = page.locator('[data-testid="simulator"][data-preset="incident"]');
  if ((await sim.getAttribute('data-playing')) !== 'true') await sim.getByRole('button', { name: 'Play' }).click();
  await expect(sim).toHaveAttribute('data-playing', 'true');
  const scrubber = sim.getByLabel(/Incident timeline/);
  const max = Number(await scrubber.getAttribute('max'));
  // Held for a while mid-drag: the clock's ticks must not move the thumb away from the pointer.
  await dragTo(page, scrubber, 0.92, 1500);
  const released = Number(await scrubber.inputValue());
  expect(released).toBeGreaterThan(max * 0.85);
  await expect(sim).toHaveAttribute('data-busy', 'false', { timeout: 30_000 });
  const t = Number(await sim.getAttribute('data-t'));
  expect(t).toBeGreaterThanOrEqual(released - 0.05);
  expect(t).toBeLessThan(released + 60);
  await expect(sim).toHaveAttribute('data-playing', 'true');
  // The jump buttons speak words, with the write-up's names beside them.
  await expect(sim.getByRole('button', { name: /Four labs: thrashing/ })).toBeVisible();
});

test('the time axis: the window fills from the left, and its right edge is the window\'s end', async ({ page }) => {
  await page.goto('/chapters/eviction/');
  await hydrate(page, '#figure-3-1');
  const figure = page.locator('#figure-3-1');
  const sim = figure.getByTestId('simulator');
  await still(sim);
  const chart = figure.locator('svg.memory-chart');
  const t0 = Number(await chart.getAttribute('data-t0'));
  const t1 = Number(await chart.getAttribute('data-t1'));
  const now = Number(await sim.getAttribute('data-t'));
  expect(t1 - t0).toBe(300);
  expect(t0).toBeLessThanOrEqual(now);
  // Less than a window of history: the data ends where the time is, short of the right edge.
  expect(now).toBeLessThan(t1);
  const plot = await chart.evaluate((svg) => {
    const area = svg.querySelector('path.area-free') as SVGGraphicsElement;
    const base = svg.querySelector('.time-axis line.base') as SVGGraphicsElement;
    return { data: area.getBoundingClientRect().toJSON(), axis: base.getBoundingClientRect().toJSON() };
  });
  const share = (plot.data.right - plot.axis.left) / plot.axis.width;
  expect(share).toBeCloseTo((now - t0) / (t1 - t0), 1);
  expect(plot.data.right).toBeLessThan(plot.axis.right - 10);
  // Tick labels are in seconds and none lies beyond the window's end.
  const ticks = await chart.locator('.time-axis text.tick').allTextContents();
  expect(ticks.length).toBeGreaterThan(2);
  for (const tick of ticks) expect(Number(tick.replace(/[^\d]/g, ''))).toBeLessThanOrEqual(t1);
});

for (const width of [390, 1280]) {
  test(`a long kernel log shows its newest lines, follows new ones, stays where the reader scrolls up to, and shows its earlier lines on request (${width} px)`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width, height: 900 });
    // This figure opens with a full log: 200 lines, of which the newest are drawn.
    await page.goto('/embed/lab-limits/');
    await hydrate(page);
    const sim = page.getByTestId('simulator');
    const rows = sim.getByTestId('dmesg-panel').locator('.rows');
    const gap = () => rows.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    const lastLine = () => rows.evaluate((el) => el.querySelector('.line:last-child')!.textContent!.trim());
    const lineCount = () => rows.locator('.line').count();
    /** Waits for a scroll the browser animates (keys scroll smoothly) to end. */
    const settled = async () => {
      let last = -1;
      await expect.poll(async () => {
        const now = await rows.evaluate((el) => el.scrollTop);
        const same = now === last;
        last = now;
        return same;
      }, { intervals: [150] }).toBe(true);
    };
    await expect.poll(gap).toBeLessThan(4);
    // The last line is the one on screen, at the bottom of the box.
    const lastAtBottom = () =>
      rows.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const last = el.querySelector('.line:last-child')!.getBoundingClientRect();
        return Math.abs(last.bottom - box.bottom) < 4 && last.top < box.bottom;
      });
    await expect.poll(lastAtBottom).toBe(true);
    const drawn = await lineCount();
    expect(drawn).toBeLessThan(200);

    // New lines arrive: the box follows them.
    await fastest(sim);
    if ((await sim.getAttribute('data-playing')) !== 'true') await sim.getByRole('button', { name: 'Play' }).click();
    const first = await lastLine();
    await expect.poll(lastLine, { timeout: 60_000 }).not.toBe(first);
    await expect.poll(gap).toBeLessThan(4);

    // The reader scrolls up to read (keys on the focused box): the line they are reading stays put
    // while lines keep arriving below. (At the fastest speed this figure's log turns over its
    // 200 lines in a fraction of a second: the reader slows it down first.)
    await sim.getByLabel('Speed').selectOption('5');
    await rows.focus();
    await page.keyboard.press('PageUp');
    await expect.poll(gap).toBeGreaterThan(50);
    await settled();
    const topLine = () =>
      rows.evaluate((el) => {
        const top = el.getBoundingClientRect().top;
        const line = [...el.querySelectorAll('.line')].find((l) => l.getBoundingClientRect().bottom > top + 2);
        return { text: line?.textContent?.trim() ?? '', y: Math.round((line?.getBoundingClientRect().top ?? 0) - top) };
      });
    const reading = await topLine();
    const now = await lastLine();
    await expect.poll(lastLine, { timeout: 60_000 }).not.toBe(now);
    await page.waitForTimeout(300);
    const after = await topLine();
    expect(after.text).toBe(reading.text);
    expect(Math.abs(after.y - reading.y)).toBeLessThan(4);
    expect(await gap()).toBeGreaterThan(50);

    // Back at the end, it follows again.
    await page.keyboard.press('End');
    await expect.poll(gap).toBeLessThan(4);
    const then = await lastLine();
    await expect.poll(lastLine, { timeout: 60_000 }).not.toBe(then);
    await expect.poll(gap).toBeLessThan(4);

    // The earlier lines, on request: the newest stay in view, and the keyboard stays in the log.
    await sim.getByRole('button', { name: 'Pause' }).click();
    await rows.focus();
    await page.keyboard.press('Home');
    await settled();
    const more = rows.getByRole('button', { name: /^Show \d+ earlier lines?$/ });
    const hidden = Number(/\d+/.exec(await more.innerText())![0]);
    const shownBefore = await lineCount();
    const reading2 = await topLine();
    await more.click();
    await expect.poll(lineCount).toBe(shownBefore + hidden);
    await expect(rows).toBeFocused();
    // The line that was at the top is where it was, with the earlier lines now above it.
    const y2 = await rows.evaluate((el, text) => {
      const line = [...el.querySelectorAll('.line')].find((l) => l.textContent?.trim() === text)!;
      return Math.round(line.getBoundingClientRect().top - el.getBoundingClientRect().top);
    }, reading2.text);
    expect(Math.abs(y2 - reading2.y)).toBeLessThan(4);
    expect(await rows.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  });
}

import { test as base, expect, type Locator, type Page } from '@playwright/test';

/**
 * Every test records each request its pages make and fails if one goes to a
 * host other than the site's own: fonts, scripts and data must all be local.
 */
export const test = base.extend<{ offOrigin: string[] }>({
  offOrigin: [
    async ({ context, baseURL }, use) => {
      const origin = new URL(baseURL!).origin;
      const strays: string[] = [];
      context.on('request', (request) => {
        const url = request.url();
        if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return;
        if (new URL(url).origin !== origin) strays.push(url);
      });
      await use(strays);
      expect(strays, 'requests that left the local origin').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Scrolls the first island inside `scope` into view and waits until it has hydrated. */
export async function hydrate(page: Page, scope = 'body'): Promise<void> {
  const island = page.locator(`${scope} astro-island`).first();
  // astro-island is display: contents, so scroll to what it renders.
  await island.locator(':scope > :not(template)').first().scrollIntoViewIfNeeded();
  await expect(island).not.toHaveAttribute('ssr', /.*/);
  // A simulator may still be working out its state (a link, or a preset shipped as a snapshot).
  const sim = island.locator('[data-testid="simulator"]');
  if ((await sim.count()) > 0) await expect(sim.first()).toHaveAttribute('data-busy', 'false', { timeout: 30_000 });
}

/**
 * Brings a figure (a simulator or a comparison) to a stop as a reader at its controls would.
 * Focusing its Play button starts the machine without playing it (a figure the reader has reached
 * into waits for their press), so it cannot start by itself after this returns; if it had already
 * started on its own, it is paused.
 */
export async function still(figure: Locator): Promise<void> {
  const play = figure.locator('button.play').first();
  await play.focus();
  await expect(figure).toHaveAttribute('data-busy', 'false', { timeout: 30_000 });
  if ((await play.innerText()).trim() === 'Pause') await play.click();
  await expect(play).toHaveText('Play');
  await expect(figure).toHaveAttribute('data-playing', 'false');
}

/** Hydrates every island on the page, each brought near the screen as a reader's scroll would. */
export async function hydrateAll(page: Page): Promise<void> {
  const islands = page.locator('astro-island');
  for (let i = 0; i < (await islands.count()); i++) {
    const island = islands.nth(i);
    await island.locator(':scope > :not(template)').first().scrollIntoViewIfNeeded();
    await expect(island).not.toHaveAttribute('ssr', /.*/);
  }
}

/**
 * Hydrates every island on the page and lets every simulator play `seconds`
 * simulated seconds, then pauses it: what a reader sees once the figures have
 * run, not only their starting state.
 */
export async function runSimulators(page: Page, seconds = 5): Promise<void> {
  await hydrateAll(page);
  const sims = page.getByTestId('simulator');
  for (let i = 0; i < (await sims.count()); i++) {
    const sim = sims.nth(i);
    await sim.scrollIntoViewIfNeeded();
    await expect(sim).toHaveAttribute('data-busy', 'false', { timeout: 30_000 });
    const start = Number(await sim.getAttribute('data-t'));
    const play = sim.locator('button[data-early="play"]');
    // The button reads Pause once the machine is set to play (it may be about to start by itself).
    await expect(async () => {
      if ((await play.innerText()).trim() === 'Play') await play.click();
      await expect(play).toHaveText('Pause', { timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    await expect.poll(async () => Number(await sim.getAttribute('data-t')), { timeout: 30_000 }).toBeGreaterThanOrEqual(start + seconds);
    await play.click();
    await expect(sim).toHaveAttribute('data-playing', 'false');
  }
}

/** All pages of the site, found by following the home page's links. */
export async function sitePages(page: Page): Promise<string[]> {
  await page.goto('/');
  const hrefs = await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  return [...new Set(['/', ...hrefs])].sort();
}

/** Rows of a vmstat panel as objects keyed by column name. */
export async function vmstatRows(panel: Locator): Promise<Record<string, number>[]> {
  const lines = (await panel.innerText()).split('\n');
  const header = lines.find((l) => /\br\s+b\s+swpd/.test(l));
  if (!header) return [];
  const names = header.trim().split(/\s+/);
  return lines
    .map((l) => l.trim().split(/\s+/))
    .filter((cells) => cells.length === names.length && cells.every((c) => /^\d+$/.test(c)))
    .map((cells) => Object.fromEntries(names.map((n, i) => [n, Number(cells[i])])));
}

/** Set a simulator to its fastest speed. */
export async function fastest(sim: Locator): Promise<void> {
  const speed = sim.getByLabel('Speed');
  const options = await speed.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  await speed.selectOption(options.at(-1)!);
}

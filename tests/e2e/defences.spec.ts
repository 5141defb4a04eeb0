import type { Locator, Page } from '@playwright/test';
import { test, expect, hydrate, fastest } from './fixtures';

/** Memory cgroups and user-space responders, as a reader drives them. */


async function play(sim: Locator): Promise<void> {
  const button = sim.locator('button[data-early="play"]');
  await expect(async () => {
    if ((await button.innerText()).trim() === 'Play') await button.click();
    await expect(button).toHaveText('Pause', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
}

async function open(page: Page, url: string, preset: string): Promise<Locator> {
  await page.goto(url);
  await hydrate(page);
  return page.locator(`[data-testid="simulator"][data-preset="${preset}"]`);
}

test('lowering a running lab’s memory.max ends in a memcg kill inside it, counted in its memory.events, while the other lab stays up', async ({ page }) => {
  test.setTimeout(120_000);
  const sim = await open(page, '/embed/memory-limits/', 'memory-limits');
  const table = sim.getByTestId('cgroups-table');
  const lab1 = table.locator('tr[data-name="lab1"]');
  await expect(lab1.getByTestId('cg-oom-kill')).toHaveText('0');
  await lab1.getByLabel('memory.max of lab1').selectOption('128');
  await fastest(sim);
  await play(sim);
  await expect(sim.getByTestId('dmesg-panel')).toContainText('Memory cgroup out of memory: Killed process', { timeout: 60_000 });
  await expect.poll(async () => Number(await lab1.getByTestId('cg-oom-kill').innerText()), { timeout: 60_000 }).toBeGreaterThan(0);
  await expect(table.locator('tr[data-name="lab2"]').getByTestId('cg-oom-kill')).toHaveText('0');
  const line = (await sim.getByTestId('docker-panel').innerText()).split('\n').find((l) => l.trim().endsWith('lab2'));
  expect(line).toMatch(/ Up /);
});

test('switching on systemd-oomd on a thrashing box: a whole lab goes at once, with oomd’s own log line', async ({ page }) => {
  test.setTimeout(180_000);
  const sim = await open(page, '/playground/', 'playground');
  await sim.getByLabel('systemd-oomd').check();
  const slider = sim.getByLabel(/Lab containers running/);
  await slider.focus();
  for (let i = 0; i < 4; i++) await slider.press('ArrowRight');
  await expect(sim.getByTestId('labs-count')).toHaveText('4');
  // Slow enough that oomd's line is still among the newest events when the test looks.
  await sim.getByLabel('Speed').selectOption('30');
  await play(sim);
  const log = sim.getByTestId('events');
  const line = /systemd-oomd: Killed \/system\.slice\/docker-([0-9a-f]{64})\.scope due to memory pressure/;
  await expect(log).toContainText(line, { timeout: 150_000 });
  await sim.locator('button[data-early="play"]').click();
  // The cgroup carries the full 64-hex ID; docker ps shows its first 12 characters.
  const id = line.exec((await log.textContent())!)![1]!.slice(0, 12);
  // Docker saw the whole container exit, its init among the killed, not one process of it.
  const row = (await sim.getByTestId('docker-panel').innerText()).split('\n').find((l) => l.startsWith(id))!;
  const name = row.trim().split(/\s+/).at(-1)!;
  await expect(log).toContainText(`container ${name} exited (137)`);
});

test('chapter 7: with memory.max per lab, the kernel log holds memory cgroup kills and no global one', async ({ page }) => {
  test.setTimeout(120_000);
  const sim = await open(page, '/chapters/keeping-a-box-alive/', 'lab-limits');
  await sim.scrollIntoViewIfNeeded();
  await fastest(sim);
  await play(sim);
  const log = sim.getByTestId('dmesg-panel');
  await expect(log).toContainText('Memory cgroup out of memory: Killed process', { timeout: 60_000 });
  // Run past the fourth lab's start (450 s) and through its first half-minute.
  await expect.poll(async () => Number(await sim.getAttribute('data-t')), { timeout: 90_000 }).toBeGreaterThanOrEqual(480);
  await sim.locator('button[data-early="play"]').click();
  const lines = (await log.textContent())!.split('\n');
  expect(lines.filter((l) => /\] Out of memory: Killed process/.test(l))).toEqual([]);
  for (const lab of ['lab1', 'lab2', 'lab3', 'lab4']) await expect(sim.getByTestId('cgroups-table').locator(`tr[data-name="${lab}"]`)).toBeVisible();
});

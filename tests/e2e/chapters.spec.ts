import { test, expect, hydrate, sitePages, vmstatRows, still } from './fixtures';


test('thrashing: adding the fourth lab pins the CPU in iowait (wa ≥ 70) within a simulated minute', async ({ page }) => {
  await page.goto('/chapters/thrashing/');
  await hydrate(page, '#figure-4-1');
  const figure = page.locator('#figure-4-1');
  const sim = figure.getByTestId('simulator');
  await still(sim);
  await expect(figure.getByTestId('labs-count')).toHaveText('3');
  const vmstat = figure.getByTestId('vmstat-panel');
  const before = (await vmstatRows(vmstat)).length;
  expect(Math.max(...(await vmstatRows(vmstat)).map((r) => r.wa!))).toBeLessThan(70);

  await figure.getByLabel(/Lab containers running/).focus();
  await page.keyboard.press('ArrowRight');
  await expect(figure.getByTestId('labs-count')).toHaveText('4');
  const t0 = Number(await sim.getAttribute('data-t'));
  const step = figure.getByRole('button', { name: 'Step 5 s' });
  // Thrashing: the CPU waits (wa ≥ 70, hardly idle) while the disk reads flat out. The
  // lab's own start-up reads come first, small and slow; the flat-out reading follows.
  const thrashing = (r: { wa?: number; id?: number; bi?: number }) => r.wa! >= 70 && r.id! < 10 && r.bi! > 30_000;
  let reached = Infinity;
  for (let i = 0; i < 12 && reached === Infinity; i++) {
    await step.click();
    await expect.poll(async () => (await vmstatRows(vmstat)).length).toBeGreaterThan(before + i);
    const rows = (await vmstatRows(vmstat)).slice(before);
    if (rows.some(thrashing)) reached = Number(await sim.getAttribute('data-t')) - t0;
  }
  expect(reached).toBeLessThanOrEqual(60);
  expect(Number((await figure.getByTestId('ls-latency').innerText()).replace(/[^\d.]/g, ''))).toBeGreaterThan(0);
});

test('the OOM killer: protecting the next victim with −1000 makes the next kill choose another process', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/chapters/oom-killer/');
  await hydrate(page, '#figure-5-1');
  const figure = page.locator('#figure-5-1');
  const sim = figure.getByTestId('simulator');
  await still(sim);
  const table = figure.getByTestId('process-table');
  const marked = table.locator('tr.victim');
  await expect(marked).toHaveCount(1);
  const pid = Number(await marked.getAttribute('data-pid'));
  const comm = (await marked.getAttribute('data-comm'))!;
  await figure.getByLabel(`oom_score_adj of ${comm} (pid ${pid})`).selectOption('-1000');
  // The mark moves to another process and the protected one scores 0.
  await expect(table.locator('tr.victim')).not.toHaveAttribute('data-pid', String(pid));
  await figure.getByRole('button', { name: /Show all/ }).click();
  await expect(table.locator(`tr[data-pid="${pid}"] [data-testid="oom-score"]`)).toHaveText('0');

  const dmesg = figure.getByTestId('dmesg-panel');
  // Kills in the log, by the time the kernel printed them.
  const kills = async () =>
    [...(await dmesg.textContent())!.matchAll(/\[\s*([\d.]+)\] Out of memory: Kill(?:ed)? process (\d+)/g)].map((m) => ({ t: Number(m[1]), pid: Number(m[2]) }));
  const since = (await kills()).at(-1)?.t ?? -1;
  await figure.getByLabel('Speed').selectOption('120');
  await figure.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => (await kills()).filter((k) => k.t > since).length, { timeout: 90_000 }).toBeGreaterThan(0);
  // None of the kills since then took the protected process.
  for (const k of (await kills()).filter((x) => x.t > since)) expect(k.pid).not.toBe(pid);
  await expect(table.locator(`tr[data-pid="${pid}"]`)).toHaveCount(1);
});

test('links between chapters land on headings that exist', async ({ page }) => {
  const pages = (await sitePages(page)).filter((p) => p.startsWith('/chapters/'));
  const targets = new Set<string>();
  for (const path of pages) {
    await page.goto(path);
    const hrefs = await page.locator('main a[href^="/chapters/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    for (const h of hrefs) targets.add(h);
  }
  expect(targets.size).toBeGreaterThan(3);
  for (const href of targets) {
    const [path, hash] = href.split('#');
    const response = await page.goto(path!);
    expect(response?.status(), href).toBe(200);
    if (hash) expect(await page.locator(`[id="${hash}"]`).count(), href).toBe(1);
  }
});

test('every chapter figure is numbered and anchored', async ({ page }) => {
  for (const path of (await sitePages(page)).filter((p) => p.startsWith('/chapters/'))) {
    await page.goto(path);
    const figures = page.locator('figure[id^="figure-"]');
    const n = await figures.count();
    expect(n, path).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) {
      const f = figures.nth(i);
      const id = (await f.getAttribute('id'))!;
      const number = id.replace('figure-', '').replace('-', '.');
      await expect(f.locator('figcaption .figure-number')).toHaveText(`Figure ${number}.`);
      await expect(f.locator('figcaption .figure-number')).toHaveAttribute('href', `#${id}`);
    }
  }
});

/**
 * Measures the built site in Chromium, as a reader's browser sees it: long tasks
 * and frame rate while simulators run at ×120 (on a desktop CPU and slowed 4×),
 * the longest task while a chapter's simulator hydrates, layout shift (CLS) on
 * every chapter, opening the two heaviest kinds of link, and Explain my box reading a
 * 1 MB paste. Prints medians of several runs. Not a test: the numbers depend on the machine.
 *
 *   npm run build && npm run bench:ui [-- --runs 3 --port 4332]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from '@playwright/test';
import { resolveChromium, workerHeapMiB } from '../tests/e2e/browser';
import { largePaste } from '../tests/e2e/samples';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const RUNS = opt('runs', 3);
const PORT = opt('port', Number(process.env.BENCH_PORT ?? 4332));
const BASE = `http://127.0.0.1:${PORT}`;
const RUN_SECONDS = opt('seconds', 8);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function serve(): Promise<ChildProcess> {
  const server = spawn('npx', ['astro', 'preview', '--ignore-lock', '--port', String(PORT), '--host', '127.0.0.1'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${BASE}/`)).ok) return server;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  server.kill();
  throw new Error(`the preview server did not answer on ${BASE}`);
}

/** Long tasks and layout shifts from the first moment of every page. */
const OBSERVE = () => {
  const w = window as unknown as { __bench: { tasks: { start: number; duration: number }[]; cls: number } };
  w.__bench = { tasks: [], cls: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__bench.tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!e.hadRecentInput) w.__bench.cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
};

async function newPage(browser: Browser, width = 1280, height = 900, throttle = 1): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  await page.addInitScript(OBSERVE);
  if (throttle > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
  return page;
}

const bench = (page: Page) => page.evaluate(() => (window as unknown as { __bench: { tasks: { start: number; duration: number }[]; cls: number } }).__bench);

async function hydrated(page: Page, scope: string): Promise<void> {
  const island = page.locator(`${scope} astro-island`).first();
  await island.locator(':scope > :not(template)').first().scrollIntoViewIfNeeded();
  await page.waitForFunction((sel) => !document.querySelector(`${sel} astro-island`)?.hasAttribute('ssr'), scope, { timeout: 60_000 });
  await page.waitForFunction((sel) => document.querySelector(`${sel} [data-testid="simulator"]`)?.getAttribute('data-busy') === 'false', scope, { timeout: 120_000 });
}

/** Runs a simulator at ×120 for a while: frames per second, long tasks (count, longest). */
async function running(browser: Browser, path: string, scope: string, throttle: number) {
  const page = await newPage(browser, 1280, 900, throttle);
  await page.goto(`${BASE}${path}`);
  await hydrated(page, scope);
  const sim = page.locator(`${scope} [data-testid="simulator"]`).first();
  await sim.getByLabel('Speed').selectOption('120');
  if ((await sim.getAttribute('data-playing')) !== 'true') await sim.getByRole('button', { name: 'Play' }).click();
  const from = await page.evaluate(() => performance.now());
  // A string, so the bundler's helpers do not end up in the page.
  const frames = (await page.evaluate(`new Promise((resolve) => {
    let n = 0;
    const end = performance.now() + ${RUN_SECONDS * 1000};
    function tick(now) {
      n++;
      if (now < end) requestAnimationFrame(tick);
      else resolve(n);
    }
    requestAnimationFrame(tick);
  })`)) as number;
  const tasks = (await bench(page)).tasks.filter((t) => t.start >= from);
  await page.context().close();
  return { fps: frames / RUN_SECONDS, longTasks: tasks.length, longest: Math.max(0, ...tasks.map((t) => t.duration)) };
}

/** The longest task between navigation and the chapter's first simulator being ready. */
async function hydration(browser: Browser, path: string, scope: string, throttle: number) {
  const page = await newPage(browser, 1280, 900, throttle);
  await page.goto(`${BASE}${path}`);
  await hydrated(page, scope);
  const tasks = (await bench(page)).tasks;
  await page.context().close();
  return Math.max(0, ...tasks.map((t) => t.duration));
}

/** Layout shift over a reader's scroll through a chapter, at a desktop and a phone width. */
async function cls(browser: Browser, path: string, width: number, height: number) {
  const page = await newPage(browser, width, height);
  await page.goto(`${BASE}${path}`);
  await page.waitForLoadState('load');
  const total = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y < total; y += Math.round(height * 0.8)) {
    await page.evaluate((to) => window.scrollTo(0, to), y);
    await page.waitForTimeout(400);
  }
  await page.waitForTimeout(1000);
  const value = (await bench(page)).cls;
  await page.context().close();
  return value;
}

/** Opening a heavy link: the longest task, how long until the state is on screen, the JS heap. */
async function heavyLink(browser: Browser, path: string, limitS: number) {
  const page = await newPage(browser);
  const started = Date.now();
  await page.goto(`${BASE}${path}`);
  const sim = page.getByTestId('simulator');
  let finished = true;
  let heap = 0;
  try {
    await page.waitForFunction(
      () => {
        const el = document.querySelector('[data-testid="simulator"]');
        return el && !document.querySelector('astro-island[ssr]') && el.getAttribute('data-busy') === 'false';
      },
      undefined,
      { timeout: limitS * 1000, polling: 500 },
    );
  } catch {
    finished = false;
  }
  const seconds = (Date.now() - started) / 1000;
  heap = await page.evaluate(() => ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 2 ** 20);
  const workerHeap = await workerHeapMiB(browser);
  const tasks = (await bench(page)).tasks;
  const t = await sim.getAttribute('data-t');
  await page.context().close();
  return { seconds, finished, longest: Math.max(0, ...tasks.map((x) => x.duration)), heapMiB: heap, workerHeapMiB: workerHeap, t };
}

/** Explain my box reading a 1 MB paste: the longest task from the paste until its first eight blocks are shown. */
async function paste(browser: Browser, throttle: number) {
  const page = await newPage(browser, 1280, 900, throttle);
  await page.goto(`${BASE}/explain/`);
  await page.waitForFunction(() => document.querySelector('astro-island') && !document.querySelector('astro-island[ssr]'), undefined, { timeout: 60_000 });
  const box = page.getByLabel('Paste what your box printed');
  // The text is put in the box first: the browser laying out a megabyte of text is its own work, not the page's.
  await box.evaluate((el, value) => {
    (el as HTMLTextAreaElement).value = value;
  }, largePaste());
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
  await page.evaluate(() => ((window as unknown as { __bench: { tasks: unknown[] } }).__bench.tasks.length = 0));
  const started = Date.now();
  await box.dispatchEvent('input');
  await page.locator('article.block').nth(7).waitFor({ timeout: 120_000 });
  const seconds = (Date.now() - started) / 1000;
  const tasks = (await bench(page)).tasks;
  await page.context().close();
  return { seconds, longest: Math.max(0, ...tasks.map((x) => x.duration)) };
}

const CHAPTERS = ['/chapters/reading-free/', '/chapters/page-cache/', '/chapters/eviction/', '/chapters/thrashing/', '/chapters/oom-killer/'];
const LOOP = { path: '/chapters/oom-killer/', scope: '#figure-5-1' };
const PLAYGROUND = { path: '/playground/', scope: '#box + .sim-wrap' };
const HEAVY = {
  'oom-loop, t=86400': '/embed/oom-loop/?sim=v1;preset=oom-loop;t=86400',
  'oom-loop, 200 restarting labs': `/embed/oom-loop/?sim=v1;preset=oom-loop;t=600;do=${Array(200).fill('86@start:dhbox-lab:restart=always').join(',')}`,
};

const server = await serve();
const browser = await chromium.launch({
  executablePath: resolveChromium(),
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--enable-precise-memory-info'],
});
const rows: [string, string][] = [];
const report = (name: string, value: string) => {
  rows.push([name, value]);
  console.log(`${name.padEnd(58)} ${value}`);
};
try {
  console.log(`bench:ui — ${RUNS} runs, medians; ${BASE}\n`);
  for (const [label, where] of [['playground', PLAYGROUND], ['oom-loop figure', LOOP]] as const) {
    for (const throttle of [1, 4]) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await running(browser, where.path, where.scope, throttle));
      const cpu = throttle === 1 ? 'desktop' : 'CPU 4× slower';
      report(`${label} ×120, ${cpu}: fps`, median(runs.map((r) => r.fps)).toFixed(1));
      report(`${label} ×120, ${cpu}: long tasks in ${RUN_SECONDS} s`, String(median(runs.map((r) => r.longTasks))));
      report(`${label} ×120, ${cpu}: longest task, ms`, median(runs.map((r) => r.longest)).toFixed(0));
    }
  }
  for (const throttle of [1, 4]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await hydration(browser, '/chapters/eviction/', '#figure-3-1', throttle));
    report(`hydration to ready, eviction chapter${throttle > 1 ? ', CPU 4× slower' : ''}: longest task, ms`, median(runs).toFixed(0));
  }
  for (const path of CHAPTERS) {
    for (const [w, h] of [[1280, 900], [390, 844]] as const) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await cls(browser, path, w, h));
      report(`CLS ${path} at ${w} px`, median(runs).toFixed(3));
    }
  }
  for (const throttle of [1, 4]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await paste(browser, throttle));
    const cpu = throttle === 1 ? '' : ', CPU 4× slower';
    report(`explain, a 1 MB paste${cpu}: longest task, ms`, median(runs.map((r) => r.longest)).toFixed(0));
    report(`explain, a 1 MB paste${cpu}: first blocks shown after, s`, median(runs.map((r) => r.seconds)).toFixed(1));
  }
  for (const [name, path] of Object.entries(HEAVY)) {
    const r = await heavyLink(browser, path, opt('heavy-seconds', 150));
    report(`link ${name}: longest task, ms`, r.longest.toFixed(0));
    report(`link ${name}: ${r.finished ? 'ready after' : 'still replaying after'}, s`, `${r.seconds.toFixed(1)} (t=${r.t})`);
    report(`link ${name}: JS heap of the page, MiB`, r.heapMiB.toFixed(0));
    report(`link ${name}: JS heap of the simulation worker, MiB`, r.workerHeapMiB.toFixed(0));
  }
} finally {
  await browser.close();
  server.kill();
}

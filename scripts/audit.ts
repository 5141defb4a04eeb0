/**
 * Checks every built page as a reader's browser sees it, and fails when one misses a target:
 *
 * - Lighthouse, its own desktop and mobile presets: performance ≥ 0.98 (desktop) and
 *   ≥ 0.90 (mobile); accessibility, best practices and SEO 1.0 with both.
 * - axe, in the light and the dark theme, after every island on the page has hydrated and
 *   every simulator has played a few simulated seconds: no violations.
 * - Every internal link and #anchor on the page (as rendered, after hydration) resolves.
 * - No request leaves the site's origin; no console error or uncaught exception.
 * - The JavaScript files the page loads, gzip-compressed: ≤ 80 KB on a page with islands
 *   (a simulator, Explain my box) or a script-driven tool marked `data-tool` (the search
 *   page's Pagefind UI), 8 KB more where a side-by-side comparison joins a simulator (its
 *   own code), none on a text page.
 *
 * It builds the site first if dist/ is missing or older than the sources, serves dist/
 * itself on 127.0.0.1 (gzip, as a static host would), and drives one Chromium, one page at
 * a time. A Lighthouse run that misses its performance target is run four more times and
 * the median of the five is kept: performance varies from run to run (the other categories do
 * not), and Lighthouse's own guide to variability (docs/variability.md) finds the median of
 * five runs twice as stable as one. Each run's benchmarkIndex (Lighthouse's measure of the
 * machine's speed) is kept, and their median printed, so a table can be read with the speed
 * of the machine it was measured on.
 *
 *   npm run audit [-- --only embed --port 4351 --json audit.json]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve, sep } from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from '@playwright/test';
import lighthouse, { desktopConfig, type Config } from 'lighthouse';
import { CHROMIUM_ARGS, resolveChromium } from '../tests/e2e/browser';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const PORT = Number(opt('port') ?? process.env.AUDIT_PORT ?? 4351);
const DEBUG_PORT = PORT + 1;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const ONLY = opt('only');
const JSON_OUT = opt('json');

/** The targets. */
const TARGET = {
  performance: { desktop: 0.98, mobile: 0.9 },
  other: 1,
  islandJsKiB: 80,
  /** What a `<Compare>` adds on a page that also has a simulator: its own code, over the shared simulator chunks. */
  compareJsKiB: 8,
  textJsKiB: 0,
  simulatedSeconds: 5,
} as const;
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
type Category = (typeof CATEGORIES)[number];
type Scores = Record<Category, number>;
const THEMES = ['light', 'dark'] as const;

interface PageResult {
  path: string;
  desktop?: Scores;
  mobile?: Scores;
  /** Performance runs that were medianed, when the first missed. */
  runs: { desktop: number[]; mobile: number[] };
  /** Lighthouse's reasons, for a category below target. */
  lighthouseNotes: string[];
  /** Islands, and script-driven tools marked data-tool. */
  islands: number;
  /** Side-by-side comparisons on the page. */
  compares: number;
  simulators: number;
  jsGzipBytes: number;
  jsFiles: string[];
  axe: Record<(typeof THEMES)[number], string[]>;
  brokenLinks: string[];
  offOrigin: string[];
  consoleErrors: string[];
  misses: string[];
}

// ---------------------------------------------------------------- build

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function ensureBuild(): void {
  const built = existsSync(join(DIST, 'index.html')) ? statSync(join(DIST, 'index.html')).mtimeMs : 0;
  const sources = Math.max(
    ...['src', 'content', 'public', 'astro.config.mjs', 'svelte.config.js', 'package.json', 'package-lock.json'].map((p) => newestMtime(join(ROOT, p))),
  );
  if (built && built >= sources) return;
  console.log(built ? 'dist/ is older than the sources: building…' : 'No dist/: building…');
  const run = spawnSync('npx', ['astro', 'build'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BASE: '/' } });
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    throw new Error('the build failed');
  }
}

/** Every page in dist/, as the path a reader opens. */
function findPages(dir = DIST): string[] {
  const pages: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) pages.push(...findPages(full));
    else if (entry.name.endsWith('.html')) {
      const rel = relative(DIST, full).split(sep).join('/');
      pages.push(rel === 'index.html' ? '/' : rel.endsWith('/index.html') ? `/${rel.slice(0, -'index.html'.length)}` : `/${rel}`);
    }
  }
  return pages.sort();
}

// ---------------------------------------------------------------- a static server

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/** Resolves a URL path to a file in dist/ (a directory to its index.html), or null. */
function fileFor(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const file = resolve(DIST, `.${decoded}`);
  if (file !== DIST && !file.startsWith(DIST + sep)) return null;
  if (existsSync(file) && statSync(file).isFile()) return file;
  const index = join(file, 'index.html');
  if (existsSync(index)) return index;
  if (existsSync(`${file}.html`)) return `${file}.html`;
  return null;
}

/** dist/ as a static host serves it: gzip for text, long caching for hashed assets, 404.html for the rest. */
function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', ORIGIN);
    let file = fileFor(url.pathname);
    let status = 200;
    if (!file) {
      status = 404;
      file = join(DIST, '404.html');
    } else if (file.endsWith('index.html') && !url.pathname.endsWith('/') && !url.pathname.endsWith('.html')) {
      res.writeHead(301, { location: `${url.pathname}/${url.search}` }).end();
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string> = {
      'content-type': type,
      'cache-control': url.pathname.includes('/_astro/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    const gzip = /^(text\/|image\/svg|application\/(json|xml|manifest))/.test(type) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) headers['content-encoding'] = 'gzip';
    headers.vary = 'accept-encoding';
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file);
    (gzip ? stream.pipe(createGzip()) : stream).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(PORT, '127.0.0.1', () => ok(server));
  });
}

// ---------------------------------------------------------------- Chromium

async function launchChromium(): Promise<{ browser: Browser; process: ChildProcess; profile: string }> {
  const executable = resolveChromium() ?? chromium.executablePath();
  const profile = mkdtempSync(join(tmpdir(), 'oom-audit-'));
  const child = spawn(
    executable,
    [
      '--headless=new',
      ...CHROMIUM_ARGS,
      '--disable-extensions',
      '--disable-default-apps',
      '--no-default-browser-check',
      '--mute-audio',
      `--remote-debugging-port=${DEBUG_PORT}`,
      '--remote-debugging-address=127.0.0.1',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${DEBUG_PORT}/json/version`)).ok) {
        const browser = await chromium.connectOverCDP(`http://127.0.0.1:${DEBUG_PORT}`);
        return { browser, process: child, profile };
      }
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`Chromium did not open its debugging port ${DEBUG_PORT}`);
}

// ---------------------------------------------------------------- Lighthouse

/** Lighthouse's measure of this machine's speed, one per run (environment.benchmarkIndex). */
const benchmarkIndexes: number[] = [];
/** Runs whose median is kept when a first run misses its performance target. */
const PERFORMANCE_RUNS = 5;

async function lighthouseRun(path: string, preset: 'desktop' | 'mobile'): Promise<{ scores: Scores; notes: string[] }> {
  const config: Config | undefined = preset === 'desktop' ? desktopConfig : undefined;
  const result = await lighthouse(
    `${ORIGIN}${path}`,
    {
      port: DEBUG_PORT,
      hostname: '127.0.0.1',
      logLevel: 'error',
      output: 'json',
      onlyCategories: [...CATEGORIES],
      // Pictures of the page: they cost seconds and score nothing.
      disableFullPageScreenshot: true,
      skipAudits: ['screenshot-thumbnails', 'final-screenshot'],
    },
    config,
  );
  if (!result) throw new Error(`Lighthouse returned nothing for ${path}`);
  const lhr = result.lhr;
  if (lhr.runtimeError) throw new Error(`Lighthouse on ${path}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  if (lhr.environment?.benchmarkIndex) benchmarkIndexes.push(lhr.environment.benchmarkIndex);
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c]?.score ?? 0])) as Scores;
  const notes: string[] = [];
  for (const c of CATEGORIES) {
    const category = lhr.categories[c];
    if (!category || (category.score ?? 0) >= (c === 'performance' ? TARGET.performance[preset] : TARGET.other)) continue;
    const weak = category.auditRefs
      .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
      .map((ref) => {
        const a = lhr.audits[ref.id]!;
        return `${ref.id} ${a.displayValue ?? `score ${a.score}`}`;
      });
    notes.push(`${preset} ${c} ${category.score}: ${weak.join('; ')}`);
  }
  return { scores, notes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function lighthousePage(path: string, result: PageResult): Promise<void> {
  for (const preset of ['desktop', 'mobile'] as const) {
    let run = await lighthouseRun(path, preset);
    const perf = [run.scores.performance];
    if (run.scores.performance < TARGET.performance[preset]) {
      const more = [];
      for (let i = 1; i < PERFORMANCE_RUNS; i++) more.push(await lighthouseRun(path, preset));
      perf.push(...more.map((r) => r.scores.performance));
      const all = [run, ...more].sort((a, b) => a.scores.performance - b.scores.performance);
      run = all[Math.floor(all.length / 2)]!;
      result.runs[preset] = perf;
    }
    result[preset] = run.scores;
    result.lighthouseNotes.push(...run.notes);
  }
}

// ---------------------------------------------------------------- in the browser

const leaves = (url: string) => !/^(data|blob|about|chrome|chrome-extension):/.test(url) && new URL(url).origin !== ORIGIN;

/** Hydrates every island (each brought into view) and plays every simulator a few simulated seconds. */
async function settle(page: Page): Promise<void> {
  const islands = page.locator('astro-island');
  const count = await islands.count();
  for (let i = 0; i < count; i++) {
    const island = islands.nth(i);
    const shown = island.locator(':scope > :not(template):not(astro-slot)').first();
    if ((await shown.count()) > 0) await shown.scrollIntoViewIfNeeded();
    const handle = await island.elementHandle();
    await page.waitForFunction((el) => !el?.hasAttribute('ssr'), handle, { timeout: 30_000 });
  }
  const sims = page.locator('[data-testid="simulator"]');
  for (let i = 0; i < (await sims.count()); i++) {
    const sim = sims.nth(i);
    await sim.scrollIntoViewIfNeeded();
    const handle = await sim.elementHandle();
    await page.waitForFunction((el) => el?.getAttribute('data-busy') === 'false', handle, { timeout: 60_000 });
    const t0 = Number(await sim.getAttribute('data-t'));
    const play = sim.locator('button[data-early="play"]');
    // The button reads Pause once the machine is set to play (it may be about to start by itself).
    for (let tries = 0; tries < 10 && (await play.innerText()).trim() === 'Play'; tries++) {
      await play.click();
      await page.waitForTimeout(500);
    }
    await page.waitForFunction(
      ([el, until]) => Number((el as Element | null)?.getAttribute('data-t')) >= (until as number),
      [handle, t0 + TARGET.simulatedSeconds] as const,
      { timeout: 30_000 },
    );
    if ((await play.innerText()).trim() === 'Pause') await play.click();
  }
}

const htmlCache = new Map<string, string | null>();
/** The built HTML of a same-origin path (null when there is no such page). */
function htmlOf(pathname: string): string | null {
  if (!htmlCache.has(pathname)) {
    const file = fileFor(pathname);
    htmlCache.set(pathname, file ? readFileSync(file, 'utf8') : null);
  }
  return htmlCache.get(pathname)!;
}

function hasId(html: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/&/g, '&(?:amp;)?');
  return new RegExp(`\\s(?:id|name)=["']?${escaped}["'\\s>]`).test(html);
}

/** Every link on the rendered page that points inside the site and does not resolve. */
async function brokenLinks(page: Page): Promise<string[]> {
  const links = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLAnchorElement | HTMLAreaElement>('a[href], area[href]')).map((a) => {
      const hash = a.hash ? decodeURIComponent(a.hash.slice(1)) : '';
      const here = a.origin === location.origin && a.pathname === location.pathname;
      return { href: a.getAttribute('href') ?? '', url: a.href, hash, resolvedHere: here ? !hash || hash === 'top' || !!document.getElementById(hash) || document.getElementsByName(hash).length > 0 : null };
    }),
  );
  const broken = new Set<string>();
  for (const link of links) {
    if (!/^https?:/.test(link.url)) continue;
    const url = new URL(link.url);
    if (url.origin !== ORIGIN) continue;
    if (link.resolvedHere !== null) {
      if (!link.resolvedHere) broken.add(`${link.href} (no #${link.hash} on this page)`);
      continue;
    }
    const html = htmlOf(url.pathname);
    if (html === null) broken.add(`${link.href} (no such page)`);
    else if (link.hash && link.hash !== 'top' && !hasId(html, link.hash)) broken.add(`${link.href} (no #${link.hash} there)`);
  }
  return [...broken];
}

async function browse(browser: Browser, path: string, result: PageResult): Promise<void> {
  for (const theme of THEMES) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript((t) => {
      try {
        localStorage.setItem('oom-theme', t);
      } catch {
        /* storage may be off */
      }
    }, theme);
    const page = await context.newPage();
    const scripts = new Map<string, Promise<number>>();
    context.on('request', (request) => {
      if (leaves(request.url())) result.offOrigin.push(request.url());
    });
    page.on('response', (response) => {
      const url = response.url();
      const type = response.request().resourceType();
      if (theme !== 'light' || scripts.has(url)) return;
      if (type === 'script' || /\.m?js(\?|$)/.test(new URL(url).pathname)) scripts.set(url, response.body().then((b) => gzipSync(b, { level: 9 }).length, () => 0));
    });
    page.on('console', (message) => {
      if (message.type() === 'error') result.consoleErrors.push(`${theme}: ${message.text()}`);
    });
    page.on('pageerror', (error) => result.consoleErrors.push(`${theme}: ${error.message}`));
    await page.goto(`${ORIGIN}${path}`, { waitUntil: 'load' });
    const actual = await page.evaluate(() => document.documentElement.dataset.theme);
    if (actual !== theme) throw new Error(`${path}: the page did not take the ${theme} theme from localStorage`);
    if (theme === 'light') {
      result.islands = await page.locator('astro-island, [data-tool]').count();
      result.compares = await page.locator('[data-testid="compare"]').count();
      result.simulators = await page.locator('[data-testid="simulator"]').count();
    }
    await settle(page);
    const axe = await new AxeBuilder({ page }).analyze();
    result.axe[theme] = axe.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(', ')}${v.nodes.length > 4 ? ` and ${v.nodes.length - 4} more` : ''}`);
    if (theme === 'light') {
      result.brokenLinks = await brokenLinks(page);
      const sizes = await Promise.all([...scripts.entries()].map(async ([url, size]) => [url, await size] as const));
      result.jsGzipBytes = sizes.reduce((sum, [, size]) => sum + size, 0);
      result.jsFiles = sizes.map(([url, size]) => `${new URL(url).pathname} ${(size / 1024).toFixed(1)} KB`);
    }
    await context.close();
  }
}

// ---------------------------------------------------------------- verdict and table

function judge(r: PageResult): void {
  for (const preset of ['desktop', 'mobile'] as const) {
    const s = r[preset];
    if (!s) continue;
    if (s.performance < TARGET.performance[preset]) r.misses.push(`Lighthouse ${preset} performance ${s.performance.toFixed(2)} < ${TARGET.performance[preset]}`);
    for (const c of CATEGORIES.slice(1)) if (s[c] < TARGET.other) r.misses.push(`Lighthouse ${preset} ${c} ${s[c].toFixed(2)} < 1`);
  }
  for (const theme of THEMES) if (r.axe[theme].length) r.misses.push(`axe (${theme}): ${r.axe[theme].join('; ')}`);
  const limit = (r.islands > 0 ? TARGET.islandJsKiB + (r.compares > 0 ? TARGET.compareJsKiB : 0) : TARGET.textJsKiB) * 1024;
  if (r.jsGzipBytes > limit)
    r.misses.push(`JS ${(r.jsGzipBytes / 1024).toFixed(1)} KB gzip > ${limit / 1024} KB${r.islands > 0 ? '' : ' (a text page)'}: ${r.jsFiles.join(', ')}`);
  if (r.brokenLinks.length) r.misses.push(`links that do not resolve: ${r.brokenLinks.join(', ')}`);
  r.offOrigin = [...new Set(r.offOrigin)];
  if (r.offOrigin.length) r.misses.push(`requests that leave the origin: ${r.offOrigin.join(', ')}`);
  if (r.consoleErrors.length) r.misses.push(`console errors: ${[...new Set(r.consoleErrors)].join(' | ')}`);
  if (r.misses.length) r.misses.push(...r.lighthouseNotes.map((n) => `  (${n})`));
}

function table(results: PageResult[]): string {
  const head = ['page', 'desktop P/A/BP/SEO', 'mobile P/A/BP/SEO', 'JS gzip', 'axe light/dark', 'links', 'off-origin', 'console'];
  const fmt = (s?: Scores) => (s ? CATEGORIES.map((c) => s[c].toFixed(2)).join(' ') : '—');
  const rows = results.map((r) => [
    r.path,
    fmt(r.desktop),
    fmt(r.mobile),
    `${(r.jsGzipBytes / 1024).toFixed(1)} KB`,
    `${r.axe.light.length}/${r.axe.dark.length}`,
    r.brokenLinks.length ? `${r.brokenLinks.length} broken` : 'ok',
    String(r.offOrigin.length),
    String(new Set(r.consoleErrors).size),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const started = Date.now();
  ensureBuild();
  const pages = findPages().filter((p) => !ONLY || p.includes(ONLY));
  if (pages.length === 0) throw new Error(`no page in dist/ matches ${ONLY}`);
  const server = await serve();
  const chrome = await launchChromium();
  const results: PageResult[] = [];
  try {
    for (const path of pages) {
      const t = Date.now();
      const result: PageResult = {
        path,
        runs: { desktop: [], mobile: [] },
        lighthouseNotes: [],
        islands: 0,
        compares: 0,
        simulators: 0,
        jsGzipBytes: 0,
        jsFiles: [],
        axe: { light: [], dark: [] },
        brokenLinks: [],
        offOrigin: [],
        consoleErrors: [],
        misses: [],
      };
      await lighthousePage(path, result);
      const lighthouseSeconds = (Date.now() - t) / 1000;
      await browse(chrome.browser, path, result);
      judge(result);
      results.push(result);
      console.log(`${path}: ${((Date.now() - t) / 1000).toFixed(0)} s (Lighthouse ${lighthouseSeconds.toFixed(0)} s)${result.misses.length ? `, ${result.misses.filter((m) => !m.startsWith('  ')).length} missed` : ''}`);
    }
  } finally {
    await chrome.browser.close().catch(() => undefined);
    const exited = new Promise((ok) => chrome.process.once('exit', ok));
    chrome.process.kill();
    await exited;
    server.close();
    rmSync(chrome.profile, { recursive: true, force: true, maxRetries: 5 });
  }
  console.log(`\n${table(results)}\n`);
  console.log('P/A/BP/SEO: Lighthouse performance, accessibility, best practices, SEO. JS: the script files the page loads, gzip.');
  console.log(
    `Targets: performance ≥ ${TARGET.performance.desktop} desktop, ≥ ${TARGET.performance.mobile} mobile; the rest 1.00; axe clean in both themes; ` +
      `JS ≤ ${TARGET.islandJsKiB} KB with islands, ${TARGET.textJsKiB} KB without; every link resolves; nothing off the origin; no console error.`,
  );
  for (const r of results) {
    const medianed = (['desktop', 'mobile'] as const).filter((p) => r.runs[p].length).map((p) => `${p} performance median of ${r.runs[p].map((x) => x.toFixed(2)).join(', ')}`);
    if (medianed.length) console.log(`${r.path}: ${medianed.join('; ')}`);
  }
  if (benchmarkIndexes.length) {
    console.log(
      `Lighthouse's benchmarkIndex of this machine: median ${Math.round(median(benchmarkIndexes))} (${Math.round(Math.min(...benchmarkIndexes))}–${Math.round(Math.max(...benchmarkIndexes))}) over ${benchmarkIndexes.length} runs.`,
    );
  }
  const missing = results.filter((r) => r.misses.length);
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
  console.log(`\n${results.length} pages in ${((Date.now() - started) / 60_000).toFixed(1)} min.`);
  if (missing.length === 0) {
    console.log('Every page meets every target.');
    return 0;
  }
  console.log(`\nPages missing a target (${missing.length}):`);
  for (const r of missing) console.log(`\n${r.path}\n${r.misses.map((m) => `  - ${m}`).join('\n')}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);

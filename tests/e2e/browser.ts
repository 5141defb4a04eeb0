import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Flags for headless Chromium on these machines: no sandbox or GPU, nothing fetched in the background. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Which Chromium the end-to-end tests drive: $CHROME_PATH if set, else Debian's
 * /usr/bin/chromium, else the browser Playwright installed itself (returned as
 * undefined so Playwright uses its own). Exits with one line when there is none.
 */
export function resolveChromium(): string | undefined {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    fail(`CHROME_PATH is set to ${fromEnv}, but no file is there.`);
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  let bundled = '';
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = '';
  }
  if (bundled && existsSync(bundled)) return undefined;
  fail('No Chromium found: install one (Debian: apt-get install chromium; elsewhere: npx playwright install chromium) or set CHROME_PATH.');
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

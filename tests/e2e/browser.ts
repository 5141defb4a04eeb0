import { existsSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';

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

/**
 * The JS heap of every dedicated worker the browser runs, MiB, read over the DevTools
 * protocol (a worker has no performance.memory): the simulation worker's share of a page.
 */
export async function workerHeapMiB(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    let total = 0;
    for (const target of targetInfos.filter((t) => t.type === 'worker')) {
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
      const id = 1;
      const usage = new Promise<number>((resolve) => {
        const listen = (e: { sessionId?: string; message: string }) => {
          const m = JSON.parse(e.message) as { id?: number; result?: { usedSize: number } };
          if (e.sessionId === sessionId && m.id === id) {
            cdp.off('Target.receivedMessageFromTarget', listen);
            resolve(m.result?.usedSize ?? 0);
          }
        };
        cdp.on('Target.receivedMessageFromTarget', listen);
      });
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
      total += await usage;
      await cdp.send('Target.detachFromTarget', { sessionId });
    }
    return total / 2 ** 20;
  } finally {
    await cdp.detach();
  }
}

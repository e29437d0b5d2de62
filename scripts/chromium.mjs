// Finds a Chromium to run tests and benchmarks in, without downloading one:
// CHROME_PATH, then the system's browser, then the build shipped inside the
// @sparticuz/chromium package (unpacked to the temp folder on first use).
// Each candidate is started and made to run a page before it is chosen, so a
// browser that is installed but cannot run here is passed over, not used.
import { existsSync } from 'node:fs';
import { launch } from 'puppeteer-core';

export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Test files run side by side, each in its own window of one browser: none
  // of them may be slowed down for being in the background.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** Starts the browser, runs a script in a blank page and closes it; the error if any step fails. */
async function tryStart(executablePath) {
  let browser;
  try {
    browser = await launch({ executablePath, args: chromiumArgs, headless: true, timeout: 90_000, protocolTimeout: 90_000 });
    const page = await browser.newPage();
    if ((await page.evaluate(() => 6 * 7)) !== 42) throw new Error('the page did not run its script');
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await browser?.close().catch(() => {});
  }
}

async function bundledChromium() {
  try {
    const { default: chromium } = await import('@sparticuz/chromium');
    return await chromium.executablePath();
  } catch (error) {
    console.warn(`The Chromium inside @sparticuz/chromium could not be unpacked: ${error.message}`);
    return undefined;
  }
}

let found;

/** The path of a Chromium that starts here; throws, naming every candidate tried, when none does. */
export function findChromium() {
  found ??= (async () => {
    const tried = [];
    if (process.env.CHROME_PATH && !existsSync(process.env.CHROME_PATH)) console.warn(`CHROME_PATH is ${process.env.CHROME_PATH}, which does not exist; trying the next one.`);
    const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/google-chrome'].filter((path) => path && existsSync(path));
    for (const candidate of [...candidates, 'bundled']) {
      const path = candidate === 'bundled' ? await bundledChromium() : candidate;
      if (!path) continue;
      const error = await tryStart(path);
      if (!error) return path;
      tried.push(`${path}: ${error.message.split('\n')[0]}`);
      console.warn(`Chromium at ${path} does not start here, trying the next one (${error.message.split('\n')[0]}).`);
    }
    throw new Error(
      'No Chromium that starts here. Set CHROME_PATH, install Debian\'s "chromium" package, ' +
        `or run npm install so the @sparticuz/chromium dev dependency is present. Tried: ${tried.join('; ') || 'none found'}.`,
    );
  })();
  return found;
}

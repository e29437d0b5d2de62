// Finds a Chromium to run tests and benchmarks in, without downloading one:
// CHROME_PATH, then the system's browser, then the build shipped inside the
// @sparticuz/chromium package (unpacked to the temp folder on first use).
import { existsSync } from 'node:fs';

export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function findChromium() {
  for (const candidate of [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/google-chrome']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  try {
    const { default: chromium } = await import('@sparticuz/chromium');
    return await chromium.executablePath();
  } catch (error) {
    throw new Error(
      'No Chromium found. Set CHROME_PATH, install Debian\'s "chromium" package, ' +
        `or run npm install so the @sparticuz/chromium dev dependency is present. (${error.message})`,
      { cause: error },
    );
  }
}

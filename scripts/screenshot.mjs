// `npm run screenshot`: writes docs/demo.png, the README's picture of the demo:
// a session open with an exchange in it and the next request waiting, in the
// console's own box. Needs a build (npm run build).
import { startDevServer } from '@web/dev-server';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { chromiumArgs, findChromium } from './chromium.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const server = await startDevServer({
  config: { rootDir: root, hostname: '127.0.0.1', port: 0, nodeResolve: { exportConditions: ['production'] } },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});
const browser = await puppeteer.launch({ executablePath: await findChromium(), args: chromiumArgs, headless: true, defaultViewport: { width: 1400, height: 860 } });
try {
  const page = await browser.newPage();
  await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
  await page.goto(`http://127.0.0.1:${server.server.address().port}/demo/index.html?latency=0&autoplay=0`);
  await page.waitForFunction(() => document.querySelector('agent-console')?.core?.connection.state === 'open');
  await page.evaluate(async () => {
    const consoleEl = document.querySelector('agent-console');
    const click = (name) => [...document.querySelectorAll('button')].find((button) => button.textContent.trim() === name).click();
    const until = async (probe) => {
      while (!probe()) await new Promise((resolve) => requestAnimationFrame(resolve));
      return probe();
    };
    consoleEl.privacyAcknowledged = true;
    click('New request');
    const toast = await until(() => consoleEl.shadowRoot.querySelector('agent-request-toast'));
    (await until(() => toast.shadowRoot.querySelector('button.primary'))).click();
    await until(() => consoleEl.core.sessions.size === 1);
    const session = [...consoleEl.core.sessions.values()][0];
    click('Image with numeric name');
    await until(() => session.transcript.size >= 2);
    consoleEl.core.send(session.id, { text: 'Thanks for the photo! I can see order #4471 — let me check where the parcel is.' });
    click('New request');
    await until(() => consoleEl.shadowRoot.querySelectorAll('agent-request-toast').length === 1);
  });
  // Every image in the page and in the elements' shadow roots, decoded.
  await page.evaluate(() => {
    const images = (root) => [...root.querySelectorAll('img'), ...[...root.querySelectorAll('*')].flatMap((el) => (el.shadowRoot ? images(el.shadowRoot) : []))];
    return Promise.all(images(document).map((image) => image.decode().catch(() => {})));
  });
  await page.screenshot({ path: `${root}docs/demo.png` });
  console.log('docs/demo.png written');
} finally {
  await browser.close();
  await server.stop();
}

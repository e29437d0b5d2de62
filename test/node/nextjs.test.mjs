// The Next.js example (examples/nextjs) as a Next.js user gets it: `next build`
// renders <agent-console> on the server, `next start` serves it, and in a real
// browser the console hydrates, takes a request from the mock adapter and
// reports the agent's Accept to the React code around it. The example resolves
// `agent-console` through this package's "exports" and dist/, so run
// `npm run build` first (npm test does).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import puppeteer from 'puppeteer-core';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const example = 'examples/nextjs';
const next = `${root}node_modules/next/dist/bin/next`;
// No telemetry; NODE_ENV is Next's to set (production for build and start).
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
delete env.NODE_ENV;

describe('the Next.js example', { timeout: 300_000 }, () => {
  let server;
  let origin;
  let buildSeconds;

  before(async () => {
    assert.ok(existsSync(`${root}dist/index.js`), 'dist/ is built (npm run build)');
    // Turbopack keeps its cache in examples/nextjs/.next/cache between runs; it
    // is keyed on file contents, so a changed dist/ is rebuilt, never reused.
    const started = performance.now();
    await promisify(execFile)(process.execPath, [next, 'build', example], { cwd: root, env, timeout: 240_000, maxBuffer: 16 << 20 }).catch(
      (error) => {
        throw new Error(`next build failed:\n${error.stdout}\n${error.stderr}`);
      },
    );
    buildSeconds = ((performance.now() - started) / 1000).toFixed(1);

    // Port 0: the system picks a free port, and Next prints the address.
    server = spawn(process.execPath, [next, 'start', example, '-H', '127.0.0.1', '-p', '0'], { cwd: root, env });
    let output = '';
    server.stderr.on('data', (chunk) => (output += chunk));
    origin = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`next start was not ready in 60 s:\n${output}`)), 60_000);
      server.once('exit', (code) => reject(new Error(`next start exited (${code}):\n${output}`)));
      server.stdout.on('data', (chunk) => {
        output += chunk;
        const address = /http:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0];
        if (address && /Ready/.test(output)) {
          clearTimeout(timer);
          resolve(address);
        }
      });
    });
  });

  after(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      await exited;
    }
  });

  it('renders <agent-console> into the server HTML', async (t) => {
    t.diagnostic(`next build took ${buildSeconds} s`);
    const response = await fetch(`${origin}/`);
    assert.equal(response.status, 200);
    const page = await response.text();
    assert.match(page, /<agent-console max-sessions="3" style="--agent-console-height:32rem"><\/agent-console>/);
    assert.match(page, /<h1>Support desk<\/h1>/);
  });

  it('comes alive in the browser: a request is shown, accepted and reported to the page', async () => {
    const browser = await puppeteer.launch({ executablePath: await findChromium(), headless: true, args: chromiumArgs });
    try {
      const page = await browser.newPage();
      const problems = [];
      page.on('console', (message) => {
        if (['error', 'warn', 'warning', 'assert'].includes(message.type())) problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('response', (response) => response.status() < 400 || problems.push(`${response.status()}: ${response.url()}`));
      // Nothing may leave the machine: no fonts, analytics or CDN.
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        const url = request.url();
        if (url.startsWith(`${origin}/`) || /^(data|blob):/.test(url)) return void request.continue();
        problems.push(`request outside the app: ${url}`);
        void request.abort();
      });
      page.setDefaultTimeout(30_000);

      await page.goto(`${origin}/`, { waitUntil: 'load' });
      // The button is enabled by an effect, so it works only once React hydrated.
      await page.locator('::-p-aria(Simulate a customer request[role="button"])').setWaitForEnabled(true).click();

      // The mock's request is shown as a toast with its Accept button.
      await page.locator('::-p-aria(Accept[role="button"])').click();

      // The page's agent-accept listener names the customer, and the console
      // opened a session with them.
      const accepted = await page.waitForFunction(() =>
        [...document.querySelectorAll('main > p[role="status"]')].map((status) => status.textContent).find((text) => text.startsWith('Accepted: ')),
      );
      const name = (await accepted.jsonValue()).slice('Accepted: '.length);
      await page.waitForSelector(`::-p-aria(Conversation with ${name}[role="region"])`);
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  });
});

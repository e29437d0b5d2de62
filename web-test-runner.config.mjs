import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumArgs, findChromium } from './scripts/chromium.mjs';
import { reactTestPlugin } from './scripts/react-test-plugin.mjs';
import { relayTestPlugin } from './scripts/relay-test-plugin.mjs';
import { summaryReporter } from './scripts/summary-reporter.mjs';

const executablePath = await findChromium();

/**
 * Each test file gets a window of its own (not a background tab), told that
 * it has focus: two files run at once, and both move focus and wait for
 * frames as an agent's browser would.
 */
async function createPage({ context }) {
  const page = await context.newPage({ type: 'window' });
  const session = await page.createCDPSession();
  await session.send('Emulation.setFocusEmulationEnabled', { enabled: true });
  return page;
}

/**
 * The policy of a locked-down CRM page, sent with test pages asked for with
 * `?csp=strict`: no inline styles or scripts, Trusted Types for every HTML
 * sink (allowing the policies named by `?trusted-types=`, by default the two
 * the elements create: Lit's and their own), and nothing from other origins.
 */
const strictPolicy = (trustedTypes = 'lit-html agent-console') => [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "require-trusted-types-for 'script'",
  `trusted-types ${trustedTypes}`,
].join('; ');

async function strictPages(context, next) {
  await next();
  if (context.path.startsWith('/test/pages/') && context.query.csp === 'strict') context.set('Content-Security-Policy', strictPolicy(context.query['trusted-types']));
}

export default {
  files: ['test/**/*.test.ts'],
  nodeResolve: true,
  middleware: [strictPages],
  concurrency: 2,
  reporters: [defaultReporter(), summaryReporter()],
  browsers: [chromeLauncher({ launchOptions: { executablePath, headless: true, args: chromiumArgs, protocolTimeout: 180_000 }, createPage })],
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2023' }), relayTestPlugin(), reactTestPlugin()],
  // Upper bounds, not waits: tests wait for the state they mean, and a busy
  // machine may take a while to get there.
  testFramework: { config: { timeout: 30_000 } },
  testsFinishTimeout: 600_000,
  browserStartTimeout: 120_000,
  testsStartTimeout: 120_000,
  // Dev-mode Lit (with its warnings) is on purpose; its banner is noise.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
};

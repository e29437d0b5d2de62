import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumArgs, findChromium } from './scripts/chromium.mjs';
import { reactTestPlugin } from './scripts/react-test-plugin.mjs';
import { relayTestPlugin } from './scripts/relay-test-plugin.mjs';
import { summaryReporter } from './scripts/summary-reporter.mjs';

const executablePath = await findChromium();

export default {
  files: ['test/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 2,
  reporters: [defaultReporter(), summaryReporter()],
  browsers: [chromeLauncher({ launchOptions: { executablePath, headless: true, args: chromiumArgs } })],
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2023' }), relayTestPlugin(), reactTestPlugin()],
  testFramework: { config: { timeout: 5000 } },
  // Dev-mode Lit (with its warnings) is on purpose; its banner is noise.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
};

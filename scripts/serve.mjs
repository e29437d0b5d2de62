// Serves the demo on 127.0.0.1 and prints its address (`npm start`).
import { fileURLToPath } from 'node:url';
import { startDevServer } from '@web/dev-server';

const port = Number(process.env.PORT ?? 8000);
await startDevServer({
  config: { rootDir: fileURLToPath(new URL('..', import.meta.url)), hostname: '127.0.0.1', port, nodeResolve: { exportConditions: ['production'] } },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});
console.log(`agent-console demo: http://127.0.0.1:${port}/demo/`);

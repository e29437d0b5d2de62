/**
 * Starts the reference relay from the environment: `npm run relay`.
 * See relay/README.md for the variables.
 */
import process from 'node:process';

const env = process.env;
const required = ['PAGE_ID', 'PAGE_ACCESS_TOKEN', 'APP_SECRET', 'VERIFY_TOKEN', 'AGENT_TOKENS'];
const missing = required.filter((name) => !env[name]?.trim());
if (missing.length) {
  process.stderr.write(
    `relay: missing environment variable${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.\n` +
      'relay: see relay/README.md for what each one is and where to find it.\n',
  );
  process.exit(1);
}

const problems = [];
const port = env.PORT ? Number(env.PORT) : 8787;
if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('PORT must be a port number.');
const shutdownTimeout = env.SHUTDOWN_TIMEOUT?.trim() ? Number(env.SHUTDOWN_TIMEOUT) : 10_000;
if (!Number.isSafeInteger(shutdownTimeout) || shutdownTimeout < 0) problems.push('SHUTDOWN_TIMEOUT must be a whole number of milliseconds.');
const humanAgent = (env.HUMAN_AGENT_TAG ?? 'false').trim().toLowerCase();
if (!['true', 'false', '1', '0', 'yes', 'no', ''].includes(humanAgent)) problems.push('HUMAN_AGENT_TAG must be true or false.');
if (problems.length) {
  process.stderr.write(problems.map((problem) => `relay: ${problem}\n`).join(''));
  process.exit(1);
}

const { createRelay } = await import('./relay.mjs').catch((error) => {
  process.stderr.write(`relay: could not load the relay (${error.message}). Run \`npm run build\` first.\n`);
  process.exit(1);
});

let relay;
try {
  relay = createRelay({
    pageId: env.PAGE_ID.trim(),
    pageAccessToken: env.PAGE_ACCESS_TOKEN.trim(),
    appSecret: env.APP_SECRET.trim(),
    verifyToken: env.VERIFY_TOKEN.trim(),
    agentTokens: env.AGENT_TOKENS,
    allowedOrigins: env.ALLOWED_ORIGINS ?? '',
    humanAgentTag: ['true', '1', 'yes'].includes(humanAgent),
    graphApiUrl: env.GRAPH_API_URL?.trim() || undefined,
    graphApiVersion: env.GRAPH_API_VERSION?.trim() || undefined,
    shutdownTimeout,
  });
} catch (error) {
  process.stderr.write(`relay: ${error.message}\n`);
  process.exit(1);
}

if (!env.ALLOWED_ORIGINS?.trim()) {
  process.stdout.write('relay: ALLOWED_ORIGINS is empty, so no browser page may use the relay; set it to the origin of your console page.\n');
}

await relay.listen(port, env.HOST?.trim() || '127.0.0.1');

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    process.stdout.write(`relay: ${signal}, shutting down (sends under way have ${shutdownTimeout} ms to finish)\n`);
    relay.close().then(() => process.exit(0));
    // close() cuts what is left at shutdownTimeout; this only guards against a store that never lets go.
    setTimeout(() => process.exit(1), shutdownTimeout + 5000).unref();
  });
}

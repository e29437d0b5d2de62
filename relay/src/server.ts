/**
 * Starts the reference relay from the environment: `npm run relay`.
 * See relay/README.md for the variables.
 *
 * @module
 */
import process from 'node:process';
import { createRedisStore } from './redis-store.js';
import { createRelay, type Relay } from './relay.js';
import type { RelayStore } from './store.js';

const env = process.env;
const fail = (lines: string[]): never => {
  process.stderr.write(lines.map((line) => `relay: ${line}\n`).join(''));
  process.exit(1);
};

const required = ['PAGE_ID', 'PAGE_ACCESS_TOKEN', 'APP_SECRET', 'VERIFY_TOKEN', 'AGENT_TOKENS'];
const missing = required.filter((name) => !env[name]?.trim());
if (missing.length) {
  fail([
    `missing environment variable${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`,
    'see relay/README.md for what each one is and where to find it.',
  ]);
}

/** A whole number from the environment, or the default; a problem when it is something else. */
const problems: string[] = [];
function wholeNumber(name: string, fallback: number, { max = Number.MAX_SAFE_INTEGER, what = 'a whole number' } = {}): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0 || value > max) problems.push(`${name} must be ${what}.`);
  return value;
}
const port = wholeNumber('PORT', 8787, { max: 65535, what: 'a port number' });
const shutdownTimeout = wholeNumber('SHUTDOWN_TIMEOUT', 10_000, { what: 'a whole number of milliseconds' });
const humanAgent = (env.HUMAN_AGENT_TAG ?? 'false').trim().toLowerCase();
if (!['true', 'false', '1', '0', 'yes', 'no', ''].includes(humanAgent)) problems.push('HUMAN_AGENT_TAG must be true or false.');
const logLevel = (env.LOG_LEVEL?.trim() || 'info') as 'debug' | 'info' | 'warn' | 'error';
if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) problems.push('LOG_LEVEL must be debug, info, warn or error.');
const storeKind = (env.STORE?.trim() || 'memory').toLowerCase();
if (!['memory', 'redis'].includes(storeKind)) problems.push('STORE must be memory or redis.');
const redisUrl = env.REDIS_URL?.trim();
if (storeKind === 'redis' && !redisUrl) problems.push('STORE=redis needs REDIS_URL, e.g. redis://127.0.0.1:6379.');
const leaseTtl = wholeNumber('LEASE_TTL', 10_000, { what: 'a whole number of milliseconds' });
if (problems.length) fail(problems);

let store: (RelayStore & { ready(): Promise<void> }) | undefined;
if (storeKind === 'redis') {
  store = createRedisStore({ url: redisUrl!, lockTtl: leaseTtl, ...(env.REDIS_PREFIX?.trim() && { prefix: env.REDIS_PREFIX.trim() }) });
  await store.ready().catch(async (error: Error) => {
    await store!.close?.().catch(() => {});
    fail([`Redis at ${redisUrl!.replace(/\/\/[^@/]*@/, '//')} cannot be used: ${error.message}`]);
  });
}

let relay: Relay;
try {
  relay = createRelay({
    pageId: env.PAGE_ID!.trim(),
    pageAccessToken: env.PAGE_ACCESS_TOKEN!.trim(),
    appSecret: env.APP_SECRET!.trim(),
    verifyToken: env.VERIFY_TOKEN!.trim(),
    appId: env.APP_ID?.trim() || undefined,
    instagramAccountId: env.INSTAGRAM_ACCOUNT_ID?.trim() || undefined,
    publicUrl: env.PUBLIC_URL?.trim() || undefined,
    mediaDir: env.MEDIA_DIR?.trim() || undefined,
    agentTokens: env.AGENT_TOKENS!,
    allowedOrigins: env.ALLOWED_ORIGINS ?? '',
    humanAgentTag: ['true', '1', 'yes'].includes(humanAgent),
    graphApiUrl: env.GRAPH_API_URL?.trim() || undefined,
    graphApiVersion: env.GRAPH_API_VERSION?.trim() || undefined,
    trustProxy: ['true', '1', 'yes'].includes((env.TRUST_PROXY ?? '').trim().toLowerCase()),
    shutdownTimeout,
    logLevel,
    ...(store && { store }),
  });
} catch (error) {
  fail([(error as Error).message]);
}

if (!env.APP_ID?.trim()) {
  process.stderr.write(
    "relay: APP_ID is empty, so echoes of what the Page inbox or other apps send cannot be told from the relay's own; set it to the Meta app's id.\n",
  );
}
if (!env.ALLOWED_ORIGINS?.trim()) {
  process.stderr.write('relay: ALLOWED_ORIGINS is empty, so no browser page may use the relay; set it to the origin of your console page.\n');
}

await relay!.listen(port, env.HOST?.trim() || '127.0.0.1');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`relay: ${signal}, shutting down (sends under way have ${shutdownTimeout} ms to finish)\n`);
    // close() cuts what is left at shutdownTimeout; this only guards against a store that never lets go.
    setTimeout(() => process.exit(1), shutdownTimeout + 5000).unref();
    relay
      .close()
      .then(() => store?.close?.())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
}

/**
 * Helpers for testing against the relay: start one with a fake Graph API,
 * build and sign webhook bodies, call the agent API, and hold an agent's
 * event socket. Used by relay/test/ and the console's end-to-end tests.
 *
 * ```js
 * const { url, relay, close } = await startRelay();
 * const alice = connectAgent(url, tokens.alice);
 * await alice.ready();
 * await postWebhook(url, messengerText({ psid: '1254', text: 'Hi' }));
 * const request = await alice.waitForEvent('conversation-request');
 * ```
 *
 * @module
 */
import WebSocket from 'ws';
import type { RelayOptions } from './config.js';
import { createFakeGraph } from './fake-graph.js';
import { createRelay, type Relay } from './relay.js';
import { signWebhook } from './secrets.js';

export { startRedisServer, type RedisServer } from './redis-server.js';

/** Agent tokens the test settings know (each at least 32 characters, as the relay demands). */
export const tokens = {
  alice: 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d',
  bob: 'bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e',
  carol: 'carol-token-2b4d6f8a0c2e4a6c8e0a2c4e',
} as const;

/** The settings `startRelay` uses unless told otherwise. */
export const testSettings = {
  pageId: '1234567890',
  pageAccessToken: 'test-page-token',
  appSecret: 'test-app-secret',
  verifyToken: 'test-verify-token',
  /** The Meta app's id: echoes with this `app_id` are the relay's own sends. */
  appId: '111222333444',
  agentTokens: { alice: tokens.alice, bob: tokens.bob } as Record<string, string>,
  allowedOrigins: ['http://console.test'],
};

/**
 * A fake Graph API and a relay using it, both on 127.0.0.1 ephemeral ports,
 * with short delays (re-offer 200 ms, Graph retries 10 ms) and no log output.
 *
 * @param options relay options over {@link testSettings}
 */
export async function startRelay(options: Partial<RelayOptions> = {}, { graph: graphOptions }: { graph?: Parameters<typeof createFakeGraph>[0] } = {}) {
  const graph = createFakeGraph({ accessToken: options.pageAccessToken ?? testSettings.pageAccessToken, ...graphOptions });
  const { url: graphApiUrl } = await graph.listen();
  const settings: RelayOptions = {
    ...testSettings,
    graphApiUrl,
    requeueDelay: 200,
    retryBaseDelay: 10,
    log: false,
    ...options,
  };
  let relay: Relay;
  let address: { url: string; port: number };
  try {
    relay = createRelay(settings);
    address = await relay.listen(0, '127.0.0.1').catch(async (error) => {
      await relay.close();
      throw error;
    });
  } catch (error) {
    await graph.close();
    throw error;
  }
  const { url, port } = address;
  return {
    relay,
    graph,
    url,
    port,
    settings,
    async close() {
      await relay.close();
      await graph.close();
    },
  };
}

/** Resolves once `ready()` holds, checking after each turn of the event loop (no fixed waits). */
export async function until(ready: () => unknown): Promise<void> {
  while (!ready()) await new Promise((resolve) => setImmediate(resolve));
}

let counter = 0;

/** A webhook body with one text message from a customer. */
export function messengerText({
  pageId = testSettings.pageId,
  psid = '5550001254',
  mid = `m_test_${++counter}`,
  text = 'Hello',
  timestamp = Date.now(),
}: { pageId?: string; psid?: string; mid?: string; text?: string; timestamp?: number } = {}) {
  return messengerBody(pageId, [{ sender: { id: psid }, recipient: { id: pageId }, timestamp, message: { mid, text } }]);
}

/** A webhook body with the given `messaging` items in one entry. */
export function messengerBody(pageId: string, messaging: object[]) {
  return { object: 'page', entry: [{ id: pageId, time: Date.now(), messaging }] };
}

/**
 * POSTs a webhook body to the relay, signed with the app secret as Meta does.
 * @param url the relay's base URL
 * @param body an object (sent as JSON) or the exact text
 * @param options `signature: null` sends none
 */
export function postWebhook(url: string, body: unknown, { appSecret = testSettings.appSecret, signature }: { appSecret?: string; signature?: string | null } = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const sign = signature === undefined ? signWebhook(raw, appSecret) : signature;
  if (sign !== null) headers['X-Hub-Signature-256'] = sign;
  return fetch(`${url}/webhook`, { method: 'POST', headers, body: raw });
}

/** What the API answered; `body` is the parsed JSON (or the text). */
export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the relay answered
  body: any;
  headers: Headers;
}

/** Calls the agent API. `body` is sent as JSON, or as it is when it is FormData. */
export async function callApi(
  url: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  { origin, headers = {} }: { origin?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const all: Record<string, string> = { ...headers };
  if (token) all.Authorization = `Bearer ${token}`;
  if (origin) all.Origin = origin;
  let payload: FormData | string | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    all['Content-Type'] = 'application/json';
  }
  const response = await fetch(`${url}/api/${path}`, { method, headers: all, ...(payload !== undefined && { body: payload }) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** A frame the relay sent on the event socket: `ready`, `pong`, or `{ seq, event }`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the relay sent
export type Frame = { type?: string; seq?: number; agentId?: string; gap?: boolean; event?: { type: string; detail: any } };

/**
 * An agent's event socket, as the browser adapter opens it: it sends the
 * auth frame on open and records every frame. `auth: false` sends no auth
 * frame; `autoPong: false` leaves the relay's pings unanswered.
 */
export function connectAgent(
  url: string,
  token: string | undefined,
  { since = 0, origin, auth = true, autoPong = true, headers }: { since?: number; origin?: string; auth?: boolean; autoPong?: boolean; headers?: Record<string, string> } = {},
) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/events`, { autoPong, ...(origin ? { origin } : {}), ...(headers ? { headers } : {}) });
  const frames: Frame[] = [];
  const waiters = new Set<{ check(): boolean }>();
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) => {
      reject(Object.assign(new Error(`upgrade refused with ${response.statusCode}`), { status: response.statusCode }));
      response.resume();
    });
  });
  opened.catch(() => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  if (auth) ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token, since })));
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)));
    for (const waiter of [...waiters]) if (waiter.check()) waiters.delete(waiter);
  });

  /** The first frame (received or to come) that matches, skipping `skip` earlier matches. */
  function waitFor(predicate: (frame: Frame) => boolean, { timeout = 3000, skip = 0 }: { timeout?: number | undefined; skip?: number | undefined } = {}): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const waiter = {
        check() {
          const found = frames.filter(predicate)[skip];
          if (!found) return false;
          clearTimeout(timer);
          resolve(found);
          return true;
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching frame within ${timeout} ms; got ${JSON.stringify(frames.map((f) => f.type ?? f.event?.type))}`));
      }, timeout);
      if (!waiter.check()) waiters.add(waiter);
    });
  }

  let pings = 0;
  return {
    ws,
    frames,
    opened,
    closed,
    waitFor,
    /** The `ready` frame. */
    ready: () => waitFor((frame) => frame.type === 'ready'),
    /** The detail of the first (or `skip`+1-th) event of a type whose detail matches `where`. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the relay sent
    async waitForEvent(type: string, { where = () => true, timeout, skip }: { where?: (detail: any) => boolean; timeout?: number; skip?: number } = {}) {
      return (await waitFor((frame) => frame.event?.type === type && where(frame.event.detail), { timeout, skip })).event!.detail;
    },
    /** Every event frame (`{ seq, event }`) so far. */
    events: () => frames.filter((frame) => frame.event !== undefined),
    /** The details of every event of a type so far. */
    eventsOf: (type: string) => frames.filter((frame) => frame.event?.type === type).map((frame) => frame.event!.detail),
    /** Resolves once every frame the relay sent before now has arrived (a ping/pong round trip). */
    async sync() {
      ws.send('{"type":"ping"}');
      await waitFor((frame) => frame.type === 'pong', { skip: pings++ });
    },
    send: (frame: unknown) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    close() {
      ws.close();
      return closed;
    },
    /** Drops the connection without a closing handshake, as a network failure does. */
    drop() {
      ws.terminate();
      return closed;
    },
    /** The newest event seq received (0 when none). */
    get lastSeq() {
      return frames.reduce((seq, frame) => (frame.event && (frame.seq ?? 0) > seq ? frame.seq! : seq), 0);
    },
  };
}

export type AgentSocket = ReturnType<typeof connectAgent>;

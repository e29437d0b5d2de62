/**
 * Helpers for testing against the relay: start one with a fake Graph API,
 * build and sign webhook bodies, call the agent API, and hold an agent's
 * event socket. Used by relay/test/ and usable from an end-to-end test.
 *
 * ```js
 * const { url, graph, relay, close } = await startRelay({ agentTokens: { alice: 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d' } });
 * const alice = connectAgent(url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
 * await alice.ready();
 * await postWebhook(url, messengerText({ psid: '1254', text: 'Hi' }));
 * const request = await alice.waitForEvent('conversation-request');
 * ```
 *
 * @module
 */
import WebSocket from 'ws';
import { createFakeGraph } from './fake-graph.mjs';
import { createRelay, signWebhook } from './relay.mjs';

/** The settings `startRelay` uses unless told otherwise. */
export const testSettings = {
  pageId: '1234567890',
  pageAccessToken: 'test-page-token',
  appSecret: 'test-app-secret',
  verifyToken: 'test-verify-token',
  agentTokens: { alice: 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', bob: 'bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e' },
  allowedOrigins: ['http://console.test'],
};

/**
 * A fake Graph API and a relay using it, both on 127.0.0.1 ephemeral ports,
 * with short delays (re-offer 200 ms, Graph retries 10 ms) and no log output.
 *
 * @param {Partial<import('./relay.mjs').RelayOptions>} [options] relay options over {@link testSettings}
 * @param {{ graph?: Parameters<typeof createFakeGraph>[0] }} [more]
 */
export async function startRelay(options = {}, { graph: graphOptions } = {}) {
  const graph = createFakeGraph({ accessToken: options.pageAccessToken ?? testSettings.pageAccessToken, ...graphOptions });
  const { url: graphApiUrl } = await graph.listen();
  const settings = {
    ...testSettings,
    graphApiUrl,
    requeueDelay: 200,
    retryBaseDelay: 10,
    log: false,
    ...options,
  };
  const relay = createRelay(settings);
  const { url, port } = await relay.listen(0, '127.0.0.1');
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
export async function until(ready) {
  while (!ready()) await new Promise((resolve) => setImmediate(resolve));
}

let counter = 0;

/**
 * A webhook body with one text message from a customer.
 * @param {{ pageId?: string, psid?: string, mid?: string, text?: string, timestamp?: number }} [message]
 */
export function messengerText({ pageId = testSettings.pageId, psid = '5550001254', mid = `m_test_${++counter}`, text = 'Hello', timestamp = Date.now() } = {}) {
  return messengerBody(pageId, [{ sender: { id: psid }, recipient: { id: pageId }, timestamp, message: { mid, text } }]);
}

/**
 * A webhook body with the given `messaging` items in one entry.
 * @param {string} pageId
 * @param {object[]} messaging
 */
export function messengerBody(pageId, messaging) {
  return { object: 'page', entry: [{ id: pageId, time: Date.now(), messaging }] };
}

/**
 * POSTs a webhook body to the relay, signed with the app secret as Meta does.
 * @param {string} url the relay's base URL
 * @param {unknown} body an object (sent as JSON) or the exact text
 * @param {{ appSecret?: string, signature?: string | null }} [options] `signature: null` sends none
 */
export function postWebhook(url, body, { appSecret = testSettings.appSecret, signature } = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers = { 'Content-Type': 'application/json' };
  const sign = signature === undefined ? signWebhook(raw, appSecret) : signature;
  if (sign !== null) headers['X-Hub-Signature-256'] = sign;
  return fetch(`${url}/webhook`, { method: 'POST', headers, body: raw });
}

/**
 * Calls the agent API. `body` is sent as JSON, or as it is when it is FormData.
 * @returns {Promise<{ status: number, body: any, headers: Headers }>}
 */
export async function callApi(url, token, method, path, body, { origin, headers = {} } = {}) {
  const all = { ...headers };
  if (token) all.Authorization = `Bearer ${token}`;
  if (origin) all.Origin = origin;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    all['Content-Type'] = 'application/json';
  }
  const response = await fetch(`${url}/api/${path}`, { method, headers: all, body: payload });
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/**
 * An agent's event socket, as the browser adapter opens it: it sends the
 * auth frame on open and records every frame.
 *
 * @param {string} url the relay's base URL
 * @param {string} token
 * @param {{ since?: number, origin?: string, auth?: boolean, autoPong?: boolean, headers?: Record<string, string> }} [options]
 *   `auth: false` sends no auth frame; `autoPong: false` leaves the relay's pings unanswered
 */
export function connectAgent(url, token, { since = 0, origin, auth = true, autoPong = true, headers } = {}) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/events`, { autoPong, ...(origin ? { origin } : {}), ...(headers ? { headers } : {}) });
  /** @type {any[]} */
  const frames = [];
  const waiters = new Set();
  const opened = new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) => {
      reject(Object.assign(new Error(`upgrade refused with ${response.statusCode}`), { status: response.statusCode }));
      response.resume();
    });
  });
  opened.catch(() => {});
  const closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  if (auth) ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token, since })));
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    frames.push(frame);
    for (const waiter of [...waiters]) if (waiter.check()) waiters.delete(waiter);
  });

  /**
   * The first frame (received or to come) that matches, skipping `skip` earlier matches.
   * @param {(frame: any) => boolean} predicate
   */
  function waitFor(predicate, { timeout = 3000, skip = 0 } = {}) {
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
    /**
     * The detail of the first (or `skip`+1-th) event of a type whose detail matches `where`.
     * @param {string} type
     * @param {{ where?: (detail: any) => boolean, timeout?: number, skip?: number }} [options]
     */
    async waitForEvent(type, { where = () => true, timeout, skip } = {}) {
      return (await waitFor((frame) => frame.event?.type === type && where(frame.event.detail), { timeout, skip })).event.detail;
    },
    /** Every event frame (`{ seq, event }`) so far. */
    events: () => frames.filter((frame) => frame.event !== undefined),
    /** The details of every event of a type so far. */
    eventsOf: (type) => frames.filter((frame) => frame.event?.type === type).map((frame) => frame.event.detail),
    /** Resolves once every frame the relay sent before now has arrived (a ping/pong round trip). */
    async sync() {
      ws.send('{"type":"ping"}');
      await waitFor((frame) => frame.type === 'pong', { skip: pings++ });
    },
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
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
      return frames.reduce((seq, frame) => (frame.event && frame.seq > seq ? frame.seq : seq), 0);
    },
  };
}

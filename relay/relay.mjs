/**
 * The reference relay between Facebook Messenger and the agent console:
 * Meta's webhook on one side, the browser's `FacebookMessengerAdapter` on
 * the other (relay/PROTOCOL.md). `createRelay(options)` builds one; nothing
 * lives in module globals, so a process (or a test) can run several.
 *
 * @module
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { WebSocketServer } from 'ws';
import { createGraphClient, GraphError, reasons } from './dist/graph.js';
import { cleanFileName } from './dist/files.js';
import { authThrottle } from './dist/limits.js';
import { createMemoryStore } from './dist/store.js';

export { createMemoryStore } from './dist/store.js';
export { GraphError } from './dist/graph.js';

/** The mapping, the Messenger policy and the file-type rules come from the package's build output (`npm run build`). */
const adapters = await import('../dist/adapters/index.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND') return undefined;
  throw error;
});

/** The console's own attachment check, content included: a file is judged here as in the agent's browser. */
const attachmentCheck = await import('../dist/policy.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND') return undefined;
  throw error;
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const REMOVE = Symbol('remove');

/** An error with an HTTP status and a sentence for the agent. */
class HttpError extends Error {
  /** @param {number} status @param {string} message @param {Record<string, string>} [headers] e.g. `Retry-After` */
  constructor(status, message, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

/**
 * The `X-Hub-Signature-256` value Meta sends with a webhook body.
 * @param {string | Uint8Array} rawBody the exact bytes
 * @param {string} appSecret
 * @returns {string} `sha256=<hex>`
 */
export function signWebhook(rawBody, appSecret) {
  return `sha256=${crypto.createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/**
 * The conversation id the relay uses for a customer of a Page.
 * @param {string} pageId
 * @param {string} psid
 */
export function conversationIdFor(pageId, psid) {
  return `${pageId}:${psid}`;
}

/**
 * @typedef {object} RelayOptions
 * @property {string} pageId the Facebook Page id
 * @property {string} pageAccessToken the Page access token (Send API, User Profile API)
 * @property {string} appSecret the Meta app secret (webhook signatures)
 * @property {string} verifyToken the token Meta sends in the webhook handshake
 * @property {Record<string, string> | string} [agentTokens] agentId → bearer token, or `"agentId:token,agentId2:token2"`
 * @property {(token: string) => Promise<string | null | undefined> | string | null | undefined} [verifyAgent]
 *   the agent id for a bearer token, or null; asked when `agentTokens` does not know the token
 * @property {string[] | string} [allowedOrigins] browser origins allowed to call the API and open the socket
 *   (`"*"` for any); requests without an `Origin` header (not from a browser) are not affected
 * @property {boolean} [humanAgentTag] reply up to 7 days after the customer's last message with the HUMAN_AGENT tag (default false)
 * @property {boolean} [shareConversations] every agent may see and answer every conversation (default false)
 * @property {string} [graphApiUrl] default `https://graph.facebook.com`
 * @property {string} [graphApiVersion] default `v25.0`
 * @property {import('./dist/store.js').RelayStore} [store] default: a new in-memory store
 * @property {number} [eventLogSize] events kept per agent by the default store (default 1000)
 * @property {number} [handOverMessages] at most this many of a waiting customer's messages reach the agent as events on accept; earlier ones are in the history (default 200)
 * @property {number} [requeueDelay] ms before a rejected request is offered to that agent again (default 60000)
 * @property {number} [authTimeout] ms a new socket has to send its auth frame (default 5000)
 * @property {number} [pingInterval] ms between WebSocket pings (default 25000)
 * @property {number} [retries] Send API tries on a transient error, the first included (default 3)
 * @property {number} [retryBaseDelay] ms before the second try, doubling after (default 500)
 * @property {number} [maxGraphCalls] Graph API calls open at once at most; the others wait in order (default 16)
 * @property {number} [profileCacheMs] ms a customer's profile is remembered (default 1 hour)
 * @property {number} [maxWebhookBytes] largest webhook body (default 1 MiB)
 * @property {number} [seenTtl] ms a message id is remembered to drop redeliveries (default 24 h)
 * @property {boolean} [trustProxy] take the client's address from X-Forwarded-For (behind your reverse proxy), for slowing down wrong tokens (default false)
 * @property {import('./dist/limits.js').AuthThrottleOptions} [authThrottle] after how many wrong agent tokens an address must wait, and how long (default: 5, then 1 s doubling to 60 s)
 * @property {number} [headersTimeout] ms a client has to send a request's headers (default 10000)
 * @property {number} [requestTimeout] ms a client has to send a whole request, upload included (default 60000)
 * @property {number} [maxUnauthenticatedConnections] connections open at once that have not shown an agent token or a signed webhook yet; more are closed at once (default 100)
 * @property {number} [uploadsPerAgent] files one agent may have on their way at once (default 3)
 * @property {number} [uploadBytesPerAgent] bytes one agent may have on their way at once (default 3 files of the largest size the policy allows)
 * @property {number} [shutdownTimeout] ms `close()` lets sends under way finish before it cuts them (default 10000); `server.mjs` waits the same
 * @property {import('../dist/adapters/index.js').AttachmentPolicy} [policy] what agents may send (default Messenger's)
 * @property {((line: string) => void) | false} [log] one line per notable thing (default: stdout; false: silent)
 * @property {() => number} [now] the clock, epoch ms
 * @property {typeof fetch} [fetch] for Graph API calls
 * @property {(body: unknown, options: object) => Array<{ type: string, detail: any }>} [parseWebhook]
 *   default `parseMessengerWebhook` from `agent-console/adapters`
 */

/**
 * @typedef {object} Relay
 * @property {http.Server} server the HTTP server (webhook, API, WebSocket upgrades)
 * @property {(port?: number, host?: string) => Promise<{ port: number, host: string, url: string }>} listen
 * @property {() => Promise<void>} close stops taking webhooks and sends (503), closes sockets and timers, lets sends under way finish for at most `shutdownTimeout`
 * @property {number} shutdownTimeout ms `close()` lets sends under way finish
 * @property {() => Promise<void>} idle resolves once every webhook event and background task so far is processed
 * @property {import('./dist/store.js').RelayStore} store
 */

/**
 * Builds a relay. Call `listen()` to start it.
 * @param {RelayOptions} options
 * @returns {Relay}
 */
export function createRelay(options) {
  const {
    pageId,
    pageAccessToken,
    appSecret,
    verifyToken,
    agentTokens,
    verifyAgent,
    humanAgentTag = false,
    shareConversations = false,
    graphApiUrl,
    graphApiVersion,
    eventLogSize = 1000,
    handOverMessages = 200,
    requeueDelay = 60_000,
    authTimeout = 5_000,
    pingInterval = 25_000,
    retries,
    retryBaseDelay,
    maxGraphCalls,
    profileCacheMs,
    maxWebhookBytes = 1024 * 1024,
    seenTtl = DAY,
    shutdownTimeout = 10_000,
    trustProxy = false,
    headersTimeout = 10_000,
    requestTimeout = 60_000,
    maxUnauthenticatedConnections = 100,
    uploadsPerAgent = 3,
    now = Date.now,
    fetch = globalThis.fetch,
  } = options;
  const missing = ['pageId', 'pageAccessToken', 'appSecret', 'verifyToken'].filter((name) => !options[name]);
  if (missing.length) throw new TypeError(`createRelay: missing ${missing.join(', ')}.`);
  const tokens = parseAgentTokens(agentTokens);
  if (!tokens.size && !verifyAgent) throw new TypeError('createRelay: give agentTokens or verifyAgent, or no agent can sign in.');
  if (!adapters || !attachmentCheck) throw new Error('createRelay: dist/ was not found; run `npm run build` first.');
  const { attachmentKindOf, extensionOf, typeForExtension, typeIsAllowed } = adapters;
  const parseWebhook = options.parseWebhook ?? adapters.parseMessengerWebhook;
  const policy = options.policy ?? adapters.messengerAttachmentPolicy;
  const origins = new Set(typeof options.allowedOrigins === 'string' ? splitList(options.allowedOrigins) : (options.allowedOrigins ?? []));
  const ownsStore = !options.store;
  const store = options.store ?? createMemoryStore({ eventLogSize, now });
  const log =
    options.log === false ? () => {} : (options.log ?? ((line) => process.stdout.write(`${new Date().toISOString()} relay: ${line}\n`)));
  const graph = createGraphClient({
    pageId,
    pageAccessToken,
    graphApiUrl,
    graphApiVersion,
    retries,
    retryBaseDelay,
    maxConcurrent: maxGraphCalls,
    profileCacheMs,
    fetch,
    log,
  });
  const windowMs = humanAgentTag ? 7 * DAY : DAY;
  const maxUploadBytes = Math.max(policy.maxBytes, ...Object.values(policy.maxBytesByKind ?? {})) + 1024 * 1024;
  const uploadBytesPerAgent = options.uploadBytesPerAgent ?? 3 * maxUploadBytes;

  /** Per-conversation promise chains: webhook events of one customer are handled in order. */
  const chains = new Map();
  /** Other work started by a request that outlives it. */
  const background = new Set();
  /** Re-offer timers. */
  const timers = new Set();
  /** Sends in flight in this instance, by idempotency key. */
  const inflight = new Map();
  /** Open agent sockets of this instance. */
  const sockets = new Set();

  const nowIso = () => new Date(now()).toISOString();
  const newId = (prefix) => `${prefix}_${crypto.randomUUID()}`;
  const routeKey = (conversationId) => `route:${conversationId}`;
  const requestKey = (requestId) => `request:${requestId}`;
  const sendKey = (conversationId, clientId) => `send:${conversationId}\u0000${clientId}`;
  const inboundKey = (conversationId) => `inbound:${conversationId}`;

  // —— Small helpers ——

  function track(work) {
    const promise = Promise.resolve()
      .then(work)
      .catch((error) => log(`background task failed: ${error?.message ?? error}`));
    background.add(promise);
    promise.then(() => background.delete(promise));
    return promise;
  }

  /** Runs `task` after every task queued before on the same key; answers its result. */
  function enqueue(key, task) {
    const run = (chains.get(key) ?? Promise.resolve()).then(task);
    const next = run.catch((error) => error instanceof HttpError || log(`processing failed: ${error?.message ?? error}`));
    chains.set(key, next);
    next.then(() => chains.get(key) === next && chains.delete(key));
    return run;
  }

  function later(ms, task) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      track(task);
    }, ms);
    timers.add(timer);
  }

  /**
   * Read-modify-write of one record with compare-and-set. `change` gets the
   * current value and answers the next one, `REMOVE`, or `undefined` for
   * "leave it"; it may run more than once when another writer was faster.
   */
  async function update(key, change, writeOptions) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const record = await store.get(key);
      const next = change(record?.value);
      if (next === undefined) return { value: record?.value, previous: record?.value, changed: false };
      const value = next === REMOVE ? undefined : next;
      if (await store.compareAndSet(key, record?.version ?? 0, value, writeOptions)) return { value, previous: record?.value, changed: true };
    }
    throw new Error(`the record ${key} kept changing`);
  }

  const read = async (key) => (await store.get(key))?.value;

  async function onlineAgents() {
    return [...new Set((await store.list('presence:')).map((record) => record.value.agentId))];
  }

  /** Who hears about a conversation: its agent, and every agent online when conversations are shared. */
  async function audience(route) {
    const agents = new Set([route.agentId]);
    if (shareConversations) for (const agentId of await onlineAgents()) agents.add(agentId);
    return [...agents];
  }

  async function emit(agentIds, event) {
    for (const agentId of new Set(agentIds)) await store.appendEvent(agentId, event);
  }

  function psidOf(conversationId) {
    const at = conversationId.lastIndexOf(':');
    return { pageId: conversationId.slice(0, at), psid: conversationId.slice(at + 1) };
  }

  const throttle = authThrottle({ now, ...options.authThrottle });

  /** The address a request comes from: the first hop your proxy names, when you trust it to. */
  function clientOf(req) {
    const forwarded = trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0].trim() : '';
    return forwarded || req.socket.remoteAddress || 'unknown';
  }

  /**
   * The agent of a token, or null; after too many wrong tokens from the same
   * address, `{ wait }` (ms) before any token from it is looked at.
   */
  async function admit(req, token) {
    const client = clientOf(req);
    const wait = throttle.waitFor(client);
    if (wait) return { wait };
    const agentId = await authenticate(token);
    if (agentId) throttle.succeeded(client);
    else if (token) {
      const slowed = throttle.failed(client);
      if (slowed) log(`agent tokens: ${client} gave too many wrong tokens; it waits ${Math.ceil(slowed / 1000)} s before the next is looked at`);
    }
    return { agentId };
  }

  async function authenticate(token) {
    if (typeof token !== 'string' || !token) return null;
    const known = tokens.get(digest(token));
    if (known) return known;
    if (!verifyAgent) return null;
    try {
      const agentId = await verifyAgent(token);
      return typeof agentId === 'string' && agentId ? agentId : null;
    } catch (error) {
      log(`verifyAgent failed: ${error?.message ?? error}`);
      return null;
    }
  }

  function originAllowed(origin) {
    return origins.has('*') || origins.has(origin);
  }

  // —— Routing: requests, sessions ——

  function requestDetail(route, requestId) {
    const request = { id: requestId, channel: 'facebook', customer: route.customer, createdAt: route.createdAt };
    if (route.preview) request.preview = route.preview;
    return request;
  }

  function conversationOf(route, inbound) {
    const conversation = { id: route.conversationId, channel: 'facebook', customer: route.customer, startedAt: route.startedAt };
    const last = Date.parse(inbound?.lastInboundAt ?? '');
    if (Number.isFinite(last)) conversation.replyBy = new Date(last + windowMs).toISOString();
    return conversation;
  }

  async function customerFor(psid) {
    const fallback = `Facebook user ${psid.slice(-4)}`;
    try {
      const profile = await graph.profile(psid);
      const customer = { id: psid, name: profile.name || fallback };
      if (profile.avatarUrl) customer.avatarUrl = profile.avatarUrl;
      return customer;
    } catch (error) {
      log(`profile of a customer not available (${error instanceof GraphError ? `code ${error.code ?? '-'}` : 'error'}); using the fallback name`);
      return { id: psid, name: fallback };
    }
  }

  /** A customer without a session wrote: a new request, offered to every agent online. */
  async function openRequest(conversationId, psid, message) {
    const customer = await customerFor(psid);
    const requestId = newId('req');
    const sentAt = Date.parse(message.sentAt);
    const route = {
      conversationId,
      psid,
      customer,
      createdAt: Number.isFinite(sentAt) ? new Date(sentAt).toISOString() : nowIso(),
      firstMessageId: message.id,
      state: 'pending',
      requestId,
      requestIds: [requestId],
      offers: {},
      rejected: {},
      declined: [],
    };
    if (message.text) route.preview = message.text.length > 300 ? `${message.text.slice(0, 299)}…` : message.text;
    await store.compareAndSet(requestKey(requestId), 0, conversationId, { ttlMs: 30 * DAY });
    if (!(await store.compareAndSet(routeKey(conversationId), 0, route))) return; // opened meanwhile (another instance)
    log(`request ${requestId} for conversation ${conversationId}`);
    for (const agentId of await onlineAgents()) await offer(conversationId, agentId);
  }

  /** Offers a pending request to one agent, unless the agent holds it already or rejected it lately. */
  async function offer(conversationId, agentId) {
    const fresh = newId('req');
    const { value: route, previous, changed } = await update(routeKey(conversationId), (route) => {
      if (route?.state !== 'pending' || Object.hasOwn(route.offers, agentId)) return undefined;
      const rejectedAt = route.rejected[agentId];
      if (rejectedAt !== undefined && now() - rejectedAt < requeueDelay) return undefined;
      // An agent who declined it gets a new id: the console does not show an id it has answered again.
      const again = route.declined.includes(agentId);
      const id = again ? fresh : route.requestId;
      const rejected = { ...route.rejected };
      delete rejected[agentId];
      return { ...route, offers: { ...route.offers, [agentId]: id }, rejected, requestIds: again ? [...route.requestIds, id] : route.requestIds };
    });
    if (!changed) return;
    const requestId = route.offers[agentId];
    if (requestId === fresh) await store.compareAndSet(requestKey(fresh), 0, conversationId, { ttlMs: 30 * DAY });
    await store.appendEvent(agentId, { type: 'conversation-request', detail: requestDetail(previous, requestId) });
    log(`request ${requestId} offered to agent ${agentId}`);
  }

  /** The conversations an agent holds (all open ones, when conversations are shared). */
  async function heldBy(agentId) {
    const held = [];
    for (const { value: route } of await store.list('route:')) {
      if (route.state === 'assigned' && (route.agentId === agentId || shareConversations)) {
        held.push(conversationOf(route, await read(inboundKey(route.conversationId))));
      }
    }
    return held;
  }

  /** Offers the waiting requests to an agent who connects; a fresh client (a page load) gets its open offers again. */
  async function offerPending(agentId, fresh) {
    for (const { value: route } of await store.list('route:')) {
      if (route.state !== 'pending') continue;
      const held = Object.hasOwn(route.offers, agentId) ? route.offers[agentId] : undefined;
      if (held && fresh) await store.appendEvent(agentId, { type: 'conversation-request', detail: requestDetail(route, held) });
      else await offer(route.conversationId, agentId);
    }
  }

  /**
   * Assigns a request to the agent. It runs in the conversation's chain, so
   * the kept messages it hands over are exactly those that came before it:
   * later ones go to the agent as they arrive, none twice, in order.
   * Answers the conversation; the events follow in the same chain task.
   */
  async function accept(requestId, agentId) {
    const conversationId = await read(requestKey(requestId));
    if (!conversationId) throw new HttpError(404, 'This request is no longer available.');
    let answer;
    const answered = new Promise((resolve) => (answer = resolve));
    const task = enqueue(conversationId, async () => {
      const { value: route, previous, changed } = await update(routeKey(conversationId), (route) => {
        if (route?.state !== 'pending' || !Object.hasOwn(route.offers, agentId) || route.offers[agentId] !== requestId) return undefined;
        return { ...route, state: 'assigned', agentId, startedAt: nowIso(), offers: {}, rejected: {} };
      });
      if (!changed) {
        if (!route || !route.requestIds.includes(requestId)) throw new HttpError(404, 'This request is no longer available.');
        if (route.state === 'assigned') {
          throw new HttpError(409, route.agentId === agentId ? 'You have already accepted this request.' : 'This request was already accepted by another agent.');
        }
        throw new HttpError(404, 'This request is no longer offered to you.'); // rejected or timed out by this agent
      }
      log(`request ${requestId} accepted by agent ${agentId}`);
      const { messages } = await store.listMessages(conversationId, { from: route.firstMessageId });
      answer(conversationOf(route, await read(inboundKey(conversationId))));
      // The newest go to the agent as events; any before them stay in the conversation's history, where the console pages back.
      for (const message of messages.slice(-handOverMessages)) await store.appendEvent(agentId, { type: 'message', detail: message });
      for (const [other, id] of Object.entries(previous.offers)) {
        // The acceptor's own log gets it too, so that a client replaying its log does not show the request again.
        const reason = other === agentId ? 'Accepted by this agent' : 'Accepted by another agent';
        await store.appendEvent(other, { type: 'conversation-request-withdrawn', detail: { requestId: id, reason } });
      }
    });
    return Promise.race([answered, task.then(() => answered)]);
  }

  async function reject(requestId, agentId) {
    const conversationId = await read(requestKey(requestId));
    if (!conversationId) return;
    const { value: route, previous, changed } = await update(routeKey(conversationId), (route) => {
      if (route?.state !== 'pending' || !Object.hasOwn(route.offers, agentId) || route.offers[agentId] !== requestId) return undefined;
      const offers = { ...route.offers };
      delete offers[agentId];
      const declined = route.declined.includes(agentId) ? route.declined : [...route.declined, agentId];
      return { ...route, offers, rejected: { ...route.rejected, [agentId]: now() }, declined };
    });
    if (!changed) return;
    log(`request ${requestId} rejected by agent ${agentId}; offered again in ${requeueDelay} ms`);
    // In the agent's own log too, so that a client replaying its log does not show it again.
    await store.appendEvent(agentId, {
      type: 'conversation-request-withdrawn',
      detail: { requestId: previous.offers[agentId], reason: 'Rejected by this agent' },
    });
    later(requeueDelay, async () => {
      const { changed: cleared } = await update(routeKey(conversationId), (current) => {
        if (current?.state !== 'pending' || current.rejected[agentId] !== route.rejected[agentId]) return undefined;
        const rejected = { ...current.rejected };
        delete rejected[agentId];
        return { ...current, rejected };
      });
      if (cleared && (await onlineAgents()).includes(agentId)) await offer(conversationId, agentId);
    });
  }

  /** The open route of a conversation the agent may work on; 404 or 403 otherwise. */
  async function ownRoute(conversationId, agentId) {
    const route = await read(routeKey(conversationId));
    if (!route) throw new HttpError(404, 'This conversation is not open.');
    if (route.state !== 'assigned' || (route.agentId !== agentId && !shareConversations)) {
      throw new HttpError(403, 'This conversation belongs to another agent.');
    }
    return route;
  }

  /** Ends a session, in the conversation's chain so that a customer message is either before it or a new request. */
  function end(conversationId, agentId) {
    return enqueue(conversationId, () => endNow(conversationId, agentId));
  }

  async function endNow(conversationId, agentId) {
    const { previous, changed } = await update(routeKey(conversationId), (route) => {
      if (route?.state !== 'assigned' || (route.agentId !== agentId && !shareConversations)) return undefined;
      return REMOVE;
    });
    if (!changed) {
      if (previous) throw new HttpError(403, 'This conversation belongs to another agent.');
      return; // ended already
    }
    log(`conversation ${conversationId} ended by agent ${agentId}`);
    const others = (await audience(previous)).filter((id) => id !== agentId);
    await emit(others, { type: 'conversation-ended', detail: { conversationId, reason: 'The agent ended the conversation.' } });
  }

  // —— Webhook events ——

  async function handleEvent(event) {
    const conversationId = event.detail?.conversationId;
    if (typeof conversationId !== 'string') return log(`webhook: a ${event.type} event without a conversation was ignored`);
    if (psidOf(conversationId).pageId !== String(pageId)) return log('webhook: an event for another Page was ignored');
    if (event.type === 'message') return handleMessage(event.detail);
    if (event.type === 'message-status') {
      const { messageId, before, status } = event.detail;
      if (!(await store.markSeen(`status:${conversationId}:${messageId ?? `before ${before}`}:${status}`, seenTtl))) return;
      await store.applyStatus(conversationId, event.detail);
    }
    const route = await read(routeKey(conversationId));
    if (route?.state === 'assigned') await emit(await audience(route), event);
  }

  async function handleMessage(message) {
    const { conversationId } = message;
    if (!(await store.markSeen(`mid:${message.id}`, seenTtl))) return log(`webhook: message ${message.id} was delivered again; dropped`);
    if (message.direction === 'outbound' && message.clientId && (await store.get(sendKey(conversationId, message.clientId)))) {
      // The echo of our own send: the agent has it already, but files only now get their Facebook URL.
      if (!message.attachments?.length) return;
      const sent = await store.getMessage(conversationId, message.id);
      if (!sent) return void (await store.compareAndSet(`echo:${message.id}`, 0, message.attachments, { ttlMs: DAY })); // before Graph answered
      const linked = { ...sent, attachments: message.attachments };
      await store.putMessage(conversationId, linked);
      const route = await read(routeKey(conversationId));
      if (route?.state === 'assigned') await emit(await audience(route), { type: 'message', detail: linked });
      return;
    }
    await store.putMessage(conversationId, message);
    if (message.direction === 'inbound') {
      const sentAt = Number.isFinite(Date.parse(message.sentAt)) ? new Date(message.sentAt).toISOString() : nowIso();
      await update(inboundKey(conversationId), (known) =>
        known?.lastInboundAt && Date.parse(known.lastInboundAt) >= Date.parse(sentAt) ? undefined : { ...known, lastInboundAt: sentAt },
      );
    }
    const route = await read(routeKey(conversationId));
    if (route?.state === 'assigned') {
      await emit(await audience(route), { type: 'message', detail: message });
      // The customer wrote: the reply window moves.
      if (message.direction === 'inbound') await emit(await audience(route), { type: 'conversation-updated', detail: conversationOf(route, await read(inboundKey(conversationId))) });
      return;
    }
    if (route || message.direction !== 'inbound') return; // kept: a pending request, or a page echo / system message without a session
    await openRequest(conversationId, psidOf(conversationId).psid, message);
  }

  // —— Sending ——

  async function replyWindow(conversationId) {
    const last = Date.parse((await read(inboundKey(conversationId)))?.lastInboundAt ?? '');
    if (!Number.isFinite(last)) return { messagingType: 'RESPONSE' };
    const age = now() - last;
    if (age <= DAY) return { messagingType: 'RESPONSE' };
    if (humanAgentTag && age <= 7 * DAY) return { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
    throw new HttpError(422, humanAgentTag ? reasons.humanAgentWindowClosed : reasons.windowClosed);
  }

  /**
   * Runs `work` once per key, across retries, races and (with a shared store)
   * instances. `content` is a digest of what is sent: the same key with other
   * content is a client bug that would lose a message, and is refused (409).
   */
  function once(key, content, work) {
    const reused = () => new HttpError(409, 'This clientId was already used for a different message; send this one under a new clientId.');
    const known = inflight.get(key);
    if (known) {
      if (known.content !== content) return Promise.reject(reused());
      return known;
    }
    const promise = (async () => {
      const started = now();
      for (;;) {
        const record = await store.get(key);
        const state = record?.value;
        if (state?.content !== undefined && state.content !== content) throw reused();
        if (state?.state === 'sent') return state.message;
        if (state?.state === 'sending' && now() - state.at < 120_000) {
          if (now() - started > 130_000) throw new HttpError(503, 'The message is still being sent; try again in a moment.');
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        const claim = { ...state, state: 'sending', at: now(), content };
        if (!(await store.compareAndSet(key, record?.version ?? 0, claim, { ttlMs: DAY }))) continue;
        const progress = (patch) => update(key, (current) => ({ ...current, ...patch }), { ttlMs: DAY });
        try {
          const message = await work(claim, progress);
          await progress({ state: 'sent', message });
          return message;
        } catch (error) {
          await progress({ state: 'failed' });
          throw error;
        }
      }
    })();
    promise.content = content;
    inflight.set(key, promise);
    const forget = () => inflight.delete(key);
    promise.then(forget, forget);
    return promise;
  }

  async function sendMessage(route, agentId, { clientId, text, file }) {
    const { conversationId, psid } = route;
    const content = digest(JSON.stringify([text ?? null, file ? [file.name, file.type, file.size, digest(file.bytes)] : null]));
    return once(sendKey(conversationId, clientId), content, async (claim, progress) => {
      // Meta stamps the message while the call runs; a read watermark refers to that, so take the start.
      const sentAt = nowIso();
      const { messagingType, tag } = await replyWindow(conversationId);
      const base = { psid, metadata: clientId, messagingType, tag };
      let id;
      let attachments;
      if (text !== undefined && !claim.textId) {
        const sent = await graph.sendText({ ...base, text });
        if (file) await progress({ textId: sent.message_id });
        id = sent.message_id;
      }
      if (file) {
        const kind = attachmentKindOf(file.type);
        const sent = await graph.sendFile({ ...base, kind, file: { name: file.name, type: file.type, size: file.size, open: () => Readable.from([Buffer.from(file.bytes)]) } });
        id = sent.message_id;
        attachments = [{ id: `${id}:0`, kind, name: file.name, mimeType: file.type, size: file.size, url: '' }];
      }
      const message = { id, conversationId, clientId, direction: 'outbound', sentAt, status: 'sent' };
      if (text !== undefined) message.text = text;
      // Meta's echo brings the file's URL; it may have come before Graph answered.
      const echoed = attachments && (await store.get(`echo:${id}`))?.value;
      if (attachments) message.attachments = echoed ?? attachments;
      await store.putMessage(conversationId, message);
      log(`sent ${file ? 'a file' : 'a text'} as ${id} in conversation ${conversationId} (agent ${agentId}, ${messagingType}${tag ? ` ${tag}` : ''})`);
      const others = (await audience(route)).filter((other) => other !== agentId);
      await emit(others, { type: 'message', detail: message });
      return message;
    });
  }

  /** Uploads on their way, by agent: how many, and how many bytes they declared. */
  const uploading = new Map();

  /**
   * Makes room for an agent's upload, or refuses it (429) when the agent
   * already has `uploadsPerAgent` files or `uploadBytesPerAgent` bytes on
   * their way; answers what frees the room again. A JSON send takes none.
   */
  function admitUpload(req, agentId) {
    if (!/^multipart\/form-data/i.test(String(req.headers['content-type'] ?? ''))) return () => {};
    // A body of unknown length counts as the largest one allowed.
    const bytes = Number(req.headers['content-length']) || maxUploadBytes;
    const mine = uploading.get(agentId) ?? { count: 0, bytes: 0 };
    if (mine.count >= uploadsPerAgent || mine.bytes + bytes > uploadBytesPerAgent) {
      req.resume(); // the body is dropped, so the answer gets through
      throw new HttpError(429, 'Too many files are on their way from you; send this one once one of them has gone.', { 'Retry-After': '5' });
    }
    uploading.set(agentId, { count: mine.count + 1, bytes: mine.bytes + bytes });
    return () => {
      const now = uploading.get(agentId);
      if (now.count === 1) uploading.delete(agentId);
      else uploading.set(agentId, { count: now.count - 1, bytes: now.bytes - bytes });
    };
  }

  /** The draft of a send request: JSON, or multipart with a file. */
  async function readDraft(req) {
    const type = String(req.headers['content-type'] ?? '');
    let clientId;
    let text;
    let file;
    if (/^multipart\/form-data/i.test(type)) {
      const raw = await readBody(req, maxUploadBytes);
      let form;
      try {
        form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      } catch {
        throw new HttpError(400, 'The upload could not be read.');
      }
      clientId = form.get('clientId');
      text = form.get('text') ?? undefined;
      const part = form.get('file');
      if (part !== null && typeof part !== 'string') {
        const name = cleanFileName(part.name || 'file');
        // A part without a type gets the usual one of its extension.
        const type = part.type && part.type !== 'application/octet-stream' ? part.type.split(';')[0].trim().toLowerCase() : typeForExtension(extensionOf(name));
        file = { name, type: type ?? 'application/octet-stream', size: part.size, bytes: new Uint8Array(await part.arrayBuffer()) };
      } else if (part !== null) {
        throw new HttpError(400, 'The file field must be a file.');
      }
    } else {
      const body = await readJson(req);
      clientId = body.clientId;
      text = body.text ?? undefined;
    }
    if (typeof clientId !== 'string' || !clientId || clientId.length > 200) throw new HttpError(400, 'The message needs a clientId.');
    if (text !== undefined && typeof text !== 'string') throw new HttpError(400, 'The text must be a string.');
    if (text !== undefined && !text.trim()) text = undefined;
    if (text === undefined && !file) throw new HttpError(400, 'The message has no text and no file.');
    const limit = adapters.messengerCapabilities.textLimit;
    if (text !== undefined && text.length > limit) throw new HttpError(422, `Messenger takes at most ${limit.toLocaleString('en')} characters in one message.`);
    if (file) await checkFile(file);
    return { clientId, text, file };
  }

  /** The policy's checks, then the content's: a file whose bytes are not what its name and type say (a program named .jpg) goes nowhere. */
  async function checkFile(file) {
    const kind = attachmentKindOf(file.type);
    const max = policy.maxBytesByKind?.[kind] ?? policy.maxBytes;
    if (file.size === 0) throw new HttpError(422, 'The file is empty.');
    if (file.size > max) throw new HttpError(422, `The file is too large: files up to ${formatBytes(max)} can be sent.`);
    if (policy.accept?.length && !typeIsAllowed(policy, file.name, file.type)) {
      throw new HttpError(422, `This file type can't be sent. Allowed: ${policy.accept.join(', ')}.`);
    }
    const check = await attachmentCheck.checkAttachment(new File([file.bytes], file.name, { type: file.type }), policy);
    if (!check.ok && check.reason === 'content-mismatch') {
      log(`refused a file whose content is not its name or type (${check.detected ?? 'unknown content'})`);
      throw new HttpError(422, `This file can't be sent: its content does not match its name and type${check.detected ? ` (it looks like ${check.detected})` : ''}.`);
    }
  }

  // —— HTTP ——

  /** The raw body, up to `limit` bytes; past that a 413 (what is left is read and dropped, so the answer gets through). */
  function readBody(req, limit) {
    return new Promise((resolve, reject) => {
      const tooLarge = () => new HttpError(413, 'The request is too large.');
      if (Number(req.headers['content-length']) > limit) {
        req.resume();
        return reject(tooLarge());
      }
      const chunks = [];
      let size = 0;
      req.on('data', (chunk) => {
        if (size > limit) return;
        size += chunk.length;
        if (size > limit) {
          chunks.length = 0;
          reject(tooLarge());
        } else {
          chunks.push(chunk);
        }
      });
      req.on('end', () => size <= limit && resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  async function readJson(req) {
    const raw = await readBody(req, 64 * 1024);
    if (!raw.length) return {};
    try {
      const body = JSON.parse(raw.toString('utf8'));
      if (body && typeof body === 'object' && !Array.isArray(body)) return body;
    } catch {
      // below
    }
    throw new HttpError(400, 'The request body must be a JSON object.');
  }

  function reply(res, status, body, headers = {}) {
    if (res.headersSent) return;
    if (body === undefined) {
      res.writeHead(status, headers).end();
    } else if (typeof body === 'string') {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers }).end(body);
    } else {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers }).end(JSON.stringify(body));
    }
  }

  function checkSignature(raw, header) {
    const match = /^sha256=([0-9a-f]{64})$/i.exec(String(header ?? '').trim());
    if (!match) return false;
    const expected = crypto.createHmac('sha256', appSecret).update(raw).digest();
    const given = Buffer.from(match[1], 'hex');
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  }

  async function webhook(req, res, url) {
    if (req.method === 'GET') {
      const mode = url.searchParams.get('hub.mode');
      const token = url.searchParams.get('hub.verify_token') ?? '';
      const challenge = url.searchParams.get('hub.challenge') ?? '';
      if (mode === 'subscribe' && sameSecret(token, verifyToken)) {
        log('webhook: verified by Meta');
        return reply(res, 200, challenge);
      }
      log('webhook: verification refused (wrong mode or verify token)');
      return reply(res, 403, 'Forbidden');
    }
    if (req.method !== 'POST') return reply(res, 405, 'Method Not Allowed', { Allow: 'GET, POST' });
    // Shutting down: Meta delivers it again later (to this relay restarted, or another), rather than to work that may be cut.
    if (closed) return reply(res, 503, 'Service Unavailable', { 'Retry-After': '5' });
    const raw = await readBody(req, maxWebhookBytes);
    if (!checkSignature(raw, req.headers['x-hub-signature-256'])) {
      log('webhook: refused a body with a missing or wrong X-Hub-Signature-256');
      return reply(res, 403, 'Forbidden');
    }
    trust(req);
    let body;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply(res, 400, { error: 'The webhook body is not JSON.' });
    }
    if (typeof body?.object === 'string' && body.object !== 'page') {
      // Signed by Meta, but for another product of the app (Instagram, WhatsApp, …): a refusal would only bring it back.
      reply(res, 200, 'EVENT_RECEIVED');
      return log(`webhook: an ${JSON.stringify(body.object.slice(0, 40))} webhook was ignored; this relay serves Page messaging`);
    }
    if (body?.object !== 'page') return reply(res, 400, { error: 'This is not a Page webhook (object must be "page").' });
    let events;
    try {
      events = parseWebhook(body, {
        conversationId: conversationIdFor,
        policy,
        onSkipped: (_item, reason) => log(`webhook: an item was skipped (${reason})`),
      });
    } catch (error) {
      if (error?.name === 'MessengerWebhookError') return reply(res, 400, { error: error.message });
      throw error;
    }
    reply(res, 200, 'EVENT_RECEIVED');
    log(`webhook: ${events.length} event${events.length === 1 ? '' : 's'} received`);
    for (const event of events) enqueue(event.detail?.conversationId ?? '', () => handleEvent(event));
  }

  async function api(req, res, url, headers) {
    const token = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const { agentId, wait } = await admit(req, token);
    if (agentId) trust(req);
    if (wait) {
      const seconds = Math.ceil(wait / 1000);
      return reply(res, 429, { error: `Too many wrong agent tokens from this address; try again in ${seconds} s.` }, { ...headers, 'Retry-After': String(seconds) });
    }
    if (!agentId) {
      return reply(res, 401, { error: 'The agent token is missing or unknown; sign in again.' }, { ...headers, 'WWW-Authenticate': 'Bearer' });
    }
    let parts;
    try {
      parts = url.pathname.split('/').slice(2).map(decodeURIComponent);
    } catch {
      throw new HttpError(400, 'The address is not valid.');
    }
    const [collection, id, action, extra] = parts;
    const method = req.method;
    const is = (m, c, a) => method === m && collection === c && action === a && extra === undefined && (c === 'policy' || !!id);

    if (method === 'GET' && collection === 'policy' && parts.length === 1) return reply(res, 200, policy, headers);
    if (method === 'GET' && collection === 'conversations' && parts.length === 1) return reply(res, 200, await heldBy(agentId), headers);
    if (is('POST', 'requests', 'accept')) return reply(res, 200, await accept(id, agentId), headers);
    if (is('POST', 'requests', 'reject')) {
      await reject(id, agentId);
      return reply(res, 204, undefined, headers);
    }
    if (is('POST', 'conversations', 'messages')) {
      const route = await ownRoute(id, agentId);
      const release = admitUpload(req, agentId);
      let message;
      try {
        const draft = await readDraft(req);
        // A send that has not reached Graph yet is refused while shutting down; the console sends it again.
        if (closed) throw new HttpError(503, 'The relay is restarting; the message will be sent again in a moment.');
        message = await sendMessage(route, agentId, draft);
      } catch (error) {
        if (error instanceof GraphError) throw new HttpError(422, error.message);
        throw error;
      } finally {
        release();
      }
      return reply(res, 200, message, headers);
    }
    if (is('GET', 'conversations', 'messages')) {
      await ownRoute(id, agentId);
      const before = url.searchParams.get('before') || undefined;
      const limit = Math.min(200, Math.max(1, Number.parseInt(url.searchParams.get('limit') ?? '50', 10) || 50));
      const page = await store.listMessages(id, { before, limit });
      // A file the agent sent has no URL until Meta's echo brings it; until then it is listed by name.
      const messages = page.messages.map(({ attachments, ...message }) => {
        const linked = attachments?.filter((attachment) => attachment.url);
        if (linked?.length === attachments?.length) return { ...message, ...(attachments && { attachments }) };
        const names = attachments.filter((attachment) => !attachment.url).map((attachment) => `📎 ${attachment.name}`);
        return { ...message, ...(linked.length && { attachments: linked }), text: [message.text, ...names].filter(Boolean).join('\n') };
      });
      return reply(res, 200, { ...page, messages }, headers);
    }
    if (is('POST', 'conversations', 'end')) {
      await end(id, agentId);
      return reply(res, 204, undefined, headers);
    }
    if (is('POST', 'conversations', 'typing')) {
      const route = await ownRoute(id, agentId);
      const { typing } = await readJson(req);
      if (typeof typing !== 'boolean') throw new HttpError(400, 'typing must be true or false.');
      await graph.senderAction(route.psid, typing ? 'typing_on' : 'typing_off').catch(() => {}); // logged by the client; not fatal
      return reply(res, 204, undefined, headers);
    }
    if (is('POST', 'conversations', 'read')) {
      const route = await ownRoute(id, agentId);
      const { messageId } = await readJson(req);
      if (messageId !== undefined && typeof messageId !== 'string') throw new HttpError(400, 'messageId must be a string.');
      await graph.senderAction(route.psid, 'mark_seen').catch(() => {});
      return reply(res, 204, undefined, headers);
    }
    if (method === 'GET' && collection === 'events' && parts.length === 1) {
      return reply(res, 426, { error: 'This is a WebSocket endpoint.' }, { ...headers, Upgrade: 'websocket' });
    }
    return reply(res, 404, { error: 'There is no such command.' }, headers);
  }

  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://relay.invalid');
    if (url.pathname === '/webhook') return webhook(req, res, url);
    if (url.pathname === '/healthz') return reply(res, 200, { ok: true });
    if (url.pathname !== '/api' && !url.pathname.startsWith('/api/')) return reply(res, 404, { error: 'Not found.' });
    const origin = req.headers.origin;
    const headers = {};
    if (origin !== undefined) {
      if (!originAllowed(origin)) {
        log(`api: refused a request from origin ${JSON.stringify(origin)}`);
        return reply(res, 403, { error: 'This origin is not allowed to use the relay.' });
      }
      headers['Access-Control-Allow-Origin'] = origin;
      headers.Vary = 'Origin';
    }
    if (req.method === 'OPTIONS') {
      return reply(res, 204, undefined, {
        ...headers,
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Max-Age': '600',
      });
    }
    return api(req, res, url, headers);
  }

  // Slow clients are cut: Node checks these every connectionsCheckingInterval (30 s unless told).
  const server = http.createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout) }, (req, res) => {
    handle(req, res).catch((error) => {
      if (error instanceof HttpError) {
        const headers = { ...corsFor(req), ...error.headers };
        if (error.status === 413) headers.Connection = 'close';
        return reply(res, error.status, { error: error.message }, headers);
      }
      log(`request failed: ${error?.message ?? error}`);
      reply(res, 500, { error: 'The relay failed to handle this request; try again.' }, corsFor(req));
    });
  });

  /** Connections that have not shown an agent token or a signed webhook yet: only so many may hold the relay at once. */
  const untrusted = new Set();
  let crowded = false;
  server.on('connection', (socket) => {
    if (untrusted.size >= maxUnauthenticatedConnections) {
      if (!crowded) log(`refusing connections: ${untrusted.size} are open without an agent token or a signed webhook`);
      crowded = true;
      return socket.destroy();
    }
    crowded = false;
    untrusted.add(socket);
    socket.once('close', () => untrusted.delete(socket));
  });
  /** The request showed a right agent token or a signed webhook: its connection no longer counts against the limit. */
  const trust = (req) => untrusted.delete(req.socket);

  function corsFor(req) {
    const origin = req.headers.origin;
    return origin !== undefined && originAllowed(origin) && String(req.url).startsWith('/api') ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
  }

  // —— The event socket ——

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });

  server.on('upgrade', (req, socket, head) => {
    const { pathname } = new URL(req.url ?? '/', 'http://relay.invalid');
    const refuse = (status, text) => socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    if (pathname !== '/api/events') return refuse(404, 'Not Found');
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin)) {
      log(`events: refused a socket from origin ${JSON.stringify(origin)}`);
      return refuse(403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws, req));
  });

  function connect(ws, req) {
    const connection = { ws, alive: true, agentId: undefined, presence: `presence:${crypto.randomUUID()}` };
    sockets.add(connection);
    let authenticating = false;
    let replaying = true;
    let lastSent = 0;
    let buffered = [];
    let unsubscribe;
    const authTimer = setTimeout(() => ws.close(4401, 'No auth frame in time.'), authTimeout);

    const push = (entry) => {
      if (entry.seq <= lastSent || ws.readyState !== ws.OPEN) return;
      lastSent = entry.seq;
      ws.send(JSON.stringify(entry));
      if (ws.bufferedAmount > 8 * 1024 * 1024) ws.terminate(); // too slow: it resumes from its last seq
    };

    async function start(frame) {
      const { agentId, wait } = await admit(req, frame.token);
      if (ws.readyState !== ws.OPEN) return;
      if (wait) return ws.close(4429, `Too many wrong agent tokens; try again in ${Math.ceil(wait / 1000)} s.`);
      if (agentId) trust(req);
      if (!agentId) {
        log('events: refused a socket with a missing or unknown token');
        return ws.close(4401, 'Unauthorized');
      }
      clearTimeout(authTimer);
      connection.agentId = agentId;
      const since = Number.isSafeInteger(frame.since) && frame.since > 0 ? frame.since : 0;
      unsubscribe = store.subscribe((to, entry) => {
        if (to !== agentId) return;
        if (replaying) buffered.push(entry);
        else push(entry);
      });
      await store.compareAndSet(connection.presence, 0, { agentId }, { ttlMs: pingInterval * 3 });
      if (connection.closed) return forget(connection);
      // A fresh client (since 0) starts from now: no replay of old events; the requests still open are offered below.
      const stream = await store.eventsSince(agentId, since);
      const { latest } = stream;
      const [events, gap] = since ? [stream.events, stream.gap] : [[], false];
      if (ws.readyState !== ws.OPEN) return;
      ws.send(JSON.stringify(gap ? { type: 'ready', agentId, seq: latest, gap: true } : { type: 'ready', agentId, seq: latest }));
      lastSent = Math.min(since, latest);
      for (const entry of events) push(entry);
      replaying = false;
      for (const entry of buffered) push(entry);
      buffered = [];
      log(`events: agent ${agentId} connected (since ${since}, newest ${latest}${gap ? ', with a gap' : ''})`);
      await offerPending(agentId, !since);
    }

    ws.on('pong', () => (connection.alive = true));
    ws.on('message', (data) => {
      let frame;
      try {
        frame = JSON.parse(String(data));
      } catch {
        frame = undefined;
      }
      if (!connection.agentId) {
        if (authenticating) return;
        if (frame?.type !== 'auth') return ws.close(4401, 'The first frame must be an auth frame.');
        authenticating = true;
        clearTimeout(authTimer); // the frame came; checking it may take longer (a verifyAgent call)
        track(() => start(frame));
        return;
      }
      if (frame?.type === 'ping' && ws.readyState === ws.OPEN) ws.send('{"type":"pong"}');
    });
    ws.on('close', () => {
      connection.closed = true;
      clearTimeout(authTimer);
      sockets.delete(connection);
      unsubscribe?.();
      if (connection.agentId) {
        log(`events: agent ${connection.agentId} disconnected`);
        track(() => forget(connection));
      }
    });
    ws.on('error', () => {});
  }

  /** Takes a closed socket's agent out of the agents online. */
  async function forget(connection) {
    const record = await store.get(connection.presence);
    if (record) await store.compareAndSet(connection.presence, record.version, undefined);
  }

  const heartbeat = setInterval(() => {
    for (const connection of sockets) {
      if (!connection.alive) {
        connection.ws.terminate();
        continue;
      }
      connection.alive = false;
      connection.ws.ping();
      if (connection.agentId) {
        track(async () => {
          const record = await store.get(connection.presence);
          if (connection.closed) return;
          await store.compareAndSet(connection.presence, record?.version ?? 0, { agentId: connection.agentId }, { ttlMs: pingInterval * 3 });
        });
      }
    }
  }, pingInterval);
  heartbeat.unref();

  async function idle() {
    while (chains.size || background.size) await Promise.all([...chains.values(), ...background]);
  }

  let closed;
  return {
    server,
    store,
    idle,
    shutdownTimeout,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          log(`listening on http://${shown}:${address.port} (Page ${pageId}, Graph ${graph.version})`);
          resolve({ port: address.port, host: address.address, url: `http://${shown}:${address.port}` });
        });
      });
    },
    close() {
      closed ??= (async () => {
        clearInterval(heartbeat);
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        const stopped = server.listening ? new Promise((resolve) => server.close(() => resolve())) : Promise.resolve();
        server.closeIdleConnections?.();
        const open = [...sockets].map(({ ws }) => new Promise((resolve) => ws.once('close', resolve)));
        for (const { ws } of sockets) ws.close(1001, 'The relay is shutting down.');
        await Promise.race([Promise.all(open), new Promise((resolve) => setTimeout(resolve, 300))]);
        for (const { ws } of sockets) ws.terminate();
        wss.close();
        // Sends under way finish and are answered first, for at most shutdownTimeout:
        // cutting them would leave agents retrying messages Meta already has.
        let deadline;
        await Promise.race([
          Promise.all([...inflight.values()].map((send) => send.catch(() => {}))),
          new Promise((resolve) => (deadline = setTimeout(resolve, shutdownTimeout))),
        ]);
        clearTimeout(deadline);
        server.closeAllConnections?.();
        await stopped;
        await idle();
        if (ownsStore) await store.close?.();
      })();
      return closed;
    },
  };
}

// —— Pure helpers ——

/** SHA-256 in hex of a string or bytes. */
const digest = (data) => crypto.createHash('sha256').update(data).digest('hex');

/** Compares two secrets in constant time (whatever their lengths). */
function sameSecret(given, expected) {
  const a = crypto.createHash('sha256').update(String(given)).digest();
  const b = crypto.createHash('sha256').update(String(expected)).digest();
  return crypto.timingSafeEqual(a, b);
}

function splitList(text) {
  return String(text)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * `"a1:t1,a2:t2"` or `{ a1: 't1' }` → a map from the token's SHA-256 to the agent id.
 * @param {Record<string, string> | string | undefined} agentTokens
 */
/** The shortest agent token the relay takes. */
export const minTokenLength = 32;

export function parseAgentTokens(agentTokens) {
  const map = new Map();
  const pairs =
    typeof agentTokens === 'string'
      ? splitList(agentTokens).map((pair) => {
          const at = pair.indexOf(':');
          if (at <= 0 || at === pair.length - 1) throw new TypeError('AGENT_TOKENS must look like "agentId:token,agentId2:token2".');
          return [pair.slice(0, at), pair.slice(at + 1)];
        })
      : Object.entries(agentTokens ?? {});
  for (const [agentId, token] of pairs) {
    if (!agentId || typeof token !== 'string' || !token) throw new TypeError(`The token of agent ${agentId} is empty.`);
    // A short token can be guessed by trying; 32 random characters cannot.
    if (token.length < minTokenLength) {
      throw new TypeError(`The token of agent ${agentId} is ${token.length} characters long; give each agent a random token of at least ${minTokenLength} (e.g. \`openssl rand -hex 24\`).`);
    }
    map.set(digest(token), agentId);
  }
  return map;
}

function formatBytes(bytes) {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * The relay's state, behind a small asynchronous interface.
 *
 * Everything the relay remembers goes through a {@link RelayStore}: which
 * webhook messages it has seen, who holds which conversation, the requests
 * waiting for an agent, each agent's event log, the sends by `clientId` and
 * the conversation history. The relay keeps nothing else but timers and open
 * sockets, so a store shared by several relay instances (Redis, a database)
 * lets them run side by side behind a load balancer:
 *
 * - `markSeen` is one atomic check-and-set (Redis: `SET key 1 NX PX ttl`);
 * - records are versioned and written with compare-and-set, so two instances
 *   (or two requests) racing for the same request or send cannot both win
 *   (Redis: `WATCH`/`MULTI`, or a Lua script comparing a version field);
 * - `appendEvent` hands out each agent's `seq` atomically and `subscribe`
 *   tells every instance about new events, so an agent connected to any
 *   instance gets them (Redis: `INCR` + a capped list + pub/sub).
 *
 * {@link createMemoryStore} is the in-memory default: one process, state lost
 * on restart.
 *
 * @module
 */

/**
 * A stored record and its version. Versions start at 1 and grow with every
 * write; an absent record has version 0.
 * @template T
 * @typedef {{ value: T, version: number }} Versioned
 */

/**
 * One entry of an agent's event stream.
 * @typedef {{ seq: number, event: { type: string, detail: any } }} LoggedEvent
 */

/**
 * @typedef {object} RelayStore
 *
 * @property {(key: string, ttlMs: number) => Promise<boolean>} markSeen
 *   Check-and-set: `true` the first time `key` is marked within `ttlMs`,
 *   `false` when it already was (a duplicate).
 *
 * @property {(key: string) => Promise<Versioned<any> | undefined>} get
 *   A record, or `undefined` when there is none (or it expired).
 * @property {(key: string, version: number, value: any, options?: { ttlMs?: number }) => Promise<boolean>} compareAndSet
 *   Writes `value` (or deletes the record when `value` is `undefined`) only
 *   if the record's version is still `version` (0: only if absent). `true`
 *   when written, `false` when someone else wrote first.
 * @property {(prefix: string) => Promise<Array<{ key: string } & Versioned<any>>>} list
 *   Every record whose key starts with `prefix`.
 *
 * @property {(agentId: string, event: { type: string, detail: any }) => Promise<number>} appendEvent
 *   Appends to the agent's event log and answers its `seq` (1, 2, 3, … per
 *   agent). The log keeps the newest events only (the memory store: 1,000).
 * @property {(agentId: string, since: number) => Promise<{ events: LoggedEvent[], latest: number, gap: boolean }>} eventsSince
 *   The held events with `seq > since`, oldest first; `latest` is the newest
 *   seq of the agent (0 when none); `gap` is true when events after `since`
 *   were already dropped.
 * @property {(listener: (agentId: string, entry: LoggedEvent) => void) => () => void} subscribe
 *   Calls `listener` for every event appended from now on (by any instance
 *   sharing the store); answers a function that stops it.
 *
 * @property {(conversationId: string, message: any) => Promise<void>} putMessage
 * @property {(conversationId: string, messageId: string) => Promise<any | undefined>} getMessage
 *   Adds a message to the conversation's history, or replaces the one with
 *   the same `id` (keeping its place).
 * @property {(conversationId: string, page?: { before?: string, from?: string, limit?: number }) => Promise<{ messages: any[], hasMore: boolean }>} listMessages
 *   History, oldest first: the `limit` newest messages older than `before`,
 *   or every message from `from` (inclusive) on; `hasMore` when older ones remain.
 * @property {(conversationId: string, update: { messageId?: string, before?: string, status: string }) => Promise<void>} applyStatus
 *   Moves outbound messages forward to `status` (sent → delivered → read,
 *   never back): the one with `messageId`, or every one sent at or before
 *   the time `before`.
 *
 * @property {() => Promise<void>} [close]
 *   Releases connections; called when the relay closes.
 */

const statusRank = { pending: 0, failed: 0, sent: 1, delivered: 2, read: 3 };

/**
 * The in-memory store: everything in this process, nothing shared.
 *
 * @param {object} [options]
 * @param {number} [options.eventLogSize] events kept per agent (default 1000)
 * @param {number} [options.historySize] messages kept per conversation (default 1000)
 * @param {() => number} [options.now] the clock, in epoch ms (for expiry)
 * @returns {RelayStore}
 */
export function createMemoryStore({ eventLogSize = 1000, historySize = 1000, now = Date.now } = {}) {
  /** @type {Map<string, number>} key → expiry (epoch ms) */
  const seen = new Map();
  /** @type {Map<string, { value: any, version: number, expiresAt: number }>} */
  const records = new Map();
  /** @type {Map<string, { latest: number, events: LoggedEvent[] }>} */
  const logs = new Map();
  /** @type {Map<string, any[]>} */
  const histories = new Map();
  /** @type {Set<(agentId: string, entry: LoggedEvent) => void>} */
  const listeners = new Set();
  let sweptAt = 0;

  // Values are copied in and out, as an external store would, so no caller
  // can change a stored record without compare-and-set.
  const copy = (value) => (value === undefined ? undefined : structuredClone(value));

  /** Drops expired keys now and then, so the maps do not grow without end. */
  function sweep() {
    const time = now();
    if (time - sweptAt < 60_000) return;
    sweptAt = time;
    for (const [key, expiresAt] of seen) if (expiresAt <= time) seen.delete(key);
    for (const [key, record] of records) if (record.expiresAt <= time) records.delete(key);
  }

  /** @param {string} key */
  function live(key) {
    const record = records.get(key);
    if (record && record.expiresAt <= now()) {
      records.delete(key);
      return undefined;
    }
    return record;
  }

  return {
    async markSeen(key, ttlMs) {
      sweep();
      const expiresAt = seen.get(key);
      if (expiresAt !== undefined && expiresAt > now()) return false;
      seen.set(key, now() + ttlMs);
      return true;
    },

    async get(key) {
      const record = live(key);
      return record && { value: copy(record.value), version: record.version };
    },

    async compareAndSet(key, version, value, { ttlMs } = {}) {
      sweep();
      const record = live(key);
      if ((record?.version ?? 0) !== version) return false;
      if (value === undefined) {
        records.delete(key);
      } else {
        records.set(key, { value: copy(value), version: version + 1, expiresAt: ttlMs ? now() + ttlMs : Infinity });
      }
      return true;
    },

    async list(prefix) {
      const found = [];
      for (const key of records.keys()) {
        const record = key.startsWith(prefix) && live(key);
        if (record) found.push({ key, value: copy(record.value), version: record.version });
      }
      return found;
    },

    async appendEvent(agentId, event) {
      let log = logs.get(agentId);
      if (!log) logs.set(agentId, (log = { latest: 0, events: [] }));
      const entry = { seq: ++log.latest, event: copy(event) };
      log.events.push(entry);
      if (log.events.length > eventLogSize) log.events.splice(0, log.events.length - eventLogSize);
      for (const listener of listeners) listener(agentId, copy(entry));
      return entry.seq;
    },

    async eventsSince(agentId, since) {
      const log = logs.get(agentId);
      if (!log) return { events: [], latest: 0, gap: false };
      const oldest = log.events[0]?.seq ?? log.latest + 1;
      return {
        events: copy(log.events.filter((entry) => entry.seq > since)),
        latest: log.latest,
        gap: since < log.latest && since + 1 < oldest,
      };
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async putMessage(conversationId, message) {
      let history = histories.get(conversationId);
      if (!history) histories.set(conversationId, (history = []));
      const at = history.findIndex((known) => known.id === message.id);
      if (at >= 0) history[at] = copy(message);
      else history.push(copy(message));
      if (history.length > historySize) history.splice(0, history.length - historySize);
    },

    async getMessage(conversationId, messageId) {
      const found = histories.get(conversationId)?.find((message) => message.id === messageId);
      return found && copy(found);
    },

    async listMessages(conversationId, { before, from, limit } = {}) {
      const history = histories.get(conversationId) ?? [];
      if (from !== undefined) {
        const start = history.findIndex((message) => message.id === from);
        return { messages: copy(start < 0 ? [] : history.slice(start)), hasMore: start > 0 };
      }
      let end = history.length;
      if (before !== undefined) {
        end = history.findIndex((message) => message.id === before);
        if (end < 0) return { messages: [], hasMore: false };
      }
      const start = limit ? Math.max(0, end - limit) : 0;
      return { messages: copy(history.slice(start, end)), hasMore: start > 0 };
    },

    async applyStatus(conversationId, { messageId, before, status }) {
      const until = before === undefined ? undefined : Date.parse(before);
      for (const message of histories.get(conversationId) ?? []) {
        if (message.direction !== 'outbound') continue;
        const hit = messageId !== undefined ? message.id === messageId : until !== undefined && Date.parse(message.sentAt) <= until;
        if (hit && (statusRank[status] ?? 0) > (statusRank[message.status] ?? 0)) message.status = status;
      }
    },

    async close() {
      listeners.clear();
    },
  };
}

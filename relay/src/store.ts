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
import type { Message, MessageStatus } from 'agent-console/adapters';

/** A stored record and its version. Versions start at 1 and grow with every write; an absent record has version 0. */
export interface Versioned<T> {
  value: T;
  version: number;
}

/** An event of the adapter contract, as the relay sends it to an agent. */
export interface RelayEvent {
  type: string;
  detail: unknown;
}

/** One entry of an agent's event stream. */
export interface LoggedEvent {
  seq: number;
  event: RelayEvent;
}

/** A page of a conversation's history, oldest first. */
export interface HistoryPage {
  messages: Message[];
  hasMore: boolean;
}

/** One webhook event waiting to be handled: `key` orders it (its conversation), `payload` is its JSON. */
export interface InboxItem {
  /** Unique per item, the same every time the item is handed out (a retry after a crash). */
  id: string;
  key: string;
  payload: string;
}

/** A running {@link RelayStore.consumeInbox}. */
export interface InboxConsumer {
  /** Resolves once every item appended so far (by any instance) is handled. */
  idle(): Promise<void>;
  /** Stops taking items; resolves once the one being handled is done. Items left stay for the next consumer. */
  stop(): Promise<void>;
}

export interface RelayStore {
  /**
   * Check-and-set: `true` the first time `key` is marked within `ttlMs`,
   * `false` when it already was (a duplicate). With `owner`, marking again
   * by the same owner is `true` too: the same work, retried after a crash.
   */
  markSeen(key: string, ttlMs: number, owner?: string): Promise<boolean>;
  /** A record, or `undefined` when there is none (or it expired). */
  get<T = unknown>(key: string): Promise<Versioned<T> | undefined>;
  /**
   * Writes `value` (or deletes the record when `value` is `undefined`) only
   * if the record's version is still `version` (0: only if absent). `true`
   * when written, `false` when someone else wrote first.
   */
  compareAndSet(key: string, version: number, value: unknown, options?: { ttlMs?: number }): Promise<boolean>;
  /** Every record whose key starts with `prefix`. */
  list<T = unknown>(prefix: string): Promise<({ key: string } & Versioned<T>)[]>;
  /**
   * Appends to the agent's event log and answers its `seq` (1, 2, 3, … per
   * agent). The log keeps the newest events only (the memory store: 1,000).
   * With `once`, an idempotency key: appending again under the same key (a
   * step retried after a crash) appends nothing and answers the first seq.
   */
  appendEvent(agentId: string, event: RelayEvent, options?: { once?: string }): Promise<number>;
  /**
   * The held events with `seq > since`, oldest first; `latest` is the newest
   * seq of the agent (0 when none); `gap` is true when events after `since`
   * were already dropped.
   */
  eventsSince(agentId: string, since: number): Promise<{ events: LoggedEvent[]; latest: number; gap: boolean }>;
  /**
   * Calls `listener` for every event appended from now on (by any instance
   * sharing the store); answers a function that stops it.
   */
  subscribe(listener: (agentId: string, entry: LoggedEvent) => void): () => void;
  /** Adds a message to the conversation's history, or replaces the one with the same `id` (keeping its place). */
  putMessage(conversationId: string, message: Message): Promise<void>;
  /** A message of the conversation's history. */
  getMessage(conversationId: string, messageId: string): Promise<Message | undefined>;
  /**
   * History, oldest first: the `limit` newest messages older than `before`,
   * or every message from `from` (inclusive) on; `hasMore` when older ones
   * remain. When the store no longer keeps `from` (it dropped the oldest for
   * room), every message it keeps is newer: all of them.
   */
  listMessages(conversationId: string, page?: { before?: string; from?: string; limit?: number }): Promise<HistoryPage>;
  /**
   * Moves outbound messages forward to `status` (sent → delivered → read,
   * never back): the one with `messageId`, or every one sent at or before
   * the time `before`.
   */
  applyStatus(conversationId: string, update: { messageId?: string; before?: string; status: MessageStatus }): Promise<void>;
  /**
   * Appends webhook events to the inbox; resolves once they are durably
   * kept (before the webhook is answered 200).
   */
  appendInbox(items: { key: string; payload: string }[]): Promise<void>;
  /**
   * Hands inbox items to `handle`, the items of one key one at a time and in
   * order across every instance sharing the store; an item is done once
   * `handle` settles (a failure is the handler's to report). An item whose
   * instance died before it was done is handed out again, to this or another
   * instance, with the same `id`.
   */
  consumeInbox(handle: (item: InboxItem) => Promise<void>): InboxConsumer;
  /** Runs `task` while no other holder of the lock `name` runs, in this instance or any other sharing the store. */
  withLock<T>(name: string, task: () => Promise<T>): Promise<T>;
  /** Keeps `task` (a string) until `at` (epoch ms); then {@link due} hands it out once. */
  schedule(at: number, task: string): Promise<void>;
  /** Takes the tasks due by `now`, oldest first; each task goes to one caller only, across instances. */
  due(now: number): Promise<string[]>;
  /** Whether the store is durable and shared: `false` for the in-memory store (one process, lost on restart). */
  readonly durable: boolean;
  /** Whether the store can be used right now (a shared store: reachable); for the relay's readiness check. */
  healthy?(): Promise<boolean>;
  /** Releases connections; called when the relay closes. */
  close?(): Promise<void>;
}

const statusRank: Record<MessageStatus, number> = { pending: 0, failed: 0, sent: 1, delivered: 2, read: 3 };

/** What {@link createMemoryStore} keeps. */
export interface MemoryStoreOptions {
  /** Events kept per agent (default 1,000). */
  eventLogSize?: number;
  /** Messages kept per conversation (default 10,000); the oldest go first. */
  historySize?: number;
  /** The clock, in epoch ms (for expiry). */
  now?: () => number;
}

/** The in-memory store: everything in this process, nothing shared. */
export function createMemoryStore({ eventLogSize = 1000, historySize = 10_000, now = Date.now }: MemoryStoreOptions = {}): RelayStore {
  /** key → expiry (epoch ms) and who marked it */
  const seen = new Map<string, { expiresAt: number; owner: string | undefined }>();
  const records = new Map<string, { value: unknown; version: number; expiresAt: number }>();
  const logs = new Map<string, { latest: number; events: LoggedEvent[] }>();
  const histories = new Map<string, Message[]>();
  const listeners = new Set<(agentId: string, entry: LoggedEvent) => void>();
  /** Idempotency key of an appended event → its seq. */
  const appended = new Map<string, { seq: number; expiresAt: number }>();
  const locks = new Map<string, Promise<unknown>>();
  const scheduled: { at: number; task: string }[] = [];
  const inbox: InboxItem[] = [];
  let inboxCount = 0;
  let consumer: ((item: InboxItem) => void) | undefined;
  let sweptAt = 0;

  // Values are copied in and out, as an external store would, so no caller
  // can change a stored record without compare-and-set.
  const copy = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

  /** Drops expired keys now and then, so the maps do not grow without end. */
  function sweep() {
    const time = now();
    if (time - sweptAt < 60_000) return;
    sweptAt = time;
    for (const [key, { expiresAt }] of seen) if (expiresAt <= time) seen.delete(key);
    for (const [key, record] of records) if (record.expiresAt <= time) records.delete(key);
    for (const [key, { expiresAt }] of appended) if (expiresAt <= time) appended.delete(key);
  }

  /** Runs `task` after every task queued before under the same name. */
  function chained<T>(name: string, task: () => Promise<T>): Promise<T> {
    const run = (locks.get(name) ?? Promise.resolve()).then(task);
    const settled = run.then(
      () => {},
      () => {},
    );
    locks.set(name, settled);
    void settled.then(() => locks.get(name) === settled && locks.delete(name));
    return run;
  }

  function live(key: string) {
    const record = records.get(key);
    if (record && record.expiresAt <= now()) {
      records.delete(key);
      return undefined;
    }
    return record;
  }

  return {
    durable: false,

    async markSeen(key, ttlMs, owner) {
      sweep();
      const known = seen.get(key);
      if (known !== undefined && known.expiresAt > now()) return owner !== undefined && known.owner === owner;
      seen.set(key, { expiresAt: now() + ttlMs, owner });
      return true;
    },

    async get<T>(key: string) {
      const record = live(key);
      return record && { value: copy(record.value) as T, version: record.version };
    },

    async compareAndSet(key, version, value, { ttlMs } = {}) {
      sweep();
      const record = live(key);
      if ((record?.version ?? 0) !== version) return false;
      if (value === undefined) records.delete(key);
      else records.set(key, { value: copy(value), version: version + 1, expiresAt: ttlMs ? now() + ttlMs : Infinity });
      return true;
    },

    async list<T>(prefix: string) {
      const found: ({ key: string } & Versioned<T>)[] = [];
      for (const key of records.keys()) {
        const record = key.startsWith(prefix) ? live(key) : undefined;
        if (record) found.push({ key, value: copy(record.value) as T, version: record.version });
      }
      return found;
    },

    async appendEvent(agentId, event, { once } = {}) {
      sweep();
      const earlier = once === undefined ? undefined : appended.get(once);
      if (earlier && earlier.expiresAt > now()) return earlier.seq;
      let log = logs.get(agentId);
      if (!log) logs.set(agentId, (log = { latest: 0, events: [] }));
      const entry = { seq: ++log.latest, event: copy(event) };
      log.events.push(entry);
      if (log.events.length > eventLogSize) log.events.splice(0, log.events.length - eventLogSize);
      if (once !== undefined) appended.set(once, { seq: entry.seq, expiresAt: now() + 24 * 3_600_000 });
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
        const start = Math.max(0, history.findIndex((message) => message.id === from));
        return { messages: copy(history.slice(start)), hasMore: start > 0 };
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
        if (hit && statusRank[status] > statusRank[message.status ?? 'pending']) message.status = status;
      }
    },

    async appendInbox(items) {
      for (const { key, payload } of items) {
        const item = { id: String(++inboxCount), key, payload };
        if (consumer) consumer(item);
        else inbox.push(item);
      }
    },

    consumeInbox(handle) {
      const running = new Set<Promise<void>>();
      let stopped = false;
      consumer = (item) => {
        const done = chained(`inbox:${item.key}`, () => (stopped ? Promise.resolve() : handle(item))).catch(() => {});
        running.add(done);
        void done.then(() => running.delete(done));
      };
      for (const item of inbox.splice(0)) consumer(item);
      return {
        async idle() {
          while (running.size) await Promise.all(running);
        },
        async stop() {
          stopped = true;
          consumer = undefined;
          await Promise.all(running);
        },
      };
    },

    withLock: chained,

    async schedule(at, task) {
      const index = scheduled.findIndex((entry) => entry.at > at);
      scheduled.splice(index < 0 ? scheduled.length : index, 0, { at, task });
    },

    async due(time) {
      const count = scheduled.findIndex((entry) => entry.at > time);
      return scheduled.splice(0, count < 0 ? scheduled.length : count).map((entry) => entry.task);
    },

    async close() {
      listeners.clear();
    },
  };
}

/**
 * The relay's state in Redis: several relay instances share it, and it
 * outlives restarts (run Redis with an append-only file). Same contract as
 * {@link createMemoryStore}; every check-then-write is one Lua script
 * (`redis-scripts.ts`), so instances racing each other cannot both win.
 *
 * One Redis (or a primary with replicas), not Redis Cluster: scripts touch
 * keys they derive. Values are stored as JSON.
 *
 * Key layout, every key under `prefix` (default `relay:`):
 *
 * | Key | Type | Holds |
 * | --- | --- | --- |
 * | `seen:<key>` | string, PX | `markSeen`: `-`, or `=<owner>` |
 * | `rec:<key>` | hash `{ v, d }`, PX when given a ttl | a record: version and JSON |
 * | `index:<head>` | set | the keys of the records whose key starts with `<head>` (the key up to its first `:`, inclusive) |
 * | `indexes` | set | every `<head>` with an index |
 * | `seq:<agent>` | counter | the agent's newest event seq |
 * | `events:<agent>` | stream, ids `<seq>-0`, field `e` | the agent's newest events (`eventLogSize`) |
 * | `once:<key>` | string, 24 h | the seq appended under an idempotency key |
 * | `messages:<conv>`, `status:<conv>` | hashes | id → message JSON; id → status (moved forward by `applyStatus`) |
 * | `order:<conv>` | zset | id → place in the history |
 * | `unread:<conv>` | zset | id → sentAt (ms) of outbound messages not read yet |
 * | `inbox:<n>` | stream, consumer group `relay`, fields `k`, `p` | inbox partition `n` (`hash(key) % partitions`) |
 * | `lease:<n>` | string, PX | the consumer instance handling partition `n` |
 * | `lock:<name>` | string, PX | a `withLock` holder's token |
 * | `scheduled`, `scheduled:n` | zset, counter | `<n>:<task>` → due time (ms) |
 *
 * Pub/sub channels: `events` (every appended event, to every instance's
 * `subscribe` listeners), `inbox` (partitions with new items: wakes their
 * consumer) and `unlock` (a released lock: wakes its waiters).
 *
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Message } from 'agent-console/adapters';
import * as lua from './redis-scripts.js';
import type { InboxConsumer, InboxItem, LoggedEvent, RelayStore, Versioned } from './store.js';

/** What {@link createRedisStore} connects to and keeps. Every instance sharing a store must use the same `prefix` and `partitions`. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  url: string;
  /** Put before every key and channel (default `relay:`), so several relays can share one Redis. */
  prefix?: string;
  /** Events kept per agent (default 1,000). */
  eventLogSize?: number;
  /** Messages kept per conversation (default 10,000); the oldest go first. */
  historySize?: number;
  /** Inbox partitions (default 16): the items of one key always land in one, handled by one instance at a time. */
  partitions?: number;
  /** How long an inbox lease or a lock lasts without renewal, in ms (default 30,000); renewed every third of it while held. A dead holder's lease is taken over after it. */
  lockTtl?: number;
  /** How often idle consumers look for work or free leases, and lock waiters retry, in ms (default 100). New inbox items and released locks wake them sooner. */
  pollInterval?: number;
  /** The clock (epoch ms) that tells a consumer its lease went unrenewed for `lockTtl` (and may be someone else's). Redis expires keys by its own clock. */
  now?: () => number;
}

/** A {@link RelayStore} on Redis; `ready()` resolves once it is connected (and rejects when Redis cannot be reached). */
export type RedisStore = RelayStore & { ready(): Promise<void> };

type Script = (keys: string[], args: (string | number)[]) => Promise<unknown>;

/** Runs a MULTI transaction and answers its replies; rejects when any command failed. */
async function exec(transaction: ReturnType<Redis['multi']>): Promise<unknown[]> {
  const replies = await transaction.exec();
  if (!replies) throw new Error('Redis discarded the transaction.');
  for (const [error] of replies) if (error) throw error;
  return replies.map(([, reply]) => reply);
}

const group = 'relay';
/** Inbox consumers read as one consumer name: only a lease holder reads, and the next holder re-reads what the last one left unacknowledged. */
const consumerName = 'holder';

/** FNV-1a: a stable hash, so one key lands in the same partition on every instance. */
function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key)) hash = Math.imul(hash ^ byte, 0x01000193);
  return (hash >>> 0) % partitions;
}

/** The URL without its password, for messages. */
function where(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}

/** Resolves after `ms`, or sooner when a function put in `wakers` is called. */
function pause(ms: number, wakers: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      wakers.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    wakers.add(done);
  });
}

/**
 * The relay store on Redis. Call `ready()` before use to learn whether Redis
 * answers; commands issued earlier wait for the connection. `close()` stops
 * the inbox consumers and closes both connections (commands and pub/sub).
 */
export function createRedisStore({
  url,
  prefix = 'relay:',
  eventLogSize = 1000,
  historySize = 10_000,
  partitions = 16,
  lockTtl = 30_000,
  pollInterval = 100,
  now = Date.now,
}: RedisStoreOptions): RedisStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 20 });
  const subscriber = redis.duplicate();
  const errors = { last: undefined as Error | undefined };
  // Connection errors are retried by ioredis; commands fail on their own. Keep the last one for ready().
  redis.on('error', (error: Error) => (errors.last = error));
  subscriber.on('error', (error: Error) => (errors.last = error));

  const channels = { events: `${prefix}events`, inbox: `${prefix}inbox`, unlock: `${prefix}unlock` };
  const listeners = new Set<(agentId: string, entry: LoggedEvent) => void>();
  /** Partition → functions that wake the local consumer loop of that partition. */
  const inboxWakers = new Map<number, Set<() => void>>();
  /** Lock name → functions that wake the local waiters. */
  const lockWakers = new Map<string, Set<() => void>>();
  const consumers = new Set<InboxConsumer>();
  let closed = false;

  const wakersOf = <K>(map: Map<K, Set<() => void>>, key: K) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    return set;
  };
  const wake = (set: Set<() => void> | undefined) => {
    for (const done of [...(set ?? [])]) done();
  };

  // Pub/sub is fire-and-forget: while the subscriber reconnects, events go unheard here; an agent
  // catches up from the event log (`eventsSince`) the next time its socket connects.
  subscriber.on('message', (channel: string, message: string) => {
    if (channel === channels.events) {
      // Each listener gets its own copy, as from the memory store.
      for (const listener of [...listeners]) {
        const { agentId, seq, event } = JSON.parse(message) as LoggedEvent & { agentId: string };
        listener(agentId, { seq, event });
      }
    } else if (channel === channels.inbox) {
      for (const partition of message.split(',')) wake(inboxWakers.get(Number(partition)));
    } else if (channel === channels.unlock) {
      wake(lockWakers.get(message));
    }
  });
  const subscribed = subscriber.subscribe(channels.events, channels.inbox, channels.unlock);
  subscribed.catch(() => {}); // reported by ready()

  /** A script run by its SHA-1, sent in full only when Redis does not know it yet (after a restart). */
  function script(source: string): Script {
    const sha = createHash('sha1').update(source).digest('hex');
    return async (keys, args) => {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
        return redis.eval(source, keys.length, ...keys, ...args);
      }
    };
  }
  const run = {
    markSeen: script(lua.markSeen),
    compareAndSet: script(lua.compareAndSet),
    list: script(lua.list),
    appendEvent: script(lua.appendEvent),
    putMessage: script(lua.putMessage),
    listMessages: script(lua.listMessages),
    applyStatus: script(lua.applyStatus),
    schedule: script(lua.schedule),
    due: script(lua.due),
    acquire: script(lua.acquire),
    renew: script(lua.renew),
    release: script(lua.release),
  };

  const key = {
    seen: (name: string) => `${prefix}seen:${name}`,
    record: (name: string) => `${prefix}rec:${name}`,
    index: (head: string) => `${prefix}index:${head}`,
    indexes: `${prefix}indexes`,
    seq: (agentId: string) => `${prefix}seq:${agentId}`,
    events: (agentId: string) => `${prefix}events:${agentId}`,
    once: (name: string) => `${prefix}once:${name}`,
    messages: (conversationId: string) => `${prefix}messages:${conversationId}`,
    status: (conversationId: string) => `${prefix}status:${conversationId}`,
    order: (conversationId: string) => `${prefix}order:${conversationId}`,
    unread: (conversationId: string) => `${prefix}unread:${conversationId}`,
    inbox: (partition: number) => `${prefix}inbox:${partition}`,
    lease: (partition: number) => `${prefix}lease:${partition}`,
    lock: (name: string) => `${prefix}lock:${name}`,
    scheduled: `${prefix}scheduled`,
    scheduledCount: `${prefix}scheduled:n`,
  };
  /** The index a record key belongs to: the key up to its first `:` (inclusive), or all of it. */
  const headOf = (name: string) => (name.includes(':') ? name.slice(0, name.indexOf(':') + 1) : name);
  const inboxKeys = Array.from({ length: partitions }, (_, partition) => key.inbox(partition));

  /** Creates each partition's consumer group (reading from the start), unless it exists. */
  async function createGroups(): Promise<void> {
    await Promise.all(
      inboxKeys.map((stream) =>
        redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM').catch((error: Error) => {
          if (!error.message.startsWith('BUSYGROUP')) throw error;
        }),
      ),
    );
  }

  /** Resolves once the client is ready; rejects on its first connection error. */
  function connected(client: Redis): Promise<void> {
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'end' || client.status === 'close') return Promise.reject(new Error('The Redis store is closed.'));
    return new Promise((resolve, reject) => {
      const settle = (error?: Error) => {
        client.off('ready', onReady);
        client.off('error', onError);
        client.off('end', onEnd);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => settle();
      const onError = (error: Error) => settle(error);
      const onEnd = () => settle(errors.last ?? new Error('the connection closed'));
      client.on('ready', onReady);
      client.on('error', onError);
      client.on('end', onEnd);
    });
  }

  let readiness: Promise<void> | undefined;
  function ready(): Promise<void> {
    readiness ??= (async () => {
      try {
        await Promise.all([connected(redis), connected(subscriber)]);
        await subscribed;
        await createGroups();
      } catch (error) {
        readiness = undefined; // ask again on the next call: ioredis keeps reconnecting
        throw new Error(`Cannot reach Redis at ${where(url)}: ${(error as Error).message}`, { cause: error });
      }
    })();
    return readiness;
  }

  async function listIndex<T>(head: string, filter: string) {
    const flat = (await run.list([key.index(head)], [key.record(''), filter])) as string[];
    const found: ({ key: string } & Versioned<T>)[] = [];
    for (let i = 0; i < flat.length; i += 3) found.push({ key: flat[i]!, version: Number(flat[i + 1]), value: JSON.parse(flat[i + 2]!) as T });
    return found;
  }

  /** A history entry: the stored JSON with the status `applyStatus` moved forward. */
  function messageFrom(json: string, status: string | null | undefined): Message {
    const message = JSON.parse(json) as Message;
    if (status) message.status = status as Message['status'];
    return message;
  }

  function consumeInbox(handle: (item: InboxItem) => Promise<void>): InboxConsumer {
    const token = randomUUID();
    const held = new Map<number, number>(); // partition → when its lease was last taken or renewed (now())
    let stopped = false;

    /** Extends every lease held; a lease someone else has now is dropped. */
    async function renewLeases() {
      await Promise.all(
        [...held.keys()].map(async (partition) => {
          try {
            if (await run.renew([key.lease(partition)], [token, lockTtl])) held.set(partition, now());
            else held.delete(partition);
          } catch {
            // Redis unreachable: the lease may lapse; `holds` stops taking items once it may have.
          }
        }),
      );
    }
    const renewal = setInterval(() => void renewLeases(), Math.max(1, Math.floor(lockTtl / 3)));

    const holds = (partition: number) => {
      const renewedAt = held.get(partition);
      return renewedAt !== undefined && now() - renewedAt < lockTtl;
    };

    async function read(partition: number, from: '0' | '>') {
      const reply = (await redis.xreadgroup('GROUP', group, consumerName, 'COUNT', 16, 'STREAMS', key.inbox(partition), from)) as
        | [string, [string, string[] | null][]][]
        | null;
      return reply?.[0]?.[1] ?? [];
    }

    async function loop(partition: number) {
      const wakers = wakersOf(inboxWakers, partition);
      while (!stopped) {
        try {
          if (!holds(partition)) {
            if (await run.acquire([key.lease(partition)], [token, lockTtl])) held.set(partition, now());
            else {
              held.delete(partition);
              await pause(pollInterval, wakers);
              continue;
            }
          }
          // First what a previous holder (or this one, before a stop) took but did not finish, then new items.
          let entries = await read(partition, '0');
          if (!entries.length) entries = await read(partition, '>');
          if (!entries.length) {
            await pause(pollInterval, wakers);
            continue;
          }
          for (const [id, fields] of entries) {
            if (stopped || !holds(partition)) break;
            if (fields) {
              const item = { id: `${partition}:${id}`, key: fields[1]!, payload: fields[3]! };
              await handle(item).catch(() => {});
            }
            // Not acknowledged (Redis unreachable): the item is handed out again, with the same id.
            await exec(redis.multi().xack(key.inbox(partition), group, id).xdel(key.inbox(partition), id));
          }
        } catch (error) {
          if (stopped) break;
          if (String((error as Error).message).startsWith('NOGROUP')) await createGroups().catch(() => {});
          await pause(pollInterval, wakers);
        }
      }
    }

    const loops = Promise.all(Array.from({ length: partitions }, (_, partition) => loop(partition)));
    const consumer: InboxConsumer = {
      async idle() {
        while (!stopped) {
          const lengths = await Promise.all(inboxKeys.map((stream) => redis.xlen(stream)));
          if (lengths.every((length) => length === 0)) return;
          await pause(Math.min(pollInterval, 20), new Set());
        }
      },
      async stop() {
        stopped = true;
        for (let partition = 0; partition < partitions; partition++) wake(inboxWakers.get(partition));
        await loops;
        clearInterval(renewal);
        await Promise.all([...held.keys()].map((partition) => run.release([key.lease(partition)], [token, '', '']).catch(() => {})));
        held.clear();
        consumers.delete(consumer);
      },
    };
    consumers.add(consumer);
    return consumer;
  }

  /** In this process, holders of one name queue up; across instances, the Redis lock decides. */
  const localQueues = new Map<string, Promise<unknown>>();

  async function withRedisLock<T>(name: string, task: () => Promise<T>): Promise<T> {
    const lock = key.lock(name);
    const token = randomUUID();
    const wakers = wakersOf(lockWakers, name);
    for (let attempt = 0; !(await run.acquire([lock], [token, lockTtl])); attempt++) {
      if (closed) throw new Error('The Redis store is closed.');
      // Woken when the holder releases; the timer covers a holder that died (its lock expires).
      await pause(Math.min(pollInterval, 5 * 2 ** attempt), wakers);
    }
    const renewal = setInterval(() => void run.renew([lock], [token, lockTtl]).catch(() => {}), Math.max(1, Math.floor(lockTtl / 3)));
    try {
      return await task();
    } finally {
      clearInterval(renewal);
      await run.release([lock], [token, channels.unlock, name]).catch(() => {});
      if (!wakers.size) lockWakers.delete(name);
    }
  }

  return {
    durable: true,

    async healthy() {
      if (redis.status !== 'ready') return false;
      return (await redis.ping().catch(() => '')) === 'PONG';
    },
    ready,

    async markSeen(name, ttlMs, owner) {
      const value = owner === undefined ? '-' : `=${owner}`;
      return (await run.markSeen([key.seen(name)], [value, Math.max(1, Math.ceil(ttlMs))])) === 1;
    },

    async get<T>(name: string) {
      const [version, data] = await redis.hmget(key.record(name), 'v', 'd');
      return version == null || data == null ? undefined : { value: JSON.parse(data) as T, version: Number(version) };
    },

    async compareAndSet(name, version, value, { ttlMs } = {}) {
      const head = headOf(name);
      const args = [version, value === undefined ? 'del' : 'set', JSON.stringify(value) ?? '', ttlMs ? Math.max(1, Math.ceil(ttlMs)) : 0, name, head, key.record('')];
      return (await run.compareAndSet([key.record(name), key.index(head), key.indexes], args)) === 1;
    },

    async list<T>(listed: string) {
      if (listed.includes(':')) return listIndex<T>(headOf(listed), listed);
      // No `:` in the prefix: every index whose head starts with it.
      const heads = (await redis.smembers(key.indexes)).filter((head) => head.startsWith(listed));
      return (await Promise.all(heads.map((head) => listIndex<T>(head, listed)))).flat();
    },

    async appendEvent(agentId, event, { once } = {}) {
      const args = [JSON.stringify(event), eventLogSize, once === undefined ? '0' : '1', channels.events, JSON.stringify(agentId)];
      return Number(await run.appendEvent([key.seq(agentId), key.events(agentId), key.once(once ?? '')], args));
    },

    async eventsSince(agentId, since) {
      const [seq, entries] = (await exec(redis.multi().get(key.seq(agentId)).xrange(key.events(agentId), String(since + 1), '+'))) as [
        string | null,
        [string, string[]][],
      ];
      const latest = Number(seq ?? 0);
      const events = entries.map(([id, fields]) => ({ seq: parseInt(id, 10), event: JSON.parse(fields[1]!) }));
      // Events after `since` were dropped when the oldest held one is not the next one.
      const gap = since < latest && (events[0]?.seq ?? latest + 1) > since + 1;
      return { events, latest, gap };
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async putMessage(conversationId, message) {
      const sentAt = Date.parse(message.sentAt);
      const unreadScore = message.direction !== 'outbound' ? 'in' : Number.isNaN(sentAt) ? '+inf' : sentAt;
      await run.putMessage(
        [key.messages(conversationId), key.order(conversationId), key.status(conversationId), key.unread(conversationId)],
        [message.id, JSON.stringify(message), message.status ?? '', unreadScore, historySize],
      );
    },

    async getMessage(conversationId, messageId) {
      const [json, status] = (await exec(redis.multi().hget(key.messages(conversationId), messageId).hget(key.status(conversationId), messageId))) as (string | null)[];
      return json ? messageFrom(json, status) : undefined;
    },

    async listMessages(conversationId, { before, from, limit } = {}) {
      const args = from !== undefined ? ['from', from, 0] : before !== undefined ? ['before', before, limit ?? 0] : ['all', '', limit ?? 0];
      const [hasMore, ...flat] = (await run.listMessages([key.order(conversationId), key.messages(conversationId), key.status(conversationId)], args)) as [
        number,
        ...string[],
      ];
      const messages: Message[] = [];
      for (let i = 0; i < flat.length; i += 3) if (flat[i + 1]) messages.push(messageFrom(flat[i + 1]!, flat[i + 2]));
      return { messages, hasMore: hasMore === 1 };
    },

    async applyStatus(conversationId, { messageId, before, status }) {
      const until = before === undefined ? NaN : Date.parse(before);
      if (messageId === undefined && Number.isNaN(until)) return;
      const args = messageId !== undefined ? [status, 'id', messageId] : [status, 'before', until];
      await run.applyStatus([key.status(conversationId), key.unread(conversationId)], args);
    },

    async appendInbox(items) {
      if (!items.length) return;
      const transaction = redis.multi();
      const touched = new Set<number>();
      for (const item of items) {
        const partition = partitionOf(item.key, partitions);
        touched.add(partition);
        transaction.xadd(key.inbox(partition), '*', 'k', item.key, 'p', item.payload);
      }
      transaction.publish(channels.inbox, [...touched].join(','));
      await exec(transaction);
    },

    consumeInbox,

    withLock<T>(name: string, task: () => Promise<T>): Promise<T> {
      const queued = (localQueues.get(name) ?? Promise.resolve()).then(() => withRedisLock(name, task));
      const settled = queued.then(
        () => {},
        () => {},
      );
      localQueues.set(name, settled);
      void settled.then(() => localQueues.get(name) === settled && localQueues.delete(name));
      return queued;
    },

    async schedule(at, task) {
      await run.schedule([key.scheduled, key.scheduledCount], [at, task]);
    },

    async due(time) {
      const members = (await run.due([key.scheduled], [time])) as string[];
      return members.map((member) => member.slice(member.indexOf(':') + 1));
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...consumers].map((consumer) => consumer.stop()));
      listeners.clear();
      for (const set of lockWakers.values()) wake(set);
      await Promise.all(
        [redis, subscriber].map(async (client) => {
          if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
          else client.disconnect();
        }),
      );
    },
  };
}

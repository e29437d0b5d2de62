import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import readline from 'node:readline';
import { after, afterEach, before, describe, test as nodeTest } from 'node:test';
import { createRedisStore } from '../dist/redis-store.js';
import { startRedisServer } from '../dist/redis-server.js';
import { createMemoryStore } from '../dist/store.js';

/** A case that fails, rather than hangs, when a state it waits for (`idle()`, a lock) never comes. */
const test = (name, fn) => nodeTest(name, { timeout: 20_000 }, fn);

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Resolves with `check()`'s answer once it is truthy (asked again after each turn of the event loop); fails after `timeout` ms. */
async function eventually(check, { timeout = 5000, what = 'the expected state' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const answer = await check();
    if (answer) return answer;
    if (Date.now() > deadline) throw new Error(`${what} did not come within ${timeout} ms`);
    await turn();
  }
}

const at = (minute) => new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString();
/** Message `m<i>`: odd ones from the customer, even ones from the agent (sent). */
const message = (i, extra = {}) => ({ id: `m${i}`, conversationId: 'c', sentAt: at(i), ...(i % 2 ? { direction: 'inbound' } : { direction: 'outbound', status: 'sent' }), ...extra });
const typing = (n) => ({ type: 'typing', detail: { conversationId: 'c', typing: true, n } });

/**
 * The cases every RelayStore must pass (the contract of store.ts).
 * `make(options)` answers a new store (closed after the test); `elapse(clock, ms, check)` lets `ms` pass
 * on the store's clock (a fake one when the store takes `now`, else real time) and waits for `check()` to hold.
 */
function contract({ make, elapse }) {
  test('markSeen is a check-and-set with a time to live', async () => {
    const clock = { time: 1_000 };
    const store = await make({ now: () => clock.time });
    assert.equal(await store.markSeen('mid:1', 300), true);
    assert.equal(await store.markSeen('mid:1', 300), false);
    await elapse(clock, 301, () => store.markSeen('mid:1', 300));
  });

  test('markSeen with an owner: the same owner marking again is the same work, retried', async () => {
    const store = await make();
    assert.equal(await store.markSeen('mid:2', 60_000, 'item-1'), true);
    assert.equal(await store.markSeen('mid:2', 60_000, 'item-1'), true, 'the same owner');
    assert.equal(await store.markSeen('mid:2', 60_000, 'item-2'), false, 'another owner');
    assert.equal(await store.markSeen('mid:2', 60_000), false, 'no owner');
    assert.equal(await store.markSeen('mid:3', 60_000), true);
    assert.equal(await store.markSeen('mid:3', 60_000, 'item-1'), false, 'marked without an owner first');
  });

  test('compareAndSet writes only over the version it read; 0 means absent', async () => {
    const store = await make();
    assert.equal(await store.get('k'), undefined);
    assert.equal(await store.compareAndSet('k', 0, { a: 1 }), true);
    assert.equal(await store.compareAndSet('k', 0, { a: 2 }), false, 'exists already');
    const record = await store.get('k');
    assert.deepEqual(record, { value: { a: 1 }, version: 1 });
    record.value.a = 99; // a copy: the store is not changed behind its back
    assert.deepEqual((await store.get('k')).value, { a: 1 });
    assert.equal(await store.compareAndSet('k', 1, { a: 3 }), true);
    assert.equal(await store.compareAndSet('k', 1, { a: 4 }), false, 'stale version');
    assert.equal(await store.compareAndSet('k', 2, undefined), true, 'delete');
    assert.equal(await store.get('k'), undefined);
  });

  test('racing writers: exactly one wins', async () => {
    const store = await make();
    const results = await Promise.all(['a', 'b', 'c'].map((who) => store.compareAndSet('race', 0, who)));
    assert.deepEqual(results.filter(Boolean).length, 1);
  });

  test('records expire; list finds by prefix', async () => {
    const clock = { time: 0 };
    const store = await make({ now: () => clock.time });
    await store.compareAndSet('presence:1', 0, { agentId: 'a' }, { ttlMs: 300 });
    await store.compareAndSet('presence:2', 0, { agentId: 'b' });
    await store.compareAndSet('route:x', 0, {});
    assert.deepEqual((await store.list('presence:')).map((r) => r.value.agentId).sort(), ['a', 'b']);
    assert.deepEqual((await store.list('pres')).map((r) => r.value.agentId).sort(), ['a', 'b'], 'a prefix without a colon');
    assert.deepEqual((await store.list('presence:2')).map((r) => [r.key, r.version]), [['presence:2', 1]]);
    await elapse(clock, 301, async () => (await store.get('presence:1')) === undefined);
    assert.deepEqual((await store.list('presence:')).map((r) => r.value.agentId), ['b']);
    assert.deepEqual((await store.list('')).map((r) => r.key).sort(), ['presence:2', 'route:x']);
  });

  test('event logs: seq per agent, capped, with a gap flag and live subscribers', async () => {
    const store = await make({ eventLogSize: 3 });
    const heard = [];
    const stop = store.subscribe((agentId, entry) => heard.push([agentId, entry.seq]));
    for (let i = 0; i < 5; i++) await store.appendEvent('a', { type: 'typing', detail: { conversationId: 'c', typing: true } });
    assert.equal(await store.appendEvent('b', { type: 'typing', detail: { conversationId: 'c', typing: false } }), 1);
    await eventually(() => heard.length === 6, { what: 'six events heard' });
    stop();
    await store.appendEvent('a', { type: 'typing', detail: { conversationId: 'c', typing: false } });
    // Events reach listeners in order: once a later listener hears a newer event, the stopped one had its chance.
    const later = [];
    store.subscribe((agentId, entry) => later.push(`${agentId}:${entry.seq}`));
    await store.appendEvent('b', typing(2));
    await eventually(() => later.includes('b:2'), { what: 'the later event' });
    assert.deepEqual(heard, [['a', 1], ['a', 2], ['a', 3], ['a', 4], ['a', 5], ['b', 1]]);
    const all = await store.eventsSince('a', 0);
    assert.deepEqual(all.events.map((e) => e.seq), [4, 5, 6]);
    assert.equal(all.latest, 6);
    assert.equal(all.gap, true);
    assert.equal((await store.eventsSince('a', 3)).gap, false);
    assert.equal((await store.eventsSince('a', 6)).events.length, 0);
    assert.deepEqual(await store.eventsSince('nobody', 0), { events: [], latest: 0, gap: false });
  });

  test('appendEvent with an idempotency key appends once and answers the first seq', async () => {
    const store = await make();
    assert.equal(await store.appendEvent('a', typing(1), { once: 'step-1' }), 1);
    assert.equal(await store.appendEvent('a', typing(2), { once: 'step-1' }), 1, 'retried');
    assert.equal(await store.appendEvent('a', typing(3), { once: 'step-2' }), 2);
    assert.equal(await store.appendEvent('a', typing(4)), 3);
    const { events, latest } = await store.eventsSince('a', 0);
    assert.deepEqual(events.map((e) => [e.seq, e.event.detail.n]), [[1, 1], [2, 3], [3, 4]]);
    assert.equal(latest, 3);
  });

  test('history: upsert by id, pages with before/limit, from, and statuses that only move forward', async () => {
    const store = await make();
    for (let i = 1; i <= 5; i++) await store.putMessage('c', message(i));
    await store.putMessage('c', message(2, { text: 'edited' }));
    const last = await store.listMessages('c', { limit: 2 });
    assert.deepEqual(last.messages.map((m) => m.id), ['m4', 'm5']);
    assert.equal(last.hasMore, true);
    const older = await store.listMessages('c', { before: 'm4', limit: 10 });
    assert.deepEqual(older.messages.map((m) => m.id), ['m1', 'm2', 'm3']);
    assert.equal(older.hasMore, false);
    assert.equal(older.messages[1].text, 'edited');
    assert.deepEqual((await store.listMessages('c', { from: 'm3' })).messages.map((m) => m.id), ['m3', 'm4', 'm5']);
    assert.deepEqual(await store.listMessages('c', { before: 'unknown' }), { messages: [], hasMore: false });

    await store.applyStatus('c', { before: at(3), status: 'read' });
    await store.applyStatus('c', { messageId: 'm2', status: 'delivered' });
    await store.applyStatus('c', { messageId: 'm4', status: 'delivered' });
    const statuses = (await store.listMessages('c')).messages.map((m) => m.status);
    assert.deepEqual(statuses, [undefined, 'read', undefined, 'delivered', undefined]);
    assert.equal((await store.getMessage('c', 'm4')).status, 'delivered');
    assert.deepEqual(await store.getMessage('c', 'm2'), message(2, { text: 'edited', status: 'read' }));
    assert.equal(await store.getMessage('c', 'm9'), undefined);
  });

  test('history keeps the newest messages; from a message no longer kept answers every kept one', async () => {
    const store = await make({ historySize: 3 });
    for (let i = 1; i <= 5; i++) await store.putMessage('c', message(i));
    assert.deepEqual(await store.listMessages('c', { from: 'm1' }), { messages: [3, 4, 5].map((i) => message(i)), hasMore: false });
    assert.deepEqual((await store.listMessages('c', { from: 'm4' })).hasMore, true);
    assert.equal(await store.getMessage('c', 'm2'), undefined);
    await store.applyStatus('c', { before: at(60), status: 'delivered' });
    assert.deepEqual((await store.listMessages('c')).messages.map((m) => m.status), [undefined, 'delivered', undefined]);
  });

  test('the inbox hands out the items of each key in order, one at a time, keys interleaved', async () => {
    const store = await make();
    const keys = ['c1', 'c2', 'c3'];
    const items = Array.from({ length: 30 }, (_, i) => ({ key: keys[i % 3], payload: `p${i}` }));
    await store.appendInbox(items.slice(0, 15));
    const handled = [];
    const busy = new Set();
    let overlaps = 0;
    const consumer = store.consumeInbox(async (item) => {
      if (busy.has(item.key)) overlaps++;
      busy.add(item.key);
      handled.push(item);
      for (let i = 0; i < Number(item.payload.slice(1)) % 4; i++) await turn();
      busy.delete(item.key);
      if (item.payload === 'p4') throw new Error('a failed item is the handler’s to report; the next one still comes');
    });
    await store.appendInbox(items.slice(15));
    await consumer.idle();
    for (const key of keys) {
      assert.deepEqual(
        handled.filter((item) => item.key === key).map((item) => item.payload),
        items.filter((item) => item.key === key).map((item) => item.payload),
      );
    }
    assert.equal(handled.length, 30);
    assert.equal(new Set(handled.map((item) => item.id)).size, 30, 'ids are unique');
    assert.equal(overlaps, 0);
    await consumer.stop();
  });

  test('withLock runs one holder at a time; a failing task releases the lock; names are independent', async () => {
    const store = await make();
    let inside = 0;
    let overlaps = 0;
    const task = (name) => async () => {
      if (++inside > 1) overlaps++;
      for (let i = 0; i < 3; i++) await turn();
      inside--;
      return name;
    };
    assert.deepEqual(await Promise.all(['a', 'b', 'c', 'd'].map((name) => store.withLock('lock', task(name)))), ['a', 'b', 'c', 'd']);
    assert.equal(overlaps, 0);
    await assert.rejects(
      store.withLock('lock', async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    let open;
    const held = store.withLock('lock', () => new Promise((resolve) => (open = resolve)));
    assert.equal(await store.withLock('other', async () => 'not blocked'), 'not blocked');
    await eventually(() => open, { what: 'the lock taken' });
    open('released');
    assert.equal(await held, 'released');
    assert.equal(await store.withLock('lock', async () => 'free again'), 'free again');
  });

  test('schedule and due: nothing before its time, each task once, oldest first', async () => {
    const store = await make();
    await store.schedule(200, 'b');
    await store.schedule(100, 'a');
    await store.schedule(300, 'c');
    await store.schedule(200, 'b2');
    await store.schedule(300, 'c');
    assert.deepEqual(await store.due(99), []);
    assert.deepEqual(await store.due(200), ['a', 'b', 'b2']);
    assert.deepEqual(await store.due(250), []);
    assert.deepEqual(await store.due(1_000), ['c', 'c']);
    assert.deepEqual(await store.due(1_000), []);
  });
}

/** A 127.0.0.1 port nobody listens on. */
function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

describe('the in-memory store', () => {
  const stores = [];
  afterEach(async () => Promise.all(stores.splice(0).map((store) => store.close())));
  contract({
    async make(options) {
      const store = createMemoryStore(options);
      stores.push(store);
      return store;
    },
    async elapse(clock, ms, check) {
      clock.time += ms;
      assert.ok(await check());
    },
  });
});

describe('the Redis store', () => {
  let server;
  let tests = 0;
  const stores = [];
  before(async () => {
    server = await startRedisServer();
  });
  after(async () => server?.stop());
  afterEach(async () => Promise.all(stores.splice(0).map((store) => store.close())));

  /** A store on the test's own prefix (`prefix` to share one), polling often. */
  async function make(options = {}) {
    const store = createRedisStore({ url: server.url, prefix: `test${tests}:`, pollInterval: 10, ...options });
    stores.push(store);
    await store.ready();
    return store;
  }
  /** Two instances sharing one state, as two relays behind a load balancer. */
  const pair = async (options) => [await make(options), await make(options)];

  describe('the contract', () => {
    afterEach(() => tests++);
    contract({
      make,
      // Redis expires keys by its own clock: wait for it.
      elapse: (_clock, ms, check) => eventually(check, { timeout: ms + 5000 }),
    });
  });

  describe('shared by two instances', () => {
    afterEach(() => tests++);

    test('subscribe hears every event, appended by either instance, once and in order', async () => {
      const [one, two] = await pair();
      const heard = { one: [], two: [] };
      one.subscribe((agentId, entry) => heard.one.push(`${agentId}:${entry.seq}:${entry.event.detail.n}`));
      two.subscribe((agentId, entry) => heard.two.push(`${agentId}:${entry.seq}:${entry.event.detail.n}`));
      for (let n = 1; n <= 3; n++) await two.appendEvent('alice', typing(n));
      await one.appendEvent('alice', typing(4));
      await two.appendEvent('bob', typing(5));
      await eventually(() => heard.one.includes('bob:1:5') && heard.two.includes('bob:1:5'), { what: 'the last event on both' });
      const expected = ['alice:1:1', 'alice:2:2', 'alice:3:3', 'alice:4:4', 'bob:1:5'];
      assert.deepEqual(heard.one, expected);
      assert.deepEqual(heard.two, expected);
      assert.equal((await one.eventsSince('alice', 0)).latest, 4);
    });

    test('withLock excludes across instances', async () => {
      const [one, two] = await pair();
      let inside = 0;
      let overlaps = 0;
      const task = (i) => async () => {
        if (++inside > 1) overlaps++;
        for (let n = 0; n < 3; n++) await turn();
        inside--;
        return i;
      };
      const results = await Promise.all([one, two, one, two, two, one].map((store, i) => store.withLock('conversation:c', task(i))));
      assert.deepEqual(results, [0, 1, 2, 3, 4, 5]);
      assert.equal(overlaps, 0);
    });

    test('due hands each task to one instance only', async () => {
      const [one, two] = await pair();
      const tasks = Array.from({ length: 20 }, (_, i) => `task-${i}`);
      for (const [i, task] of tasks.entries()) await (i % 2 ? one : two).schedule(i, task);
      const taken = (await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).due(100)))).flat();
      assert.deepEqual(taken.sort(), [...tasks].sort());
    });

    test('the inbox: with both consuming, each item is handled once overall, the items of a key in order', async () => {
      const [one, two] = await pair({ partitions: 4 });
      const keys = ['c1', 'c2', 'c3', 'c4', 'c5'];
      const items = Array.from({ length: 40 }, (_, i) => ({ key: keys[i % 5], payload: `p${i}` }));
      const handled = [];
      const busy = new Set();
      let overlaps = 0;
      const handler = (who) => async (item) => {
        if (busy.has(item.key)) overlaps++;
        busy.add(item.key);
        handled.push({ ...item, who });
        for (let i = 0; i < Number(item.payload.slice(1)) % 3; i++) await turn();
        busy.delete(item.key);
      };
      const consumers = [one.consumeInbox(handler('one')), two.consumeInbox(handler('two'))];
      await one.appendInbox(items.slice(0, 20));
      await two.appendInbox(items.slice(20));
      await Promise.all(consumers.map((consumer) => consumer.idle()));
      assert.equal(handled.length, 40);
      assert.equal(new Set(handled.map((item) => item.id)).size, 40);
      for (const key of keys) {
        assert.deepEqual(
          handled.filter((item) => item.key === key).map((item) => item.payload),
          items.filter((item) => item.key === key).map((item) => item.payload),
        );
      }
      assert.equal(overlaps, 0);
    });

    test('an instance that stops mid-way leaves the items it took but did not handle to the other', async () => {
      const [one, two] = await pair({ partitions: 1 });
      await one.appendInbox(['1', '2', '3'].map((payload) => ({ key: 'c', payload })));
      let open;
      const byOne = [];
      const first = one.consumeInbox(async (item) => {
        byOne.push(item.payload);
        await new Promise((resolve) => (open = resolve));
      });
      await eventually(() => open, { what: 'the first item handed out' });
      const byTwo = [];
      const second = two.consumeInbox(async (item) => void byTwo.push(item.payload));
      const stopping = first.stop();
      open();
      await stopping;
      await second.idle();
      assert.deepEqual(byOne, ['1']);
      assert.deepEqual(byTwo, ['2', '3']);
    });

    test('an instance killed while handling an item: the other handles it again, same id, once the lease expires', async () => {
      const options = { partitions: 1, lockTtl: 300 };
      const survivor = await make(options);
      await survivor.appendInbox(['1', '2'].map((payload) => ({ key: 'c', payload })));
      const program = `
        const { createRedisStore } = await import(${JSON.stringify(new URL('../dist/redis-store.js', import.meta.url).href)});
        const store = createRedisStore(${JSON.stringify({ url: server.url, prefix: `test${tests}:`, pollInterval: 10, ...options })});
        await store.ready();
        store.consumeInbox((item) => {
          process.stdout.write(JSON.stringify(item) + '\\n');
          return new Promise(() => {}); // still handling when killed
        });`;
      const doomed = spawn(process.execPath, ['--input-type=module', '-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = once(doomed, 'exit');
      const [line] = await once(readline.createInterface({ input: doomed.stdout }), 'line');
      const taken = JSON.parse(line);
      doomed.kill('SIGKILL');
      await exited;

      const handled = [];
      const consumer = survivor.consumeInbox(async (item) => void handled.push(item));
      await consumer.idle();
      assert.deepEqual(handled.map((item) => item.payload), ['1', '2']);
      assert.deepEqual(handled[0], taken, 'the same item, with the same id');
    });

    test('state outlives a Redis crash: acknowledged writes come back from the append-only file', async () => {
      const store = await make();
      await store.compareAndSet('route:c', 0, { agentId: 'alice' });
      await store.appendEvent('alice', typing(1));
      await store.putMessage('c', message(2));
      await store.schedule(5, 'reoffer');
      await store.appendInbox([{ key: 'c', payload: 'webhook' }]);
      server.kill();
      await server.restart();

      const after = await make();
      assert.deepEqual(await after.get('route:c'), { value: { agentId: 'alice' }, version: 1 });
      assert.equal((await after.eventsSince('alice', 0)).latest, 1);
      assert.deepEqual((await after.listMessages('c')).messages, [message(2)]);
      assert.deepEqual(await after.due(10), ['reoffer']);
      const handled = [];
      const consumer = after.consumeInbox(async (item) => void handled.push(item.payload));
      await consumer.idle();
      assert.deepEqual(handled, ['webhook']);
      assert.equal(await store.compareAndSet('route:c', 1, { agentId: 'bob' }), true, 'the first instance reconnects by itself');
    });
  });

  test('ready() rejects with a clear message when Redis cannot be reached', async () => {
    const port = await freePort();
    const store = createRedisStore({ url: `redis://:secret@127.0.0.1:${port}` });
    await assert.rejects(store.ready(), (error) => {
      assert.match(error.message, new RegExp(`^Cannot reach Redis at redis://127\\.0\\.0\\.1:${port}`));
      assert.doesNotMatch(error.message, /secret/);
      return true;
    });
    await store.close();
  });
});

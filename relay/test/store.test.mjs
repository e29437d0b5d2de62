import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMemoryStore } from '../dist/store.js';

describe('the in-memory store', () => {
  test('markSeen is a check-and-set with a time to live', async () => {
    let time = 1_000;
    const store = createMemoryStore({ now: () => time });
    assert.equal(await store.markSeen('mid:1', 100), true);
    assert.equal(await store.markSeen('mid:1', 100), false);
    time += 101;
    assert.equal(await store.markSeen('mid:1', 100), true);
  });

  test('compareAndSet writes only over the version it read; 0 means absent', async () => {
    const store = createMemoryStore();
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
    const store = createMemoryStore();
    const results = await Promise.all(['a', 'b', 'c'].map((who) => store.compareAndSet('race', 0, who)));
    assert.deepEqual(results.filter(Boolean).length, 1);
  });

  test('records expire; list finds by prefix', async () => {
    let time = 0;
    const store = createMemoryStore({ now: () => time });
    await store.compareAndSet('presence:1', 0, { agentId: 'a' }, { ttlMs: 50 });
    await store.compareAndSet('presence:2', 0, { agentId: 'b' });
    await store.compareAndSet('route:x', 0, {});
    assert.deepEqual((await store.list('presence:')).map((r) => r.value.agentId).sort(), ['a', 'b']);
    time = 51;
    assert.deepEqual((await store.list('presence:')).map((r) => r.value.agentId), ['b']);
    assert.equal(await store.get('presence:1'), undefined);
  });

  test('event logs: seq per agent, capped, with a gap flag and live subscribers', async () => {
    const store = createMemoryStore({ eventLogSize: 3 });
    const heard = [];
    const stop = store.subscribe((agentId, entry) => heard.push([agentId, entry.seq]));
    for (let i = 0; i < 5; i++) await store.appendEvent('a', { type: 'typing', detail: { conversationId: 'c', typing: true } });
    assert.equal(await store.appendEvent('b', { type: 'typing', detail: { conversationId: 'c', typing: false } }), 1);
    stop();
    await store.appendEvent('a', { type: 'typing', detail: { conversationId: 'c', typing: false } });
    assert.deepEqual(heard, [['a', 1], ['a', 2], ['a', 3], ['a', 4], ['a', 5], ['b', 1]]);
    const all = await store.eventsSince('a', 0);
    assert.deepEqual(all.events.map((e) => e.seq), [4, 5, 6]);
    assert.equal(all.latest, 6);
    assert.equal(all.gap, true);
    assert.equal((await store.eventsSince('a', 3)).gap, false);
    assert.equal((await store.eventsSince('a', 6)).events.length, 0);
    assert.deepEqual(await store.eventsSince('nobody', 0), { events: [], latest: 0, gap: false });
  });

  test('history: upsert by id, pages with before/limit, from, and statuses that only move forward', async () => {
    const store = createMemoryStore();
    const at = (minute) => new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString();
    for (let i = 1; i <= 5; i++) {
      await store.putMessage('c', { id: `m${i}`, conversationId: 'c', direction: i % 2 ? 'inbound' : 'outbound', sentAt: at(i), status: i % 2 ? undefined : 'sent' });
    }
    await store.putMessage('c', { id: 'm2', conversationId: 'c', direction: 'outbound', sentAt: at(2), status: 'sent', text: 'edited' });
    const last = await store.listMessages('c', { limit: 2 });
    assert.deepEqual(last.messages.map((m) => m.id), ['m4', 'm5']);
    assert.equal(last.hasMore, true);
    const older = await store.listMessages('c', { before: 'm4', limit: 10 });
    assert.deepEqual(older.messages.map((m) => m.id), ['m1', 'm2', 'm3']);
    assert.equal(older.hasMore, false);
    assert.equal(older.messages[1].text, 'edited');
    assert.deepEqual((await store.listMessages('c', { from: 'm3' })).messages.map((m) => m.id), ['m3', 'm4', 'm5']);

    await store.applyStatus('c', { before: at(3), status: 'read' });
    await store.applyStatus('c', { messageId: 'm2', status: 'delivered' });
    await store.applyStatus('c', { messageId: 'm4', status: 'delivered' });
    const statuses = (await store.listMessages('c')).messages.map((m) => m.status);
    assert.deepEqual(statuses, [undefined, 'read', undefined, 'delivered', undefined]);
  });
});

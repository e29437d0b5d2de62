import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createGraphClient, GraphError } from '../dist/graph.js';
import { until } from 'agent-console-relay/testing';

/** A fetch that answers each call when the test lets it go, and records what was asked. */
function heldFetch() {
  const calls = [];
  let open = 0;
  let mostOpen = 0;
  const fetch = (url, init) =>
    new Promise((resolve) => {
      open++;
      mostOpen = Math.max(mostOpen, open);
      const path = new URL(url).pathname;
      calls.push({
        path,
        body: init.body,
        answer(status, body) {
          open--;
          resolve(new Response(JSON.stringify(body), { status }));
        },
      });
    });
  return { fetch, calls, mostOpen: () => mostOpen, open: () => open };
}

const client = (fetch, options = {}) => createGraphClient({ pageId: 'page-1', pageAccessToken: 'page-token', retries: 1, fetch, ...options });

describe('the Graph client', () => {
  test('never has more than maxConcurrent calls open; the others wait their turn, in order', async () => {
    const graph = heldFetch();
    const api = client(graph.fetch, { maxConcurrent: 3 });
    const sends = Array.from({ length: 10 }, (_, i) => api.sendText({ psid: `p${i}`, text: `Message ${i}`, messagingType: 'RESPONSE' }));
    await until(() => graph.calls.length === 3);
    assert.equal(graph.open(), 3);
    for (let answered = 0; answered < 10; answered++) {
      await until(() => graph.calls.length > answered);
      graph.calls[answered].answer(200, { message_id: `m${answered}` });
    }
    const results = await Promise.all(sends);
    assert.deepEqual(results.map((result) => result.message_id), Array.from({ length: 10 }, (_, i) => `m${i}`));
    assert.equal(graph.mostOpen(), 3);
    assert.deepEqual(graph.calls.map((call) => JSON.parse(call.body).recipient.id), Array.from({ length: 10 }, (_, i) => `p${i}`));
  });

  test('looks a customer up once while the profile is remembered, and again after a failure or once it is old', async () => {
    const graph = heldFetch();
    const api = client(graph.fetch);
    const lookups = Array.from({ length: 5 }, () => api.profile('psid-1'));
    await until(() => graph.calls.length === 1);
    graph.calls[0].answer(200, { first_name: 'Ana', last_name: 'Souza', profile_pic: 'https://cdn.example/ana.jpg' });
    for (const profile of await Promise.all(lookups)) assert.deepEqual(profile, { name: 'Ana Souza', firstName: 'Ana', lastName: 'Souza', avatarUrl: 'https://cdn.example/ana.jpg' });
    assert.equal((await api.profile('psid-1')).name, 'Ana Souza');
    assert.equal(graph.calls.length, 1, 'remembered');

    const failing = api.profile('psid-2');
    await until(() => graph.calls.length === 2);
    graph.calls[1].answer(400, { error: { code: 100, message: 'No such user' } });
    await assert.rejects(failing, GraphError);
    const retried = api.profile('psid-2');
    await until(() => graph.calls.length === 3);
    graph.calls[2].answer(200, { name: 'Bao Tran' });
    assert.equal((await retried).name, 'Bao Tran', 'a failed lookup is not remembered');

    const forgetful = client(graph.fetch, { profileCacheMs: 0 });
    for (const expected of [4, 5]) {
      const lookup = forgetful.profile('psid-1');
      await until(() => graph.calls.length === expected);
      graph.calls[expected - 1].answer(200, { name: 'Ana Souza' });
      await lookup;
    }
  });

  test('remembers at most profileCacheSize customers', async () => {
    const graph = heldFetch();
    const api = client(graph.fetch, { profileCacheSize: 2 });
    /** Looks `psid` up, answering the Graph call if one is made; the number of calls so far. */
    const lookUp = async (psid) => {
      const before = graph.calls.length;
      const lookup = api.profile(psid);
      await new Promise((resolve) => setImmediate(resolve));
      if (graph.calls.length > before) graph.calls.at(-1).answer(200, { name: psid });
      assert.equal((await lookup).name, psid);
      return graph.calls.length;
    };
    const calls = [];
    for (const psid of ['a', 'b', 'c', 'b', 'a']) calls.push(await lookUp(psid));
    assert.deepEqual(calls, [1, 2, 3, 3, 4], 'b is remembered; a was forgotten when c came');
  });
});

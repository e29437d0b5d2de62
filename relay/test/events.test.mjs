import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { callApi, connectAgent, messengerText, postWebhook, startRelay, testSettings } from 'agent-console-relay/testing';

const PSID = '5550001254';
const conversationId = `${testSettings.pageId}:${PSID}`;

describe('the event socket and the agents', () => {
  let ctx;
  const sockets = [];
  const agent = (token, options) => {
    const socket = connectAgent(ctx.url, token, options);
    sockets.push(socket);
    return socket;
  };
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.ws.terminate();
    await ctx?.close();
    ctx = undefined;
  });

  /** Alice in a session with the customer. */
  async function inSession(options) {
    ctx = await startRelay(options);
    const alice = agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    await alice.ready();
    await postWebhook(ctx.url, messengerText({ psid: PSID, mid: 'm_0' }));
    await ctx.relay.idle();
    const request = await alice.waitForEvent('conversation-request');
    await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`);
    await ctx.relay.idle();
    await alice.sync();
    return alice;
  }

  test('ready carries the agent and the newest seq; seq starts at 1 and grows by 1', async () => {
    const alice = await inSession();
    const ready = alice.frames[0];
    assert.deepEqual(ready, { type: 'ready', agentId: 'alice', seq: 0 });
    const seqs = alice.events().map((frame) => frame.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1));
    assert.ok(seqs.length >= 2);
  });

  test('resume with since after a dropped socket: nothing lost, nothing doubled', async () => {
    const alice = await inSession();
    for (let i = 1; i <= 3; i++) await postWebhook(ctx.url, messengerText({ psid: PSID, mid: `m_live_${i}` }));
    await ctx.relay.idle();
    await alice.sync();
    const handled = alice.lastSeq;
    await alice.drop();

    // While nobody listens, the customer writes on.
    for (let i = 1; i <= 3; i++) await postWebhook(ctx.url, messengerText({ psid: PSID, mid: `m_away_${i}` }));
    await ctx.relay.idle();

    const back = agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', { since: handled });
    const ready = await back.ready();
    assert.equal(ready.seq, handled + 6, 'three messages, each with the reply window it moved');
    assert.equal(ready.gap, undefined);
    // More while it replays.
    await postWebhook(ctx.url, messengerText({ psid: PSID, mid: 'm_after' }));
    await ctx.relay.idle();
    await back.sync();
    const resumed = back.events();
    assert.deepEqual(resumed.map((f) => f.seq), Array.from({ length: 8 }, (_, i) => handled + 1 + i));
    assert.deepEqual(
      resumed.filter((f) => f.event.type === 'message').map((f) => f.event.detail.id),
      ['m_away_1', 'm_away_2', 'm_away_3', 'm_after'],
    );
    const all = [...alice.events(), ...resumed].filter((f) => f.event.type === 'message').map((f) => f.event.detail.id);
    assert.deepEqual(all, ['m_0', 'm_live_1', 'm_live_2', 'm_live_3', 'm_away_1', 'm_away_2', 'm_away_3', 'm_after']);
  });

  test('a fresh client (a page load) gets no replay, but the requests still waiting for it again', async () => {
    ctx = await startRelay();
    const alice = agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    await alice.ready();
    await postWebhook(ctx.url, messengerText({ psid: PSID, mid: 'm_waiting' }));
    await ctx.relay.idle();
    const offered = await alice.waitForEvent('conversation-request');
    await alice.drop();
    const reloaded = agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    const ready = await reloaded.ready();
    await reloaded.sync();
    const frames = reloaded.events();
    assert.ok(frames.every((frame) => frame.seq > ready.seq), 'nothing from before the page load');
    assert.deepEqual(frames.map((frame) => [frame.event.type, frame.event.detail.id]), [['conversation-request', offered.id]]);
  });

  test('since older than the held events: ready says gap', async () => {
    const alice = await inSession({ eventLogSize: 3 });
    for (let i = 1; i <= 5; i++) await postWebhook(ctx.url, messengerText({ psid: PSID, mid: `m_g${i}` }));
    await ctx.relay.idle();
    await alice.sync();
    const back = agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', { since: 1 });
    const ready = await back.ready();
    assert.equal(ready.gap, true);
    await back.sync();
    assert.equal(back.events().length, 3, 'the 3 held events');
    assert.equal(back.events().at(-1).seq, ready.seq);
    const current = agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', { since: ready.seq });
    assert.equal((await current.ready()).gap, undefined);
  });

  test('pings: the client’s {"type":"ping"} gets a pong; the relay pings the socket', async () => {
    ctx = await startRelay({ pingInterval: 50 });
    const alice = agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    await alice.ready();
    alice.send({ type: 'ping' });
    await alice.waitFor((frame) => frame.type === 'pong');
    await new Promise((resolve) => alice.ws.once('ping', resolve));
  });

  test('a socket that stops answering pings is closed', async () => {
    ctx = await startRelay({ pingInterval: 40 });
    const alice = agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', { autoPong: false });
    await alice.ready();
    const closed = await alice.closed;
    assert.ok(closed.code === 1006 || closed.code === 1005, `closed with ${closed.code}`);
  });

  test('a bad token, or no auth frame in time, closes the socket with 4401', async () => {
    ctx = await startRelay({ authTimeout: 100 });
    const wrong = agent('not-a-token');
    assert.equal((await wrong.closed).code, 4401);
    assert.equal(wrong.frames.length, 0);
    const silent = agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', { auth: false });
    await silent.opened;
    assert.equal((await silent.closed).code, 4401);
    const garbage = agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', { auth: false });
    await garbage.opened;
    garbage.send('hello');
    assert.equal((await garbage.closed).code, 4401);
  });

  test('verifyAgent can stand in for the token list', async () => {
    ctx = await startRelay({ agentTokens: undefined, verifyAgent: async (token) => (token === 'sso-123' ? 'dana' : null) });
    const dana = agent('sso-123');
    assert.equal((await dana.ready()).agentId, 'dana');
    assert.equal((await callApi(ctx.url, 'sso-123', 'GET', 'policy')).status, 200);
    assert.equal((await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', 'policy')).status, 401);
  });

  test('the HTTP API needs a known bearer token: 401 otherwise', async () => {
    ctx = await startRelay();
    const none = await callApi(ctx.url, undefined, 'GET', 'policy');
    assert.equal(none.status, 401);
    assert.ok(none.body.error);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    assert.equal((await callApi(ctx.url, 'nope', 'POST', 'requests/x/accept')).status, 401);
    assert.equal((await callApi(ctx.url, 'nope', 'POST', `conversations/${encodeURIComponent(conversationId)}/messages`, { clientId: 'c', text: 'x' })).status, 401);
    assert.equal(ctx.graph.sends().length, 0);
  });

  test('guessing tokens is slowed: after too many wrong ones an address waits (429 with Retry-After, socket 4429), even with a right token, and others are not', async () => {
    ctx = await startRelay({ authThrottle: { freeFailures: 3, baseDelay: 60_000 }, trustProxy: true });
    const alice = 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d';
    const from = (address) => ({ headers: { 'X-Forwarded-For': `${address}, 10.0.0.1` } });
    for (let i = 0; i < 4; i++) assert.equal((await callApi(ctx.url, `wrong-token-${i}`.padEnd(32, '-'), 'GET', 'policy', undefined, from('203.0.113.7'))).status, 401);
    const slowed = await callApi(ctx.url, alice, 'GET', 'policy', undefined, from('203.0.113.7'));
    assert.equal(slowed.status, 429);
    assert.equal(slowed.headers.get('retry-after'), '60');
    assert.deepEqual(slowed.body, { error: 'Too many wrong agent tokens from this address; try again in 60 s.' });
    assert.equal((await callApi(ctx.url, alice, 'GET', 'policy', undefined, from('198.51.100.4'))).status, 200, 'another address is not slowed');
    const socket = agent(alice, { headers: from('203.0.113.7').headers });
    assert.equal((await socket.closed).code, 4429);
  });

  test('origins: allowed ones get CORS headers and preflights; others are refused on HTTP and WebSocket', async () => {
    ctx = await startRelay();
    const origin = testSettings.allowedOrigins[0];
    const preflight = await fetch(`${ctx.url}/api/policy`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
    assert.match(preflight.headers.get('access-control-allow-headers'), /Authorization/);
    assert.match(preflight.headers.get('access-control-allow-methods'), /POST/);
    const allowed = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', 'policy', undefined, { origin });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), origin);
    const unauthorized = await callApi(ctx.url, 'nope', 'GET', 'policy', undefined, { origin });
    assert.equal(unauthorized.headers.get('access-control-allow-origin'), origin, 'the browser can read the 401');

    const evil = 'https://evil.test';
    const refusedPreflight = await fetch(`${ctx.url}/api/policy`, { method: 'OPTIONS', headers: { Origin: evil, 'Access-Control-Request-Method': 'GET' } });
    assert.equal(refusedPreflight.status, 403);
    assert.equal(refusedPreflight.headers.get('access-control-allow-origin'), null);
    const refused = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', 'policy', undefined, { origin: evil });
    assert.equal(refused.status, 403);

    const socket = agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', { origin: evil });
    await assert.rejects(socket.opened, (error) => error.status === 403);
    const good = agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', { origin });
    assert.equal((await good.ready()).agentId, 'alice');
  });

  test('a plain GET of the events endpoint, and unknown paths', async () => {
    ctx = await startRelay();
    assert.equal((await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', 'events')).status, 426);
    assert.equal((await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', 'nothing/here')).status, 404);
    assert.equal((await fetch(`${ctx.url}/elsewhere`)).status, 404);
  });
});

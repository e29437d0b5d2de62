import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { signWebhook } from 'agent-console-relay';
import { callApi, connectAgent, messengerText, postWebhook, startRelay, testSettings } from 'agent-console-relay/testing';

const fixtures = new URL('../../test/fixtures/facebook/', import.meta.url);

describe('webhook', () => {
  let ctx;
  /** What the relay logged during the current test. */
  const lines = [];
  before(async () => {
    ctx = await startRelay({ log: (line) => lines.push(line) }, { graph: { profiles: { 5550001254: { first_name: 'Ann', last_name: 'Lee' } } } });
  });
  after(() => ctx.close());
  beforeEach(() => {
    ctx.graph.reset();
    lines.length = 0;
  });

  /** Every pending request, as an agent who connects now is offered them. */
  async function pendingRequests() {
    const agent = connectAgent(ctx.url, 'bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e');
    await agent.ready();
    await ctx.relay.idle();
    await agent.sync();
    await agent.close();
    return agent.eventsOf('conversation-request');
  }

  test('the verification handshake answers the challenge for the right verify token', async () => {
    const query = `hub.mode=subscribe&hub.verify_token=${testSettings.verifyToken}&hub.challenge=1158201444`;
    const response = await fetch(`${ctx.url}/webhook?${query}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^text\/plain/);
    assert.equal(await response.text(), '1158201444');
  });

  test('the verification handshake is refused for a wrong token or mode', async () => {
    const wrongToken = await fetch(`${ctx.url}/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    assert.equal(wrongToken.status, 403);
    assert.notEqual(await wrongToken.text(), '1');
    const wrongMode = await fetch(`${ctx.url}/webhook?hub.mode=unsubscribe&hub.verify_token=${testSettings.verifyToken}&hub.challenge=1`);
    assert.equal(wrongMode.status, 403);
    const nothing = await fetch(`${ctx.url}/webhook`);
    assert.equal(nothing.status, 403);
  });

  test('a signed body is answered 200 and processed', async () => {
    const response = await postWebhook(ctx.url, messengerText({ psid: '5550001254', text: 'Where is my order?' }));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'EVENT_RECEIVED');
    await ctx.relay.idle();
    const requests = await pendingRequests();
    const request = requests.find((r) => r.customer.id === '5550001254');
    assert.ok(request, 'the customer became a request');
    assert.deepEqual(request.customer, { id: '5550001254', name: 'Ann Lee' });
    assert.equal(request.preview, 'Where is my order?');
    const profile = ctx.graph.requests.find((r) => r.kind === 'profile');
    assert.equal(profile.path, '/v25.0/5550001254');
    assert.match(profile.query.fields, /first_name/);
    assert.equal(profile.query.access_token, testSettings.pageAccessToken);
  });

  test('a forged or missing signature is refused with 403 and nothing is processed', async () => {
    const body = messengerText({ psid: '5550009999', text: 'forged' });
    const raw = JSON.stringify(body);
    const forged = await postWebhook(ctx.url, raw, { appSecret: 'not-the-secret' });
    assert.equal(forged.status, 403);
    const missing = await postWebhook(ctx.url, raw, { signature: null });
    assert.equal(missing.status, 403);
    const sha1 = await postWebhook(ctx.url, raw, { signature: `sha1=${'0'.repeat(40)}` });
    assert.equal(sha1.status, 403);
    const short = await postWebhook(ctx.url, raw, { signature: signWebhook(raw, testSettings.appSecret).slice(0, 40) });
    assert.equal(short.status, 403);
    // The right signature for other bytes: the body was changed on the way.
    const tampered = await postWebhook(ctx.url, raw.replace('forged', 'FORGED'), { signature: signWebhook(raw, testSettings.appSecret) });
    assert.equal(tampered.status, 403);
    await ctx.relay.idle();
    assert.equal((await pendingRequests()).filter((r) => r.customer.id === '5550009999').length, 0);
    assert.equal(ctx.graph.requests.length, 0, 'not even a profile lookup');
    assert.ok(lines.some((line) => /X-Hub-Signature-256/.test(line)));
  });

  test('the signature is checked on the raw bytes, whatever their formatting', async () => {
    const raw = `{ "object": "page",\n  "entry": [ { "id": "${testSettings.pageId}", "time": 1, "messaging": [ { "sender": { "id": "5550004321" }, "recipient": { "id": "${testSettings.pageId}" }, "timestamp": ${Date.now()}, "message": { "mid": "m_raw", "text": "caf\\u00e9" } } ] } ] }`;
    const response = await postWebhook(ctx.url, raw);
    assert.equal(response.status, 200);
    await ctx.relay.idle();
    const request = (await pendingRequests()).find((r) => r.customer.id === '5550004321');
    assert.equal(request.preview, 'café');
    assert.equal(request.customer.name, 'Facebook user 4321', 'no profile: the fallback name');
  });

  test('a body over 1 MB is refused with 413', async () => {
    const big = JSON.stringify({ object: 'page', entry: [], padding: 'x'.repeat(1024 * 1024) });
    const response = await postWebhook(ctx.url, big);
    assert.equal(response.status, 413);
  });

  test('a body over 1 MB without a declared length is refused with 413 as well', async () => {
    const { port } = new URL(ctx.url);
    const status = await new Promise((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port, path: '/webhook', method: 'POST', headers: { 'Transfer-Encoding': 'chunked' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.on('error', reject);
      for (let i = 0; i < 20; i++) request.write('x'.repeat(64 * 1024));
      request.end();
    });
    assert.equal(status, 413);
  });

  test('a signed body that is not JSON, or not a webhook, is refused with 400', async () => {
    const notJson = await postWebhook(ctx.url, '{"object": "page", ');
    assert.equal(notJson.status, 400);
    const noObject = await postWebhook(ctx.url, { entry: [] });
    assert.equal(noObject.status, 400);
    assert.match((await noObject.json()).error, /not a Page webhook/i);
    const noEntry = await postWebhook(ctx.url, { object: 'page' });
    assert.equal(noEntry.status, 400);
  });

  test('a signed webhook for another product of the app (Instagram, WhatsApp) is taken with 200 and ignored, in one log line', async () => {
    const agent = connectAgent(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    await agent.ready();
    await ctx.relay.idle();
    await agent.sync();
    const offeredBefore = agent.events().length; // requests still waiting from earlier tests are offered on connecting
    lines.length = 0;
    const instagram = { object: 'instagram', entry: [{ id: '17841400000000000', time: Date.now(), messaging: [{ sender: { id: '5550001254' }, recipient: { id: '17841400000000000' }, timestamp: Date.now(), message: { mid: 'm_ig_1', text: 'Hi from Instagram' } }] }] };
    const answer = await postWebhook(ctx.url, instagram);
    assert.equal(answer.status, 200, 'Meta retries anything else');
    assert.equal(await answer.text(), 'EVENT_RECEIVED');
    await ctx.relay.idle();
    await agent.sync();
    assert.equal(agent.events().length, offeredBefore, 'nothing reaches an agent');
    assert.ok(!JSON.stringify(agent.events()).includes('Hi from Instagram'));
    assert.deepEqual(lines, ['webhook: an "instagram" webhook was ignored; this relay serves Page messaging']);
    agent.ws.terminate();
  });

  test('the same webhook delivered twice yields one message', async () => {
    const agent = connectAgent(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    await agent.ready();
    const body = messengerText({ psid: '5550007777', mid: 'm_twice', text: 'once' });
    assert.equal((await postWebhook(ctx.url, body)).status, 200);
    assert.equal((await postWebhook(ctx.url, body)).status, 200);
    await ctx.relay.idle();
    const request = await agent.waitForEvent('conversation-request', { where: (r) => r.customer.id === '5550007777' });
    const accepted = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`);
    assert.equal(accepted.status, 200);
    // Redelivered again after the session started: still nothing new.
    assert.equal((await postWebhook(ctx.url, body)).status, 200);
    await ctx.relay.idle();
    await agent.sync();
    const messages = agent.eventsOf('message').filter((m) => m.conversationId === accepted.body.id);
    assert.deepEqual(messages.map((m) => m.id), ['m_twice']);
    const history = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', `conversations/${encodeURIComponent(accepted.body.id)}/messages`);
    assert.deepEqual(history.body.messages.map((m) => m.id), ['m_twice']);
    await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `conversations/${encodeURIComponent(accepted.body.id)}/end`);
    await agent.close();
  });

  test('a batch with the same mid in two entries yields one message', async () => {
    const raw = readFileSync(new URL('courier_fba_duplicate_msg.json', fixtures), 'utf8');
    const lines = [];
    const other = await startRelay({ pageId: '1234567890', log: (line) => lines.push(line) });
    try {
      const agent = connectAgent(other.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
      await agent.ready();
      assert.equal((await postWebhook(other.url, raw)).status, 200);
      await other.relay.idle();
      const request = await agent.waitForEvent('conversation-request');
      const accepted = await callApi(other.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`);
      await other.relay.idle();
      await agent.sync();
      assert.equal(agent.eventsOf('message').filter((m) => m.conversationId === accepted.body.id).length, 1);
      await agent.close();
    } finally {
      await other.close();
    }
  });

  test('every shared fixture is accepted when signed, and none stops the relay', async () => {
    const names = readdirSync(fixtures).filter((name) => name.endsWith('.json'));
    assert.ok(names.length >= 10);
    const other = await startRelay({ pageId: '1234567890' });
    try {
      for (const name of names) {
        const raw = readFileSync(new URL(name, fixtures), 'utf8');
        const response = await postWebhook(other.url, raw);
        assert.equal(response.status, 200, name);
      }
      await other.relay.idle();
      const health = await fetch(`${other.url}/healthz`);
      assert.equal(health.status, 200);
    } finally {
      await other.close();
    }
  });

  test('events for another Page are ignored', async () => {
    const agent = connectAgent(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    await agent.ready();
    await ctx.relay.idle();
    await agent.sync();
    const before = agent.events().length;
    assert.equal((await postWebhook(ctx.url, messengerText({ pageId: '999', psid: '5550003333' }))).status, 200);
    await ctx.relay.idle();
    await agent.sync();
    assert.equal(agent.events().length, before);
    await agent.close();
  });

  test('no log line carries a secret or what the customer and the agent wrote', async () => {
    // A relay of its own, taken through everything that logs, so this holds whatever ran before.
    const logged = [];
    const own = await startRelay({ log: (_message, line) => logged.push(line) });
    try {
      const handshake = (token) => fetch(`${own.url}/webhook?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=7`);
      assert.equal((await handshake(testSettings.verifyToken)).status, 200);
      assert.equal((await handshake('not-the-verify-token')).status, 403);
      const customerText = 'Where is my order? My card ends 4242.';
      assert.equal((await postWebhook(own.url, messengerText({ psid: '5550001254', text: customerText }), { appSecret: 'not-the-secret' })).status, 403);
      const refused = connectAgent(own.url, 'not-a-token');
      await refused.closed;
      const alice = connectAgent(own.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
      await alice.ready();
      assert.equal((await postWebhook(own.url, messengerText({ psid: '5550001254', text: customerText }))).status, 200);
      await own.relay.idle();
      const request = await alice.waitForEvent('conversation-request');
      assert.equal((await callApi(own.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`)).status, 200);
      const messages = `conversations/${encodeURIComponent(`${testSettings.pageId}:5550001254`)}/messages`;
      const agentText = 'It ships today, Ann. Tracking 1Z999AA10123456784.';
      assert.equal((await callApi(own.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', messages, { clientId: 'c_log', text: agentText })).status, 200);
      own.graph.fail({ message: `(#100) Bad token ${testSettings.pageAccessToken} used`, type: 'OAuthException', code: 100 });
      assert.equal((await callApi(own.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', messages, { clientId: 'c_log_2', text: agentText })).status, 422);
      await alice.close();
      await own.relay.idle();

      // One JSON object per line, with a level and a time…
      for (const line of logged) {
        const entry = JSON.parse(line);
        assert.ok(Number.isInteger(entry.level) && Date.parse(entry.time) && typeof entry.msg === 'string', line);
      }
      // …that tells the story…
      const all = logged.join('\n');
      for (const step of [/verified by Meta/, /verification refused/, /X-Hub-Signature-256/, /refused a socket/, /accepted by agent alice/, /sent a text/]) {
        assert.match(all, step);
      }
      // …without what would let someone act as the Page or an agent, or read the conversation.
      const secrets = [testSettings.pageAccessToken, testSettings.appSecret, testSettings.verifyToken, ...Object.values(testSettings.agentTokens), 'not-a-token'];
      for (const secret of [...secrets, customerText, agentText, '4242', '1Z999AA10123456784']) {
        assert.ok(!all.includes(secret), `a log line carries ${JSON.stringify(secret)}`);
      }
    } finally {
      await own.close();
    }
  });
});

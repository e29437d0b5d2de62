import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createMemoryStore } from '../dist/store.js';
import { callApi, connectAgent, messengerBody, messengerText, postWebhook, startRelay, testSettings } from 'agent-console-relay/testing';

const PSID = '5550001254';
const conversationId = `${testSettings.pageId}:${PSID}`;
const path = (action) => `conversations/${encodeURIComponent(conversationId)}/${action}`;

describe('routing', () => {
  let ctx;
  let sockets;
  const agent = async (token, options) => {
    const socket = connectAgent(ctx.url, token, options);
    sockets.push(socket);
    await socket.ready();
    return socket;
  };
  /** Waits until webhook processing and the frames it caused have arrived at every socket. */
  const settle = async () => {
    await ctx.relay.idle();
    for (const socket of sockets) if (socket.ws.readyState === socket.ws.OPEN) await socket.sync();
  };

  beforeEach(async () => {
    sockets = [];
    ctx = await startRelay(
      { agentTokens: { alice: 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', bob: 'bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e', carol: 'carol-token-2b4d6f8a0c2e4a6c8e0a2c4e' } },
      { graph: { profiles: { [PSID]: { first_name: 'Ann', last_name: 'Lee' } } } },
    );
  });
  afterEach(async () => {
    for (const socket of sockets) socket.ws.terminate();
    await ctx.close();
  });

  test('a webhook bringing hundreds of new customers opens no more Graph calls at once than maxGraphCalls, and offers each', async () => {
    await ctx.close();
    ctx = await startRelay({ agentTokens: { alice: 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d' }, maxGraphCalls: 4 }, { graph: { delay: 2 } });
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    const customers = Array.from({ length: 300 }, (_, i) => String(7_770_000_000 + i));
    const messaging = customers.map((psid, i) => ({ sender: { id: psid }, recipient: { id: testSettings.pageId }, timestamp: Date.now(), message: { mid: `m_many_${i}`, text: `Hello from ${psid}` } }));
    assert.equal((await postWebhook(ctx.url, messengerBody(testSettings.pageId, messaging))).status, 200);
    await settle();
    assert.ok(ctx.graph.mostOpen <= 4, `at most 4 Graph calls open at once, not ${ctx.graph.mostOpen}`);
    assert.equal(ctx.graph.requests.filter((request) => request.kind === 'profile').length, 300, 'one profile lookup per customer');
    const offered = alice.eventsOf('conversation-request').map((request) => request.customer.id);
    assert.deepEqual(offered.sort(), [...customers].sort());
  });

  /** `count` text messages from the customer, a second apart, in one webhook body. */
  const manyMessages = (count) =>
    messengerBody(
      testSettings.pageId,
      Array.from({ length: count }, (_, i) => ({ sender: { id: PSID }, recipient: { id: testSettings.pageId }, timestamp: Date.now() - (count - i) * 1000, message: { mid: `m_wait_${i}`, text: `Waiting ${i}` } })),
    );

  test('a customer who wrote 1,001 messages while waiting: on accept the newest reach the agent and the rest page back through history, none lost or doubled', async () => {
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    assert.equal((await postWebhook(ctx.url, manyMessages(1001))).status, 200);
    await settle();
    const [request] = alice.eventsOf('conversation-request');
    assert.equal((await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`)).status, 200);
    await settle();
    const handedOver = alice.eventsOf('message').map((message) => message.id);
    assert.equal(handedOver.length, 200);
    assert.equal(handedOver.at(-1), 'm_wait_1000');
    const paged = [];
    for (let before = handedOver[0], hasMore = true; hasMore; ) {
      const page = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', `${path('messages')}?before=${encodeURIComponent(before)}&limit=200`);
      assert.equal(page.status, 200);
      paged.unshift(...page.body.messages.map((message) => message.id));
      ({ hasMore } = page.body);
      before = page.body.messages[0]?.id;
    }
    assert.deepEqual([...paged, ...handedOver], Array.from({ length: 1001 }, (_, i) => `m_wait_${i}`));
  });

  test('accepting still hands over what the store keeps when it has dropped the first waiting message for room', async () => {
    await ctx.close();
    ctx = await startRelay({ agentTokens: { alice: 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d' }, store: createMemoryStore({ historySize: 20 }) }, { graph: { profiles: { [PSID]: { first_name: 'Ann' } } } });
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    await postWebhook(ctx.url, manyMessages(25));
    await settle();
    const [request] = alice.eventsOf('conversation-request');
    await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`);
    await settle();
    assert.deepEqual(
      alice.eventsOf('message').map((message) => message.id),
      Array.from({ length: 20 }, (_, i) => `m_wait_${i + 5}`),
    );
  });

  test('a customer message is offered to every connected agent; accept gives the conversation, then the kept messages', async () => {
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    const bob = await agent('bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e');
    const sentAt = Date.now() - 60_000;
    await postWebhook(ctx.url, messengerText({ psid: PSID, mid: 'm_1', text: 'Hi, my parcel is late', timestamp: sentAt }));
    await postWebhook(ctx.url, messengerText({ psid: PSID, mid: 'm_2', text: 'Order 1234', timestamp: sentAt + 1000 }));
    await settle();

    const offered = alice.eventsOf('conversation-request');
    assert.equal(offered.length, 1, 'the second message while pending shows nothing new');
    const request = offered[0];
    assert.deepEqual(bob.eventsOf('conversation-request'), [request]);
    assert.deepEqual(request, {
      id: request.id,
      channel: 'facebook',
      customer: { id: PSID, name: 'Ann Lee' },
      preview: 'Hi, my parcel is late',
      createdAt: new Date(sentAt).toISOString(),
    });
    assert.equal(alice.eventsOf('message').length, 0, 'messages are kept until someone accepts');

    const accepted = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`);
    assert.equal(accepted.status, 200);
    const conversation = accepted.body;
    assert.equal(conversation.id, conversationId);
    assert.equal(conversation.channel, 'facebook');
    assert.deepEqual(conversation.customer, { id: PSID, name: 'Ann Lee' });
    assert.ok(Math.abs(Date.parse(conversation.startedAt) - Date.now()) < 5000);
    assert.equal(conversation.replyBy, new Date(sentAt + 1000 + 24 * 3_600_000).toISOString(), '24 h after the last customer message');

    await settle();
    const kept = alice.eventsOf('message');
    assert.deepEqual(kept.map((m) => [m.id, m.text, m.direction, m.conversationId]), [
      ['m_1', 'Hi, my parcel is late', 'inbound', conversationId],
      ['m_2', 'Order 1234', 'inbound', conversationId],
    ]);
    assert.deepEqual(bob.eventsOf('conversation-request-withdrawn'), [{ requestId: request.id, reason: 'Accepted by another agent' }]);
    assert.equal(bob.eventsOf('message').length, 0, 'bob never sees alice’s conversation');

    // Later customer messages go to alice only.
    await postWebhook(ctx.url, messengerText({ psid: PSID, mid: 'm_3', text: 'Hello?' }));
    await settle();
    assert.deepEqual(alice.eventsOf('message').map((m) => m.id), ['m_1', 'm_2', 'm_3']);
    assert.equal(bob.eventsOf('message').length, 0);
  });

  test('messages arriving while the request is accepted reach the agent once each, in order', async () => {
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    const start = Date.now();
    await postWebhook(ctx.url, messengerText({ psid: PSID, mid: 'm_r0', timestamp: start }));
    await settle();
    const request = alice.eventsOf('conversation-request')[0];
    const posts = [];
    for (let i = 1; i <= 6; i++) {
      posts.push(postWebhook(ctx.url, messengerText({ psid: PSID, mid: `m_r${i}`, timestamp: start + i })));
      if (i === 3) posts.push(callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`));
    }
    await Promise.all(posts);
    await settle();
    const ids = alice.eventsOf('message').map((m) => m.id);
    assert.deepEqual([...ids].sort(), ['m_r0', 'm_r1', 'm_r2', 'm_r3', 'm_r4', 'm_r5', 'm_r6']);
    const history = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', path('messages'));
    assert.deepEqual(ids, history.body.messages.map((m) => m.id), 'the same order as the history');
  });

  test('a second accept of the same request is refused with 409', async () => {
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    await agent('bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e');
    await postWebhook(ctx.url, messengerText({ psid: PSID }));
    await settle();
    const request = alice.eventsOf('conversation-request')[0];
    const [first, second] = await Promise.all([
      callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`),
      callApi(ctx.url, 'bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e', 'POST', `requests/${request.id}/accept`),
    ]);
    const statuses = [first.status, second.status].sort();
    assert.deepEqual(statuses, [200, 409]);
    const refused = first.status === 409 ? first : second;
    assert.deepEqual(refused.body, { error: 'This request was already accepted by another agent.' });
    const unknown = await callApi(ctx.url, 'bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e', 'POST', 'requests/req_nope/accept');
    assert.equal(unknown.status, 404);
    assert.ok(unknown.body.error);
  });

  test('an agent can list the conversations it holds, and only those', async () => {
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    await postWebhook(ctx.url, messengerText({ psid: PSID }));
    await settle();
    const request = alice.eventsOf('conversation-request')[0];
    const { body: conversation } = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`);
    assert.deepEqual((await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', 'conversations')).body, [conversation]);
    assert.deepEqual((await callApi(ctx.url, 'bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e', 'GET', 'conversations')).body, []);
    await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', path('end'));
    await settle();
    assert.deepEqual((await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', 'conversations')).body, []);
  });

  test('the customer writing again moves the reply window: conversation-updated', async () => {
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    await postWebhook(ctx.url, messengerText({ psid: PSID, timestamp: Date.now() - 20 * 3_600_000 }));
    await settle();
    const request = alice.eventsOf('conversation-request')[0];
    const { body: conversation } = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`);
    const later = Date.now();
    await postWebhook(ctx.url, messengerText({ psid: PSID, text: 'Still there?', timestamp: later }));
    await settle();
    const [updated] = alice.eventsOf('conversation-updated');
    assert.equal(updated.id, conversation.id);
    assert.equal(updated.replyBy, new Date(later + 24 * 3_600_000).toISOString());
    assert.ok(Date.parse(updated.replyBy) > Date.parse(conversation.replyBy));
  });

  test('a request is accepted once: the same agent accepting again gets a clear refusal', async () => {
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    await postWebhook(ctx.url, messengerText({ psid: PSID }));
    await settle();
    const request = alice.eventsOf('conversation-request')[0];
    const first = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`);
    const again = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`);
    assert.equal(first.status, 200);
    assert.equal(again.status, 409);
    assert.deepEqual(again.body, { error: 'You have already accepted this request.' });
  });

  test('reject: the others keep the request; it is offered again to the rejecting agent after the delay, under a new id', async () => {
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    const bob = await agent('bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e');
    await postWebhook(ctx.url, messengerText({ psid: PSID }));
    await settle();
    const request = alice.eventsOf('conversation-request')[0];
    const rejected = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/reject`);
    assert.equal(rejected.status, 204);
    await settle();
    assert.equal(bob.eventsOf('conversation-request-withdrawn').length, 0, 'bob keeps it');
    assert.equal(alice.eventsOf('conversation-request').length, 1, 'not offered again at once');
    // An agent who connects meanwhile gets it.
    const carol = await agent('carol-token-2b4d6f8a0c2e4a6c8e0a2c4e');
    await settle();
    assert.deepEqual(carol.eventsOf('conversation-request').map((r) => r.id), [request.id]);

    const again = await alice.waitForEvent('conversation-request', { skip: 1, timeout: 2000 });
    assert.notEqual(again.id, request.id, 'a new id: the console does not show an answered id again');
    assert.equal(again.createdAt, request.createdAt, 'the customer has waited since the first message');
    assert.deepEqual(again.customer, request.customer);
    await settle();
    assert.equal(bob.eventsOf('conversation-request').length, 1, 'bob is not offered it twice');

    // Either id accepts; the other agents are told, each with the id they hold.
    const accepted = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${again.id}/accept`);
    assert.equal(accepted.status, 200);
    await settle();
    assert.deepEqual(bob.eventsOf('conversation-request-withdrawn'), [{ requestId: request.id, reason: 'Accepted by another agent' }]);
    assert.deepEqual(carol.eventsOf('conversation-request-withdrawn'), [{ requestId: request.id, reason: 'Accepted by another agent' }]);
    const late = await callApi(ctx.url, 'bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e', 'POST', `requests/${request.id}/accept`);
    assert.equal(late.status, 409);
  });

  test('an agent who connects later is offered the pending requests', async () => {
    await postWebhook(ctx.url, messengerText({ psid: PSID, text: 'anyone?' }));
    await ctx.relay.idle();
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    const request = await alice.waitForEvent('conversation-request');
    assert.equal(request.preview, 'anyone?');
    // Reconnecting (resuming) does not offer it twice.
    await alice.close();
    const again = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', { since: alice.lastSeq });
    await settle();
    assert.equal(again.eventsOf('conversation-request').length, 0);
  });

  test('a conversation of another agent is 403 for every command', async () => {
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    await postWebhook(ctx.url, messengerText({ psid: PSID }));
    await settle();
    const request = alice.eventsOf('conversation-request')[0];
    assert.equal((await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`)).status, 200);

    const attempts = [
      ['POST', path('messages'), { clientId: 'c_bob', text: 'hi' }],
      ['GET', path('messages')],
      ['POST', path('end')],
      ['POST', path('typing'), { typing: true }],
      ['POST', path('read'), { messageId: 'm_1' }],
    ];
    for (const [method, where, body] of attempts) {
      const answer = await callApi(ctx.url, 'bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e', method, where, body);
      assert.equal(answer.status, 403, `${method} ${where}`);
      assert.ok(answer.body.error);
    }
    assert.equal(ctx.graph.sends().length, 0);
    assert.equal(ctx.graph.actions().length, 0);
    const pending = await callApi(ctx.url, 'bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e', 'GET', `conversations/${encodeURIComponent(`${testSettings.pageId}:nobody`)}/messages`);
    assert.equal(pending.status, 404);
  });

  test('end closes the session; the customer’s next message is a new request', async () => {
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    await postWebhook(ctx.url, messengerText({ psid: PSID, mid: 'm_a', text: 'first visit' }));
    await settle();
    const first = alice.eventsOf('conversation-request')[0];
    await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${first.id}/accept`);
    const ended = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', path('end'));
    assert.equal(ended.status, 204);
    assert.equal((await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', path('end'))).status, 204, 'ending twice is fine');
    assert.equal((await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', path('messages'), { clientId: 'c_x', text: 'late' })).status, 404);

    await postWebhook(ctx.url, messengerText({ psid: PSID, mid: 'm_b', text: 'second visit' }));
    await settle();
    const requests = alice.eventsOf('conversation-request');
    assert.equal(requests.length, 2);
    assert.notEqual(requests[1].id, first.id);
    assert.equal(requests[1].preview, 'second visit');
    const accepted = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${requests[1].id}/accept`);
    assert.equal(accepted.body.id, conversationId, 'the same conversation id for the same customer');
    await settle();
    // Only the messages kept for this request come as events; the earlier ones are history.
    assert.deepEqual(alice.eventsOf('message').map((m) => m.id), ['m_a', 'm_b']);
    const history = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', path('messages'));
    assert.deepEqual(history.body.messages.map((m) => m.id), ['m_a', 'm_b']);
  });

  test('deliveries, reads and echoes from another app reach the conversation’s agent only', async () => {
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    const bob = await agent('bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e');
    await postWebhook(ctx.url, messengerText({ psid: PSID }));
    await settle();
    const request = alice.eventsOf('conversation-request')[0];
    await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`);
    const sent = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', path('messages'), { clientId: 'c_1', text: 'On it' });
    const page = testSettings.pageId;
    const now = Date.now();
    const delivered = messengerBody(page, [{ sender: { id: PSID }, recipient: { id: page }, timestamp: now + 2, delivery: { mids: [sent.body.id], watermark: now } }]);
    await postWebhook(
      ctx.url,
      messengerBody(page, [
        // the echo of our own send: already shown, dropped
        { sender: { id: page }, recipient: { id: PSID }, timestamp: now, message: { mid: sent.body.id, is_echo: true, app_id: Number(testSettings.appId), text: 'On it', metadata: 'c_1' } },
        // a reply typed in the Page inbox
        { sender: { id: page }, recipient: { id: PSID }, timestamp: now + 1, message: { mid: 'm_inbox', is_echo: true, app_id: 263902037430900, text: 'from the inbox' } },
        { sender: { id: PSID }, recipient: { id: page }, timestamp: now + 2, delivery: { mids: [sent.body.id], watermark: now } },
        { sender: { id: PSID }, recipient: { id: page }, timestamp: now + 3, read: { watermark: now + 1 } },
      ]),
    );
    await postWebhook(ctx.url, delivered); // delivered again by Meta
    await settle();
    const outbound = alice.eventsOf('message').filter((m) => m.direction === 'outbound');
    assert.deepEqual(outbound.map((m) => m.id), ['m_inbox']);
    assert.deepEqual(
      alice.eventsOf('message-status').map((s) => s.status),
      ['delivered', 'read'],
    );
    assert.equal(alice.eventsOf('message-status')[0].messageId, sent.body.id);
    assert.equal(bob.eventsOf('message').length + bob.eventsOf('message-status').length, 0);
    const history = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', path('messages'));
    assert.equal(history.body.messages.find((m) => m.id === sent.body.id).status, 'read');
  });

  test('shareConversations lets every agent follow and answer every conversation', async () => {
    await ctx.close();
    sockets = [];
    ctx = await startRelay({ shareConversations: true });
    const alice = await agent('alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    const bob = await agent('bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e');
    await postWebhook(ctx.url, messengerText({ psid: PSID, mid: 'm_s1' }));
    await settle();
    const request = alice.eventsOf('conversation-request')[0];
    await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`);
    await postWebhook(ctx.url, messengerText({ psid: PSID, mid: 'm_s2' }));
    await settle();
    assert.deepEqual(bob.eventsOf('message').map((m) => m.id), ['m_s2']);
    const reply = await callApi(ctx.url, 'bob-token-8e1c3a5f7d9b2e4c6a8f0d2b4e', 'POST', path('messages'), { clientId: 'c_bob', text: 'Bob here' });
    assert.equal(reply.status, 200);
    await settle();
    assert.deepEqual(alice.eventsOf('message').filter((m) => m.direction === 'outbound').map((m) => m.clientId), ['c_bob']);
  });
});

// Facebook as it is: Graph's refusals as codes, rate limits, an expired Page
// token, the handover protocol, reactions, replies, the customer notice, and
// a fallback name corrected later.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { graphErrors } from 'agent-console-relay/fake-graph';
import { callApi, connectAgent, messengerBody, messengerText, postWebhook, startRelay, testSettings, tokens } from 'agent-console-relay/testing';

const PSID = '5550007777';
const conversationId = `${testSettings.pageId}:${PSID}`;
const path = (action) => `conversations/${encodeURIComponent(conversationId)}/${action}`;
const HOUR = 3_600_000;

describe('Facebook as it is', () => {
  let ctx;
  let alice;

  /** A relay with alice in a session with the customer, whose last message is `age` ms old. */
  async function session(options = {}, { age = 60_000, graph } = {}) {
    ctx = await startRelay(options, graph ? { graph } : {});
    alice = connectAgent(ctx.url, tokens.alice);
    await alice.ready();
    await postWebhook(ctx.url, messengerText({ psid: PSID, mid: 'm_in', text: 'Hello', timestamp: Date.now() - age }));
    const request = await alice.waitForEvent('conversation-request');
    const accepted = await callApi(ctx.url, tokens.alice, 'POST', `requests/${request.id}/accept`);
    assert.equal(accepted.status, 200);
    ctx.graph.reset();
    return accepted.body;
  }
  const send = (body) => callApi(ctx.url, tokens.alice, 'POST', path('messages'), body);

  afterEach(async () => {
    alice?.ws.terminate();
    await ctx?.close();
    ctx = alice = undefined;
  });

  test('every refusal an agent can meet carries a code the console words in the agent\'s language', async () => {
    await session();
    const cases = [
      [graphErrors.windowClosed, 'reply-window-closed'],
      [graphErrors.unavailable, 'recipient-unavailable'],
      [graphErrors.tokenExpired, 'channel-unauthorized'],
    ];
    for (const [error, code] of cases) {
      ctx.graph.fail(error);
      const answer = await send({ clientId: `c_${code}`, text: 'Hi' });
      assert.equal(answer.status, 422);
      assert.equal(answer.body.code, code);
      assert.ok(answer.body.error.length > 10);
    }
    assert.match((await send({ clientId: 'c_again', text: 'x' })).body.id, /^m_fake_/, 'a good token works again');
  });

  test('a rate limit is waited out and tried again; one that persists fails with rate-limited', async () => {
    await session();
    ctx.graph.fail(graphErrors.rateLimited, { times: 2 });
    assert.equal((await send({ clientId: 'c_rate', text: 'Soon' })).status, 200);
    assert.equal(ctx.graph.sends().length, 3);
    ctx.graph.fail(graphErrors.rateLimited, { times: 3 });
    const refused = await send({ clientId: 'c_rate_2', text: 'Later' });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'rate-limited');
  });

  test('an expired Page token: /readyz fails, each console is told once, and both recover when Graph takes the token again', async () => {
    const lines = [];
    await session({ log: (message) => lines.push(message) });
    assert.equal((await fetch(`${ctx.url}/readyz`)).status, 200);
    ctx.graph.fail(graphErrors.tokenExpired, { times: 2 });
    assert.equal((await send({ clientId: 'c_exp_1', text: 'One' })).body.code, 'channel-unauthorized');
    assert.equal((await send({ clientId: 'c_exp_2', text: 'Two' })).body.code, 'channel-unauthorized');
    const ready = await fetch(`${ctx.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal((await ready.json()).code, 'channel-unauthorized');
    await alice.waitFor((frame) => frame.type === 'channel-status' && frame.ok === false);
    assert.equal(alice.frames.filter((frame) => frame.type === 'channel-status').length, 1, 'said once, not per send');
    assert.equal(lines.filter((line) => /refuses the Page access token/.test(line)).length, 1, 'logged once');
    // A console that connects now learns it at once.
    const bob = connectAgent(ctx.url, tokens.bob);
    await bob.waitFor((frame) => frame.type === 'channel-status' && frame.code === 'channel-unauthorized');
    bob.ws.terminate();
    assert.equal((await send({ clientId: 'c_exp_3', text: 'Three' })).status, 200);
    await alice.waitFor((frame) => frame.type === 'channel-status' && frame.ok === true);
    assert.equal((await fetch(`${ctx.url}/readyz`)).status, 200);
  });

  test('a reply goes to Graph with reply_to; the sent message points at what it answers', async () => {
    await session();
    const answer = await send({ clientId: 'c_reply', text: 'Yes, that one', replyTo: 'm_in' });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.replyTo, { messageId: 'm_in' });
    assert.deepEqual(ctx.graph.sends()[0].body.reply_to, { mid: 'm_in' });
    assert.equal((await send({ clientId: 'c_reply_bad', text: 'x', replyTo: 5 })).status, 400);
  });

  test('the console\'s own notice never goes with the HUMAN_AGENT tag: outside 24 hours it is refused, a reply the agent typed is tagged', async () => {
    await session({ humanAgentTag: true }, { age: 30 * HOUR });
    const notice = await send({ clientId: 'c_notice', text: 'This conversation may be recorded.', automatic: true });
    assert.equal(notice.status, 422);
    assert.equal(notice.body.code, 'reply-window-closed');
    assert.equal(ctx.graph.sends().length, 0);
    assert.equal((await send({ clientId: 'c_typed', text: 'Sorry for the wait.' })).status, 200);
    assert.equal(ctx.graph.sends()[0].body.tag, 'HUMAN_AGENT');
  });

  test('the agent reacts to a message and takes the reaction back, through Send API sender actions', async () => {
    await session();
    const react = (emoji) => callApi(ctx.url, tokens.alice, 'POST', `${path('messages')}/m_in/reaction`, { emoji });
    assert.equal((await react('❤️')).status, 204);
    assert.equal((await react('')).status, 204);
    assert.equal((await react('x'.repeat(40))).status, 400);
    assert.deepEqual(
      ctx.graph.actions().map((call) => [call.body.sender_action, call.body.payload]),
      [
        ['react', { message_id: 'm_in', reaction: '❤️' }],
        ['unreact', { message_id: 'm_in' }],
      ],
    );
    assert.equal((await callApi(ctx.url, tokens.bob, 'POST', `${path('messages')}/m_in/reaction`, { emoji: '👍' })).status, 403, 'only the conversation\'s agent');
  });

  test('taking the thread and handing it back call the handover protocol; hand back goes to the app that held it', async () => {
    await session();
    assert.equal((await callApi(ctx.url, tokens.alice, 'POST', path('thread/take'))).status, 204);
    assert.equal((await callApi(ctx.url, tokens.alice, 'POST', path('thread/pass'))).status, 204);
    const calls = ctx.graph.requests.filter((call) => call.kind === 'thread');
    assert.deepEqual(
      calls.map((call) => call.path.split('/').at(-1)),
      ['take_thread_control', 'pass_thread_control'],
    );
    assert.deepEqual(calls[0].body.recipient, { id: PSID });
    assert.equal(calls[1].body.target_app_id, '263902037430900', 'no app held it before: the Page inbox');
  });

  test('a customer first shown under the fallback name gets their real name once the profile lookup works', async () => {
    await session({}, { graph: { profiles: {} } });
    const conversations = async () => (await callApi(ctx.url, tokens.alice, 'GET', 'conversations')).body;
    assert.equal((await conversations())[0].customer.name, 'Facebook user 7777');
    ctx.graph.setProfile(PSID, { first_name: 'Ann', last_name: 'Lee' });
    await postWebhook(ctx.url, messengerText({ psid: PSID, mid: 'm_in_2', text: 'Still there?' }));
    const updated = await alice.waitForEvent('conversation-updated', { where: (detail) => detail.customer.name === 'Ann Lee' });
    assert.equal(updated.id, conversationId);
    assert.equal((await conversations())[0].customer.name, 'Ann Lee');
  });

  test("customer media is kept when it arrives and served from the relay under a signed link with its safe name, so history outlives Meta's links", async () => {
    // Meta's CDN: a picture, and a page that would run script if a browser showed it on the relay's origin.
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const cdn = http.createServer((req, res) => {
      if (req.url === '/v/t1/photo.png') return res.writeHead(200, { 'Content-Type': 'image/png' }).end(png);
      if (req.url === '/v/t1/invoice.html') return res.writeHead(200, { 'Content-Type': 'text/html' }).end('<script>alert(1)</script>');
      res.writeHead(404).end();
    });
    await new Promise((resolve) => cdn.listen(0, '127.0.0.1', resolve));
    const cdnUrl = `http://127.0.0.1:${cdn.address().port}`;
    const mediaDir = await mkdtemp(join(os.tmpdir(), 'relay-media-test-'));
    try {
      await session({ publicUrl: 'https://relay.example/', mediaDir });
      const files = (mid, attachments) =>
        messengerBody(testSettings.pageId, [{ sender: { id: PSID }, recipient: { id: testSettings.pageId }, timestamp: Date.now(), message: { mid, attachments } }]);
      await postWebhook(
        ctx.url,
        files('m_media', [
          { type: 'image', payload: { url: `${cdnUrl}/v/t1/photo.png` } },
          { type: 'file', payload: { url: `${cdnUrl}/v/t1/invoice.html` } },
          { type: 'image', payload: { url: `${cdnUrl}/v/t1/gone.png` } },
        ]),
      );
      const message = await alice.waitForEvent('message', { where: (detail) => detail.id === 'm_media' });
      const [photo, page, gone] = message.attachments;
      assert.match(photo.url, /^https:\/\/relay\.example\/media\/[^?]+\?sig=/);
      assert.equal(gone.url, `${cdnUrl}/v/t1/gone.png`, 'a file the CDN did not give stays linked from it');
      const local = (url) => `${ctx.url}${new URL(url).pathname}${new URL(url).search}`;

      const served = await fetch(local(photo.url));
      assert.equal(served.status, 200);
      assert.deepEqual(Buffer.from(await served.arrayBuffer()), png);
      assert.equal(served.headers.get('content-type'), 'image/png');
      assert.equal(served.headers.get('content-disposition'), `inline; filename="photo.png"; filename*=UTF-8''photo.png`);
      assert.equal(served.headers.get('x-content-type-options'), 'nosniff');

      const download = await fetch(local(page.url));
      assert.equal(download.headers.get('content-type'), 'application/octet-stream', 'never shown as a page on the relay\'s origin');
      assert.match(download.headers.get('content-disposition'), /^attachment; filename="invoice.html"/);
      assert.match(download.headers.get('content-security-policy'), /sandbox/);

      const forged = new URL(local(photo.url));
      forged.searchParams.set('sig', 'x'.repeat(43));
      assert.equal((await fetch(forged)).status, 404);
      assert.equal((await fetch(`${ctx.url}/media/..%2F..%2Fetc%2Fpasswd?sig=abc`)).status, 404);

      // The history keeps the relay's links.
      const history = await callApi(ctx.url, tokens.alice, 'GET', `${path('messages')}?limit=5`);
      assert.equal(history.body.messages.find((entry) => entry.id === 'm_media').attachments[0].url, photo.url);
    } finally {
      await new Promise((resolve) => cdn.close(resolve));
      await rm(mediaDir, { recursive: true, force: true });
    }
  });

  test("echoes: the relay's own (APP_ID) settle its sends; one from the Page inbox or another app is shown as theirs and never taken for a send", async () => {
    await session({ appId: '111222333' });
    const sent = await send({ clientId: 'c_ours', text: 'From the console' });
    const echo = (mid, appId, metadata, text) =>
      messengerBody(testSettings.pageId, [{ sender: { id: testSettings.pageId }, recipient: { id: PSID }, timestamp: Date.now(), message: { is_echo: true, app_id: appId, mid, metadata, text } }]);
    await postWebhook(ctx.url, echo(sent.body.id, 111222333, 'c_ours', 'From the console'));
    // Another app's bot reuses a clientId-like metadata: it must not replace the agent's message.
    await postWebhook(ctx.url, echo('m_inbox', 263902037430900, 'c_ours', 'Typed in Meta Business Suite'));
    const other = await alice.waitForEvent('message', { where: (detail) => detail.id === 'm_inbox' });
    assert.equal(other.direction, 'outbound');
    assert.deepEqual(other.author, { kind: 'other', appId: '263902037430900' });
    assert.equal(other.clientId, undefined);
    await alice.sync();
    assert.equal(alice.eventsOf('message').filter((detail) => detail.id === sent.body.id).length, 0, 'the echo of our own send is not shown again');
    const history = await callApi(ctx.url, tokens.alice, 'GET', `${path('messages')}?limit=10`);
    assert.deepEqual(
      history.body.messages.filter((entry) => entry.direction === 'outbound').map((entry) => [entry.id, entry.text]),
      [
        [sent.body.id, 'From the console'],
        ['m_inbox', 'Typed in Meta Business Suite'],
      ],
    );
  });

  test('standby: a customer writing while a bot holds the thread opens no request; when the bot passes the thread, the next message does', async () => {
    ctx = await startRelay({ appId: '111222333' });
    alice = connectAgent(ctx.url, tokens.alice);
    await alice.ready();
    const standby = messengerBody(testSettings.pageId, []);
    standby.entry[0].standby = [{ sender: { id: '5550008888' }, recipient: { id: testSettings.pageId }, timestamp: Date.now(), message: { mid: 'm_standby', text: 'Talking to the bot' } }];
    delete standby.entry[0].messaging;
    assert.equal((await postWebhook(ctx.url, standby)).status, 200);
    const passed = messengerBody(testSettings.pageId, [
      { sender: { id: '5550008888' }, recipient: { id: testSettings.pageId }, timestamp: Date.now(), pass_thread_control: { previous_owner_app_id: '999', new_owner_app_id: '111222333', metadata: 'to a human' } },
    ]);
    assert.equal((await postWebhook(ctx.url, passed)).status, 200);
    await postWebhook(ctx.url, messengerText({ psid: '5550008888', mid: 'm_after', text: 'I need a person' }));
    const request = await alice.waitForEvent('conversation-request');
    assert.equal(request.preview, 'I need a person');
    await alice.sync();
    assert.equal(alice.eventsOf('conversation-request').length, 1, 'the standby message opened none');
  });

  test('an Instagram account\'s messages become requests on the instagram channel, answered through the Send API', async () => {
    ctx = await startRelay({ instagramAccountId: '17841400000000001' });
    alice = connectAgent(ctx.url, tokens.alice);
    await alice.ready();
    const body = {
      object: 'instagram',
      entry: [{ id: '17841400000000001', time: Date.now(), messaging: [{ sender: { id: '9990001111' }, recipient: { id: '17841400000000001' }, timestamp: Date.now(), message: { mid: 'm_ig_1', text: 'Hej fra Instagram' } }] }],
    };
    assert.equal((await postWebhook(ctx.url, body)).status, 200);
    const request = await alice.waitForEvent('conversation-request');
    assert.equal(request.channel, 'instagram');
    const accepted = await callApi(ctx.url, tokens.alice, 'POST', `requests/${request.id}/accept`);
    assert.equal(accepted.body.channel, 'instagram');
    const reply = await callApi(ctx.url, tokens.alice, 'POST', `conversations/${encodeURIComponent(accepted.body.id)}/messages`, { clientId: 'c_ig', text: 'Hej!' });
    assert.equal(reply.status, 200);
    assert.deepEqual(ctx.graph.sends().at(-1).body.recipient, { id: '9990001111' });
    // Instagram's own limits apply: 1,000 characters, and no PDFs.
    const long = await callApi(ctx.url, tokens.alice, 'POST', `conversations/${encodeURIComponent(accepted.body.id)}/messages`, { clientId: 'c_ig_long', text: 'x'.repeat(1500) });
    assert.equal(long.status, 422);
    assert.equal(long.body.error, 'Instagram takes at most 1,000 characters in one message.');
    const form = new FormData();
    form.set('clientId', 'c_ig_pdf');
    form.set('file', new Blob(['%PDF-1.4\n'], { type: 'application/pdf' }), 'terms.pdf');
    const pdf = await callApi(ctx.url, tokens.alice, 'POST', `conversations/${encodeURIComponent(accepted.body.id)}/messages`, form);
    assert.equal(pdf.status, 422);
    assert.match(pdf.body.error, /This file type can't be sent/);
    // The customer unsends: the agent is told, and the history no longer has it.
    const unsend = {
      object: 'instagram',
      entry: [{ id: '17841400000000001', time: Date.now(), messaging: [{ sender: { id: '9990001111' }, recipient: { id: '17841400000000001' }, timestamp: Date.now(), message: { mid: 'm_ig_1', is_deleted: true } }] }],
    };
    assert.equal((await postWebhook(ctx.url, unsend)).status, 200);
    assert.deepEqual(await alice.waitForEvent('message-deleted'), { conversationId: accepted.body.id, messageId: 'm_ig_1' });
    const history = await callApi(ctx.url, tokens.alice, 'GET', `conversations/${encodeURIComponent(accepted.body.id)}/messages?limit=10`);
    assert.deepEqual(
      history.body.messages.map((message) => message.id),
      [reply.body.id],
    );
  });
});

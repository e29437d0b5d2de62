import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { graphErrors } from 'agent-console-relay/fake-graph';
import { callApi, connectAgent, messengerText, postWebhook, startRelay, testSettings, until } from 'agent-console-relay/testing';

const PSID = '5550001254';
const conversationId = `${testSettings.pageId}:${PSID}`;
const path = (action) => `conversations/${encodeURIComponent(conversationId)}/${action}`;
const HOUR = 3_600_000;

describe('sending', () => {
  let ctx;
  let alice;

  /** A relay with alice in a session with the customer, whose last message is `age` ms old. */
  async function session(options = {}, age = 60_000) {
    ctx = await startRelay(options);
    alice = connectAgent(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d');
    await alice.ready();
    await postWebhook(ctx.url, messengerText({ psid: PSID, mid: 'm_in', timestamp: Date.now() - age }));
    await ctx.relay.idle();
    const request = await alice.waitForEvent('conversation-request');
    const accepted = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', `requests/${request.id}/accept`);
    assert.equal(accepted.status, 200);
    ctx.graph.reset();
    return accepted.body;
  }
  const send = (body, token = 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d') => callApi(ctx.url, token, 'POST', path('messages'), body);

  afterEach(async () => {
    alice?.ws.terminate();
    await ctx?.close();
    ctx = alice = undefined;
  });

  describe('in a session', () => {
    beforeEach(() => session());

    test('a text reply is sent with the exact Send API body and the page token', async () => {
      const answer = await send({ clientId: 'c_1', text: 'Hello Ann' });
      assert.equal(answer.status, 200);
      const [call] = ctx.graph.sends();
      assert.equal(call.method, 'POST');
      assert.equal(call.path, `/v25.0/${testSettings.pageId}/messages`);
      assert.equal(call.query.access_token, testSettings.pageAccessToken);
      assert.match(call.headers['content-type'], /^application\/json/);
      assert.deepEqual(call.body, {
        recipient: { id: PSID },
        messaging_type: 'RESPONSE',
        message: { text: 'Hello Ann', metadata: 'c_1' },
      });
      const message = answer.body;
      assert.deepEqual(message, {
        id: call.answer.body.message_id,
        conversationId,
        clientId: 'c_1',
        direction: 'outbound',
        sentAt: message.sentAt,
        text: 'Hello Ann',
        status: 'sent',
      });
      assert.ok(Math.abs(Date.parse(message.sentAt) - Date.now()) < 5000);
      const history = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', path('messages'));
      assert.deepEqual(history.body.messages.map((m) => m.id), ['m_in', message.id]);
    });

    test('the same clientId twice, in a row or racing, calls Graph once and answers the same message', async () => {
      const first = await send({ clientId: 'c_dup', text: 'once' });
      const second = await send({ clientId: 'c_dup', text: 'once' });
      assert.deepEqual(second.body, first.body);
      const racing = await Promise.all([1, 2, 3].map(() => send({ clientId: 'c_race', text: 'racing' })));
      assert.deepEqual(racing.map((r) => r.status), [200, 200, 200]);
      assert.equal(new Set(racing.map((r) => r.body.id)).size, 1);
      assert.deepEqual(ctx.graph.sends().map((s) => s.body.message.metadata), ['c_dup', 'c_race']);
    });

    test('the same clientId with other content is refused with 409 and a sentence, after the send and while it runs; Graph gets only the first', async () => {
      const first = await send({ clientId: 'c_reused', text: 'Your refund is on its way' });
      assert.equal(first.status, 200);
      const other = await send({ clientId: 'c_reused', text: 'Something else' });
      assert.equal(other.status, 409);
      assert.deepEqual(other.body, { error: 'This clientId was already used for a different message; send this one under a new clientId.' });
      // Racing: whichever arrives first is sent, the other refused.
      const racing = await Promise.all(['one', 'two'].map((text) => send({ clientId: 'c_racing', text })));
      assert.deepEqual(racing.map((answer) => answer.status).sort(), [200, 409]);
      const won = racing.find((answer) => answer.status === 200).body.text;
      assert.equal((await send({ clientId: 'c_reused', text: 'Your refund is on its way' })).body.id, first.body.id, 'the same content again is the same message');
      assert.deepEqual(ctx.graph.sends().map((call) => call.body.message.text), ['Your refund is on its way', won]);
    });

    test('a file name with a path, line breaks or a direction override reaches Graph, the agent and the history cleaned', async () => {
      const form = new FormData();
      form.set('clientId', 'c_named');
      form.set('file', new Blob([new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61])], { type: 'image/gif' }), '../x\r\nin\u202Efig.gif');
      const answer = await send(form);
      assert.equal(answer.status, 200);
      assert.equal(ctx.graph.sends().at(-1).files.filedata.name, '_x infig.gif');
      assert.equal(answer.body.attachments[0].name, '_x infig.gif');
    });

    test('a file whose content is not what its name and type say is refused with 422 before Graph sees a byte', async () => {
      const program = [0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]; // a Windows program's first bytes
      const disguised = [
        ['evil.jpg', 'image/jpeg'],
        ['evil.exe', 'image/jpeg'],
        ['invoice.pdf.exe', 'application/pdf'],
        ['invoice.pdf', 'application/pdf'],
      ];
      for (const [name, type] of disguised) {
        const form = new FormData();
        form.set('clientId', `c_disguised_${name}`);
        form.set('file', new Blob([new Uint8Array(program)], { type }), name);
        const answer = await send(form);
        assert.equal(answer.status, 422, name);
        assert.match(answer.body.error, /can't be sent/, name);
      }
      assert.equal(ctx.graph.sends().length, 0);
    });

    test('a file is uploaded as multipart with filedata and the attachment type of its MIME type', async () => {
      // Each file starts as its kind does: the relay checks the content too.
      const ascii = (text) => [...text].map((c) => c.charCodeAt(0));
      const cases = [
        ['photo.png', 'image/png', 'image', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]],
        ['clip.mp4', 'video/mp4', 'video', [0, 0, 0, 0x18, ...ascii('ftypmp42')]],
        ['voice.mp3', 'audio/mpeg', 'audio', [...ascii('ID3'), 4, 0, 0]],
        ['invoice.pdf', 'application/pdf', 'file', ascii('%PDF-1.7\n')],
      ];
      for (const [name, type, kind, head] of cases) {
        const bytes = new Uint8Array(head);
        const form = new FormData();
        form.set('clientId', `c_${name}`);
        form.set('file', new Blob([bytes], { type }), name);
        const answer = await send(form);
        assert.equal(answer.status, 200, name);
        const call = ctx.graph.sends().at(-1);
        assert.equal(call.kind, 'upload');
        assert.equal(call.path, `/v25.0/${testSettings.pageId}/messages`);
        assert.equal(call.query.access_token, testSettings.pageAccessToken);
        assert.deepEqual(JSON.parse(call.fields.recipient), { id: PSID });
        assert.equal(call.fields.messaging_type, 'RESPONSE');
        assert.deepEqual(JSON.parse(call.fields.message), {
          attachment: { type: kind, payload: { is_reusable: false } },
          metadata: `c_${name}`,
        });
        const file = call.files.filedata;
        assert.equal(file.name, name);
        assert.equal(file.type, type);
        assert.equal(file.size, bytes.length);
        assert.deepEqual([...file.bytes], [...bytes]);
        assert.deepEqual(answer.body.attachments, [
          { id: `${answer.body.id}:0`, kind, name, mimeType: type, size: bytes.length, url: '' },
        ]);
        assert.equal(answer.body.text, undefined);
      }
    });

    test('text with a file: the text first, then the file; one Message with the file’s id', async () => {
      const form = new FormData();
      form.set('clientId', 'c_both');
      form.set('text', 'Here is the invoice');
      form.set('file', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'invoice.pdf');
      const answer = await send(form);
      assert.equal(answer.status, 200);
      const [text, upload] = ctx.graph.sends();
      assert.deepEqual(text.body, { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'Here is the invoice', metadata: 'c_both' } });
      assert.equal(upload.kind, 'upload');
      assert.equal(answer.body.id, upload.answer.body.message_id);
      assert.equal(answer.body.text, 'Here is the invoice');
      assert.equal(answer.body.attachments[0].kind, 'file');
    });

    test('Meta’s echo of a sent file brings its URL into the agent’s stream and the history, keeping the caption', async () => {
      const form = new FormData();
      form.set('clientId', 'c_echo');
      form.set('text', 'Your invoice');
      form.set('file', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'invoice.pdf');
      const { body: sent } = await send(form);
      const url = 'https://cdn.fbsbx.com/v/t59.2708-21/invoice.pdf?_nc_cat=1';
      const echo = (mid) => ({
        object: 'page',
        entry: [{ id: testSettings.pageId, time: Date.now(), messaging: [{ sender: { id: testSettings.pageId }, recipient: { id: PSID }, timestamp: Date.now(), message: { is_echo: true, app_id: Number(testSettings.appId), mid, metadata: 'c_echo', attachments: [{ type: 'file', payload: { url } }] } }] }],
      });
      await postWebhook(ctx.url, echo(sent.id));
      await postWebhook(ctx.url, echo(sent.id)); // delivered twice
      await ctx.relay.idle();
      await alice.sync();
      const linked = alice.eventsOf('message').filter((message) => message.id === sent.id);
      assert.equal(linked.length, 1);
      assert.equal(linked[0].text, 'Your invoice');
      assert.equal(linked[0].clientId, 'c_echo');
      assert.equal(linked[0].attachments[0].url, url);
      const history = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', `${path('messages')}?limit=10`);
      assert.deepEqual(history.body.messages.find((message) => message.id === sent.id), linked[0]);
    });

    test('a read watermark at Meta’s time of a reply marks that reply read', async () => {
      const { body: sent } = await send({ clientId: 'c_read', text: 'Read me' });
      const metaTime = Date.parse(sent.sentAt) + 1; // Meta stamps the message while the Send API call runs
      await postWebhook(ctx.url, {
        object: 'page',
        entry: [{ id: testSettings.pageId, time: Date.now(), messaging: [{ sender: { id: PSID }, recipient: { id: testSettings.pageId }, timestamp: Date.now(), read: { watermark: metaTime } }] }],
      });
      await ctx.relay.idle();
      const history = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', `${path('messages')}?limit=10`);
      assert.equal(history.body.messages.find((message) => message.id === sent.id).status, 'read');
    });

    test('a file without its echo yet is listed in the history by name', async () => {
      const form = new FormData();
      form.set('clientId', 'c_noecho');
      form.set('file', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'terms.pdf');
      const { body: sent } = await send(form);
      const history = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', `${path('messages')}?limit=10`);
      const listed = history.body.messages.find((message) => message.id === sent.id);
      assert.equal(listed.attachments, undefined);
      assert.equal(listed.text, '📎 terms.pdf');
    });

    test('a file is checked against the policy before anything is sent', async () => {
      const form = new FormData();
      form.set('clientId', 'c_exe');
      form.set('file', new Blob(['MZ'], { type: 'application/x-msdownload' }), 'setup.exe');
      const answer = await send(form);
      assert.equal(answer.status, 422);
      assert.match(answer.body.error, /can't be sent/);
      assert.equal(ctx.graph.sends().length, 0);
      const policy = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', 'policy');
      assert.equal(policy.status, 200);
      assert.equal(policy.body.maxBytes, 25 * 1024 * 1024);
      assert.ok(policy.body.accept.includes('.pdf'));
    });

    test('a malformed send is 400', async () => {
      assert.equal((await send({ text: 'no clientId' })).status, 400);
      assert.equal((await send({ clientId: 'c_empty' })).status, 400);
      assert.equal((await send({ clientId: 'c_n', text: 5 })).status, 400);
      assert.equal(ctx.graph.sends().length, 0);
    });

    test('window closed (10/2018278) is a 422 with a readable reason', async () => {
      ctx.graph.fail(graphErrors.windowClosed);
      const answer = await send({ clientId: 'c_w', text: 'late' });
      assert.equal(answer.status, 422);
      assert.equal(answer.body.error, "The reply window has closed: Messenger allows replies only within 24 hours of the customer's last message.");
      assert.equal(ctx.graph.sends().length, 1, 'not retried');
    });

    test('person unavailable (551) is a 422 with a readable reason', async () => {
      ctx.graph.fail(graphErrors.unavailable);
      const answer = await send({ clientId: 'c_u', text: 'hello?' });
      assert.equal(answer.status, 422);
      assert.equal(answer.body.error, "This person isn't available right now: they may have blocked the Page or left Messenger.");
      assert.equal(answer.body.code, 'recipient-unavailable');
    });

    test('a transient error (2) is retried with backoff and then succeeds', async () => {
      ctx.graph.fail(graphErrors.transient, { times: 2 });
      const answer = await send({ clientId: 'c_t', text: 'again' });
      assert.equal(answer.status, 200);
      assert.equal(ctx.graph.sends().length, 3);
      assert.equal(answer.body.id, ctx.graph.sends()[2].answer.body.message_id);
    });

    test('a transient error that persists fails after 3 tries; the same clientId can then be retried', async () => {
      ctx.graph.fail(graphErrors.transient, { times: 3 });
      const started = Date.now();
      const answer = await send({ clientId: 'c_tt', text: 'never' });
      assert.equal(answer.status, 422);
      assert.match(answer.body.error, /temporary/);
      assert.equal(ctx.graph.sends().length, 3);
      assert.ok(Date.now() - started >= 10 + 20, 'waited 10 ms, then 20 ms');
      const retry = await send({ clientId: 'c_tt', text: 'never' });
      assert.equal(retry.status, 200);
      assert.equal(ctx.graph.sends().length, 4);
    });

    test('is_transient is retried too; other errors are Graph’s message without the token', async () => {
      ctx.graph.fail({ message: 'Temporary glitch', type: 'OAuthException', code: 1, is_transient: true });
      assert.equal((await send({ clientId: 'c_it', text: 'x' })).status, 200);
      ctx.graph.fail({ message: `(#100) Bad token ${testSettings.pageAccessToken} used`, type: 'OAuthException', code: 100 });
      const answer = await send({ clientId: 'c_other', text: 'x' });
      assert.equal(answer.status, 422);
      assert.ok(answer.body.error.startsWith('(#100) Bad token'));
      assert.ok(!answer.body.error.includes(testSettings.pageAccessToken));
    });

    test('when the file fails after the text went out, a retry sends only the file', async () => {
      ctx.graph.fail(graphErrors.unavailable, { match: 'upload' });
      const form = () => {
        const data = new FormData();
        data.set('clientId', 'c_partial');
        data.set('text', 'caption');
        data.set('file', new Blob(['GIF89a'], { type: 'image/gif' }), 'a.gif');
        return data;
      };
      assert.equal((await send(form())).status, 422);
      const retry = await send(form());
      assert.equal(retry.status, 200);
      assert.deepEqual(ctx.graph.sends().map((s) => s.kind), ['message', 'upload', 'upload']);
    });

    test('typing and read become sender actions; their errors are not fatal', async () => {
      assert.equal((await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', path('typing'), { typing: true })).status, 204);
      assert.equal((await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', path('typing'), { typing: false })).status, 204);
      assert.equal((await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', path('read'), { messageId: 'm_in' })).status, 204);
      assert.deepEqual(ctx.graph.actions().map((a) => a.body), [
        { recipient: { id: PSID }, sender_action: 'typing_on' },
        { recipient: { id: PSID }, sender_action: 'typing_off' },
        { recipient: { id: PSID }, sender_action: 'mark_seen' },
      ]);
      ctx.graph.fail(graphErrors.unavailable, { match: 'action' });
      assert.equal((await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', path('typing'), { typing: true })).status, 204);
      assert.equal((await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'POST', path('typing'), { typing: 'yes' })).status, 400);
    });

    test('history pages back with before and limit, oldest first', async () => {
      for (let i = 1; i <= 4; i++) await send({ clientId: `c_h${i}`, text: `reply ${i}` });
      const newest = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', `${path('messages')}?limit=2`);
      assert.deepEqual(newest.body.messages.map((m) => m.text), ['reply 3', 'reply 4']);
      assert.equal(newest.body.hasMore, true);
      const older = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', `${path('messages')}?limit=2&before=${encodeURIComponent(newest.body.messages[0].id)}`);
      assert.deepEqual(older.body.messages.map((m) => m.text), ['reply 1', 'reply 2']);
      assert.equal(older.body.hasMore, true);
      const oldest = await callApi(ctx.url, 'alice-token-5f3a9c1e7b2d4f6a8c0e2b4d', 'GET', `${path('messages')}?limit=2&before=${encodeURIComponent(older.body.messages[0].id)}`);
      assert.deepEqual(oldest.body.messages.map((m) => m.id), ['m_in']);
      assert.equal(oldest.body.hasMore, false);
    });
  });

  test('one agent may have only so many files, and bytes, on their way at once: the next gets 429 until one has gone', async () => {
    await session({ uploadsPerAgent: 2, uploadBytesPerAgent: 100_000 });
    const gif = (clientId, size = 64) => {
      const form = new FormData();
      form.set('clientId', clientId);
      const bytes = new Uint8Array(size);
      bytes.set([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]);
      form.set('file', new Blob([bytes], { type: 'image/gif' }), `${clientId}.gif`);
      return form;
    };
    ctx.graph.delay = 300;
    const first = send(gif('c_up_1'));
    const second = send(gif('c_up_2'));
    await until(() => ctx.graph.open === 2);
    const third = await send(gif('c_up_3'));
    assert.equal(third.status, 429);
    assert.equal(third.headers.get('retry-after'), '5');
    assert.deepEqual(third.body, { error: 'Too many files are on their way from you; send this one once one of them has gone.' });
    assert.equal((await send({ clientId: 'c_text', text: 'Text is not held up' })).status, 200);
    assert.deepEqual([(await first).status, (await second).status], [200, 200]);
    ctx.graph.delay = 0;
    assert.equal((await send(gif('c_up_3'))).status, 200, 'room again');
    const big = await send(gif('c_up_big', 150_000));
    assert.equal(big.status, 429, 'more bytes than an agent may have on their way');
    const clientIdOf = (call) => (call.kind === 'upload' ? JSON.parse(call.fields.message).metadata : call.body.message.metadata);
    assert.deepEqual(ctx.graph.sends().map(clientIdOf).sort(), ['c_text', 'c_up_1', 'c_up_2', 'c_up_3']);
  });

  test('shutting down: a send under way at Graph finishes and is answered; new sends and webhooks get 503 (or no connection) and reach nothing', async () => {
    await session();
    ctx.graph.delay = 300;
    const underWay = send({ clientId: 'c_under_way', text: 'Almost there' });
    await until(() => ctx.graph.open === 1);
    const closing = ctx.relay.close();
    const refused = (answer) => answer instanceof Error || answer.status === 503;
    assert.ok(refused(await send({ clientId: 'c_late', text: 'Too late' }).catch((error) => error)));
    assert.ok(refused(await postWebhook(ctx.url, messengerText({ psid: PSID, text: 'Late webhook' })).catch((error) => error)));
    const answered = await underWay;
    assert.equal(answered.status, 200);
    assert.equal(answered.body.text, 'Almost there');
    await closing;
    assert.deepEqual(ctx.graph.sends().map((call) => call.body.message.text), ['Almost there']);
  });

  test('shutting down: a send still waiting for its turn at Graph is refused with 503 and never reaches Graph', async () => {
    await session({ maxGraphCalls: 1 });
    ctx.graph.delay = 300;
    const first = send({ clientId: 'c_turn_1', text: 'At Graph' });
    await until(() => ctx.graph.open === 1);
    const second = send({ clientId: 'c_turn_2', text: 'Waiting for its turn' });
    // The second is claimed and waits for the only Graph slot.
    const claimed = `send:${conversationId}\u0000c_turn_2`;
    while ((await ctx.relay.store.get(claimed))?.value?.state !== 'sending') await new Promise((resolve) => setImmediate(resolve));
    const closing = ctx.relay.close();
    assert.equal((await first).status, 200);
    const refused = await second;
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error, 'The relay is restarting; the message will be sent again in a moment.');
    await closing;
    assert.deepEqual(ctx.graph.sends().map((call) => call.body.message.text), ['At Graph']);
  });

  test('shutting down cuts a send Graph has not answered by shutdownTimeout', async () => {
    await session({ shutdownTimeout: 50 });
    ctx.graph.delay = 10_000;
    const underWay = send({ clientId: 'c_slow', text: 'Slow' }).catch((error) => error);
    await until(() => ctx.graph.open === 1);
    await ctx.relay.close();
    assert.equal(ctx.graph.requests.length, 0, 'closed while Graph was still holding the send');
    assert.ok(await underWay, 'the agent is answered (or cut), not left waiting');
  });

  test('outside 24 hours without the HUMAN_AGENT tag: 422 and no Graph call', async () => {
    const conversation = await session({}, 25 * HOUR);
    assert.ok(Date.parse(conversation.replyBy) < Date.now());
    const answer = await send({ clientId: 'c_late', text: 'sorry' });
    assert.equal(answer.status, 422);
    assert.match(answer.body.error, /reply window has closed/);
    assert.equal(ctx.graph.sends().length, 0);
  });

  test('with the HUMAN_AGENT tag: a MESSAGE_TAG send after 24 hours, refused after 7 days', async () => {
    const conversation = await session({ humanAgentTag: true }, 30 * HOUR);
    assert.ok(Math.abs(Date.parse(conversation.replyBy) - (Date.now() - 30 * HOUR + 7 * 24 * HOUR)) < 5000, 'replyBy: 7 days');
    const answer = await send({ clientId: 'c_tag', text: 'following up' });
    assert.equal(answer.status, 200);
    assert.deepEqual(ctx.graph.sends()[0].body, {
      recipient: { id: PSID },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'following up', metadata: 'c_tag' },
    });
    const form = new FormData();
    form.set('clientId', 'c_tag_file');
    form.set('file', new Blob(['hello'], { type: 'text/plain' }), 'notes.txt');
    assert.equal((await send(form)).status, 200);
    const upload = ctx.graph.sends()[1];
    assert.equal(upload.fields.messaging_type, 'MESSAGE_TAG');
    assert.equal(upload.fields.tag, 'HUMAN_AGENT');

    await ctx.close();
    alice.ws.terminate();
    await session({ humanAgentTag: true }, 8 * 24 * HOUR);
    const late = await send({ clientId: 'c_week', text: 'too late' });
    assert.equal(late.status, 422);
    assert.match(late.body.error, /7 days/);
    assert.equal(ctx.graph.sends().length, 0);
  });

  test('a configurable Graph version and base URL', async () => {
    await session({ graphApiVersion: 'v99.0' });
    await send({ clientId: 'c_v', text: 'versioned' });
    assert.equal(ctx.graph.sends()[0].path, `/v99.0/${testSettings.pageId}/messages`);
  });
});

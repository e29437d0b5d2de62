import assert from 'node:assert/strict';
import net from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { callApi, messengerText, postWebhook, startRelay, testSettings } from 'agent-console-relay/testing';

/** A raw connection to the relay that sends `text` and records what comes back; `closed` resolves when the relay lets go of it. */
function rawClient(port, text) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => (received += chunk));
  socket.on('error', () => {});
  const opened = new Promise((resolve) => socket.once('connect', resolve));
  if (text) socket.write(text);
  const closed = new Promise((resolve) => socket.once('close', () => resolve(received)));
  return { socket, opened, closed };
}

/** The start of a webhook POST whose body never comes in full. */
const unfinishedWebhook = (length = 1_000_000) => `POST /webhook HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{"object":"page"`;

describe('connections', () => {
  let ctx;
  afterEach(async () => {
    await ctx?.close();
    ctx = undefined;
  });

  test('a client that sends its request too slowly is answered 408 and cut, not held for minutes', async () => {
    ctx = await startRelay({ headersTimeout: 200, requestTimeout: 300 });
    const slowBody = rawClient(ctx.port, unfinishedWebhook());
    const slowHeaders = rawClient(ctx.port, 'POST /webhook HTTP/1.1\r\nHost: relay\r\n');
    assert.match(await slowBody.closed, /^HTTP\/1\.1 408/);
    assert.match(await slowHeaders.closed, /^HTTP\/1\.1 408/);
  });

  test('only maxUnauthenticatedConnections may be open without a token or a signed webhook; agents and Meta still get through', async () => {
    ctx = await startRelay({ maxUnauthenticatedConnections: 3 });
    const alice = testSettings.agentTokens.alice;
    // An agent whose keep-alive connection has shown its token does not count.
    assert.equal((await callApi(ctx.url, alice, 'GET', 'policy')).status, 200);
    const holders = [1, 2, 3].map(() => rawClient(ctx.port, unfinishedWebhook()));
    await Promise.all(holders.map((holder) => holder.opened));
    await ctx.relay.idle();
    const turnedAway = rawClient(ctx.port, unfinishedWebhook());
    assert.equal(await turnedAway.closed, '', 'closed at once, unanswered');
    for (const holder of holders) holder.socket.destroy();
    await Promise.all(holders.map((holder) => holder.closed));
    // Room again once the relay has seen them close: a new connection is served.
    let answer;
    for (let attempt = 0; !answer && attempt < 100; attempt++) answer = await postWebhook(ctx.url, messengerText()).catch(() => undefined);
    assert.equal(answer?.status, 200);
  });

  test('malformed requests get a sentence: a bad address is 400, a command with an empty JSON body runs, other methods on /webhook are 405', async () => {
    const ctx = await startRelay();
    try {
      const token = testSettings.agentTokens.alice;
      const badAddress = await callApi(ctx.url, token, 'GET', 'conversations/%zz/messages');
      assert.equal(badAddress.status, 400);
      assert.deepEqual(badAddress.body, { error: 'The address is not valid.' });
      const empty = await fetch(`${ctx.url}/api/requests/req_unknown/reject`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });
      assert.equal(empty.status, 204);
      for (const method of ['HEAD', 'PUT', 'DELETE', 'OPTIONS']) {
        const answer = await fetch(`${ctx.url}/webhook`, { method });
        assert.equal(answer.status, 405, method);
        assert.equal(answer.headers.get('allow'), 'GET, POST');
      }
    } finally {
      await ctx.close();
    }
  });
});

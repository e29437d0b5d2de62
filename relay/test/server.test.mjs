import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { createRelay } from 'agent-console-relay';
import { createFakeGraph } from 'agent-console-relay/fake-graph';
import { callApi, connectAgent, messengerText, postWebhook, startRelay, testSettings, tokens, until } from 'agent-console-relay/testing';

const server = fileURLToPath(new URL('../dist/server.js', import.meta.url));

/** Runs relay/dist/server.js with only the given environment; resolves with its output once `until` matches or it exits. */
function run(env, until) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [server], { env: { PATH: process.env.PATH, ...env } });
    let out = '';
    const done = (code) => resolve({ code, out, child });
    const check = () => until && until.test(out) && done(null);
    child.stdout.on('data', (data) => ((out += data), check()));
    child.stderr.on('data', (data) => ((out += data), check()));
    child.on('exit', done);
    child.on('error', reject);
  });
}

describe('configuration', () => {
  test('dist/server.js exits with a clear message listing the missing variables', async () => {
    const { code, out } = await run({ PAGE_ID: '1', APP_SECRET: 's' });
    assert.equal(code, 1);
    assert.match(out, /missing environment variables: PAGE_ACCESS_TOKEN, VERIFY_TOKEN, AGENT_TOKENS/);
  });

  test('dist/server.js refuses a malformed AGENT_TOKENS', async () => {
    const { code, out } = await run({ PAGE_ID: '1', APP_SECRET: 's', PAGE_ACCESS_TOKEN: 't', VERIFY_TOKEN: 'v', AGENT_TOKENS: 'alice' });
    assert.equal(code, 1);
    assert.match(out, /AGENT_TOKENS must look like/);
  });

  test('dist/server.js refuses an agent token shorter than 32 characters, without printing it', async () => {
    const env = { PAGE_ID: '1', APP_SECRET: 's', PAGE_ACCESS_TOKEN: 't', VERIFY_TOKEN: 'v', AGENT_TOKENS: 'alice:guessable-password' };
    const { code, out } = await run(env);
    assert.equal(code, 1);
    assert.match(out, /The token of agent alice is 18 characters long; give each agent a random token of at least 32/);
    assert.ok(!out.includes('guessable-password'));
    assert.throws(() => createRelay({ ...testSettings, agentTokens: { bob: 'x'.repeat(31) } }), /at least 32/);
  });

  test('dist/server.js starts from the environment and logs without secrets', async () => {
    const env = {
      PAGE_ID: '1234567890',
      PAGE_ACCESS_TOKEN: 'EAAsecretpagetoken',
      APP_SECRET: 'appsecret',
      VERIFY_TOKEN: 'verify',
      AGENT_TOKENS: 'alice:alicesecret-9f8e7d6c5b4a39281706f5e4,bob:bobsecret-1a2b3c4d5e6f708192a3b4c5',
      ALLOWED_ORIGINS: 'http://localhost:8000',
      HUMAN_AGENT_TAG: 'true',
      PORT: '0',
      HOST: '127.0.0.1',
    };
    const { child, out } = await run(env, /listening on (http:\/\/\S+)/);
    try {
      const url = /listening on (http:\/\/\S+)/.exec(out)[1];
      const verified = await fetch(`${url}/webhook?hub.mode=subscribe&hub.verify_token=verify&hub.challenge=42`);
      assert.equal(await verified.text(), '42');
      assert.ok(!out.includes('EAAsecretpagetoken') && !out.includes('alicesecret'));
    } finally {
      child.kill('SIGTERM');
    }
  });

  test('createRelay names what is missing', () => {
    assert.throws(() => createRelay({ pageId: '1' }), /missing pageAccessToken, appSecret, verifyToken/);
    assert.throws(() => createRelay({ ...testSettings, agentTokens: undefined, log: false }), /agentTokens or verifyAgent/);
  });

  test('signatures are compared with crypto.timingSafeEqual on equal-length buffers', async () => {
    const ctx = await startRelay();
    const original = crypto.timingSafeEqual;
    const calls = [];
    crypto.timingSafeEqual = (a, b) => {
      calls.push([a.length, b.length]);
      return original(a, b);
    };
    try {
      const raw = JSON.stringify(messengerText());
      const wrong = `sha256=${crypto.createHmac('sha256', 'other').update(raw).digest('hex')}`;
      assert.equal((await postWebhook(ctx.url, raw, { signature: wrong })).status, 403);
      assert.equal((await postWebhook(ctx.url, raw)).status, 200);
      assert.deepEqual(calls, [
        [32, 32],
        [32, 32],
      ]);
    } finally {
      crypto.timingSafeEqual = original;
      await ctx.close();
    }
  });

  test('SIGTERM: sends that Graph is holding finish and are answered, a late webhook gets 503, and the process exits 0', async () => {
    const graph = createFakeGraph({ accessToken: testSettings.pageAccessToken });
    const { url: graphApiUrl } = await graph.listen();
    const env = {
      PAGE_ID: testSettings.pageId,
      PAGE_ACCESS_TOKEN: testSettings.pageAccessToken,
      APP_SECRET: testSettings.appSecret,
      VERIFY_TOKEN: testSettings.verifyToken,
      AGENT_TOKENS: `alice:${tokens.alice}`,
      GRAPH_API_URL: graphApiUrl,
      PORT: '0',
    };
    const { child, out } = await run(env, /listening on (http:\/\/\S+)/);
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = /listening on (http:\/\/\S+)/.exec(out)[1];
      const alice = connectAgent(url, tokens.alice);
      await alice.ready();
      await postWebhook(url, messengerText({ psid: '5550007001', text: 'Is my parcel on its way?' }));
      const request = await alice.waitForEvent('conversation-request');
      assert.equal((await callApi(url, tokens.alice, 'POST', `requests/${request.id}/accept`)).status, 200);
      const messages = `conversations/${encodeURIComponent(`${testSettings.pageId}:5550007001`)}/messages`;

      graph.delay = 1_000;
      const sends = Array.from({ length: 5 }, (_, index) => callApi(url, tokens.alice, 'POST', messages, { clientId: `c_term_${index}`, text: `Reply ${index}` }));
      await until(() => graph.open === 5);
      child.kill('SIGTERM');
      const socketClosed = await alice.closed;
      assert.equal(socketClosed.code, 1001, 'the console is told the relay is going away');
      const late = await postWebhook(url, messengerText({ psid: '5550007002', text: 'Hello?' })).catch((error) => error);
      assert.ok(late instanceof Error || late.status === 503, 'a webhook during the drain is refused, so Meta delivers it again');
      const answers = await Promise.all(sends);
      assert.deepEqual(
        answers.map((answer) => answer.status),
        [200, 200, 200, 200, 200],
      );
      assert.equal(await exited, 0);
      assert.equal(graph.sends().length, 5, 'each send reached Graph once');
    } finally {
      child.kill('SIGKILL');
      await graph.close();
    }
  });
});

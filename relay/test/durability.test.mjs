// The relay on Redis, as real processes: killed, restarted, and run as two
// instances behind one Page. Each test starts its own redis-server on a free
// loopback port and its own fake Graph API.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createFakeGraph } from 'agent-console-relay/fake-graph';
import { callApi, connectAgent, messengerBody, messengerText, postWebhook, startRedisServer, testSettings, tokens, until } from 'agent-console-relay/testing';

const server = fileURLToPath(new URL('../dist/server.js', import.meta.url));
const conversationOf = (psid) => `${testSettings.pageId}:${psid}`;
const messagesPath = (psid) => `conversations/${encodeURIComponent(conversationOf(psid))}/messages`;

/** One relay process (dist/server.js) on the Redis store; resolves once it listens. */
async function spawnRelay(redis, graphUrl, env = {}) {
  const child = spawn(process.execPath, [server], {
    env: {
      PATH: process.env.PATH,
      PAGE_ID: testSettings.pageId,
      PAGE_ACCESS_TOKEN: testSettings.pageAccessToken,
      APP_SECRET: testSettings.appSecret,
      VERIFY_TOKEN: testSettings.verifyToken,
      APP_ID: testSettings.appId,
      AGENT_TOKENS: `alice:${tokens.alice},bob:${tokens.bob}`,
      GRAPH_API_URL: graphUrl,
      STORE: 'redis',
      REDIS_URL: redis.url,
      // A killed instance's inbox partitions and locks pass to the others after this long.
      LEASE_TTL: '1500',
      PORT: '0',
      ...env,
    },
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = await new Promise((resolve, reject) => {
    const look = (data) => {
      output += data;
      const found = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (found) resolve(found[1]);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    exited.then((code) => reject(new Error(`the relay exited (${code}) before listening:\n${output}`)));
  });
  return { url, child, exited, output: () => output, kill: () => child.kill('SIGKILL') };
}

/** Posts the webhooks `count` at a time; answers, per body, true when it was acknowledged with 200. */
async function postAll(url, bodies, count = 8) {
  const acknowledged = new Array(bodies.length).fill(false);
  let next = 0;
  await Promise.all(
    Array.from({ length: count }, async () => {
      while (next < bodies.length) {
        const index = next++;
        const answer = await postWebhook(url, bodies[index]).catch(() => undefined);
        acknowledged[index] = answer?.status === 200;
      }
    }),
  );
  return acknowledged;
}

/** How many times each message id reached the agent, as a `message` event. */
function deliveries(agent) {
  const counts = new Map();
  for (const message of agent.eventsOf('message')) counts.set(message.id, (counts.get(message.id) ?? 0) + 1);
  return counts;
}

/** Accepts every request offered to the agent (on `url`) until `done()` holds. */
async function acceptUntil(agent, token, url, done) {
  const accepted = new Set();
  await until(() => {
    for (const request of agent.eventsOf('conversation-request')) {
      if (accepted.has(request.id)) continue;
      accepted.add(request.id);
      void callApi(url, token, 'POST', `requests/${request.id}/accept`);
    }
    return done();
  });
}

describe('the relay on Redis, as processes', { timeout: 180_000 }, () => {
  let redis;
  let graph;
  let graphUrl;
  const processes = [];
  const relay = async (env) => {
    const started = await spawnRelay(redis, graphUrl, env);
    processes.push(started);
    return started;
  };

  before(async () => {
    redis = await startRedisServer();
    graph = createFakeGraph({ accessToken: testSettings.pageAccessToken });
    graphUrl = (await graph.listen()).url;
  });
  after(async () => {
    for (const { child } of processes) child.kill('SIGKILL');
    await Promise.all(processes.map(({ exited }) => exited));
    await graph?.close();
    await redis?.stop();
  });

  test('killed (-9) in the middle of a stream: every acknowledged message reaches an agent after a restart, and Meta redelivering any of them doubles none', async () => {
    const a = await relay({ REDIS_PREFIX: 'kill:' });
    // 20 customers, 5 messages each, and no agent online: everything waits in Redis.
    const bodies = [];
    for (let round = 0; round < 5; round++) {
      for (let customer = 0; customer < 20; customer++) bodies.push(messengerText({ psid: `55501${String(customer).padStart(3, '0')}`, mid: `m_kill_${customer}_${round}`, text: `Message ${round} from ${customer}` }));
    }
    const posting = postAll(a.url, bodies);
    // Killed once about 40 webhooks are in, with more on their way.
    await until(() => (a.output().match(/webhook: 1 event received/g)?.length ?? 0) >= 40);
    a.kill();
    const acknowledged = await posting;
    const mids = bodies.map((body) => body.entry[0].messaging[0].message.mid);
    const kept = mids.filter((_, index) => acknowledged[index]);
    assert.ok(kept.length >= 30 && kept.length < 100, `${kept.length} acknowledged before the kill`);

    const b = await relay({ REDIS_PREFIX: 'kill:' });
    // Meta delivers again what it did not get a 200 for, and (at least once) some of what it did.
    const again = bodies.filter((_, index) => !acknowledged[index] || index % 7 === 0);
    assert.ok((await postAll(b.url, again)).every(Boolean));

    const alice = connectAgent(b.url, tokens.alice);
    await alice.ready();
    await acceptUntil(alice, tokens.alice, b.url, () => deliveries(alice).size === 100);
    await alice.sync();
    const counts = deliveries(alice);
    for (const mid of mids) assert.equal(counts.get(mid), 1, `${mid} reached the agent ${counts.get(mid) ?? 0} times`);
    assert.equal(alice.eventsOf('conversation-request').length, 20, 'one request per customer');
    alice.ws.terminate();
  });

  test('two instances: an agent on B gets, in order, everything webhooks bring to A; accepting on A while the customer writes to B never doubles a message (150 times)', async () => {
    const a = await relay({ REDIS_PREFIX: 'pair:' });
    const b = await relay({ REDIS_PREFIX: 'pair:' });
    const alice = connectAgent(b.url, tokens.alice);
    await alice.ready();

    // In order across instances: 30 messages of one customer, each webhook to A.
    await postWebhook(a.url, messengerText({ psid: '5550200000', mid: 'm_order_0', text: 'First' }));
    const request = await alice.waitForEvent('conversation-request', { timeout: 15_000 });
    assert.equal((await callApi(b.url, tokens.alice, 'POST', `requests/${request.id}/accept`)).status, 200);
    for (let index = 1; index <= 30; index++) assert.equal((await postWebhook(a.url, messengerText({ psid: '5550200000', mid: `m_order_${index}`, text: `Next ${index}` }))).status, 200);
    await until(() => deliveries(alice).has('m_order_30'));
    const order = alice.eventsOf('message').filter((message) => message.id.startsWith('m_order_')).map((message) => message.id);
    assert.deepEqual(order, Array.from({ length: 31 }, (_, index) => `m_order_${index}`));

    // Accept on A while the customer's next message lands on B.
    const trials = 150;
    const psids = Array.from({ length: trials }, (_, index) => `5550300${String(index).padStart(3, '0')}`);
    for (let start = 0; start < trials; start += 15) {
      await Promise.all(
        psids.slice(start, start + 15).map(async (psid) => {
          await postWebhook(b.url, messengerText({ psid, mid: `m_race_${psid}_1`, text: 'Hello?' }));
          const offered = await alice.waitForEvent('conversation-request', { where: (detail) => detail.customer.id === psid, timeout: 15_000 });
          await Promise.all([
            callApi(a.url, tokens.alice, 'POST', `requests/${offered.id}/accept`),
            postWebhook(b.url, messengerText({ psid, mid: `m_race_${psid}_2`, text: 'Are you there?' })),
          ]);
        }),
      );
    }
    await until(() => psids.every((psid) => deliveries(alice).has(`m_race_${psid}_2`)));
    await alice.sync();
    const counts = deliveries(alice);
    const doubled = psids.filter((psid) => counts.get(`m_race_${psid}_1`) !== 1 || counts.get(`m_race_${psid}_2`) !== 1);
    assert.deepEqual(doubled, [], 'every message reached the agent exactly once');
    alice.ws.terminate();
  });

  test('an instance killed under its agents: they reconnect to the other and resume from their seq with nothing lost or doubled', async () => {
    const a = await relay({ REDIS_PREFIX: 'failover:' });
    const b = await relay({ REDIS_PREFIX: 'failover:' });
    const bob = connectAgent(a.url, tokens.bob);
    await bob.ready();
    await postWebhook(b.url, messengerText({ psid: '5550400000', mid: 'm_fail_0', text: 'Hi' }));
    const request = await bob.waitForEvent('conversation-request', { timeout: 15_000 });
    assert.equal((await callApi(a.url, tokens.bob, 'POST', `requests/${request.id}/accept`)).status, 200);
    await until(() => deliveries(bob).has('m_fail_0'));

    const posting = (async () => {
      for (let index = 1; index <= 40; index++) assert.equal((await postWebhook(b.url, messengerText({ psid: '5550400000', mid: `m_fail_${index}`, text: `Still here ${index}` }))).status, 200);
    })();
    await until(() => deliveries(bob).has('m_fail_10'));
    a.kill();
    await bob.closed;
    const resumed = connectAgent(b.url, tokens.bob, { since: bob.lastSeq });
    const ready = await resumed.ready();
    assert.equal(ready.gap, undefined, 'nothing was dropped from the log');
    await posting;
    await until(() => deliveries(bob).has('m_fail_40') || deliveries(resumed).has('m_fail_40'));
    await resumed.sync();
    const seen = [...bob.eventsOf('message'), ...resumed.eventsOf('message')].map((message) => message.id);
    assert.deepEqual(seen, Array.from({ length: 41 }, (_, index) => `m_fail_${index}`));
    resumed.ws.terminate();
  });

  test('SIGTERM during slow sends, then the console retries on the other instance: each message reaches Graph once', async () => {
    const a = await relay({ REDIS_PREFIX: 'term:' });
    const b = await relay({ REDIS_PREFIX: 'term:' });
    const alice = connectAgent(b.url, tokens.alice);
    await alice.ready();
    await postWebhook(a.url, messengerText({ psid: '5550500000', mid: 'm_term_0', text: 'Where is my parcel?' }));
    const request = await alice.waitForEvent('conversation-request', { timeout: 15_000 });
    assert.equal((await callApi(b.url, tokens.alice, 'POST', `requests/${request.id}/accept`)).status, 200);
    graph.reset();
    graph.delay = 500;
    const drafts = Array.from({ length: 5 }, (_, index) => ({ clientId: `c_term_${index}`, text: `On its way ${index}` }));
    const first = drafts.map((draft) => callApi(a.url, tokens.alice, 'POST', messagesPath('5550500000'), draft).catch((error) => error));
    await until(() => graph.open === 5);
    a.child.kill('SIGTERM');
    assert.equal(await a.exited, 0);
    await Promise.all(first);
    graph.delay = 0;
    // The console sends each again, as it does after a lost answer; B knows they went.
    const retried = await Promise.all(drafts.map((draft) => callApi(b.url, tokens.alice, 'POST', messagesPath('5550500000'), draft)));
    assert.deepEqual(
      retried.map((answer) => answer.status),
      [200, 200, 200, 200, 200],
    );
    assert.deepEqual(graph.sends().map((call) => call.body.message.metadata).sort(), drafts.map((draft) => draft.clientId).sort());
    alice.ws.terminate();
  });

  test('killed while Graph holds a send: Meta\'s echo settles it, and the console\'s retry on the other instance sends nothing again', async () => {
    const a = await relay({ REDIS_PREFIX: 'echo:' });
    const b = await relay({ REDIS_PREFIX: 'echo:' });
    const alice = connectAgent(b.url, tokens.alice);
    await alice.ready();
    await postWebhook(b.url, messengerText({ psid: '5550600000', mid: 'm_echo_0', text: 'Any news?' }));
    const request = await alice.waitForEvent('conversation-request', { timeout: 15_000 });
    assert.equal((await callApi(b.url, tokens.alice, 'POST', `requests/${request.id}/accept`)).status, 200);
    graph.reset();
    graph.delay = 1_000;
    const lost = callApi(a.url, tokens.alice, 'POST', messagesPath('5550600000'), { clientId: 'c_lost', text: 'It left this morning.' }).catch((error) => error);
    await until(() => graph.open === 1);
    a.kill();
    assert.ok((await lost) instanceof Error, 'the answer was lost with the instance');
    await until(() => graph.open === 0);
    graph.delay = 0;
    // Meta echoes what the Page sent, with our clientId in its metadata.
    const echo = messengerBody(testSettings.pageId, [
      { sender: { id: testSettings.pageId }, recipient: { id: '5550600000' }, timestamp: Date.now(), message: { is_echo: true, app_id: Number(testSettings.appId), mid: 'm_echo_sent', metadata: 'c_lost', text: 'It left this morning.' } },
    ]);
    assert.equal((await postWebhook(b.url, echo)).status, 200);
    const retried = await callApi(b.url, tokens.alice, 'POST', messagesPath('5550600000'), { clientId: 'c_lost', text: 'It left this morning.' });
    assert.equal(retried.status, 200);
    assert.equal(retried.body.id, 'm_echo_sent');
    assert.equal(retried.body.text, 'It left this morning.');
    assert.ok(graph.sends().length <= 1, 'Graph got it at most once (from the instance that died)');
    alice.ws.terminate();
  });
});

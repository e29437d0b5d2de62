// `npm run bench:relay`: how the relay holds up under a busy Page, on loopback.
//
// 500 customers write 20,000 messages (40 each), one signed webhook per
// message as Meta sends them, at most 50 webhooks in flight; 5 agents are
// connected, and each accepts the requests of its share of the customers as
// they are offered. Graph is the fake one the tests use (profiles and sends
// answered at once), in this process, as is the relay.
//
// Printed: webhook throughput (messages per second, from the first webhook to
// the last answer), p50/p99/max time from posting a webhook to its 200, the
// time until every message has reached an agent (live, or handed over at
// accept), and the process's resident memory (RSS) at the start and at its
// highest. Options: --customers=500 --messages=40 --agents=5 --in-flight=50.
//
// It runs three cases, each in a process of its own: the in-memory store;
// one instance on Redis; two instances on one Redis, with webhooks and
// agents spread over both. Each Redis case starts its own redis-server
// (append-only file, fsync always) on a free loopback port. `--case=memory`,
// `--case=redis` or `--case=redis-2` runs one.
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { createFakeGraph } from 'agent-console-relay/fake-graph';
import { createRedisStore, createRelay, signWebhook } from 'agent-console-relay';
import { startRedisServer } from 'agent-console-relay/testing';

const cases = { memory: 'in-memory store', redis: 'Redis, 1 instance', 'redis-2': 'Redis, 2 instances' };
const chosen = process.argv.find((a) => a.startsWith('--case='))?.split('=')[1];
if (!chosen || process.env.BENCH_REDIS_URL === undefined) {
  // The parent: one child per case, each with a fresh Redis where it needs one.
  const rows = [];
  for (const name of chosen ? [chosen] : Object.keys(cases)) {
    const redis = name === 'memory' ? undefined : await startRedisServer();
    const child = fork(new URL(import.meta.url).pathname, [...process.argv.slice(2).filter((a) => !a.startsWith('--case=')), `--case=${name}`], {
      env: { ...process.env, BENCH_REDIS_URL: redis?.url ?? '' },
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    });
    const row = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => code && reject(new Error(`the ${name} case failed (${code})`)));
    });
    await new Promise((resolve) => child.once('exit', resolve));
    await redis?.stop();
    rows.push({ name, ...row });
  }
  const first = rows[0];
  console.log(`relay benchmark · ${first.customers} customers × ${first.perCustomer} messages = ${first.total.toLocaleString('en')} · ${first.agentCount} agents · ${first.inFlight} webhooks in flight · Node ${process.version}`);
  console.log('| case | webhooks/s | p50 | p99 | max | all delivered | RSS start → peak |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    console.log(
      `| ${cases[row.name]} | ${row.rate.toLocaleString('en')} | ${row.p50.toFixed(1)} ms | ${row.p99.toFixed(1)} ms | ${row.max.toFixed(0)} ms | ${(row.deliveredIn / 1000).toFixed(1)} s | ${row.startRss.toFixed(0)} → ${row.peakRss.toFixed(0)} MiB |`,
    );
  }
  console.log('Each case is one process: the relay instances, the fake Graph and the load; Redis runs beside it.');
  process.exit(0);
}

const option = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const customers = option('customers', 500);
const perCustomer = option('messages', 40);
const agentCount = option('agents', 5);
const inFlight = option('in-flight', 50);
const total = customers * perCustomer;

const pageId = '1234567890';
const psidOf = (i) => String(7_000_000_000 + i);
const agents = Array.from({ length: agentCount }, (_, i) => ({ id: `agent${i}`, token: `bench-agent-${i}-`.padEnd(40, 'x') }));
const appSecret = 'bench-app-secret';

const rss = () => process.memoryUsage().rss / 2 ** 20;
const startRss = rss();
let peakRss = startRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rss())), 50);

const graph = createFakeGraph({
  accessToken: 'bench-page-token',
  profiles: Object.fromEntries(Array.from({ length: customers }, (_, i) => [psidOf(i), { first_name: 'Customer', last_name: String(i) }])),
});
const { url: graphApiUrl } = await graph.listen();
const instances = chosen === 'redis-2' ? 2 : 1;
const relays = [];
for (let i = 0; i < instances; i++) {
  const store = chosen === 'memory' ? undefined : createRedisStore({ url: process.env.BENCH_REDIS_URL });
  await store?.ready();
  const relay = createRelay({
    pageId,
    pageAccessToken: 'bench-page-token',
    appSecret,
    verifyToken: 'bench-verify-token',
    agentTokens: Object.fromEntries(agents.map(({ id, token }) => [id, token])),
    graphApiUrl,
    log: false,
    ...(store && { store }),
  });
  relays.push({ relay, store, url: (await relay.listen(0, '127.0.0.1')).url });
}
/** Webhooks and agents are spread over the instances, as a load balancer would. */
const urlFor = (n) => relays[n % relays.length].url;

// —— The agents: each accepts its share of the requests, and counts the messages that reach it ——
const delivered = new Set();
let allDelivered;
const everyMessageDelivered = new Promise((resolve) => (allDelivered = resolve));
await Promise.all(
  agents.map(
    (agent, index) =>
      new Promise((resolve, reject) => {
        const url = urlFor(index);
        const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/events`);
        ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token: agent.token, since: 0 })));
        ws.once('error', reject);
        ws.on('message', (data) => {
          const frame = JSON.parse(String(data));
          if (frame.type === 'ready') return resolve();
          const { type, detail } = frame.event ?? {};
          if (type === 'conversation-request' && Number(detail.customer.id) % agentCount === index) {
            void fetch(`${url}/api/requests/${encodeURIComponent(detail.id)}/accept`, { method: 'POST', headers: { Authorization: `Bearer ${agent.token}` } }).then((r) => r.arrayBuffer());
          }
          if (type === 'message' && detail.direction === 'inbound') {
            delivered.add(detail.id);
            if (delivered.size === total) allDelivered();
          }
        });
        agent.ws = ws;
      }),
  ),
);

// —— The Page: 20,000 signed webhooks, one message each ——
const latencies = [];
const started = performance.now();
let next = 0;
async function poster() {
  while (next < total) {
    const n = next++;
    const customer = n % customers;
    const body = JSON.stringify({
      object: 'page',
      entry: [{ id: pageId, time: Date.now(), messaging: [{ sender: { id: psidOf(customer) }, recipient: { id: pageId }, timestamp: Date.now(), message: { mid: `m_bench_${n}`, text: `Message ${n} from customer ${customer}` } }] }],
    });
    const sent = performance.now();
    const answer = await fetch(`${urlFor(n)}/webhook`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signWebhook(body, appSecret) }, body });
    await answer.arrayBuffer();
    if (answer.status !== 200) throw new Error(`webhook ${n} answered ${answer.status}`);
    latencies.push(performance.now() - sent);
  }
}
await Promise.all(Array.from({ length: inFlight }, poster));
const posted = performance.now() - started;
const timeout = setTimeout(() => {
  console.error(`Only ${delivered.size} of ${total} messages reached an agent within 120 s.`);
  process.exit(1);
}, 120_000);
await everyMessageDelivered;
clearTimeout(timeout);
const deliveredIn = performance.now() - started;

clearInterval(sampler);
for (const agent of agents) agent.ws.terminate();
for (const { relay, store } of relays) {
  await relay.close();
  await store?.close();
}
await graph.close();

latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
process.send({
  customers,
  perCustomer,
  total,
  agentCount,
  inFlight,
  rate: Math.round(total / (posted / 1000)),
  p50: at(0.5),
  p99: at(0.99),
  max: latencies.at(-1),
  deliveredIn,
  delivered: delivered.size,
  startRss,
  peakRss,
});

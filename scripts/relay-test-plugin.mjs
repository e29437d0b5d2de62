// A @web/test-runner plugin that lets browser tests run the reference relay
// against a fake Graph API, both on 127.0.0.1, through server commands:
// relay-start, relay-webhook, relay-graph, relay-graph-fail, relay-drop,
// relay-restore and relay-stop. The browser reaches the relay through a TCP
// proxy the test can cut, which drops every connection the way a network
// does, and keeps refusing new ones until it is restored.
import net from 'node:net';
import { postWebhook, startRelay } from 'agent-console-relay/testing';

/** Forwards 127.0.0.1:<port> to the relay; `drop()` cuts every connection through it until `restore()`. */
async function startProxy(target) {
  const open = new Set();
  let down = false;
  const server = net.createServer((client) => {
    if (down) return void client.destroy();
    const upstream = net.connect(target, '127.0.0.1');
    const pair = [client, upstream];
    open.add(pair);
    const end = () => {
      open.delete(pair);
      pair.forEach((socket) => socket.destroy());
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream).pipe(client);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    drop: () => {
      down = true;
      [...open].forEach((pair) => pair.forEach((socket) => socket.destroy()));
    },
    restore: () => (down = false),
    close: () =>
      new Promise((resolve) => {
        [...open].forEach((pair) => pair.forEach((socket) => socket.destroy()));
        server.close(resolve);
      }),
  };
}

/** What the fake Graph API received, without file bytes (they do not need to cross into the browser). */
const summary = ({ kind, method, path, query, body, files }) => ({
  kind,
  method,
  path,
  query,
  body,
  files: Object.fromEntries(Object.entries(files ?? {}).map(([field, { name, type, size }]) => [field, { name, type, size }])),
});

export function relayTestPlugin() {
  const running = new Map();
  const stop = async (id) => {
    const instance = running.get(id);
    running.delete(id);
    await instance?.proxy.close();
    await instance?.close();
  };
  return {
    name: 'relay-test',
    async executeCommand({ command, payload = {}, session }) {
      if (!command.startsWith('relay-')) return undefined;
      const instance = running.get(session.id);
      switch (command) {
        case 'relay-start': {
          await stop(session.id);
          const started = await startRelay({ allowedOrigins: [payload.origin], ...(payload.policy && { policy: payload.policy }) }, { graph: { profiles: payload.profiles } });
          const proxy = await startProxy(started.port);
          running.set(session.id, { ...started, proxy });
          return { url: proxy.url, pageId: started.settings.pageId, tokens: started.settings.agentTokens };
        }
        case 'relay-webhook': {
          const response = await postWebhook(instance.url, payload.body, payload.forged ? { signature: `sha256=${'0'.repeat(64)}` } : {});
          await instance.relay.idle();
          return { status: response.status };
        }
        case 'relay-graph':
          return instance.graph.requests.map(summary);
        case 'relay-graph-fail':
          instance.graph.fail(payload.error, payload.options);
          return true;
        case 'relay-drop':
          instance.proxy.drop();
          return true;
        case 'relay-restore':
          instance.proxy.restore();
          return true;
        case 'relay-stop':
          await stop(session.id);
          return true;
        default:
          throw new Error(`Unknown command ${command}.`);
      }
    },
    async serverStop() {
      await Promise.all([...running.keys()].map(stop));
    },
  };
}

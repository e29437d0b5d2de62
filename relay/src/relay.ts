/**
 * `createRelay(options)`: the reference relay between Facebook Messenger and
 * the agent console, put together from its parts. Nothing lives in module
 * globals, so a process (or a test) can run several.
 *
 * @module
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import { createAccess } from './access.js';
import { HttpError } from './errors.js';
import { resolveConfig, type RelayOptions } from './config.js';
import type { RelayContext } from './context.js';
import { createEventStream } from './event-stream.js';
import { createGraphClient, reasons } from './graph.js';
import { buildHttp } from './http.js';
import { createIntake } from './intake.js';
import { createLogger } from './logging.js';
import { createPresence } from './presence.js';
import { createRecords } from './records.js';
import { createRouting } from './routing.js';
import { createSending } from './sending.js';
import { createDirectoryMediaStore, createMediaKeeper } from './media.js';
import { createMemoryStore, type RelayStore } from './store.js';
import { createTasks } from './tasks.js';
import { createUploads } from './uploads.js';

export interface Relay {
  /** The HTTP server (webhook, API, WebSocket upgrades). */
  server: Server;
  store: RelayStore;
  /** Ms `close()` lets sends under way finish. */
  shutdownTimeout: number;
  /** Starts listening (default: an ephemeral port on 127.0.0.1). */
  listen(port?: number, host?: string): Promise<{ port: number; host: string; url: string }>;
  /**
   * Stops taking webhooks and sends (503), closes the agents' sockets (1001)
   * and timers, and lets sends under way finish for at most `shutdownTimeout`.
   */
  close(): Promise<void>;
  /** Resolves once every webhook event and background task so far is processed. */
  idle(): Promise<void>;
}

/** Builds a relay. Call `listen()` to start it. */
export function createRelay(options: RelayOptions): Relay {
  const config = resolveConfig(options);
  const log = createLogger(config.log, config.logLevel);
  const store = options.store ?? createMemoryStore({ eventLogSize: config.eventLogSize, now: config.now });
  const graph = createGraphClient({
    pageId: config.pageId,
    pageAccessToken: config.pageAccessToken,
    ...(config.graphApiUrl && { graphApiUrl: config.graphApiUrl }),
    ...(config.graphApiVersion && { graphApiVersion: config.graphApiVersion }),
    ...(config.retries !== undefined && { retries: config.retries }),
    ...(config.retryBaseDelay !== undefined && { retryBaseDelay: config.retryBaseDelay }),
    ...(config.maxGraphCalls !== undefined && { maxConcurrent: config.maxGraphCalls }),
    ...(config.profileCacheMs !== undefined && { profileCacheMs: config.profileCacheMs }),
    fetch: config.fetch,
    log: (line) => log.warn(line),
    // A send still waiting for its turn when the relay shuts down is refused; the console sends it again.
    beforeSend: () => {
      if (sending.draining) throw new HttpError(503, 'The relay is restarting; the message will be sent again in a moment.');
    },
    // An expired or revoked Page token: said once to the administrator, and once to each console, not per send.
    onAuthorization: (authorized) => {
      if (authorized) log.info('Graph takes the Page access token again');
      else log.error('Graph refuses the Page access token (code 190: expired or revoked); renew PAGE_ACCESS_TOKEN. /readyz answers 503 until then');
      events.broadcast(channelStatus());
    },
  });
  /** What the consoles are told about the channel: all well, or why not. */
  const channelStatus = () =>
    graph.unauthorized ? { type: 'channel-status', ok: false, code: 'channel-unauthorized', error: reasons.unauthorized } : { type: 'channel-status', ok: true };
  const tasks = createTasks(log);
  const context: RelayContext = {
    config,
    store,
    records: createRecords(store),
    graph,
    log,
    tasks,
    presence: createPresence(store, config),
    nowIso: () => new Date(config.now()).toISOString(),
  };
  const access = createAccess(config, log);
  const routing = createRouting(context);
  const sending = createSending(context);
  const media = config.publicUrl
    ? createMediaKeeper({
        store: config.mediaStore ?? createDirectoryMediaStore(config.mediaDir ?? path.resolve('relay-media')),
        publicUrl: config.publicUrl,
        secret: config.appSecret,
        maxBytes: config.maxFileBytes,
        fetch: config.fetch,
        log,
      })
    : undefined;
  const intake = createIntake(context, routing, sending, media);
  const inbox = store.consumeInbox((item) => intake.handle(item));
  // Re-offers fall due on whichever instance looks first.
  const dueTimer = setInterval(() => void tasks.track(() => routing.fireDue()), Math.max(10, Math.min(1000, config.requeueDelay / 4)));
  dueTimer.unref();
  const uploads = createUploads({ uploadDir: config.uploadDir, log });
  const events = createEventStream(context, routing, access, () => (graph.unauthorized ? channelStatus() : undefined));
  let closed: Promise<void> | undefined;
  const app = buildHttp({ context, access, routing, intake, sending, uploads, events, media, closing: () => !!closed });

  return {
    server: app.server,
    store,
    shutdownTimeout: config.shutdownTimeout,
    async idle() {
      await inbox.idle();
      await tasks.idle();
    },

    async listen(port = 0, host = '127.0.0.1') {
      await uploads.prepare();
      await app.listen({
        port,
        host,
        listenTextResolver: (address) => `listening on ${address} (Page ${config.pageId}, Graph ${graph.version})`,
      });
      const address = app.server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      if (!media) log.warn("customer media is linked from Meta's CDN, whose links expire; set PUBLIC_URL to keep it on the relay");
      if (!store.durable) {
        log.warn('the in-memory store keeps everything in this process: a restart loses what was acknowledged, and instances share nothing; use a durable store (STORE=redis) in production');
      }
      return { port: address.port, host: address.address, url: `http://${shown}:${address.port}` };
    },

    close() {
      closed ??= (async () => {
        clearInterval(dueTimer);
        // Sends under way finish and are answered first, for at most shutdownTimeout:
        // cutting them would leave agents retrying messages Meta already has.
        const stopped = app.close();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise((resolve) => (timer = setTimeout(resolve, config.shutdownTimeout)));
        await Promise.race([sending.drain(), deadline]);
        // Answers given while closing say `Connection: close`; connections kept alive before are let go now.
        app.server.closeIdleConnections();
        await Promise.race([stopped, deadline]);
        clearTimeout(timer);
        app.server.closeAllConnections(); // what is left at the deadline is cut
        await stopped;
        await inbox.stop();
        await tasks.idle();
        await uploads.close().catch((error) => log.error(`the upload spool could not be removed: ${(error as Error).message}`));
        if (!options.store) await store.close?.();
      })();
      return closed;
    },
  };
}

/**
 * The agents' event stream: one WebSocket per console, authenticated by its
 * first frame, replaying the agent's log from the `seq` it asks for, then
 * live; pinged so dead sockets go and presence stays fresh.
 *
 * @module
 */
import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Access } from './access.js';
import type { RelayContext } from './context.js';
import type { LoggedEvent } from './store.js';
import type { Routing } from './routing.js';

interface Connection {
  ws: WebSocket;
  alive: boolean;
  closed: boolean;
  agentId?: string;
  presence: ReturnType<RelayContext['presence']['forSocket']>;
  /** Sends what the log holds past the last event sent: events a shared store's notice did not bring (it reconnected meanwhile). */
  catchUp?: () => Promise<void>;
}

/** A client that has this much unsent is too slow: it is cut and resumes from its last `seq`. */
const maxBuffered = 8 * 1024 * 1024;

export function createEventStream(context: RelayContext, routing: Routing, access: Access, channelProblem: () => object | undefined = () => undefined) {
  const { config, store, log, tasks, presence } = context;
  const sockets = new Set<Connection>();

  function connect(ws: WebSocket, request: FastifyRequest): void {
    const connection: Connection = { ws, alive: true, closed: false, presence: presence.forSocket() };
    sockets.add(connection);
    let authenticating = false;
    let replaying = true;
    let lastSent = 0;
    let buffered: LoggedEvent[] = [];
    let unsubscribe: (() => void) | undefined;
    const authTimer = setTimeout(() => ws.close(4401, 'No auth frame in time.'), config.authTimeout);

    const push = (entry: LoggedEvent) => {
      if (entry.seq <= lastSent || ws.readyState !== ws.OPEN) return;
      lastSent = entry.seq;
      ws.send(JSON.stringify(entry));
      if (ws.bufferedAmount > maxBuffered) ws.terminate();
    };

    async function start(frame: { token?: unknown; since?: unknown }): Promise<void> {
      const { agentId, wait } = await access.admit(request, frame.token);
      if (ws.readyState !== ws.OPEN) return;
      if (wait) return ws.close(4429, `Too many wrong agent tokens; try again in ${Math.ceil(wait / 1000)} s.`);
      if (!agentId) {
        log.warn('events: refused a socket with a missing or unknown token');
        return ws.close(4401, 'Unauthorized');
      }
      clearTimeout(authTimer);
      connection.agentId = agentId;
      const since = Number.isSafeInteger(frame.since) && (frame.since as number) > 0 ? (frame.since as number) : 0;
      unsubscribe = store.subscribe((to, entry) => {
        if (to !== agentId) return;
        if (replaying) buffered.push(entry);
        else push(entry);
      });
      await connection.presence.online(agentId);
      if (connection.closed) return connection.presence.offline();
      // A fresh client (since 0) starts from now: no replay of old events; the requests still open are offered below.
      const stream = await store.eventsSince(agentId, since);
      const { latest } = stream;
      const [events, gap] = since ? [stream.events, stream.gap] : [[], false];
      if (ws.readyState !== ws.OPEN) return;
      ws.send(JSON.stringify(gap ? { type: 'ready', agentId, seq: latest, gap: true } : { type: 'ready', agentId, seq: latest }));
      const problem = channelProblem();
      if (problem) ws.send(JSON.stringify(problem));
      lastSent = Math.min(since, latest);
      for (const entry of events) push(entry);
      replaying = false;
      for (const entry of buffered) push(entry);
      buffered = [];
      connection.catchUp = async () => {
        for (const entry of (await store.eventsSince(agentId, lastSent)).events) push(entry);
      };
      log.info({ agentId }, `events: agent ${agentId} connected (since ${since}, newest ${latest}${gap ? ', with a gap' : ''})`);
      await routing.offerPending(agentId, !since);
    }

    ws.on('pong', () => (connection.alive = true));
    ws.on('message', (data) => {
      let frame: { type?: unknown; token?: unknown; since?: unknown } | undefined;
      try {
        frame = JSON.parse(String(data));
      } catch {
        frame = undefined;
      }
      if (!connection.agentId) {
        if (authenticating) return;
        if (frame?.type !== 'auth') return ws.close(4401, 'The first frame must be an auth frame.');
        authenticating = true;
        clearTimeout(authTimer); // the frame came; checking it may take longer (a verifyAgent call)
        void tasks.track(() => start(frame));
        return;
      }
      if (frame?.type === 'ping' && ws.readyState === ws.OPEN) ws.send('{"type":"pong"}');
    });
    ws.on('close', () => {
      connection.closed = true;
      clearTimeout(authTimer);
      sockets.delete(connection);
      unsubscribe?.();
      if (connection.agentId) {
        log.info({ agentId: connection.agentId }, `events: agent ${connection.agentId} disconnected`);
        void tasks.track(() => connection.presence.offline());
      }
    });
    ws.on('error', () => {});
  }

  const heartbeat = setInterval(() => {
    for (const connection of sockets) {
      if (!connection.alive) {
        connection.ws.terminate();
        continue;
      }
      connection.alive = false;
      connection.ws.ping();
      const { agentId } = connection;
      if (agentId) void tasks.track(() => connection.closed || connection.presence.online(agentId));
      if (connection.catchUp && store.durable) void tasks.track(connection.catchUp);
    }
  }, config.pingInterval);
  heartbeat.unref();

  return {
    connect,

    /** Sends a frame to every signed-in socket of this instance (not an event of the log: a state, e.g. the channel's). */
    broadcast(frame: object): void {
      const text = JSON.stringify(frame);
      for (const { ws, agentId } of sockets) if (agentId && ws.readyState === ws.OPEN) ws.send(text);
    },

    /** Closes every socket with 1001 (the consoles reconnect, to this relay restarted or another). */
    async close(): Promise<void> {
      clearInterval(heartbeat);
      const open = [...sockets].map(({ ws }) => new Promise((resolve) => ws.once('close', resolve)));
      for (const { ws } of sockets) ws.close(1001, 'The relay is shutting down.');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(open), new Promise((resolve) => (timer = setTimeout(resolve, 300)))]);
      clearTimeout(timer);
      for (const { ws } of sockets) ws.terminate();
    },
  };
}

export type EventStream = ReturnType<typeof createEventStream>;

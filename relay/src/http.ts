/**
 * The HTTP layer, as configuration: fastify with its cors, multipart and
 * websocket plugins. `/webhook` (Meta), `/api/*` (the agent's console,
 * bearer token), `/api/events` (the event socket) and `/healthz`. The
 * domain (routing, intake, sending, the event stream) is the modules it calls.
 *
 * @module
 */
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import websocket from '@fastify/websocket';
import { fastify, LogController, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Access } from './access.js';
import type { RelayContext } from './context.js';
import { HttpError, reasonOf } from './errors.js';
import type { EventStream } from './event-stream.js';
import { GraphError, reasons } from './graph.js';
import { instagramCapabilities, messengerCapabilities } from 'agent-console/adapters';
import type { Intake } from './intake.js';
import type { MediaKeeper } from './media.js';
import type { Routing } from './routing.js';
import { checkSignature, sameSecret } from './secrets.js';
import type { Sending } from './sending.js';
import { discard, uploadQuota, type createUploads, type Draft } from './uploads.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The agent the request's bearer token belongs to. */
    agentId: string;
  }
}

interface Parts {
  media: MediaKeeper | undefined;
  context: RelayContext;
  access: Access;
  routing: Routing;
  intake: Intake;
  sending: Sending;
  uploads: ReturnType<typeof createUploads>;
  events: EventStream;
  /** True once the relay is shutting down. */
  closing: () => boolean;
}

/** fastify's own refusals, in the relay's words. */
const frameworkSentences: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request is too large.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body must be a JSON object.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body must be a JSON object.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The request body must be JSON, or a form with a file.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The request body does not match its Content-Length.',
};

export function buildHttp({ context, access, routing, intake, sending, uploads, events, media, closing }: Parts) {
  const { config, log, store, graph } = context;
  const app = fastify({
    loggerInstance: log,
    // One line per thing that matters (a webhook, an accept, a send), not two per request.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    bodyLimit: 64 * 1024,
    requestTimeout: config.requestTimeout,
    keepAliveTimeout: 5_000,
    // The relay answers while closing itself (below): with its sentence, Retry-After and CORS headers.
    return503OnClosing: false,
    frameworkErrors: (error, _request, reply) => {
      const sentence = error.code === 'FST_ERR_BAD_URL' ? 'The address is not valid.' : 'The request could not be read.';
      void (reply as FastifyReply).code(400).send({ error: sentence });
    },
    // Slow clients are cut: Node checks these every connectionsCheckingInterval (30 s unless told).
    http: { headersTimeout: config.headersTimeout, connectionsCheckingInterval: Math.min(1000, config.headersTimeout) },
  });
  access.guard(app.server);

  app.setErrorHandler((error: FastifyError | HttpError | GraphError, request, reply) => {
    if (error instanceof GraphError) return reply.code(422).send({ error: error.message, ...(error.reason && { code: error.reason }) });
    if (error instanceof HttpError) {
      if (error.status === 413) reply.header('Connection', 'close');
      return reply
        .code(error.status)
        .headers(error.headers)
        .send({ error: error.message, ...(error.code && { code: error.code }) });
    }
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      if (status === 413) reply.header('Connection', 'close');
      return reply.code(status).send({ error: frameworkSentences[(error as FastifyError).code] ?? 'The request could not be read.' });
    }
    request.log.error({ req: request }, `request failed: ${reasonOf(error)}`);
    return reply.code(500).send({ error: 'The relay failed to handle this request; try again.' });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'Not found.' }));
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.getHeader('content-type')?.toString().startsWith('application/json')) reply.header('Cache-Control', 'no-store');
    // Closing: the client's next request goes to a new connection (this relay restarted, or another).
    if (closing()) reply.header('Connection', 'close');
    return payload;
  });
  /** While closing, a new request is refused (and sent again later by the console or Meta). */
  const refuseWhileClosing = (message: string | undefined) => async (_request: FastifyRequest, reply: FastifyReply) => {
    if (!closing()) return;
    reply.code(503).header('Retry-After', '5');
    return message === undefined ? reply.type('text/plain; charset=utf-8').send('Service Unavailable') : reply.send({ error: message });
  };

  // 503 while shutting down, so a load balancer stops sending work here.
  app.get('/healthz', { onRequest: refuseWhileClosing(undefined) }, async () => ({ ok: true }));
  // Ready for work: not closing, and the store answers.
  app.get('/readyz', { onRequest: refuseWhileClosing(undefined) }, async (_request, reply) => {
    const healthy = (await store.healthy?.().catch(() => false)) ?? true;
    if (!healthy) return reply.code(503).header('Retry-After', '5').send({ error: 'The store cannot be reached.' });
    if (graph.unauthorized) return reply.code(503).send({ error: reasons.unauthorized, code: 'channel-unauthorized' });
    return { ok: true, durable: store.durable };
  });

  // —— Customer media kept by the relay: a signed link opens it, with its safe name ——
  app.get<{ Params: { id: string }; Querystring: { sig?: string } }>('/media/:id', async (request, reply) => {
    if (!media || !media.verify(request.params.id, request.query.sig)) return reply.code(404).send({ error: 'Not found.' });
    const kept = await media.store.get(request.params.id);
    if (!kept) return reply.code(404).send({ error: 'This file is no longer kept.' });
    return reply.headers(media.headersFor(kept.info)).send(kept.body());
  });

  // —— Meta's webhook: the exact bytes, for the signature ——
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: config.maxWebhookBytes }, (_request, body, done) => done(null, body));

    scope.addHook('onRequest', refuseWhileClosing(undefined));

    scope.get('/webhook', { exposeHeadRoute: false }, async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      if (query['hub.mode'] === 'subscribe' && sameSecret(query['hub.verify_token'] ?? '', config.verifyToken)) {
        log.info('webhook: verified by Meta');
        return reply.type('text/plain; charset=utf-8').send(query['hub.challenge'] ?? '');
      }
      log.warn('webhook: verification refused (wrong mode or verify token)');
      return reply.code(403).type('text/plain; charset=utf-8').send('Forbidden');
    });

    // Shutting down (the hook above): Meta delivers it again later, to this relay restarted or another.
    scope.post('/webhook', async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!checkSignature(raw, request.headers['x-hub-signature-256'], config.appSecret)) {
        log.warn('webhook: refused a body with a missing or wrong X-Hub-Signature-256');
        return reply.code(403).type('text/plain; charset=utf-8').send('Forbidden');
      }
      access.trust(request);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new HttpError(400, 'The webhook body is not JSON.');
      }
      await intake.receive(body);
      return reply.type('text/plain; charset=utf-8').send('EVENT_RECEIVED');
    });

    scope.route({
      method: ['HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url: '/webhook',
      handler: (_request, reply) => reply.code(405).header('Allow', 'GET, POST').type('text/plain; charset=utf-8').send('Method Not Allowed'),
    });
  });

  // —— The agents' API and event socket ——
  void app.register(websocket, {
    options: { maxPayload: 16 * 1024 },
    // The consoles reconnect, to this relay restarted or another.
    preClose: () => events.close(),
  });
  // An upgrade anywhere but the event socket is refused before it is accepted.
  app.addHook('onRequest', async (request, reply) => {
    if (request.ws && request.routeOptions.url !== '/api/events') return reply.code(404).send({ error: 'Not found.' });
  });

  void app.register(
    async (api) => {
      await api.register(cors, {
        origin: (origin, done) => {
          if (origin === undefined || access.originAllowed(origin)) return done(null, true);
          log.warn(`api: refused a request from origin ${JSON.stringify(origin)}`);
          done(new HttpError(403, 'This origin is not allowed to use the relay.'), false);
        },
        methods: ['GET', 'POST', 'OPTIONS'],
        allowedHeaders: ['Authorization', 'Content-Type'],
        maxAge: 600,
      });
      await api.register(multipart, {
        throwFileSizeLimit: false,
        // The whole name reaches cleanFileName, which turns path characters into `_`.
        preservePath: true,
        limits: { fileSize: config.maxFileBytes, files: 1, fields: 4, fieldSize: 64 * 1024, parts: 6, headerPairs: 100 },
      });
      api.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'There is no such command.' }));
      // After cors, so that the refusal carries its headers.
      api.addHook('onRequest', refuseWhileClosing('The relay is restarting; try again in a moment.'));
      // A command without a body is a command without arguments.
      const json = api.getDefaultJsonParser('error', 'error');
      api.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
        const text = String(body);
        if (!text.trim()) return done(null, {});
        return json(request, text, done);
      });

      // The bearer token, checked before any byte of the body is read.
      api.addHook('onRequest', async (request, reply) => {
        if (request.ws) return;
        const token = /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''))?.[1];
        const { agentId, wait } = await access.admit(request, token);
        if (wait) {
          const seconds = Math.ceil(wait / 1000);
          return reply
            .code(429)
            .header('Retry-After', String(seconds))
            .send({ error: `Too many wrong agent tokens from this address; try again in ${seconds} s.` });
        }
        if (!agentId) return reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'The agent token is missing or unknown; sign in again.' });
        request.agentId = agentId;
      });

      type ById = { Params: { id: string } };
      api.get('/policy', async () => config.policy);
      api.get('/conversations', async (request) => routing.heldBy(request.agentId));
      api.post<ById>('/requests/:id/accept', async (request) => routing.accept(request.params.id, request.agentId));
      api.post<ById>('/requests/:id/reject', async (request, reply) => {
        await routing.reject(request.params.id, request.agentId);
        return reply.code(204).send();
      });

      const quota = uploadQuota({ perAgent: config.uploadsPerAgent, bytesPerAgent: config.uploadBytesPerAgent });
      /** What each channel takes: Messenger's (or the configured policy), and Instagram's. */
      const channelRules = {
        facebook: { name: 'Messenger', policy: config.policy, textLimit: messengerCapabilities.textLimit ?? 2000 },
        instagram: { name: 'Instagram', policy: instagramCapabilities.attachments, textLimit: instagramCapabilities.textLimit ?? 1000 },
      };
      api.post<ById>('/conversations/:id/messages', async (request) => {
        const route = await routing.ownRoute(request.params.id, request.agentId);
        let release = () => {};
        if (request.isMultipart()) {
          // A body of unknown length counts as the largest one allowed.
          const bytes = Number(request.headers['content-length']) || config.maxUploadBytes;
          try {
            if (bytes > config.maxUploadBytes) throw new HttpError(413, 'The request is too large.');
            release = quota.admit(request.agentId, bytes);
          } catch (error) {
            request.raw.resume(); // the body is dropped, so the answer gets through
            throw error;
          }
        }
        let draft: Draft | undefined;
        try {
          draft = await uploads.readDraft(request, channelRules[routing.channelOf(route.conversationId)]);
          // A send that has not reached Graph yet is refused while shutting down; the console sends it again.
          if (closing()) throw new HttpError(503, 'The relay is restarting; the message will be sent again in a moment.');
          return await sending.send(route, request.agentId, draft);
        } finally {
          release();
          if (draft?.file) await discard(draft.file);
        }
      });

      api.get<ById & { Querystring: { before?: string; limit?: string } }>('/conversations/:id/messages', async (request) => {
        const { id } = request.params;
        await routing.ownRoute(id, request.agentId);
        const before = request.query.before || undefined;
        const limit = Math.min(200, Math.max(1, Number.parseInt(request.query.limit ?? '50', 10) || 50));
        const page = await store.listMessages(id, { ...(before ? { before } : {}), limit });
        // A file the agent sent has no URL until Meta's echo brings it; until then it is listed by name.
        // A message the customer removed is no longer shown.
        const messages = page.messages.filter((message) => !(message as { removed?: boolean }).removed).map(({ attachments, ...message }) => {
          if (!attachments) return message;
          const linked = attachments.filter((attachment) => attachment.url);
          if (linked.length === attachments.length) return { ...message, attachments };
          const names = attachments.filter((attachment) => !attachment.url).map((attachment) => `📎 ${attachment.name}`);
          return { ...message, ...(linked.length && { attachments: linked }), text: [message.text, ...names].filter(Boolean).join('\n') };
        });
        return { ...page, messages };
      });

      // The handover protocol: the agent takes the thread from the app holding it (a bot), or hands it back.
      api.post<ById>('/conversations/:id/thread/take', async (request, reply) => {
        const route = await routing.ownRoute(request.params.id, request.agentId);
        const before = await routing.thread(route.conversationId);
        await graph.takeThread(route.psid, `taken by agent ${request.agentId}`);
        await routing.setThread(route.conversationId, { owner: 'console', ...(before.appId && { previousAppId: before.appId }) });
        request.log.info({ conversationId: route.conversationId, agentId: request.agentId }, `agent ${request.agentId} took the thread of conversation ${route.conversationId}`);
        return reply.code(204).send();
      });
      api.post<ById>('/conversations/:id/thread/pass', async (request, reply) => {
        const route = await routing.ownRoute(request.params.id, request.agentId);
        const { previousAppId } = await routing.thread(route.conversationId);
        await graph.passThread(route.psid, previousAppId);
        await routing.setThread(route.conversationId, { owner: 'other', ...(previousAppId && { appId: previousAppId }) });
        request.log.info({ conversationId: route.conversationId, agentId: request.agentId }, `agent ${request.agentId} handed the thread of conversation ${route.conversationId} back`);
        return reply.code(204).send();
      });
      api.post<{ Params: { id: string; messageId: string }; Body: { emoji?: unknown } }>('/conversations/:id/messages/:messageId/reaction', async (request, reply) => {
        const route = await routing.ownRoute(request.params.id, request.agentId);
        const emoji = request.body?.emoji ?? '';
        if (typeof emoji !== 'string' || emoji.length > 16) throw new HttpError(400, 'emoji must be one emoji, or empty to take the reaction back.');
        await graph.react(route.psid, request.params.messageId, emoji);
        return reply.code(204).send();
      });

      api.post<ById>('/conversations/:id/end', async (request, reply) => {
        await routing.end(request.params.id, request.agentId);
        return reply.code(204).send();
      });

      api.post<ById & { Body: { typing?: unknown } }>('/conversations/:id/typing', async (request, reply) => {
        const route = await routing.ownRoute(request.params.id, request.agentId);
        const typing = request.body?.typing;
        if (typeof typing !== 'boolean') throw new HttpError(400, 'typing must be true or false.');
        await graph.senderAction(route.psid, typing ? 'typing_on' : 'typing_off').catch(() => {}); // logged by the client; not fatal
        return reply.code(204).send();
      });

      api.post<ById & { Body: { messageId?: unknown } }>('/conversations/:id/read', async (request, reply) => {
        const route = await routing.ownRoute(request.params.id, request.agentId);
        const messageId = request.body?.messageId;
        if (messageId !== undefined && typeof messageId !== 'string') throw new HttpError(400, 'messageId must be a string.');
        await graph.senderAction(route.psid, 'mark_seen').catch(() => {});
        return reply.code(204).send();
      });

      api.route({
        method: 'GET',
        url: '/events',
        handler: (_request: FastifyRequest, reply: FastifyReply) => reply.code(426).header('Upgrade', 'websocket').send({ error: 'This is a WebSocket endpoint.' }),
        wsHandler: (socket, request) => events.connect(socket, request),
      });
    },
    { prefix: '/api' },
  );

  return app;
}

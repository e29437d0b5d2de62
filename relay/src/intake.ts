/**
 * Webhook intake: a signed body from Meta becomes the contract's events,
 * each customer's handled in order; a message from a customer without a
 * session opens a request.
 *
 * @module
 */
import { MessengerWebhookError, type ChannelEvent, type Message, type MessageStatusUpdate } from 'agent-console/adapters';
import { DAY } from './config.js';
import type { RelayContext } from './context.js';
import { HttpError } from './errors.js';
import { conversationIdFor, echoKey, inboundKey, psidOf, sendKey } from './keys.js';
import type { Inbound, Route, Routing } from './routing.js';

export function createIntake(context: RelayContext, routing: Routing) {
  const { config, store, records, log, tasks, presence, nowIso } = context;
  const { pageId, seenTtl, policy } = config;

  /** Tells the conversation's agents (and nobody when it has none). */
  async function tell(route: Route | undefined, event: { type: string; detail: unknown }): Promise<void> {
    if (route?.state === 'assigned') await presence.emit(await presence.audience(route), event);
  }

  async function handleEvent(event: ChannelEvent): Promise<void> {
    const detail = event.detail as { conversationId?: unknown };
    const conversationId = detail?.conversationId;
    if (typeof conversationId !== 'string') return void log.warn(`webhook: a ${event.type} event without a conversation was ignored`);
    if (psidOf(conversationId).pageId !== String(pageId)) return void log.warn('webhook: an event for another Page was ignored');
    if (event.type === 'message') return handleMessage(event.detail);
    if (event.type === 'message-status') {
      const { messageId, before, status } = event.detail as MessageStatusUpdate;
      if (!(await store.markSeen(`status:${conversationId}:${messageId ?? `before ${before}`}:${status}`, seenTtl))) return;
      await store.applyStatus(conversationId, event.detail as MessageStatusUpdate);
    }
    await tell(await routing.route(conversationId), event);
  }

  async function handleMessage(message: Message): Promise<void> {
    const { conversationId } = message;
    if (!(await store.markSeen(`mid:${message.id}`, seenTtl))) return void log.info(`webhook: message ${message.id} was delivered again; dropped`);
    if (message.direction === 'outbound' && message.clientId && (await store.get(sendKey(conversationId, message.clientId)))) {
      // The echo of our own send: the agent has it already, but files only now get their Facebook URL.
      if (!message.attachments?.length) return;
      const sent = await store.getMessage(conversationId, message.id);
      if (!sent) return void (await store.compareAndSet(echoKey(message.id), 0, message.attachments, { ttlMs: DAY })); // before Graph answered
      const linked = { ...sent, attachments: message.attachments };
      await store.putMessage(conversationId, linked);
      await tell(await routing.route(conversationId), { type: 'message', detail: linked });
      return;
    }
    await store.putMessage(conversationId, message);
    if (message.direction === 'inbound') {
      const sentAt = Number.isFinite(Date.parse(message.sentAt)) ? new Date(message.sentAt).toISOString() : nowIso();
      await records.update<Inbound>(inboundKey(conversationId), (known) =>
        known?.lastInboundAt && Date.parse(known.lastInboundAt) >= Date.parse(sentAt) ? undefined : { ...known, lastInboundAt: sentAt },
      );
    }
    const route = await routing.route(conversationId);
    if (route?.state === 'assigned') {
      await tell(route, { type: 'message', detail: message });
      // The customer wrote: the reply window moves.
      if (message.direction === 'inbound') await tell(route, { type: 'conversation-updated', detail: await routing.conversation(route) });
      return;
    }
    if (route || message.direction !== 'inbound') return; // kept: a pending request, or a page echo / system message without a session
    await routing.openRequest(conversationId, psidOf(conversationId).psid, message);
  }

  return {
    /**
     * Takes a signed webhook body: queues its events per customer and
     * answers at once. A body for another product of the app (Instagram,
     * WhatsApp) is ignored with one log line; one that is not a webhook at
     * all is refused (400).
     */
    receive(body: unknown): void {
      const object = (body as { object?: unknown } | null)?.object;
      if (typeof object === 'string' && object !== 'page') {
        // Signed by Meta, but for another product of the app: a refusal would only bring it back.
        return void log.info(`webhook: an ${JSON.stringify(object.slice(0, 40))} webhook was ignored; this relay serves Page messaging`);
      }
      if (object !== 'page') throw new HttpError(400, 'This is not a Page webhook (object must be "page").');
      let events: ChannelEvent[];
      const skipped = new Map<string, number>();
      try {
        events = config.parseWebhook(body, {
          conversationId: conversationIdFor,
          policy,
          onSkipped: (_item, reason) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1),
        });
      } catch (error) {
        if (error instanceof MessengerWebhookError || (error as Error)?.name === 'MessengerWebhookError') throw new HttpError(400, (error as Error).message);
        throw error;
      }
      // One line per webhook, however many items it carries.
      const skips = [...skipped].map(([reason, count]) => (count > 1 ? `${reason} ×${count}` : reason));
      log.info({ events: events.length }, `webhook: ${events.length} event${events.length === 1 ? '' : 's'} received${skips.length ? `; skipped: ${skips.join('; ')}` : ''}`);
      for (const event of events) {
        const conversationId = (event.detail as { conversationId?: unknown })?.conversationId;
        void tasks.enqueue(typeof conversationId === 'string' ? conversationId : '', () => handleEvent(event)).catch(() => {});
      }
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;

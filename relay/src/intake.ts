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
import { conversationIdFor, echoKey, inboundKey, psidOf, sendKey, threadKey } from './keys.js';
import type { Inbound, Route, Routing, ThreadOwner } from './routing.js';
import type { Sending } from './sending.js';
import type { MediaKeeper } from './media.js';
import { messageOnce } from './presence.js';
import type { InboxItem } from './store.js';

/**
 * One handling of an inbox item: its id marks what it does, so that
 * handling it again after a crash repeats nothing an agent already has.
 */
export interface Step {
  /** The inbox item's id: the owner of the marks it makes. */
  owner: string;
  /** A new idempotency key for the next event, the same on every handling of the item. */
  next(): string;
}

export function createIntake(context: RelayContext, routing: Routing, sending: Sending, media?: MediaKeeper) {
  const { config, store, records, log, presence, nowIso } = context;
  const { seenTtl, policy } = config;
  /** The accounts whose conversations this relay serves: the Page, and the Instagram account when configured. */
  const accounts = new Set([String(config.pageId), ...(config.instagramAccountId ? [String(config.instagramAccountId)] : [])]);

  /**
   * Tells the conversation's agents (and nobody when it has none). A
   * message is told once per agent whatever brings it (this handling, a
   * repeat after a crash, or the hand-over on accept): its id is the key.
   */
  async function tell(step: Step, route: Route | undefined, event: { type: string; detail: unknown }, once = step.next()): Promise<void> {
    if (route?.state === 'assigned') await presence.emit(await presence.audience(route), event, once);
  }

  async function handleEvent(event: ChannelEvent, step: Step): Promise<void> {
    const detail = event.detail as { conversationId?: unknown };
    const conversationId = detail?.conversationId;
    if (typeof conversationId !== 'string') return void log.warn(`webhook: a ${event.type} event without a conversation was ignored`);
    if (!accounts.has(psidOf(conversationId).pageId)) return void log.warn('webhook: an event for another Page was ignored');
    if (event.type === 'message') return handleMessage(event.detail, step);
    if (event.type === 'message-status') {
      const { messageId, before, status } = event.detail as MessageStatusUpdate;
      if (!(await store.markSeen(`status:${conversationId}:${messageId ?? `before ${before}`}:${status}`, seenTtl, step.owner))) return;
      await store.applyStatus(conversationId, event.detail as MessageStatusUpdate);
    }
    if (event.type === 'message-edited' || event.type === 'message-deleted') {
      // The history shows the message as it is now: edited, or no longer there.
      const { messageId } = event.detail as { messageId: string };
      const known = await store.getMessage(conversationId, messageId);
      if (known && event.type === 'message-edited') await store.putMessage(conversationId, { ...known, text: (event.detail as { text: string }).text });
      if (known && event.type === 'message-deleted') {
        // What the customer took back is not kept: the history keeps only that there was a message.
        const { id, direction, sentAt } = known;
        await store.putMessage(conversationId, { id, conversationId, direction, sentAt, removed: true } as Message);
        for (const attachment of known.attachments ?? []) await media?.store.remove(attachment.id);
      }
    }
    if (event.type === 'thread-control') {
      // Kept with the conversation, so an agent who accepts it later learns who holds the thread.
      const { owner, appId } = event.detail as { owner: 'console' | 'other'; appId?: string };
      await records.update<ThreadOwner>(threadKey(conversationId), (known) => ({ owner, ...(appId && { appId }), ...(known?.appId && owner === 'console' && { previousAppId: known.appId }) }));
    }
    await tell(step, await routing.route(conversationId), event);
  }

  async function handleMessage(received: Message, step: Step): Promise<void> {
    const { conversationId } = received;
    if (!(await store.markSeen(`mid:${received.id}`, seenTtl, step.owner))) return void log.info(`webhook: message ${received.id} was delivered again; dropped`);
    // Customer files are copied before anyone sees them, so history keeps working after Meta's links expire.
    const message = media ? await media.keep(received) : received;
    if (message.direction === 'outbound' && message.clientId && (await store.get(sendKey(conversationId, message.clientId)))) {
      // The echo of our own send: it settles a send whose answer from Graph was lost (a crash), so a retry sends nothing.
      await sending.settle(conversationId, message);
      // The agent has it already, but files only now get their Facebook URL.
      if (!message.attachments?.length) return;
      const sent = await store.getMessage(conversationId, message.id);
      if (!sent) return void (await store.compareAndSet(echoKey(message.id), 0, message.attachments, { ttlMs: DAY })); // before Graph answered
      const linked = { ...sent, attachments: message.attachments };
      await store.putMessage(conversationId, linked);
      await tell(step, await routing.route(conversationId), { type: 'message', detail: linked }, `linked:${message.id}`);
      return;
    }
    await store.putMessage(conversationId, message);
    if (message.direction === 'inbound') {
      const sentAt = Number.isFinite(Date.parse(message.sentAt)) ? new Date(message.sentAt).toISOString() : nowIso();
      await records.update<Inbound>(inboundKey(conversationId), (known) =>
        known?.lastInboundAt && Date.parse(known.lastInboundAt) >= Date.parse(sentAt) ? undefined : { ...known, lastInboundAt: sentAt },
      );
    }
    let route = await routing.route(conversationId);
    if (route && message.direction === 'inbound') route = await routing.refreshCustomer(route);
    if (route?.state === 'assigned') {
      await tell(step, route, { type: 'message', detail: message }, messageOnce(message.id));
      // The customer wrote: the reply window moves.
      if (message.direction === 'inbound') await tell(step, route, { type: 'conversation-updated', detail: await routing.conversation(route) });
      return;
    }
    // Kept: a pending request (unless this very message opened it and its offers were cut short), a page echo or
    // system message without a session, or a message the customer wrote while another app (a bot) held the thread.
    if ((route && route.firstMessageId !== message.id) || message.direction !== 'inbound' || message.standby) return;
    await routing.openRequest(conversationId, psidOf(conversationId).psid, message);
  }

  return {
    /**
     * Takes a signed webhook body: queues its events per customer and
     * answers at once. A body for another product of the app (Instagram,
     * WhatsApp) is ignored with one log line; one that is not a webhook at
     * all is refused (400).
     */
    async receive(body: unknown): Promise<void> {
      const object = (body as { object?: unknown } | null)?.object;
      const served = object === 'page' || (object === 'instagram' && !!config.instagramAccountId);
      if (typeof object === 'string' && !served) {
        // Signed by Meta, but for another product of the app: a refusal would only bring it back.
        return void log.info(`webhook: an ${JSON.stringify(object.slice(0, 40))} webhook was ignored; this relay serves ${config.instagramAccountId ? 'Page and Instagram' : 'Page'} messaging`);
      }
      if (!served) throw new HttpError(400, 'This is not a Page webhook (object must be "page").');
      let events: ChannelEvent[];
      const skipped = new Map<string, number>();
      try {
        const options = {
          conversationId: conversationIdFor,
          policy,
          ...(config.appId && { appId: config.appId }),
          onSkipped: (_item: unknown, reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1),
        };
        events = config.parseWebhook(body, options);
      } catch (error) {
        if (error instanceof MessengerWebhookError || (error as Error)?.name === 'MessengerWebhookError') throw new HttpError(400, (error as Error).message);
        throw error;
      }
      // One line per webhook, however many items it carries.
      const skips = [...skipped].slice(0, 5).map(([reason, count]) => (count > 1 ? `${reason} ×${count}` : reason));
      if (skipped.size > 5) skips.push(`and ${skipped.size - 5} more`);
      log.info({ events: events.length }, `webhook: ${events.length} event${events.length === 1 ? '' : 's'} received${skips.length ? `; skipped: ${skips.join('; ')}` : ''}`);
      // Kept before Meta is answered: what is acknowledged is never lost.
      await store.appendInbox(
        events.map((event) => {
          const conversationId = (event.detail as { conversationId?: unknown })?.conversationId;
          return { key: typeof conversationId === 'string' ? conversationId : '', payload: JSON.stringify(event) };
        }),
      );
    },

    /** Handles one inbox item, with the conversation held against accepts and ends on any instance. */
    handle(item: InboxItem): Promise<void> {
      let count = 0;
      const step: Step = { owner: item.id, next: () => `inbox:${item.id}:${++count}` };
      return store.withLock(`conversation:${item.key}`, async () => {
        try {
          await handleEvent(JSON.parse(item.payload) as ChannelEvent, step);
        } catch (error) {
          log.error(`processing failed: ${(error as Error)?.message ?? error}`);
        }
      });
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;

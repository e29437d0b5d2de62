/**
 * Offers and routing: a customer without a session becomes a request offered
 * to every agent online; one agent accepts it (compare-and-set: never two),
 * rejects it (offered again later), or ends the session.
 *
 * @module
 */
import type { Conversation, ConversationRequest, Customer, Message } from 'agent-console/adapters';
import type { RelayContext } from './context.js';
import { HttpError } from './errors.js';
import { GraphError } from './graph.js';
import { inboundKey, newId, psidOf, requestKey, routeKey, threadKey } from './keys.js';
import { messageOnce } from './presence.js';
import { REMOVE } from './records.js';
import { DAY } from './config.js';

/** Who holds a conversation, or who it is offered to. */
export interface Route {
  conversationId: string;
  psid: string;
  customer: Customer;
  createdAt: string;
  firstMessageId: string;
  state: 'pending' | 'assigned';
  /** The request's id, as first offered. */
  requestId: string;
  /** Every id it was offered under (an agent who declined gets a new one). */
  requestIds: string[];
  /** agentId → the request id offered to them. */
  offers: Record<string, string>;
  /** agentId → when they rejected it (epoch ms). */
  rejected: Record<string, number>;
  declined: string[];
  preview?: string;
  agentId?: string;
  startedAt?: string;
}

/** A rejected request, to be offered to the agent again. */
interface Reoffer {
  type: 'reoffer';
  conversationId: string;
  agentId: string;
  rejectedAt: number;
}

/** Who holds a conversation's thread, as the handover protocol last said. */
export interface ThreadOwner {
  owner: 'console' | 'other';
  /** The app holding it, when `other`. */
  appId?: string;
  /** The app that held it before the console took it: where **Hand back** passes it. */
  previousAppId?: string;
}

/** When the customer last wrote. */
export interface Inbound {
  lastInboundAt?: string;
}

export function createRouting(context: RelayContext) {
  const { config, store, records, graph, log, presence, nowIso } = context;
  /** Held while a conversation's webhook events are handled, and while it is accepted or ended: one at a time, across instances. */
  const holding = <T>(conversationId: string, task: () => Promise<T>) => store.withLock(`conversation:${conversationId}`, task);
  const { now, requeueDelay, shareConversations, windowMs, handOverMessages } = config;

  /** The channel of a conversation: Instagram for the configured Instagram account, else Messenger. */
  const channelOf = (conversationId: string) => (config.instagramAccountId && psidOf(conversationId).pageId === String(config.instagramAccountId) ? 'instagram' : 'facebook');

  function requestDetail(route: Route, requestId: string): ConversationRequest {
    const request: ConversationRequest = { id: requestId, channel: channelOf(route.conversationId), customer: route.customer, createdAt: route.createdAt };
    if (route.preview) request.preview = route.preview;
    return request;
  }

  function conversationOf(route: Route, inbound: Inbound | undefined): Conversation {
    const conversation: Conversation = { id: route.conversationId, channel: channelOf(route.conversationId), customer: route.customer, startedAt: route.startedAt ?? route.createdAt };
    const last = Date.parse(inbound?.lastInboundAt ?? '');
    if (Number.isFinite(last)) conversation.replyBy = new Date(last + windowMs).toISOString();
    return conversation;
  }

  const conversation = async (route: Route) => conversationOf(route, await records.read<Inbound>(inboundKey(route.conversationId)));

  const fallbackName = (psid: string) => `Facebook user ${psid.slice(-4)}`;

  async function customerFor(psid: string): Promise<Customer> {
    const fallback = fallbackName(psid);
    try {
      const profile = await graph.profile(psid);
      const customer: Customer = { id: psid, name: profile.name || fallback };
      if (profile.avatarUrl) customer.avatarUrl = profile.avatarUrl;
      return customer;
    } catch (error) {
      log.warn(`profile of a customer not available (${error instanceof GraphError ? `code ${error.code ?? '-'}` : 'error'}); using the fallback name`);
      return { id: psid, name: fallback };
    }
  }

  /**
   * Offers a pending request to one agent, unless the agent rejected it
   * lately. Offering again what the agent was offered appends nothing, but
   * repairs an offer whose event a crash cut off.
   */
  async function offer(conversationId: string, agentId: string): Promise<void> {
    const fresh = newId('req');
    const { value: route, previous, changed } = await records.update<Route>(routeKey(conversationId), (route) => {
      if (route?.state !== 'pending' || Object.hasOwn(route.offers, agentId)) return undefined;
      const rejectedAt = route.rejected[agentId];
      if (rejectedAt !== undefined && now() - rejectedAt < requeueDelay) return undefined;
      // An agent who declined it gets a new id: the console does not show an id it has answered again.
      const again = route.declined.includes(agentId);
      const id = again ? fresh : route.requestId;
      const rejected = { ...route.rejected };
      delete rejected[agentId];
      return { ...route, offers: { ...route.offers, [agentId]: id }, rejected, requestIds: again ? [...route.requestIds, id] : route.requestIds };
    });
    const requestId = route?.state === 'pending' ? route.offers[agentId] : undefined;
    if (!route || !requestId) return;
    if (requestId === fresh) await store.compareAndSet(requestKey(fresh), 0, conversationId, { ttlMs: 30 * DAY });
    await store.appendEvent(agentId, { type: 'conversation-request', detail: requestDetail(previous ?? route, requestId) }, { once: `offer:${requestId}:${agentId}` });
    if (changed) log.info({ requestId, agentId }, `request ${requestId} offered to agent ${agentId}`);
  }

  /** The open route of a conversation the agent may work on; 404 or 403 otherwise. */
  async function ownRoute(conversationId: string, agentId: string): Promise<Route> {
    const route = await records.read<Route>(routeKey(conversationId));
    if (!route) throw new HttpError(404, 'This conversation is not open.');
    if (route.state !== 'assigned' || (route.agentId !== agentId && !shareConversations)) {
      throw new HttpError(403, 'This conversation belongs to another agent.');
    }
    return route;
  }

  async function endNow(conversationId: string, agentId: string): Promise<void> {
    const { previous, changed } = await records.update<Route>(routeKey(conversationId), (route) => {
      if (route?.state !== 'assigned' || (route.agentId !== agentId && !shareConversations)) return undefined;
      return REMOVE;
    });
    if (!changed || !previous) {
      if (previous) throw new HttpError(403, 'This conversation belongs to another agent.');
      return; // ended already
    }
    log.info({ conversationId, agentId }, `conversation ${conversationId} ended by agent ${agentId}`);
    const others = (await presence.audience(previous)).filter((id) => id !== agentId);
    await presence.emit(others, { type: 'conversation-ended', detail: { conversationId, reason: 'The agent ended the conversation.' } });
  }

  return {
    conversation,
    ownRoute,

    /** The conversation's route, if it has one. */
    route: (conversationId: string) => records.read<Route>(routeKey(conversationId)),

    channelOf,

    /**
     * A customer shown under the fallback name gets their real one once the
     * profile lookup succeeds (a failed lookup is not remembered, so each of
     * their messages tries again). Answers the route as it is now; the
     * `conversation-updated` that follows a customer's message carries it.
     */
    async refreshCustomer(route: Route): Promise<Route> {
      if (route.customer.name !== fallbackName(route.psid)) return route;
      const customer = await customerFor(route.psid);
      if (customer.name === route.customer.name) return route;
      const { value, changed } = await records.update<Route>(routeKey(route.conversationId), (current) =>
        current && current.customer.name === fallbackName(current.psid) ? { ...current, customer } : undefined,
      );
      if (changed) log.info({ conversationId: route.conversationId }, `the customer of conversation ${route.conversationId} now has their profile name`);
      return value ?? route;
    },

    /** Who holds the conversation's thread (console when nothing was said). */
    thread: async (conversationId: string): Promise<ThreadOwner> => (await records.read<ThreadOwner>(threadKey(conversationId))) ?? { owner: 'console' },

    /** Records that the console took the thread, or handed it back. */
    async setThread(conversationId: string, owner: ThreadOwner): Promise<void> {
      await records.update<ThreadOwner>(threadKey(conversationId), () => owner);
    },

    /** A customer without a session wrote: a new request, offered to every agent online. */
    async openRequest(conversationId: string, psid: string, message: Message): Promise<void> {
      const customer = await customerFor(psid);
      const requestId = newId('req');
      const sentAt = Date.parse(message.sentAt);
      const route: Route = {
        conversationId,
        psid,
        customer,
        createdAt: Number.isFinite(sentAt) ? new Date(sentAt).toISOString() : nowIso(),
        firstMessageId: message.id,
        state: 'pending',
        requestId,
        requestIds: [requestId],
        offers: {},
        rejected: {},
        declined: [],
      };
      if (message.text) route.preview = message.text.length > 300 ? `${message.text.slice(0, 299)}…` : message.text;
      await store.compareAndSet(requestKey(requestId), 0, conversationId, { ttlMs: 30 * DAY });
      if (await store.compareAndSet(routeKey(conversationId), 0, route)) {
        log.info({ requestId, conversationId }, `request ${requestId} for conversation ${conversationId}`);
      } else {
        // Opened already: by this message, when its handling is repeated after a crash (then the offers are completed), or by another.
        const known = await records.read<Route>(routeKey(conversationId));
        if (known?.state !== 'pending' || known.firstMessageId !== message.id) return;
      }
      for (const agentId of await presence.onlineAgents()) await offer(conversationId, agentId);
    },

    /** The conversations an agent holds (all open ones, when conversations are shared). */
    async heldBy(agentId: string): Promise<Conversation[]> {
      const held: Conversation[] = [];
      for (const { value: route } of await store.list<Route>('route:')) {
        if (route.state === 'assigned' && (route.agentId === agentId || shareConversations)) held.push(await conversation(route));
      }
      return held;
    },

    /** Offers the waiting requests to an agent who connects; a fresh client (a page load) gets its open offers again. */
    async offerPending(agentId: string, fresh: boolean): Promise<void> {
      for (const { value: route } of await store.list<Route>('route:')) {
        if (route.state !== 'pending') continue;
        const held = Object.hasOwn(route.offers, agentId) ? route.offers[agentId] : undefined;
        if (held && fresh) await store.appendEvent(agentId, { type: 'conversation-request', detail: requestDetail(route, held) });
        else await offer(route.conversationId, agentId);
      }
    },

    /**
     * Assigns a request to the agent. It runs in the conversation's queue, so
     * the kept messages it hands over are exactly those that came before it:
     * later ones go to the agent as they arrive, none twice, in order.
     * Answers the conversation; the events follow in the same task.
     */
    async accept(requestId: string, agentId: string): Promise<Conversation> {
      const conversationId = await records.read<string>(requestKey(requestId));
      if (!conversationId) throw new HttpError(404, 'This request is no longer available.');
      let answer!: (conversation: Conversation) => void;
      const answered = new Promise<Conversation>((resolve) => (answer = resolve));
      const task = holding(conversationId, async () => {
        const { value: route, previous, changed } = await records.update<Route>(routeKey(conversationId), (route) => {
          if (route?.state !== 'pending' || route.offers[agentId] !== requestId) return undefined;
          return { ...route, state: 'assigned', agentId, startedAt: nowIso(), offers: {}, rejected: {} };
        });
        if (!changed || !route || !previous) {
          if (!route || !route.requestIds.includes(requestId)) throw new HttpError(404, 'This request is no longer available.');
          if (route.state === 'assigned') {
            throw new HttpError(409, route.agentId === agentId ? 'You have already accepted this request.' : 'This request was already accepted by another agent.');
          }
          throw new HttpError(404, 'This request is no longer offered to you.'); // rejected or timed out by this agent
        }
        log.info({ requestId, agentId }, `request ${requestId} accepted by agent ${agentId}`);
        const { messages } = await store.listMessages(conversationId, { from: route.firstMessageId });
        answer(await conversation(route));
        // The newest go to the agent as events; any before them stay in the conversation's history, where the console pages back.
        for (const message of messages.slice(-handOverMessages)) {
          await store.appendEvent(agentId, { type: 'message', detail: message }, { once: `${messageOnce(message.id)}:${agentId}` });
        }
        // Another app (a bot) holds the thread: the agent's composer stays closed until they take it over.
        const thread = await records.read<ThreadOwner>(threadKey(conversationId));
        if (thread?.owner === 'other') {
          const detail = { conversationId, owner: 'other', ...(thread.appId && { appId: thread.appId }) };
          await store.appendEvent(agentId, { type: 'thread-control', detail }, { once: `thread:${requestId}:${agentId}` });
        }
        for (const [other, id] of Object.entries(previous.offers)) {
          // The acceptor's own log gets it too, so that a client replaying its log does not show the request again.
          const reason = other === agentId ? 'Accepted by this agent' : 'Accepted by another agent';
          await store.appendEvent(other, { type: 'conversation-request-withdrawn', detail: { requestId: id, reason } }, { once: `withdrawn:${id}:${other}` });
        }
      });
      return Promise.race([answered, task.then(() => answered)]);
    },

    async reject(requestId: string, agentId: string): Promise<void> {
      const conversationId = await records.read<string>(requestKey(requestId));
      if (!conversationId) return;
      const { value: route, previous, changed } = await records.update<Route>(routeKey(conversationId), (route) => {
        if (route?.state !== 'pending' || route.offers[agentId] !== requestId) return undefined;
        const offers = { ...route.offers };
        delete offers[agentId];
        const declined = route.declined.includes(agentId) ? route.declined : [...route.declined, agentId];
        return { ...route, offers, rejected: { ...route.rejected, [agentId]: now() }, declined };
      });
      if (!changed || !route || !previous) return;
      log.info({ requestId, agentId }, `request ${requestId} rejected by agent ${agentId}; offered again in ${requeueDelay} ms`);
      // In the agent's own log too, so that a client replaying its log does not show it again.
      await store.appendEvent(agentId, {
        type: 'conversation-request-withdrawn',
        detail: { requestId: previous.offers[agentId], reason: 'Rejected by this agent' },
      });
      // Any instance may fire it: the one that took the rejection may be gone by then.
      const reoffer: Reoffer = { type: 'reoffer', conversationId, agentId, rejectedAt: route.rejected[agentId]! };
      await store.schedule(now() + requeueDelay, JSON.stringify(reoffer));
    },

    /** Runs the scheduled tasks that are due (re-offers), whichever instance scheduled them. */
    async fireDue(): Promise<void> {
      for (const task of await store.due(now())) {
        const { conversationId, agentId, rejectedAt } = JSON.parse(task) as Reoffer;
        const { changed: cleared } = await records.update<Route>(routeKey(conversationId), (current) => {
          if (current?.state !== 'pending' || current.rejected[agentId] !== rejectedAt) return undefined;
          const rejected = { ...current.rejected };
          delete rejected[agentId];
          return { ...current, rejected };
        });
        if (cleared && (await presence.onlineAgents()).includes(agentId)) await offer(conversationId, agentId);
      }
    },

    /** Ends a session, in the conversation's queue so that a customer message is either before it or a new request. */
    end(conversationId: string, agentId: string): Promise<void> {
      return holding(conversationId, () => endNow(conversationId, agentId));
    },
  };
}

export type Routing = ReturnType<typeof createRouting>;

import type {
  Attachment,
  AttachmentPolicy,
  ChannelAdapter,
  ChannelCapabilities,
  ChannelErrorCode,
  ChannelEvent,
  ChannelEventType,
  ConnectionChange,
  Conversation,
  Message,
  NamedBlob,
  OutgoingMessage,
} from '../adapters/types.js';
import { attachmentKindOf, channelEventTypes, channelTitle } from '../adapters/types.js';
import { MalformedEventError, validateCapabilities, validateChannelEvent, validateConversation, validateSentMessage } from '../adapters/validate.js';
import { typeIsAllowed } from '../adapters/file-types.js';
import { reconnectDelay } from '../adapters/reconnect.js';
import { type KeptMessage, OutboxStore } from './outbox-store.js';
import type { RequestOutcome } from './requests.js';
import { RequestQueue } from './requests.js';
import type { SessionEnd } from './session.js';
import { Session } from './session.js';
import type { TranscriptMessage } from './transcript.js';

/**
 * The `detail` of `agent-error`, which the console core, `<agent-console>`
 * and a standalone `<agent-conversation-pane>` dispatch: what went wrong
 * between the console and its adapter. The console keeps working; this is
 * for the page's logs and monitoring.
 */
export interface AgentErrorDetail {
  /**
   * `malformed-event`: an adapter event (or a result) broke the contract and
   * was dropped. `adapter-failure`: an adapter call failed (the error is also
   * shown to the agent where it matters). `overflow`: too many events came
   * for a conversation that has no session, and the oldest were dropped.
   * `storage`: unsent messages cannot be kept across page reloads (IndexedDB
   * is unavailable or failed); the outbox is memory only from then on.
   */
  code: 'malformed-event' | 'adapter-failure' | 'overflow' | 'storage';
  /** A sentence for developers, e.g. `Adapter event "message" dropped: detail.sentAt must be an ISO 8601 date…`. */
  message: string;
  /** The adapter event type or method concerned. */
  eventType?: string;
  /** For malformed events, the path of the field that is wrong, e.g. `detail.sentAt`. */
  field?: string;
}

/** The `detail` of the core's `change` event: which part of the state changed. */
export interface CoreChangeDetail {
  /**
   * `requests`: the pending requests or one being accepted; `sessions`: a
   * session opened, ended, closed or changed (unread count, typing, reply
   * window); `transcript`: messages or their statuses; `outbox`: upload
   * progress; `connection`: the adapter's connection.
   */
  area: 'requests' | 'sessions' | 'transcript' | 'outbox' | 'connection';
  /** The request or conversation concerned, when there is one. */
  id?: string;
  /** A message that has just arrived live (not history, not an update of one already shown): the last of `arrivals`. */
  arrived?: Message;
  /**
   * Every message that arrived live in the conversation since its last change
   * event, oldest first. Changes that adapter events make are told once the
   * burst is over (a microtask later), one event per conversation and area,
   * so a flood of 10,000 messages is one change, not 10,000.
   */
  arrivals?: Message[];
}

/** A send in flight or failed, with its upload progress; the core's `outbox` keys them by `clientId`. */
export interface OutboxEntry {
  /** The conversation it goes to. */
  readonly conversationId: string;
  /** What is being sent, as handed to the adapter. */
  readonly draft: OutgoingMessage;
  /** Bytes of the file uploaded so far (0 for text). */
  sentBytes: number;
  /** The file's size in bytes (0 for text). */
  totalBytes: number;
  /** Aborts the send while it is in flight; absent once it has failed. */
  controller?: AbortController;
  /** Held because the connection is down; it goes out when the connection is back. */
  held?: boolean;
}

/** Options of {@link ConsoleCore}. */
export interface ConsoleCoreOptions {
  /** Sessions the agent may hold at once (default 10). */
  maxSessions?: number;
  /** Where contract breaches are logged (default `console`). */
  logger?: Pick<Console, 'warn'>;
  /**
   * After `start()`, reconnect the adapter when its connection closes or the
   * first connect fails, with backoff (default true). An adapter that
   * reconnects by itself (it reports `connecting`) is left to do so.
   */
  reconnect?: boolean;
  /**
   * Keeps messages not yet acknowledged by the adapter in IndexedDB under this
   * key (with the adapter's channel; `<agent-console>` passes its `sync-key`),
   * so a page reload does not lose them: a core started later with the same
   * key shows them as pending again and sends them under their `clientId`.
   * Absent (the default): the outbox is memory only.
   */
  outboxKey?: string;
  /** Files larger than this many bytes are not kept across reloads (default 10 MB); the agent is told. */
  maxKeptFileSize?: number;
}

/** Thrown by `accept` when the agent already holds `maxSessions` sessions. */
export class SessionLimitError extends Error {
  override name = 'SessionLimitError';
  constructor(
    /** The `maxSessions` in force. */
    readonly limit: number,
  ) {
    super(`The agent already holds ${limit} sessions.`);
  }
}

/** How many of a history page's newest messages go in before the view is told. */
const firstHistorySlice = 500;
/** How long, in ms, each further slice of a large history page may hold the main thread. */
const historySliceMs = 6;

/** Resolves in a task of its own, after what is queued (not clamped as nested timers are). */
const nextTask = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });

/**
 * Resolves after the next frame is drawn where the page is shown, so that
 * work in slices never holds a frame back; at once (in a task) where it is
 * hidden or has no document, as a hidden page draws no frames.
 */
const afterFrame = (): Promise<void> => {
  if (typeof document === 'undefined' || document.visibilityState !== 'visible') return nextTask();
  return new Promise<void>((resolve) => {
    const go = () => {
      document.removeEventListener('visibilitychange', go);
      cancelAnimationFrame(frame);
      resolve(nextTask());
    };
    const frame = requestAnimationFrame(go);
    document.addEventListener('visibilitychange', go);
  });
};

// Events for a conversation that has no session yet (they can overtake `accept`).
const maxUnclaimedConversations = 50;
const maxUnclaimedEvents = 200;

/** A new idempotency key; `crypto.randomUUID` needs a secure context, which a CRM page may not be. */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The message of anything thrown. */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const channelErrorCodes: readonly unknown[] = ['reply-window-closed', 'recipient-unavailable', 'rate-limited', 'channel-unauthorized', 'temporary'];

/** The {@link ChannelErrorCode} an adapter's error carries (`error.code`), when it is one the console words itself. */
export const errorCode = (error: unknown): ChannelErrorCode | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return channelErrorCodes.includes(code) ? (code as ChannelErrorCode) : undefined;
};

/**
 * The console's state: pending requests, sessions with their transcripts, and
 * the outbox. It validates every adapter event at the boundary, so a
 * malformed one is dropped with a warning and an `agent-error` event and
 * nothing else stops working.
 *
 * `<agent-console>` makes one for its `adapter` and shares it with its
 * elements (read it as `console.core`). Use one directly to drive the
 * console from code, or to run a page's own view on the same state:
 *
 * ```ts
 * const core = new ConsoleCore(adapter, { maxSessions: 3 });
 * core.addEventListener('change', () => render(core));
 * await core.start();
 * ```
 *
 * Change state through the methods only; the collections are exposed for
 * reading.
 *
 * @fires change - `CustomEvent<CoreChangeDetail>` after any state change.
 * @fires agent-error - `CustomEvent<AgentErrorDetail>` when adapter data was refused or a call failed.
 */
export class ConsoleCore extends EventTarget {
  /** Requests waiting for the agent's answer, newest first. */
  readonly requests = new RequestQueue();
  /** The agent's sessions by conversation id, ended ones included until {@link close}. */
  readonly sessions = new Map<string, Session>();
  /** Sends in flight, held while offline, or failed, by `clientId`. */
  readonly outbox = new Map<string, OutboxEntry>();
  /** The adapter's connection as last reported (`closed` before `start`). */
  connection: ConnectionChange = { state: 'closed' };
  /** When the core will next try to connect (epoch ms), while the connection is down. */
  reconnectAt?: number;
  /** Sent to the customer as the first message of each new session, e.g. a recording notice. */
  customerNotice = '';
  /**
   * What the channel is and can do, once the adapter has said
   * ({@link ChannelAdapter.getCapabilities}); the elements follow it. Asked
   * once per {@link attach}, and again when the connection opens if that failed.
   */
  capabilities?: ChannelCapabilities;
  /** Sessions the agent may hold at once. */
  maxSessions: number;
  /** Files larger than this many bytes are not kept across reloads ({@link ConsoleCoreOptions.maxKeptFileSize}). */
  maxKeptFileSize: number;
  readonly #logger: Pick<Console, 'warn'>;
  readonly #accepting = new Set<string>();
  /** What happened to requests while they were being accepted, applied if the accept fails. */
  readonly #overtaken = new Map<string, { outcome: RequestOutcome; elsewhere: boolean }>();
  readonly #unclaimed = new Map<string, ChannelEvent[]>();
  readonly #reconnects: boolean;
  #started = false;
  #owned = false;
  /** Whether the adapter has reported its connection state at all (an attached core may never hear it). */
  #heard = false;
  #attempt = 0;
  #timer?: ReturnType<typeof setTimeout>;
  readonly #store?: OutboxStore;
  /** Kept messages of conversations with no session yet, placed when it opens or when the open ones are known. */
  #waiting: KeptMessage[] = [];
  /** Whether the adapter has said which conversations the agent holds (so a kept message with no session cannot be sent). */
  #listed = false;
  #describing?: Promise<void>;
  /** Changes made by the adapter events of the current burst, by area and conversation. */
  readonly #burst = new Map<CoreChangeDetail['area'], Map<string, CoreChangeDetail>>();

  constructor(
    /** The channel adapter the core runs on. */
    readonly adapter: ChannelAdapter,
    options: ConsoleCoreOptions = {},
  ) {
    super();
    this.maxSessions = options.maxSessions ?? 10;
    this.#logger = options.logger ?? console;
    this.#reconnects = options.reconnect ?? true;
    this.maxKeptFileSize = options.maxKeptFileSize ?? 10 * 2 ** 20;
    if (options.outboxKey !== undefined) {
      this.#store = new OutboxStore(`agent-console:${adapter.channel}:${options.outboxKey}`, (error) =>
        this.#report({ code: 'storage', message: `Unsent messages cannot be kept across page reloads: ${errorText(error)}` }),
      );
    }
  }

  /**
   * Starts listening to the adapter and connects it. If connecting fails the
   * error is thrown; with `reconnect` on, the core keeps trying meanwhile.
   */
  async start(): Promise<void> {
    if (this.#started) {
      if (this.#owned && this.connection.state === 'closed') await this.#connect(); // again, now
      return;
    }
    this.attach();
    this.#owned = true;
    try {
      await this.#connect();
    } catch (error) {
      if (!this.#reconnects) this.detach(); // as it was, so start() can be tried again
      throw error;
    }
  }

  /** Tries to connect now instead of waiting for the next scheduled attempt. */
  reconnectNow(): void {
    if (this.#owned && this.connection.state === 'closed') void this.#connect().catch(() => {});
  }

  /**
   * The channel's attachment policy, once the adapter has reported it.
   * @deprecated Read `capabilities.attachments`.
   */
  get policy(): AttachmentPolicy | undefined {
    return this.capabilities?.attachments;
  }

  /**
   * Whether the adapter has said its connection is down, or that the
   * backend's access to the channel expired (`channel-unauthorized`); sends
   * are then held until it is back.
   */
  get offline(): boolean {
    return this.#heard && (this.connection.state !== 'open' || this.connection.code === 'channel-unauthorized');
  }

  /** Stops listening and disconnects the adapter. Sends in flight are aborted. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.detach();
    for (const entry of this.outbox.values()) entry.controller?.abort();
    if (this.#store && !this.#store.off) {
      // What is kept passes to another console with the same key (or to this one when it starts again).
      this.#store.release();
      this.outbox.clear();
      this.#waiting = [];
      this.#listed = false;
    }
    // Until started again, what the agent sends is held, not sent to a closed adapter.
    this.#heard = true;
    this.connection = { state: 'closed' };
    this.#changed('connection');
    await this.#call('disconnect', () => this.adapter.disconnect());
  }

  /**
   * Listens to the adapter without connecting it, for a page that connects
   * (and shares) the adapter itself. Also asks for the channel's capabilities.
   */
  attach(): void {
    if (this.#started) return;
    this.#started = true;
    for (const type of channelEventTypes) this.adapter.addEventListener(type, this.#onAdapterEvent);
    this.capabilities = undefined;
    this.#describe();
    void this.#reclaim();
  }

  /** Stops listening to the adapter, leaving its connection alone. */
  detach(): void {
    this.#started = this.#owned = false;
    this.#stopReconnecting();
    for (const type of channelEventTypes) this.adapter.removeEventListener(type, this.#onAdapterEvent);
  }

  /**
   * Opens a session for a conversation accepted elsewhere (another tab, a
   * reloaded page, a standalone pane). Returns the existing one if open.
   */
  openSession(conversation: Conversation): Session {
    return this.sessions.get(conversation.id) ?? this.#open(conversation);
  }

  /**
   * Loads the page of history before the oldest message shown. Safe to call
   * repeatedly: it does nothing while a load is under way or when there is no more.
   * After a failure (`history.error`), calling it again tries again. A large
   * page shows its newest messages at once and the rest between frames; the
   * promise resolves when all of it is in.
   */
  async loadHistory(conversationId: string, limit = 50): Promise<void> {
    const session = this.sessions.get(conversationId);
    if (!session || session.history.loading || !session.history.hasMore) return;
    if (!this.adapter.loadHistory) {
      session.history = { hasMore: false, loading: false };
      return this.#changed('sessions', conversationId);
    }
    session.history = { hasMore: true, loading: true };
    this.#changed('sessions', conversationId);
    try {
      const before = session.transcript.at(0)?.id;
      const size = session.transcript.size;
      const page = await this.#call('loadHistory', () => this.adapter.loadHistory!(conversationId, { before, limit }));
      await this.#addPage(session, [...page.messages]);
      // A page that adds nothing would be asked for again and again.
      session.history = { hasMore: page.hasMore === true && session.transcript.size > size, loading: false };
    } catch (error) {
      session.history = { hasMore: true, loading: false, error: errorText(error) };
    }
    this.#changed('transcript', conversationId);
  }

  /** Whether a customer's file is of a type the channel's policy allows (true until the policy is known). */
  allowsFile(attachment: Pick<Attachment, 'name' | 'mimeType'>): boolean {
    return !this.policy || typeIsAllowed(this.policy, attachment.name, attachment.mimeType);
  }

  /**
   * Keeps the agent's unsent text for a conversation, for when they come back
   * to it. It is the composer's own state: no `change` event.
   */
  setDraft(conversationId: string, text: string): void {
    const session = this.sessions.get(conversationId);
    if (session) session.draft = text;
  }

  /**
   * Remembers where the agent was reading a conversation (`undefined`: at the
   * newest message), so that it opens there again. It is the view's own
   * state: no `change` event.
   */
  setScrollAnchor(conversationId: string, anchor: Session['scrollAnchor']): void {
    const session = this.sessions.get(conversationId);
    if (session) session.scrollAnchor = anchor;
  }

  /**
   * Takes newer details of a conversation that has a session (customer,
   * reply window), as the adapter's `conversation-updated` event does; for a
   * page that gets them some other way, such as a standalone pane's `conversation`.
   */
  updateConversation(conversation: Conversation): void {
    const session = this.sessions.get(conversation.id);
    if (!session || session.conversation === conversation) return;
    session.conversation = conversation;
    this.#changed('sessions', session.id);
  }

  /** The agent dismissed the unsupported-type notice of a session. */
  dismissUnsupportedNotice(conversationId: string): void {
    const session = this.sessions.get(conversationId);
    if (!session?.unsupportedNotice) return;
    session.unsupportedNotice = 0;
    this.#changed('sessions', conversationId);
  }

  /** Whether `accept` is in flight for the request. */
  isAccepting(requestId: string): boolean {
    return this.#accepting.has(requestId);
  }

  /** Sessions that have not ended. */
  get activeSessionCount(): number {
    return [...this.sessions.values()].filter((session) => !session.ended).length;
  }

  /**
   * Accepts a pending request and opens its session. If the adapter fails,
   * the request stays pending so the agent can try again; the error is thrown.
   */
  async accept(requestId: string): Promise<Session> {
    if (!this.requests.get(requestId)) throw new Error(`No pending request ${requestId}.`);
    if (this.#accepting.has(requestId)) throw new Error(`Request ${requestId} is already being accepted.`);
    if (this.atSessionLimit) throw new SessionLimitError(this.maxSessions);
    this.#accepting.add(requestId);
    this.#changed('requests', requestId);
    try {
      const conversation = this.#checked(validateConversation, await this.#call('accept', () => this.adapter.accept(requestId)));
      this.requests.settle(requestId, 'accepted');
      // The notice goes out whenever a session starts, also when a reused conversation id reopens one.
      const starts = !!this.sessions.get(conversation.id)?.ended || !this.sessions.has(conversation.id);
      const session = this.#open(conversation);
      if (starts && this.customerNotice.trim()) this.send(session.id, { text: this.customerNotice, automatic: true });
      return session;
    } catch (error) {
      const overtaken = this.#overtaken.get(requestId);
      if (overtaken) this.requests.settle(requestId, overtaken.outcome, overtaken.elsewhere);
      throw error;
    } finally {
      this.#overtaken.delete(requestId);
      this.#accepting.delete(requestId);
      this.#changed('requests', requestId);
    }
  }

  /** Whether accepting one more request would go over `maxSessions` (accepts in flight count). */
  get atSessionLimit(): boolean {
    return this.activeSessionCount + this.#accepting.size >= this.maxSessions;
  }

  /**
   * Takes a request out of the queue because it was answered somewhere else
   * (the same console in another tab); the adapter is not called.
   */
  answeredElsewhere(requestId: string, outcome: RequestOutcome): void {
    this.#settle(requestId, outcome, true);
  }

  /** Declines a pending request. If the adapter fails, the request stays pending and the error is thrown. */
  async reject(requestId: string): Promise<void> {
    if (!this.#answerable(requestId)) return;
    await this.#call('reject', () => this.adapter.reject(requestId));
    if (this.requests.settle(requestId, 'declined-by-agent')) this.#changed('requests', requestId);
  }

  /** Gives a request back to the channel because the agent did not answer in time. */
  async expire(requestId: string): Promise<void> {
    if (!this.#answerable(requestId)) return;
    this.requests.settle(requestId, 'timed-out');
    this.#changed('requests', requestId);
    await this.#call('reject', () => this.adapter.reject(requestId));
  }

  /**
   * Sends text or a file, as a reply to the customer's message `replyTo`
   * when given. The message is in the transcript as `pending` at
   * once; it then takes the adapter's result or becomes `failed` with the
   * adapter's error, and can be retried with {@link retry}.
   */
  send(conversationId: string, content: { text?: string; file?: NamedBlob; replyTo?: string; automatic?: boolean }): Message {
    const session = this.#liveSession(conversationId);
    const text = content.text?.trim() ? content.text : undefined;
    const { file, replyTo } = content;
    if (!text && !file) throw new Error('Nothing to send: the message has no text and no file.');
    const draft: OutgoingMessage = { clientId: newClientId(), text, file };
    if (content.automatic) draft.automatic = true;
    const pending: TranscriptMessage = {
      id: `pending:${draft.clientId}`,
      conversationId,
      clientId: draft.clientId,
      direction: 'outbound',
      sentAt: new Date().toISOString(),
      status: 'pending',
    };
    if (text) pending.text = text;
    if (replyTo) pending.replyTo = { messageId: (draft.replyTo = replyTo) };
    if (content.file) {
      const { name, type, size } = content.file;
      pending.attachments = [{ id: draft.clientId, kind: attachmentKindOf(type), name, mimeType: type, size, url: '' }];
    }
    const store = this.#store;
    if (store && !store.off) {
      const big = content.file && content.file.size > this.maxKeptFileSize;
      if (big) pending.notice = 'not-kept';
      void store.lock(draft.clientId);
      store.put({ message: pending, conversation: session.conversation, file: big ? undefined : content.file });
    }
    session.transcript.upsert(pending);
    this.outbox.set(draft.clientId, { conversationId, draft, sentBytes: 0, totalBytes: content.file?.size ?? 0 });
    this.#changed('transcript', conversationId);
    this.#deliver(draft.clientId);
    return pending;
  }

  /** Whether {@link retry} can send this message again: it failed and its draft is still in the outbox. */
  canRetry(clientId: string): boolean {
    const entry = this.outbox.get(clientId);
    return !!entry && !entry.controller && !entry.held && !this.sessions.get(entry.conversationId)?.ended;
  }

  /** Sends a failed message again under the same `clientId`. */
  retry(clientId: string): void {
    const entry = this.outbox.get(clientId);
    const session = entry && this.sessions.get(entry.conversationId);
    if (!entry || !session || session.ended || entry.controller || entry.held) return;
    if (!session.transcript.retry(clientId)) return;
    entry.sentBytes = 0;
    this.#changed('transcript', entry.conversationId);
    this.#deliver(clientId);
  }

  /** Aborts a send in flight, or drops a failed one; its message leaves the transcript. */
  cancel(clientId: string): void {
    const entry = this.outbox.get(clientId);
    if (!entry) return;
    this.#forget(clientId);
    entry.controller?.abort();
    const transcript = this.sessions.get(entry.conversationId)?.transcript;
    const message = transcript?.getByClientId(clientId);
    if (message && message.status !== 'sent' && message.status !== 'delivered' && message.status !== 'read') {
      transcript!.remove(message.id);
    }
    this.#changed('transcript', entry.conversationId);
  }

  /**
   * Takes the conversation's thread from the app holding it (a bot, the
   * Page inbox) through `adapter.takeThread`; the agent can then answer.
   * Throws when the adapter has no `takeThread` or it fails.
   */
  takeThread(conversationId: string): Promise<void> {
    return this.#handOver(conversationId, 'takeThread', 'console');
  }

  /** Hands the conversation's thread back through `adapter.passThread`; the agent can no longer answer. Throws when the adapter has no `passThread` or it fails. */
  passThread(conversationId: string): Promise<void> {
    return this.#handOver(conversationId, 'passThread', 'other');
  }

  async #handOver(conversationId: string, method: 'takeThread' | 'passThread', owner: 'console' | 'other') {
    const session = this.#liveSession(conversationId);
    await this.#call(method, () => this.adapter[method]!(conversationId));
    session.thread = { owner };
    this.#changed('sessions', conversationId);
  }

  /**
   * The agent reacts to a customer's message with an emoji (`''` takes the
   * reaction back) through `adapter.react`. It shows in `session.reactions`
   * at once; if the adapter fails, the earlier reaction comes back and the
   * error is thrown.
   */
  async react(conversationId: string, messageId: string, emoji: string): Promise<void> {
    const { reactions } = this.#liveSession(conversationId);
    const earlier = reactions.get(messageId) ?? '';
    const show = (shown: string) => {
      if (shown) reactions.set(messageId, shown);
      else reactions.delete(messageId);
      this.#changed('transcript', conversationId);
    };
    show(emoji);
    try {
      await this.#call('react', () => this.adapter.react!(conversationId, messageId, emoji));
    } catch (error) {
      // Unless the agent has meanwhile chosen another.
      if ((reactions.get(messageId) ?? '') === emoji) show(earlier);
      throw error;
    }
  }

  /**
   * Makes the agent's next message a reply to a customer's message
   * (`undefined`: not a reply). It is the composer's own state: no `change`
   * event; {@link send} takes it as `replyTo`.
   */
  setReplyTo(conversationId: string, messageId?: string): void {
    const session = this.sessions.get(conversationId);
    if (session) session.replyTo = messageId;
  }

  /** Ends the conversation with the customer; the session stays readable until {@link close}. */
  async end(conversationId: string): Promise<void> {
    const session = this.#liveSession(conversationId);
    await this.#call('endConversation', () => this.adapter.endConversation(conversationId));
    if (this.#end(session, { at: new Date().toISOString(), byAgent: true })) this.#changed('sessions', conversationId);
  }

  /** Removes an ended session from the console. */
  close(conversationId: string): void {
    const session = this.sessions.get(conversationId);
    if (!session) return;
    if (!session.ended) throw new Error(`Conversation ${conversationId} has not ended; end it first.`);
    for (const [clientId, entry] of this.outbox) if (entry.conversationId === conversationId) this.cancel(clientId);
    this.sessions.delete(conversationId);
    this.#changed('sessions', conversationId);
  }

  /** The agent has seen the conversation: clears its unread count and tells the channel. */
  markRead(conversationId: string): void {
    const session = this.sessions.get(conversationId);
    if (!session || session.unread === 0) return;
    session.unread = 0;
    this.#changed('sessions', conversationId);
    const { transcript } = session;
    let lastInbound: Message | undefined;
    for (let i = transcript.size - 1; i >= 0 && !lastInbound; i--) {
      if (transcript.at(i)!.direction === 'inbound') lastInbound = transcript.at(i);
    }
    if (lastInbound && this.adapter.markRead) {
      void this.#call('markRead', () => this.adapter.markRead!(conversationId, lastInbound.id)).catch(() => {});
    }
  }

  /** Tells the customer whether the agent is typing, if the channel supports it. */
  setTyping(conversationId: string, typing: boolean): void {
    if (this.sessions.get(conversationId)?.ended || this.capabilities?.typing === false) return;
    try {
      this.adapter.setTyping?.(conversationId, typing);
    } catch (error) {
      this.#report({ code: 'adapter-failure', eventType: 'setTyping', message: `adapter.setTyping() failed: ${errorText(error)}` });
    }
  }

  #onAdapterEvent = (event: Event) => {
    const type = event.type as ChannelEventType;
    let detail;
    try {
      detail = this.#checked((value) => validateChannelEvent(type, value), (event as CustomEvent).detail);
    } catch {
      return; // reported; the event is dropped and nothing else is affected
    }
    this.#apply({ type, detail } as ChannelEvent);
  };

  #apply(event: ChannelEvent): void {
    switch (event.type) {
      case 'conversation-request':
        if (this.requests.add(event.detail)) this.#changed('requests', event.detail.id);
        return;
      case 'conversation-request-withdrawn':
        this.#settle(event.detail.requestId, 'withdrawn', false);
        return;
      case 'connection-change':
        this.#connectionChanged(event.detail);
        return;
      case 'conversation-updated':
        this.updateConversation(event.detail);
        return;
    }
    const session = this.sessions.get(event.detail.conversationId);
    if (!session) return this.#hold(event);
    let arrived: Message | undefined;
    switch (event.type) {
      case 'message': {
        const size = session.transcript.size;
        const stored = session.transcript.upsert(event.detail);
        if (!stored) return;
        // A new message grows the transcript; a repeat or an echo merges into what is there.
        const isNew = session.transcript.size > size;
        if (isNew) arrived = stored;
        if (event.detail.direction === 'inbound') {
          session.customerTyping = false;
          if (isNew) session.unread++;
          const { unsupported, attachments = [] } = event.detail;
          if (isNew && (unsupported || attachments.some((a) => !this.allowsFile(a)))) session.unsupportedNotice++;
        }
        break;
      }
      case 'message-status':
        if (!session.transcript.applyStatus(event.detail)) return;
        break;
      case 'message-edited':
        if (!session.transcript.edit(event.detail)) return;
        break;
      case 'message-deleted':
        if (!session.transcript.markDeleted(event.detail.messageId)) return;
        break;
      case 'typing':
        // A channel without typing shows none, even if its adapter sends some.
        if (session.customerTyping === event.detail.typing || session.ended || this.capabilities?.typing === false) return;
        session.customerTyping = event.detail.typing;
        break;
      case 'conversation-ended':
        if (!this.#end(session, { at: new Date().toISOString(), byAgent: false, reason: event.detail.reason })) return;
        break;
      case 'thread-control': {
        const { owner, appId } = event.detail;
        if (session.thread?.owner === owner && session.thread.appId === appId) return;
        session.thread = { owner, appId };
        break;
      }
    }
    // message, message-status, message-edited and message-deleted change the transcript.
    this.#changedAfterBurst(event.type.startsWith('message') ? 'transcript' : 'sessions', session.id, arrived);
  }

  /** Keeps events for a conversation whose session is not open yet; replayed by {@link #open}. */
  #hold(event: ChannelEvent & { detail: { conversationId: string } }) {
    const id = event.detail.conversationId;
    const held = this.#unclaimed.get(id) ?? [];
    if (held.length >= maxUnclaimedEvents) {
      this.#report({ code: 'overflow', eventType: event.type, message: `Too many events for conversation ${id}, which has no session; the oldest was dropped.` });
      held.shift();
    }
    held.push(event);
    this.#unclaimed.delete(id);
    this.#unclaimed.set(id, held);
    if (this.#unclaimed.size > maxUnclaimedConversations) this.#unclaimed.delete(this.#unclaimed.keys().next().value!);
  }

  #open(conversation: Conversation): Session {
    // A channel may reuse a conversation id for the customer's next visit: the
    // session reopens with its transcript, including anything that arrived meanwhile.
    const known = this.sessions.get(conversation.id);
    if (known) {
      known.conversation = conversation;
      known.ended = undefined;
      this.#changed('sessions', conversation.id);
      return known;
    }
    const session = new Session(conversation);
    this.sessions.set(conversation.id, session);
    const held = this.#unclaimed.get(conversation.id) ?? [];
    this.#unclaimed.delete(conversation.id);
    for (const event of held) this.#apply(event);
    this.#changed('sessions', conversation.id);
    this.#placeWaiting();
    return session;
  }

  /** Marks a session ended and writes the system message that says so; false when it had already ended. */
  #end(session: Session, ended: SessionEnd): boolean {
    if (session.ended) return false;
    session.ended = ended;
    session.customerTyping = false;
    const { at, byAgent, reason } = ended;
    session.transcript.upsert({
      id: `ended:${at}`,
      conversationId: session.id,
      direction: 'system',
      sentAt: at,
      ended: reason ? { byAgent, reason } : { byAgent },
    });
    return true;
  }

  #connectionChanged(change: ConnectionChange) {
    this.connection = change;
    this.#heard = true;
    if (change.state === 'open') {
      this.#attempt = 0;
      this.#stopReconnecting();
      // If asking failed before, the backend may answer now.
      if (this.#started) void (this.#describing ?? Promise.resolve()).then(() => this.#describe());
      for (const [clientId, entry] of this.outbox) if (entry.held) this.#deliver(clientId);
    } else if (change.state === 'connecting') {
      this.#stopReconnecting(); // the adapter reconnects by itself
    } else if (this.#owned && this.#reconnects && !this.#timer) {
      const delay = reconnectDelay(this.#attempt++);
      this.reconnectAt = Date.now() + delay;
      this.#timer = setTimeout(() => void this.#connect().catch(() => {}), delay);
    }
    this.#changed('connection');
  }

  async #connect(): Promise<void> {
    this.#connectionChanged({ state: 'connecting' });
    try {
      await this.#call('connect', () => this.adapter.connect());
    } catch (error) {
      const code = errorCode(error);
      if (this.#owned) this.#connectionChanged({ state: 'closed', error: errorText(error), ...(code && { code }) });
      throw error;
    }
    if (!this.#owned) return void this.adapter.disconnect().catch(() => {}); // stopped while connecting
    if (this.connection.state !== 'open') this.#connectionChanged({ state: 'open' });
    await this.#restore();
  }

  /** Opens the sessions the adapter says the agent holds (after a page reload, say). */
  async #restore() {
    let held: unknown = [];
    try {
      if (this.adapter.listConversations) held = await this.#call('listConversations', () => this.adapter.listConversations!());
    } catch {
      return; // reported; the agent still gets new requests
    }
    if (!Array.isArray(held)) return;
    for (const conversation of held) {
      try {
        this.openSession(this.#checked(validateConversation, conversation));
      } catch {
        // reported; the others open
      }
    }
    this.#listed = true;
    this.#placeWaiting();
  }

  #placeWaiting() {
    const waiting = this.#waiting;
    this.#waiting = [];
    waiting.forEach((kept) => this.#place(kept));
  }

  /** Takes up the messages kept by an earlier page (or console) with the same key, each once its lock is free. */
  async #reclaim() {
    const store = this.#store;
    for (const kept of (await store?.getAll()) ?? []) {
      const { clientId } = kept.message;
      if (!clientId || this.outbox.has(clientId)) continue;
      void store!.lock(clientId).then(async () => {
        // Another tab may have sent it while this one waited for the lock.
        const still = this.#started && !this.outbox.has(clientId) && (await store!.get(clientId));
        if (still) this.#place(still);
        else store!.release(clientId);
      });
    }
  }

  /**
   * Puts a kept message back in its session's transcript as pending and sends
   * it; waits while the session may still open; marks it not sent (and lets
   * it go) when its conversation is no longer open or its file was not kept.
   */
  #place(kept: KeptMessage) {
    const { message, conversation, file } = kept;
    const { conversationId: id, clientId } = message as Message & { clientId: string };
    let session = this.sessions.get(id);
    if (!session && !this.#listed) return void this.#waiting.push(kept);
    if (!session) {
      session = this.#open(conversation);
      session.ended = { at: new Date().toISOString(), byAgent: false };
    }
    const attachment = message.attachments?.[0];
    const notice = session.ended ? 'conversation-gone' : attachment && !file ? 'file-lost' : undefined;
    if (notice) {
      session.transcript.upsert({ ...message, status: 'failed', notice } as TranscriptMessage);
      this.#store!.delete(clientId);
    } else {
      session.transcript.upsert(message);
      const draft = {
        clientId,
        text: message.text,
        file: file && new File([file], attachment!.name, { type: file.type }),
        replyTo: message.replyTo?.messageId,
      };
      this.outbox.set(clientId, { conversationId: id, draft, sentBytes: 0, totalBytes: file?.size ?? 0 });
      this.#deliver(clientId);
    }
    this.#changed('sessions', id);
  }

  /** Asks the adapter what the channel can do, unless it has said or is being asked. */
  #describe() {
    const { adapter } = this;
    if (this.capabilities || this.#describing) return;
    this.#describing = this.#call('getCapabilities', async () => {
      if (typeof adapter.getCapabilities === 'function') return adapter.getCapabilities();
      // An adapter written before getCapabilities: what the elements assumed then
      // (Messenger's limit and reply window, whose deadline is each conversation's replyBy), with its own policy.
      const attachments = await adapter.getAttachmentPolicy!();
      return { name: channelTitle(adapter.channel), textLimit: 2000, attachments, typing: true, readReceipts: true, reactions: true, replyWindowHours: 24 };
    })
      .then((capabilities) => {
        this.capabilities = this.#checked(validateCapabilities, capabilities);
        this.#changed('sessions');
      })
      .catch(() => {}) // reported; the console runs without them: no limits shown, any file offered
      .finally(() => (this.#describing = undefined));
  }

  #stopReconnecting() {
    clearTimeout(this.#timer);
    this.#timer = this.reconnectAt = undefined;
  }

  /** Hands a send to the adapter, or holds it while the connection is down. */
  #deliver(clientId: string): void {
    const entry = this.outbox.get(clientId)!;
    entry.held = this.offline;
    if (entry.held) return;
    const session = this.sessions.get(entry.conversationId);
    if (session?.ended) {
      // It was held while the conversation ended: it stays in the transcript as not sent.
      this.#forget(clientId);
      const pending = session.transcript.getByClientId(clientId);
      if (pending) session.transcript.upsert({ ...pending, status: 'failed', notice: 'ended-unsent' } as TranscriptMessage);
      this.#changed('transcript', session.id);
    } else void this.#send(clientId, entry);
  }

  async #send(clientId: string, entry: OutboxEntry): Promise<void> {
    const controller = (entry.controller = new AbortController());
    const { conversationId, draft } = entry;
    const transcript = () => this.sessions.get(conversationId)?.transcript;
    try {
      const result = this.#checked(
        validateSentMessage,
        await this.adapter.sendMessage(conversationId, draft, {
          signal: controller.signal,
          onProgress: (sentBytes, totalBytes) => {
            Object.assign(entry, { sentBytes, totalBytes });
            this.#changed('outbox', conversationId);
          },
        }),
      );
      this.#forget(clientId);
      transcript()?.upsert({ ...result, conversationId, clientId, direction: 'outbound', status: result.status ?? 'sent' });
    } catch (error) {
      entry.controller = undefined;
      if (!this.outbox.has(clientId)) return; // cancelled by the agent
      transcript()?.applyStatus({ conversationId, clientId, status: 'failed', error: errorText(error), errorCode: errorCode(error) });
    }
    this.#changed('transcript', conversationId);
  }

  /** Takes a message out of the outbox and out of what is kept across reloads. */
  #forget(clientId: string) {
    this.outbox.delete(clientId);
    this.#store?.delete(clientId);
  }

  /** Settles a request answered outside this console; while it is being accepted, only if the accept fails. */
  #settle(requestId: string, outcome: RequestOutcome, elsewhere: boolean) {
    if (this.#accepting.has(requestId)) this.#overtaken.set(requestId, { outcome, elsewhere });
    else if (this.requests.settle(requestId, outcome, elsewhere)) this.#changed('requests', requestId);
  }

  #answerable(requestId: string): boolean {
    return !!this.requests.get(requestId) && !this.#accepting.has(requestId);
  }

  /**
   * Puts a page of history in a session's transcript, newest first: a slice
   * the view shows at once, then the older rest in slices of a few ms each,
   * one after each frame, with a change after each, so that a page of
   * 100,000 holds no frame back. Messages that break the contract are
   * reported and left out; the rest of the page still shows.
   */
  async #addPage(session: Session, page: unknown[]) {
    let end = page.length;
    let count = firstHistorySlice;
    for (;;) {
      const start = Math.max(0, end - count);
      const began = performance.now();
      const checked: Message[] = [];
      for (let i = start; i < end; i++) {
        try {
          const message = this.#checked((value) => validateChannelEvent('message', value), page[i]);
          message.conversationId = session.id; // the checked copy is the console's own
          checked.push(message);
        } catch {
          // reported
        }
      }
      session.transcript.upsertMany(checked);
      // As many next as fit in a slice's time, by how long these took, and at most twice as many.
      const fit = Math.floor(((end - start) * historySliceMs) / Math.max(0.1, performance.now() - began));
      count = Math.min(2 * count, Math.max(firstHistorySlice, fit));
      end = start;
      if (end === 0) return;
      // Told after every slice, so that no view works on a transcript that changed under it.
      this.#changed('transcript', session.id);
      await afterFrame();
    }
  }

  /** Validates adapter data; a breach is reported as `agent-error` and thrown for the caller. */
  #checked<T>(validate: (value: unknown) => T, value: unknown): T {
    try {
      return validate(value);
    } catch (error) {
      if (error instanceof MalformedEventError) {
        this.#report({ code: 'malformed-event', eventType: error.eventType, field: error.field, message: error.message });
      }
      throw error;
    }
  }

  #liveSession(conversationId: string): Session {
    const session = this.sessions.get(conversationId);
    if (!session) throw new Error(`No session for conversation ${conversationId}.`);
    if (session.ended) throw new Error(`Conversation ${conversationId} has ended.`);
    return session;
  }

  /** Calls the adapter; a failure is reported as `agent-error` and rethrown for the caller. */
  async #call<T>(method: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.#report({ code: 'adapter-failure', eventType: method, message: `adapter.${method}() failed: ${errorText(error)}` });
      throw error;
    }
  }

  #report(detail: AgentErrorDetail) {
    this.#logger.warn(`[agent-console] ${detail.message}`);
    this.dispatchEvent(new CustomEvent<AgentErrorDetail>('agent-error', { detail }));
  }

  #changed(area: CoreChangeDetail['area'], id?: string) {
    this.dispatchEvent(new CustomEvent<CoreChangeDetail>('change', { detail: { area, id } }));
  }

  /** Collects a change that an adapter event made, told with the others of its burst ({@link CoreChangeDetail.arrivals}). */
  #changedAfterBurst(area: CoreChangeDetail['area'], id: string, arrived?: Message) {
    if (!this.#burst.size) {
      queueMicrotask(() => {
        const changes = [...this.#burst.values()].flatMap((byId) => [...byId.values()]);
        this.#burst.clear();
        for (const detail of changes) this.dispatchEvent(new CustomEvent<CoreChangeDetail>('change', { detail }));
      });
    }
    let byId = this.#burst.get(area);
    if (!byId) this.#burst.set(area, (byId = new Map()));
    let detail = byId.get(id);
    if (!detail) byId.set(id, (detail = { area, id }));
    if (arrived) (detail.arrivals ??= []).push((detail.arrived = arrived));
  }
}

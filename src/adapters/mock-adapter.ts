import { messengerCapabilities } from './facebook/channel.js';
import { type MockSample, sampleAttachment, sampleUrl } from './mock-samples.js';
import { sendAbortError, SendOnce } from './sends.js';
import type {
  AttachmentPolicy,
  ChannelAdapter,
  ChannelCapabilities,
  ChannelEventMap,
  ChannelEventType,
  ConnectionState,
  Conversation,
  ConversationRequest,
  Customer,
  Message,
  MessageStatus,
  OutgoingMessage,
  SendOptions,
} from './types.js';
import { attachmentKindOf } from './types.js';

export type { MockSample };

/** Options of {@link MockChannelAdapter}. */
export interface MockChannelAdapterOptions {
  /** Seed for every random choice, so a run can be repeated exactly (default 1). */
  seed?: number;
  /** Delay in ms of each call and status change: a number, or a range (default 150–600; 0 in tests). */
  latency?:
    | number
    | {
        /** Shortest delay in ms. */
        min: number;
        /** Longest delay in ms. */
        max: number;
      };
  /** Share of sends that fail, 0–1 (default 0). */
  failureRate?: number;
  /** The attachment policy the mock reports and enforces (default Messenger's); the same as `capabilities.attachments`. */
  policy?: AttachmentPolicy;
  /**
   * The channel the mock plays: its `channel` (default `mock`, with requests
   * from `facebook`), which requests and conversations then carry too.
   */
  channel?: string;
  /**
   * What the channel can do, over Messenger's ({@link messengerCapabilities}).
   * Give a field as `undefined` to take Messenger's away. The mock keeps to
   * them: it refuses text over `textLimit`, reports delivery and reading only
   * with `readReceipts`, sets a reply window only with `replyWindowHours`,
   * and sends stickers and locations as unsupported only when `unsupported`
   * lists them. A web chat, say:
   *
   * ```ts
   * new MockChannelAdapter({ channel: 'webchat', capabilities: { name: 'Web chat', icon: webChatSvg, textLimit: 4096, unsupported: undefined, readReceipts: false, replyWindowHours: undefined } });
   * ```
   */
  capabilities?: Partial<ChannelCapabilities>;
  /**
   * Play customers by itself: requests arrive every `requestEvery` ms (some are
   * withdrawn before they are answered), and accepted customers type, reply,
   * and send images, a PDF, a sticker and a location. Off by default.
   */
  autoplay?:
    | boolean
    | {
        /** How often a new request arrives, in ms. */
        requestEvery?: number;
      };
  /** Earlier messages each conversation has for `loadHistory` (default: a seeded 0–40). */
  historySize?: number;
}

/** What a mock customer sends: text, or exact message content. */
export type MockCustomerContent = string | Pick<Message, 'text' | 'attachments' | 'unsupported'>;

interface MockConversation {
  conversation: Conversation;
  history: Message[];
  ended: boolean;
}

const customers = [
  'Ana Souza', 'Mads Jensen', 'Nguyễn Thị Lan', 'Oliver Smith', 'Freja Nielsen',
  'Trần Văn Minh', 'Priya Patel', 'Lukas Schmidt', 'Emma Larsen', 'Phạm Quốc Huy',
];
const openers = [
  'Hi, my order #4471 has not arrived yet.',
  'Can I change the delivery address for my parcel?',
  'Hej! Jeg har et spørgsmål om min faktura.',
  'Xin chào, tôi muốn đổi sản phẩm.',
  'The app keeps logging me out. Can you help?',
  'Do you ship to Norway?',
  'I was charged twice for the same order.',
];
const replies = [
  'Thanks! Let me check.',
  'It says *delivered* but I have nothing.',
  'Here is the receipt.',
  'Is there a tracking link? https://example.com/track/4471',
  'OK, that works for me.',
  'Can you call me instead?',
  'Great, thank you so much 🙏',
];
const withdrawReasons = ['The customer left the chat.', 'The customer closed Messenger.'];
const customerScript: (MockSample | 'text')[] = ['text', 'image', 'text', 'pdf', 'sticker', 'text', 'photo', 'location', 'audio', 'text'];

const hour = 3_600_000;

/** A small seeded random generator (mulberry32), so scenarios repeat exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A channel adapter with no backend: it plays Facebook Messenger customers
 * (or another channel's: see {@link MockChannelAdapterOptions.capabilities})
 * from a seed, so the demo and tests run for real. Drive it by hand
 * (`request`, `receive`, `receiveSample`, `withdraw`, `typing`,
 * `endByCustomer`, `dropConnection`) or let it play by itself (`autoplay`).
 */
export class MockChannelAdapter extends EventTarget implements ChannelAdapter {
  readonly channel: string;
  /** Every message the mock really sent, once per `clientId`. */
  readonly sentMessages: Message[] = [];
  /** Whether the agent is shown as typing, per conversation. */
  readonly agentTyping = new Map<string, boolean>();

  readonly #random: () => number;
  readonly #options: Required<Pick<MockChannelAdapterOptions, 'latency' | 'failureRate' | 'autoplay'>> & { historySize?: number };
  readonly #capabilities: ChannelCapabilities;
  /** The channel of the requests it makes. */
  readonly #requestChannel: string;
  readonly #requests = new Map<string, ConversationRequest>();
  readonly #conversations = new Map<string, MockConversation>();
  readonly #sends = new SendOnce();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #revokers: (() => void)[] = [];
  /** Events raised while the connection is down, delivered when it is back. */
  readonly #queued: { type: ChannelEventType; detail: unknown }[] = [];
  #state: ConnectionState = 'closed';
  #connecting?: Promise<void>;
  /** Whether autoplay's request loop is scheduled. */
  #playing = false;
  /** The automatic reconnect after `dropConnection`; a manual `connect` replaces it. */
  #reconnect: ReturnType<typeof setTimeout>[] = [];
  #count = 0;

  constructor(options: MockChannelAdapterOptions = {}) {
    super();
    this.#random = seededRandom(options.seed ?? 1);
    this.#options = {
      latency: options.latency ?? { min: 150, max: 600 },
      failureRate: options.failureRate ?? 0,
      autoplay: options.autoplay ?? false,
      historySize: options.historySize,
    };
    this.channel = options.channel ?? 'mock';
    this.#requestChannel = options.channel ?? 'facebook';
    const capabilities = { ...messengerCapabilities, ...options.capabilities };
    capabilities.attachments = options.policy ?? options.capabilities?.attachments ?? messengerCapabilities.attachments;
    // A field given as undefined takes Messenger's away.
    this.#capabilities = structuredClone(Object.fromEntries(Object.entries(capabilities).filter(([, value]) => value !== undefined))) as unknown as ChannelCapabilities;
  }

  /** The state of the mock's connection, as last reported by `connection-change`. */
  get connectionState(): ConnectionState {
    return this.#state;
  }

  connect(): Promise<void> {
    if (this.#state === 'open') return Promise.resolve();
    this.#connecting ??= this.#connect().finally(() => (this.#connecting = undefined));
    return this.#connecting;
  }

  async disconnect(): Promise<void> {
    for (const timer of [...this.#timers, ...this.#reconnect]) clearTimeout(timer);
    this.#timers.clear();
    this.#playing = false;
    this.#reconnect = [];
    if (this.#state !== 'closed') this.#setState('closed');
  }

  /** Frees the blob: URLs of sample files. The adapter is unusable afterwards. */
  async dispose(): Promise<void> {
    await this.disconnect();
    this.#revokers.splice(0).forEach((revoke) => revoke());
  }

  async accept(requestId: string): Promise<Conversation> {
    await this.#ready();
    const request = this.#requests.get(requestId);
    if (!request) throw new Error(`Request ${requestId} is no longer available.`);
    this.#requests.delete(requestId);
    const startedAt = new Date();
    const conversation: Conversation = {
      id: `mock-conversation-${++this.#count}`,
      channel: request.channel,
      customer: request.customer,
      startedAt: startedAt.toISOString(),
    };
    const { replyWindowHours } = this.#capabilities;
    if (replyWindowHours) conversation.replyBy = new Date(Date.parse(request.createdAt) + replyWindowHours * hour).toISOString();
    this.#conversations.set(conversation.id, { conversation, history: this.#history(conversation, request), ended: false });
    // The message that made the request; it may reach the console before this call returns.
    if (request.preview) {
      this.#emit('message', {
        id: `${request.id}-first`,
        conversationId: conversation.id,
        direction: 'inbound',
        sentAt: request.createdAt,
        text: request.preview,
      });
    }
    if (this.#options.autoplay) this.#playCustomer(conversation.id, 0);
    return structuredClone(conversation);
  }

  async reject(requestId: string): Promise<void> {
    await this.#ready();
    this.#requests.delete(requestId);
  }

  sendMessage(conversationId: string, draft: OutgoingMessage, options: SendOptions = {}): Promise<Message> {
    return this.#sends.send(draft.clientId, () => this.#send(conversationId, draft, options));
  }

  async endConversation(conversationId: string): Promise<void> {
    await this.#ready();
    this.#conversation(conversationId).ended = true;
  }

  async getCapabilities(): Promise<ChannelCapabilities> {
    return structuredClone(this.#capabilities);
  }

  /** @deprecated Read `attachments` from {@link getCapabilities}. */
  async getAttachmentPolicy(): Promise<AttachmentPolicy> {
    return (await this.getCapabilities()).attachments;
  }

  async loadHistory(conversationId: string, page: { before?: string; limit?: number } = {}) {
    await this.#ready();
    const { history } = this.#conversation(conversationId);
    // History is older than every live message, so a `before` that is not in
    // it (the live first message, say) means "the latest history".
    const found = page.before ? history.findIndex((m) => m.id === page.before) : -1;
    const stop = found < 0 ? history.length : found;
    const start = Math.max(0, stop - Math.max(1, page.limit ?? 30));
    return { messages: structuredClone(history.slice(start, stop)), hasMore: start > 0 };
  }

  setTyping(conversationId: string, typing: boolean): void {
    this.agentTyping.set(conversationId, typing);
  }

  async markRead(conversationId: string): Promise<void> {
    await this.#ready();
    this.#conversation(conversationId);
  }

  // —— Driving the mock by hand ——

  /** A customer asks for a conversation. */
  request(init: Partial<Omit<ConversationRequest, 'customer'>> & { customer?: Partial<Customer> } = {}): ConversationRequest {
    const n = ++this.#count;
    const name = init.customer?.name ?? this.#pick(customers);
    const request: ConversationRequest = {
      id: init.id ?? `mock-request-${n}`,
      channel: init.channel ?? this.#requestChannel,
      customer: { id: `psid-${this.#digits()}`, ...init.customer, name },
      preview: 'preview' in init ? init.preview : this.#pick(openers),
      createdAt: init.createdAt ?? new Date().toISOString(),
    };
    if (init.expiresAt) request.expiresAt = init.expiresAt;
    this.#requests.set(request.id, request);
    this.#emit('conversation-request', request);
    return request;
  }

  /** The customer gives up before the agent answers. */
  withdraw(requestId: string, reason = this.#pick(withdrawReasons)): void {
    if (!this.#requests.delete(requestId)) return;
    this.#emit('conversation-request-withdrawn', { requestId, reason });
  }

  /** The customer sends text, or exact content. */
  receive(conversationId: string, content: MockCustomerContent): Message {
    this.#conversation(conversationId);
    const message: Message = {
      id: `mock-message-${++this.#count}`,
      conversationId,
      direction: 'inbound',
      sentAt: new Date().toISOString(),
      ...(typeof content === 'string' ? { text: content } : content),
    };
    this.#emit('message', message);
    return message;
  }

  /**
   * The customer sends an image (its name a random number, as on Messenger), a
   * PDF, a voice clip, a sticker or a location. The last two are unsupported
   * where the channel's `unsupported` lists them; elsewhere a sticker is an
   * image and a location a link to a map.
   */
  receiveSample(conversationId: string, sample: MockSample): Message {
    if ((sample === 'sticker' || sample === 'location') && this.#capabilities.unsupported?.[sample]) return this.receive(conversationId, { unsupported: { type: sample } });
    if (sample === 'location') return this.receive(conversationId, 'https://maps.example.com/?q=55.6761,12.5683');
    if (sample === 'sticker') sample = 'image';
    const attachment = sampleAttachment(sample, `mock-attachment-${++this.#count}`, () => this.#digits(), this.#revokers);
    return this.receive(conversationId, { attachments: [attachment] });
  }

  /** The customer starts or stops typing. */
  typing(conversationId: string, typing: boolean): void {
    this.#conversation(conversationId);
    this.#emit('typing', { conversationId, typing });
  }

  /** The customer (or the channel) ends the conversation. */
  endByCustomer(conversationId: string, reason?: string): void {
    const conversation = this.#conversation(conversationId);
    conversation.ended = true;
    this.#emit('conversation-ended', reason === undefined ? { conversationId } : { conversationId, reason });
  }

  /**
   * The connection drops; it comes back after `downFor` ms. Events raised
   * meanwhile are delivered when it is back, and calls fail until then.
   */
  dropConnection(downFor = 3000, error = 'The connection to the server was lost.'): void {
    if (this.#state !== 'open') return;
    this.#setState('closed', error);
    this.#reconnect = [
      setTimeout(() => this.#setState('connecting'), downFor / 2),
      setTimeout(() => this.#setState('open'), downFor),
    ];
  }

  /** Dispatches an adapter event exactly as given, valid or not (for testing how consumers cope). */
  emitRaw(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  // —— Inside ——

  async #connect() {
    this.#reconnect.forEach(clearTimeout);
    this.#reconnect = [];
    this.#setState('connecting');
    await this.#latency();
    if (this.connectionState !== 'connecting') return; // disconnected meanwhile
    this.#setState('open');
    if (this.#options.autoplay && !this.#playing) {
      this.#playing = true;
      this.#scheduleRequest();
    }
  }

  async #send(conversationId: string, draft: OutgoingMessage, { signal, onProgress }: SendOptions): Promise<Message> {
    if (signal?.aborted) throw sendAbortError();
    await this.#ready();
    const { ended } = this.#conversation(conversationId);
    if (ended) throw new Error('The conversation has ended.');
    if (!draft.text?.trim() && !draft.file) throw new Error('The message is empty.');
    const { name, textLimit = Infinity, attachments } = this.#capabilities;
    if ((draft.text?.length ?? 0) > textLimit) throw new Error(`${name} takes at most ${textLimit} characters in one message.`);
    const { file } = draft;
    if (file) {
      if (file.size === 0) throw new Error(`${file.name} is empty.`);
      if (file.size > attachments.maxBytes) throw new Error(`${file.name} is larger than the channel allows.`);
      const steps = 4;
      for (let step = 1; step <= steps; step++) {
        await this.#latency(step === 1 ? 1 : 1 / steps);
        if (signal?.aborted) throw sendAbortError();
        onProgress?.(Math.round((file.size * step) / steps), file.size);
      }
    } else {
      await this.#latency();
      if (signal?.aborted) throw sendAbortError();
    }
    if (this.#random() < this.#options.failureRate) throw new Error(`${name} did not accept the message (simulated failure).`);
    const message: Message = {
      id: `mock-message-${++this.#count}`,
      conversationId,
      clientId: draft.clientId,
      direction: 'outbound',
      sentAt: new Date().toISOString(),
      status: 'sent',
    };
    if (draft.text) message.text = draft.text;
    if (file) {
      const mimeType = file.type || 'application/octet-stream';
      let url: string;
      if (typeof URL.createObjectURL === 'function') {
        url = URL.createObjectURL(file);
        this.#revokers.push(() => URL.revokeObjectURL(url));
      } else {
        url = sampleUrl(new Uint8Array(await file.arrayBuffer()), mimeType).url;
      }
      message.attachments = [{ id: `mock-attachment-${++this.#count}`, kind: attachmentKindOf(mimeType), name: file.name, mimeType, size: file.size, url }];
    }
    this.sentMessages.push(structuredClone(message));
    if (this.#capabilities.readReceipts) {
      this.#progress(message, 'delivered', 1);
      this.#progress(message, 'read', 3 + this.#random() * 4);
    }
    return structuredClone(message);
  }

  #progress(message: Message, status: MessageStatus, latencies: number) {
    const { id: messageId, clientId, conversationId } = message;
    this.#after(this.#delay() * latencies, () => this.#emit('message-status', { conversationId, messageId, clientId, status }));
  }

  #history(conversation: Conversation, request: ConversationRequest): Message[] {
    const size = this.#options.historySize ?? Math.floor(this.#random() * 41);
    const first = Date.parse(request.createdAt) - size * 2 * hour;
    const history = Array.from({ length: size }, (_, i): Message => {
      const inbound = i % 3 !== 1;
      const message: Message = {
        id: `${conversation.id}-history-${i}`,
        conversationId: conversation.id,
        direction: inbound ? 'inbound' : 'outbound',
        sentAt: new Date(first + i * 2 * hour).toISOString(),
        text: this.#pick(inbound ? [...openers, ...replies] : ['Happy to help!', 'I have sent you a new label.', 'You are welcome.']),
      };
      if (!inbound) message.status = this.#capabilities.readReceipts ? 'read' : 'sent';
      return message;
    });
    return history;
  }

  #scheduleRequest() {
    const every = (typeof this.#options.autoplay === 'object' && this.#options.autoplay.requestEvery) || 20_000;
    this.#after(every * (0.5 + this.#random()), () => {
      const request = this.request();
      if (this.#random() < 0.25) this.#after(15_000 + this.#random() * 25_000, () => this.withdraw(request.id));
      this.#scheduleRequest();
    });
  }

  #playCustomer(conversationId: string, step: number) {
    if (step >= customerScript.length) return;
    this.#after(4000 + this.#random() * 8000, () => {
      const conversation = this.#conversations.get(conversationId);
      if (!conversation || conversation.ended) return;
      const next = customerScript[step];
      if (this.#capabilities.typing) this.typing(conversationId, true);
      this.#after(1500 + this.#random() * 2500, () => {
        if (conversation.ended) return;
        if (next === 'text') this.receive(conversationId, this.#pick(replies));
        else this.receiveSample(conversationId, next);
        this.#playCustomer(conversationId, step + 1);
      });
    });
  }

  #emit<K extends ChannelEventType>(type: K, detail: ChannelEventMap[K]) {
    if (this.#state === 'open') this.dispatchEvent(new CustomEvent(type, { detail: structuredClone(detail) }));
    else this.#queued.push({ type, detail });
  }

  #setState(state: ConnectionState, error?: string) {
    this.#state = state;
    this.dispatchEvent(new CustomEvent('connection-change', { detail: error ? { state, error } : { state } }));
    if (state === 'open') this.#queued.splice(0).forEach(({ type, detail }) => this.#emit(type, detail as never));
  }

  #conversation(conversationId: string): MockConversation {
    const conversation = this.#conversations.get(conversationId);
    if (!conversation) throw new Error(`Unknown conversation ${conversationId}.`);
    return conversation;
  }

  /** Waits one latency; fails when the connection is not open. */
  async #ready() {
    await this.#latency();
    if (this.#state !== 'open') throw new Error('Not connected to the channel.');
  }

  #delay(): number {
    const { latency } = this.#options;
    return typeof latency === 'number' ? latency : latency.min + this.#random() * (latency.max - latency.min);
  }

  /** Network time: not cancelled by `disconnect`, so no call is left hanging. */
  #latency(share = 1): Promise<void> {
    const ms = this.#delay() * share;
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }

  /** A scenario step; `disconnect` cancels these. */
  #after(ms: number, run: () => void) {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    this.#timers.add(timer);
  }

  #pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.#random() * list.length)];
  }

  #digits(): string {
    return String(Math.floor(1e14 + this.#random() * 9e14));
  }
}

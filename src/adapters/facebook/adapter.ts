import type {
  AttachmentPolicy,
  ChannelAdapter,
  ChannelCapabilities,
  ChannelErrorCode,
  ChannelEvent,
  ConnectionChange,
  Conversation,
  Message,
  OutgoingMessage,
  SendOptions,
} from '../types.js';
import { reconnectDelay } from '../reconnect.js';
import { sendAbortError, SendOnce } from '../sends.js';
import { messengerCapabilities } from './channel.js';

/** Options of {@link FacebookMessengerAdapter}. */
export interface FacebookMessengerAdapterOptions {
  /** The relay's base URL, e.g. `https://crm.example.com/messenger` (see relay/PROTOCOL.md). */
  url: string | URL;
  /** The agent's bearer token, or a function that gives one (asked again on every connect, so it can be refreshed). */
  token: string | (() => string | Promise<string>);
  /** First reconnect delay in ms (default 1000); it doubles up to `maxReconnectDelay`, with ±20 % jitter. */
  reconnectDelay?: number;
  /** Longest reconnect delay in ms (default 30000). */
  maxReconnectDelay?: number;
  /** A silent socket is considered dead after this many ms without an answer to a ping (default 45000). */
  heartbeat?: number;
  /** How long a command may take before it fails, in ms (default 30000; uploads have no limit). */
  requestTimeout?: number;
}

/** A frame from the relay's event socket. */
type Frame =
  | { type: 'ready'; agentId: string; seq: number; gap?: boolean }
  | { type: 'pong' }
  | { type: 'channel-status'; ok: boolean; code?: unknown; error?: unknown }
  | { seq: number; event: ChannelEvent; type?: undefined };

/** The codes of {@link ChannelErrorCode}; a relay's other codes are not passed on. */
const channelErrorCodes = new Set<unknown>(['reply-window-closed', 'recipient-unavailable', 'rate-limited', 'channel-unauthorized', 'temporary'] satisfies ChannelErrorCode[]);

const channelErrorCodeOf = (code: unknown): ChannelErrorCode | undefined => (channelErrorCodes.has(code) ? (code as ChannelErrorCode) : undefined);

/** An `Error` for the agent, with the relay's {@link ChannelErrorCode} when it gave one. */
const relayError = (message: string, code?: ChannelErrorCode): Error & { code?: ChannelErrorCode } =>
  code ? Object.assign(new Error(message), { code }) : new Error(message);

/** Close codes the relay uses for an agent it refuses; reconnecting would not help. */
const refused = new Set([4401, 4403]);

/**
 * The channel adapter for Facebook Messenger, against a relay (the reference
 * one in `relay/`, or your own backend speaking relay/PROTOCOL.md): events
 * over one WebSocket, commands over HTTP, uploads with progress.
 *
 * It reconnects by itself with backoff when the socket drops and resumes
 * from the last event it handled (`since`), so nothing is lost or repeated
 * across a reconnect. While it does, it reports `connecting`, which tells the
 * console not to reconnect it as well.
 *
 * When the relay says its access to the channel has expired (a
 * `channel-status` frame), it reports `connecting` with
 * `code: 'channel-unauthorized'` and the relay's words as `error`: the
 * console shows that one error and holds the agent's sends, and sends them
 * once the relay says the channel is back (then `open`). A refused command
 * rejects with an `Error` whose `code` is the relay's {@link ChannelErrorCode},
 * when it gave one.
 *
 * ```js
 * const adapter = new FacebookMessengerAdapter({ url: 'https://crm.example.com/messenger', token: () => session.agentToken });
 * consoleElement.adapter = adapter;
 * ```
 */
export class FacebookMessengerAdapter extends EventTarget implements ChannelAdapter {
  readonly channel = 'facebook';
  readonly #options: Required<Omit<FacebookMessengerAdapterOptions, 'url' | 'token'>> & Pick<FacebookMessengerAdapterOptions, 'token'>;
  readonly #base: URL;
  #socket?: WebSocket;
  #connecting?: Promise<void>;
  /** The last event handled, to resume from. */
  #seq = 0;
  #wanted = false;
  /** Grows with every connect and disconnect, so a connect that was overtaken gives up. */
  #generation = 0;
  #attempt = 0;
  #retry?: ReturnType<typeof setTimeout>;
  #ping?: ReturnType<typeof setInterval>;
  #lastHeard = 0;
  #state: ConnectionChange['state'] = 'closed';
  /** The socket is open and the relay has accepted the agent (also while the channel is unauthorized). */
  #ready = false;
  /** What the relay last said was wrong with the channel, while it is. */
  #channelProblem?: { code?: ChannelErrorCode; error?: string };
  #policy?: Promise<AttachmentPolicy>;
  /** A sent message is forgotten after a minute: the relay recognises its clientId from then on. */
  readonly #sends = new SendOnce({ forgetAfter: 60_000 });

  constructor(options: FacebookMessengerAdapterOptions) {
    super();
    const { url, ...rest } = options;
    this.#base = new URL(String(url).replace(/\/*$/, '/'));
    this.#options = { reconnectDelay: 1000, maxReconnectDelay: 30_000, heartbeat: 45_000, requestTimeout: 30_000, ...rest };
  }

  /** The state of the event socket. */
  get connectionState(): ConnectionChange['state'] {
    return this.#state;
  }

  /**
   * Opens the event socket and resolves once the relay has accepted the
   * agent. Calling it while connected or connecting does not open a second one.
   */
  connect(): Promise<void> {
    this.#wanted = true;
    clearTimeout(this.#retry);
    if (this.#ready) return Promise.resolve();
    if (!this.#connecting) {
      const attempt: Promise<void> = this.#open().finally(() => {
        if (this.#connecting === attempt) this.#connecting = undefined;
      });
      this.#connecting = attempt;
    }
    return this.#connecting;
  }

  async disconnect(): Promise<void> {
    this.#wanted = false;
    this.#generation++;
    this.#connecting = undefined;
    clearTimeout(this.#retry);
    clearInterval(this.#ping);
    this.#socket?.close(1000, 'The agent disconnected.');
    this.#socket = undefined;
    this.#ready = false;
    this.#channelProblem = undefined;
    this.#setState('closed');
  }

  accept(requestId: string): Promise<Conversation> {
    return this.#command('POST', `requests/${encodeURIComponent(requestId)}/accept`);
  }

  async reject(requestId: string): Promise<void> {
    await this.#command('POST', `requests/${encodeURIComponent(requestId)}/reject`);
  }

  sendMessage(conversationId: string, draft: OutgoingMessage, options: SendOptions = {}): Promise<Message> {
    const limit = messengerCapabilities.textLimit!;
    if ((draft.text?.length ?? 0) > limit) return Promise.reject(new Error(`Messenger takes at most ${limit} characters in one message.`));
    const path = `conversations/${encodeURIComponent(conversationId)}/messages`;
    const body = { clientId: draft.clientId, text: draft.text, ...(draft.replyTo ? { replyTo: draft.replyTo } : {}), ...(draft.automatic ? { automatic: true } : {}) };
    return this.#sends.send(draft.clientId, () => (draft.file ? this.#upload(path, draft, options) : this.#command<Message>('POST', path, body, options.signal)));
  }

  /** Takes the conversation's thread from the app holding it (Messenger's handover protocol); the relay answers 204. */
  async takeThread(conversationId: string): Promise<void> {
    await this.#command('POST', `conversations/${encodeURIComponent(conversationId)}/thread/take`);
  }

  /** Hands the conversation's thread back to the app that held it before; the relay answers 204. */
  async passThread(conversationId: string): Promise<void> {
    await this.#command('POST', `conversations/${encodeURIComponent(conversationId)}/thread/pass`);
  }

  /** Reacts to a customer's message with an emoji; an empty `emoji` takes the reaction back. */
  async react(conversationId: string, messageId: string, emoji: string): Promise<void> {
    await this.#command('POST', `conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/reaction`, { emoji });
  }

  async endConversation(conversationId: string): Promise<void> {
    await this.#command('POST', `conversations/${encodeURIComponent(conversationId)}/end`);
  }

  /** Messenger's capabilities ({@link messengerCapabilities}), with the attachment policy the relay's administrator set. */
  async getCapabilities(): Promise<ChannelCapabilities> {
    this.#policy ??= this.#command<AttachmentPolicy>('GET', 'policy').catch((error) => {
      this.#policy = undefined; // ask again next time
      throw error;
    });
    return { ...messengerCapabilities, attachments: await this.#policy };
  }

  /** @deprecated Read `attachments` from {@link getCapabilities}. */
  async getAttachmentPolicy(): Promise<AttachmentPolicy> {
    return (await this.getCapabilities()).attachments;
  }

  listConversations(): Promise<Conversation[]> {
    return this.#command('GET', 'conversations');
  }

  loadHistory(conversationId: string, page: { before?: string; limit?: number } = {}): Promise<{ messages: Message[]; hasMore: boolean }> {
    const query = new URLSearchParams();
    if (page.before) query.set('before', page.before);
    if (page.limit) query.set('limit', String(page.limit));
    return this.#command('GET', `conversations/${encodeURIComponent(conversationId)}/messages?${query}`);
  }

  setTyping(conversationId: string, typing: boolean): void {
    this.#command('POST', `conversations/${encodeURIComponent(conversationId)}/typing`, { typing }).catch(() => {}); // a hint; losing one is harmless
  }

  async markRead(conversationId: string, messageId: string): Promise<void> {
    await this.#command('POST', `conversations/${encodeURIComponent(conversationId)}/read`, { messageId });
  }

  // —— The event socket ——

  async #open(): Promise<void> {
    const generation = ++this.#generation;
    this.#setState('connecting');
    let token: string;
    try {
      token = await this.#token();
    } catch (error) {
      if (generation === this.#generation) this.#lost(`The agent token could not be had: ${(error as Error).message}`);
      throw error;
    }
    if (generation !== this.#generation) throw new Error('The connection was closed while it opened.');
    const url = new URL('api/events', this.#base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url);
    this.#socket = socket;
    await new Promise<void>((resolve, reject) => {
      let ready = false;
      socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token, since: this.#seq }));
      socket.onmessage = ({ data }) => {
        const frame = this.#parse(data);
        if (!frame) return;
        this.#lastHeard = Date.now();
        if (frame.type === 'ready') {
          ready = true;
          this.#ready = true;
          this.#attempt = 0;
          // A fresh start counts from the relay's newest event; a relay that restarted without its store, from its start.
          const restarted = frame.seq < this.#seq;
          if (restarted || this.#seq === 0) this.#seq = frame.seq;
          this.#startHeartbeat(socket);
          this.#setState('open', frame.gap || restarted ? 'Some events were missed while the connection was down; reload to see everything.' : undefined);
          resolve();
          // The relay says so after `ready`; a word that came before it still counts.
          const problem = this.#channelProblem;
          if (problem) this.#setState('connecting', problem.error, problem.code);
        } else if (frame.type === 'channel-status') {
          this.#channelStatus(frame);
        } else if (frame.type === undefined && frame.seq > this.#seq) {
          this.#seq = frame.seq;
          this.dispatchEvent(new CustomEvent(frame.event.type, { detail: frame.event.detail }));
        }
      };
      socket.onclose = ({ code, reason }) => {
        const why = refused.has(code) ? `The relay refused the agent (${reason || code}).` : `The connection to the relay closed${reason ? `: ${reason}` : ''}.`;
        if (!ready) reject(new Error(why));
        if (this.#socket !== socket) return; // disconnected on purpose
        this.#socket = undefined;
        this.#ready = false;
        this.#channelProblem = undefined; // the relay says it again after the next ready
        clearInterval(this.#ping);
        this.#lost(why, !refused.has(code));
      };
    });
  }

  /**
   * The relay's word on its access to the channel. While it is refused, the
   * connection is reported as `connecting` with the code and the relay's
   * sentence, so that the console shows one error and holds sends; `open`
   * again once it is back.
   */
  #channelStatus(frame: Extract<Frame, { type: 'channel-status' }>) {
    if (frame.ok) {
      if (!this.#channelProblem) return;
      this.#channelProblem = undefined;
      if (this.#ready) this.#setState('open');
      return;
    }
    const code = channelErrorCodeOf(frame.code) ?? 'channel-unauthorized';
    const error = typeof frame.error === 'string' && frame.error ? frame.error : undefined;
    this.#channelProblem = { code, error };
    if (this.#ready) this.#setState('connecting', error, code);
  }

  /** The socket closed: says so and, unless the relay refused the agent, tries again later. */
  #lost(error: string, retry = true) {
    this.#setState('closed', error);
    if (!this.#wanted || !retry) return;
    const delay = reconnectDelay(this.#attempt++, this.#options.reconnectDelay, this.#options.maxReconnectDelay);
    this.#retry = setTimeout(() => void this.connect().catch(() => {}), delay);
  }

  #startHeartbeat(socket: WebSocket) {
    clearInterval(this.#ping);
    const every = this.#options.heartbeat / 3;
    this.#ping = setInterval(() => {
      if (Date.now() - this.#lastHeard > this.#options.heartbeat) socket.close(4000, 'The relay stopped answering.');
      else if (socket.readyState === WebSocket.OPEN) socket.send('{"type":"ping"}');
    }, every);
  }

  /** A frame from the relay, or nothing (reported) when it is not one. */
  #parse(data: unknown): Frame | undefined {
    try {
      const frame = JSON.parse(String(data));
      if (frame?.type === 'ready' || frame?.type === 'pong' || (Number.isInteger(frame?.seq) && typeof frame.event?.type === 'string')) return frame;
      if (frame?.type === 'channel-status' && typeof frame.ok === 'boolean') return frame;
    } catch {
      // reported below
    }
    console.warn('[agent-console] The relay sent a frame that is not part of the protocol; it was ignored.');
    return undefined;
  }

  #setState(state: ConnectionChange['state'], error?: string, code?: ChannelErrorCode) {
    if (state === this.#state && !error && !code) return;
    this.#state = state;
    const detail: ConnectionChange = { state, ...(error ? { error } : {}), ...(code ? { code } : {}) };
    this.dispatchEvent(new CustomEvent<ConnectionChange>('connection-change', { detail }));
  }

  // —— Commands ——

  async #token(): Promise<string> {
    const { token } = this.#options;
    return typeof token === 'function' ? token() : token;
  }

  async #command<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(this.#options.requestTimeout);
    const headers: Record<string, string> = { Authorization: `Bearer ${await this.#token()}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(new URL(`api/${path}`, this.#base), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw sendAbortError();
      throw new Error(timeout.aborted ? 'The relay did not answer in time.' : `The relay could not be reached: ${(error as Error).message}`, { cause: error });
    }
    return this.#answer<T>(response.status, () => response.text());
  }

  /** Sends a file with multipart/form-data through XHR, which reports upload progress (fetch does not). */
  async #upload(path: string, draft: OutgoingMessage, { signal, onProgress }: SendOptions): Promise<Message> {
    if (signal?.aborted) throw sendAbortError();
    const form = new FormData();
    form.set('clientId', draft.clientId);
    if (draft.text) form.set('text', draft.text);
    if (draft.replyTo) form.set('replyTo', draft.replyTo);
    if (draft.automatic) form.set('automatic', 'true');
    form.set('file', draft.file!, draft.file!.name);
    const token = await this.#token();
    if (signal?.aborted) throw sendAbortError();
    return new Promise<Message>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', new URL(`api/${path}`, this.#base));
      xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      // Progress of the whole form, counted in the file's bytes (the form adds a few hundred of its own).
      const size = draft.file!.size;
      xhr.upload.onprogress = (event) => onProgress?.(event.lengthComputable ? Math.min(size, Math.round((event.loaded / event.total) * size)) : 0, size);
      xhr.onload = () =>
        this.#answer<Message>(xhr.status, () => xhr.responseText)
          .then((message) => {
            // The relay has no link for a file until Meta echoes it; the agent's own copy stands in.
            for (const attachment of message?.attachments ?? []) attachment.url ||= URL.createObjectURL(draft.file!);
            return message;
          })
          .then(resolve, reject);
      const cancel = () => xhr.abort();
      xhr.onloadend = () => signal?.removeEventListener('abort', cancel);
      xhr.onerror = () => reject(new Error('The relay could not be reached.'));
      xhr.onabort = () => reject(sendAbortError());
      signal?.addEventListener('abort', cancel, { once: true });
      xhr.send(form);
    });
  }

  /** The relay's answer: its JSON, or an error with its sentence for the agent and its code, if any. */
  async #answer<T>(status: number, text: () => string | Promise<string>): Promise<T> {
    const raw = await text();
    let json: unknown;
    try {
      json = raw ? JSON.parse(raw) : undefined;
    } catch {
      throw new Error(`The relay answered ${status} with something that is not JSON.`);
    }
    if (status >= 200 && status < 300) return json as T;
    const { error: said, code } = (json ?? {}) as { error?: unknown; code?: unknown };
    throw relayError(typeof said === 'string' && said ? said : `The relay answered ${status}.`, channelErrorCodeOf(code));
  }
}

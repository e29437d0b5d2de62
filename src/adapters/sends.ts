import type { Message } from './types.js';

/** What a send rejects with when its `signal` aborts, as {@link SendOptions.signal} asks. */
export const sendAbortError = (): DOMException => new DOMException('The send was cancelled.', 'AbortError');

/** Options of {@link SendOnce}. */
export interface SendOnceOptions {
  /**
   * Forget a successful send this many ms after it, when the backend itself
   * recognises a repeated `clientId` (the relay does); by default it is
   * remembered as long as the `SendOnce` lives.
   */
  forgetAfter?: number;
}

/**
 * Sends each `clientId` once, as {@link ChannelAdapter.sendMessage} requires:
 * while a send is in flight, and after it succeeded, a call with the same
 * `clientId` gets the same promise and nothing is sent again; after it
 * failed or was cancelled, the next call sends anew (the agent's retry).
 *
 * ```ts
 * readonly #sends = new SendOnce();
 *
 * sendMessage(conversationId: string, draft: OutgoingMessage, options?: SendOptions): Promise<Message> {
 *   return this.#sends.send(draft.clientId, () => this.#post(conversationId, draft, options));
 * }
 * ```
 */
export class SendOnce {
  readonly #sends = new Map<string, Promise<Message>>();
  readonly #forgetAfter?: number;

  constructor(options: SendOnceOptions = {}) {
    this.#forgetAfter = options.forgetAfter;
  }

  /**
   * The send of `clientId`: the one in flight or done, else a new one.
   *
   * @param start Begins the send; called only when there is none to reuse. If it throws, the send fails with that error.
   */
  send(clientId: string, start: () => Promise<Message>): Promise<Message> {
    const known = this.#sends.get(clientId);
    if (known) return known;
    const send = new Promise<Message>((resolve) => resolve(start()));
    this.#sends.set(clientId, send);
    const forget = () => {
      if (this.#sends.get(clientId) === send) this.#sends.delete(clientId);
    };
    send.then(() => {
      if (this.#forgetAfter !== undefined) setTimeout(forget, this.#forgetAfter);
    }, forget);
    return send;
  }
}

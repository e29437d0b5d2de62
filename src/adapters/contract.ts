/**
 * `agent-console/adapters/contract.js`: the channel adapter contract as a
 * test suite. {@link describeChannelAdapter} registers tests that check an
 * adapter keeps the contract the elements rely on; run it in your own test
 * runner against your adapter and a fake of your backend.
 *
 * @module agent-console/adapters/contract.js
 */
import type { ChannelAdapter, ChannelEventMap, ChannelEventType, Conversation, ConversationRequest, Message } from './types.js';
import { channelEventTypes } from './types.js';
import { validateCapabilities, validateChannelEvent, validateConversation, validateSentMessage } from './validate.js';

/** An adapter under test, with a way to play the backend's side. */
export interface ChannelAdapterHarness<A extends ChannelAdapter = ChannelAdapter> {
  /** A new adapter, not yet connected; the suite connects and disconnects it. */
  adapter: A;
  /** Has the backend offer a new conversation request, which the adapter then dispatches as `conversation-request`. */
  offerRequest(): void | Promise<void>;
  /** Has the customer of an accepted conversation send text. */
  customerSays(conversationId: string, text: string): void | Promise<void>;
  /** Cleans up after each test (the suite has already called `disconnect`). */
  dispose?(): void | Promise<void>;
}

type Hook = (fn: () => Promise<void> | void) => void;
/**
 * The test functions the suite registers with: mocha's globals by default;
 * pass Jest's, Vitest's or `node:test`'s (which have the same shape) in
 * {@link ContractOptions.test}.
 */
export interface TestFunctions {
  /** Groups the tests under a name. */
  describe(name: string, body: () => void): void;
  /** One test; `fn` may return a promise. The suite skips a test through mocha's `this` or the test context passed to `fn` (node:test, Vitest). */
  it(name: string, fn: () => Promise<void> | void): void;
  /** Runs before each test: the suite makes a new harness there. */
  beforeEach: Hook;
  /** Runs after each test: the suite disconnects the adapter there and checks every event it dispatched. */
  afterEach: Hook;
}

/** Options of {@link describeChannelAdapter}. */
export interface ContractOptions {
  /** How long to wait for an adapter event, in ms (default 1500). */
  eventTimeout?: number;
  /** Test functions to use instead of the global `describe`/`it`/hooks. */
  test?: TestFunctions;
}

class ContractError extends Error {
  override name = 'ChannelAdapterContractError';
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ContractError(message);
}

/**
 * Marks the running test skipped, as its runner does it: mocha's
 * `this.skip()`, or `skip()` on the context node:test and Vitest pass. Under
 * a runner with no such call (Jest) the test passes instead.
 */
function skip(self: unknown, context: unknown, reason: string): void {
  const runner = [self, context].find((candidate) => typeof (candidate as { skip?: unknown } | undefined)?.skip === 'function');
  (runner as { skip(reason: string): void } | undefined)?.skip(reason);
}

async function rejects(promise: Promise<unknown>, message: string): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new ContractError(message);
}

// A 1×1 PNG: the one file type every messaging channel takes.
const pixelPng = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC'),
  (c) => c.charCodeAt(0),
);

let clientIds = 0;
const clientId = () => `contract-${Date.now().toString(36)}-${++clientIds}`;

/**
 * Registers the channel adapter contract tests for an adapter: run it in
 * your own test suite against your adapter to check it keeps the contract
 * the elements rely on (events, idempotent sends, cancellation, errors).
 * `factory` is called before each test and gives a new adapter with a way
 * to play the backend's side.
 *
 * ```ts
 * import { describeChannelAdapter } from 'agent-console/adapters/contract.js';
 * describeChannelAdapter('MyAdapter', () => ({ adapter, offerRequest, customerSays }));
 * ```
 *
 * What it checks (each rule is also written on {@link ChannelAdapter} and the
 * types it uses):
 * - every event the adapter dispatches during any test is well formed
 *   (`validateChannelEvent`: required fields, non-empty ids, ISO 8601 times
 *   with a time zone, whole byte counts, a message that carries something);
 * - `channel` is a non-empty string, and the adapter is an `EventTarget`;
 * - `connect()` can be called twice, and the last `connection-change` after
 *   it is `open`; after `disconnect()` it is `closed`;
 * - `getCapabilities` resolves with capabilities that pass
 *   `validateCapabilities`: a non-empty `name`; an `icon`, if any, that is
 *   an SVG document or an `https:` or `data:image/` URL; a positive whole
 *   `textLimit` if set; an attachment policy with a positive whole
 *   `maxBytes`, at least one `accept` entry, each a MIME type (with `/`) or
 *   an extension (starting with `.`), and a `filesPerMessage` of at least 1
 *   if set; names for `unsupported` kinds that are not empty; `typing`,
 *   `readReceipts` and `reactions` true or false; a positive
 *   `replyWindowHours` if set;
 * - `accept` resolves with a well-formed conversation with the request's
 *   customer (`customer.id`) on the request's channel, and rejects a request
 *   accepted before, an unknown one, and a rejected one;
 * - `sendMessage` resolves with a well-formed message: outbound, of the
 *   conversation, with the draft's `clientId` and exact text, and a status
 *   of `sent`, `delivered` or `read`;
 * - overlapping and repeated `sendMessage` calls with one `clientId` resolve
 *   with the same message (same `id`), which is echoed as a `message` event
 *   at most once; another `clientId` is another message;
 * - a file send resolves with one attachment of the right kind (a PNG is an
 *   `image`) whose `url` is a non-empty string, and `onProgress` is called
 *   before it resolves, with the file's size as the total and a sent count
 *   that only grows and ends at it;
 * - a send with an aborted signal rejects with an `AbortError`, and the same
 *   draft (same `clientId`) can be sent afterwards;
 * - with a `textLimit`, `sendMessage` rejects text one character over it and
 *   sends text exactly that long;
 * - a customer's message arrives as an inbound `message` of its conversation;
 * - after `endConversation`, sending to the conversation rejects;
 * - `loadHistory`, if there is one (else the test is skipped), respects
 *   `limit`, returns the conversation's messages oldest first, and with
 *   `before` only earlier ones, paging back without repeats until `hasMore`
 *   is false; after the customer has written twice it finds at least two.
 */
export function describeChannelAdapter(
  name: string,
  factory: () => ChannelAdapterHarness | Promise<ChannelAdapterHarness>,
  options: ContractOptions = {},
): void {
  const { describe, it, beforeEach, afterEach } = options.test ?? (globalThis as unknown as TestFunctions);
  const eventTimeout = options.eventTimeout ?? 1500;
  let harness: ChannelAdapterHarness;
  let adapter: ChannelAdapter;
  let seen: { type: ChannelEventType; detail: unknown }[];
  const record = (event: Event) => seen.push({ type: event.type as ChannelEventType, detail: (event as CustomEvent).detail });

  const nextEvent = <K extends ChannelEventType>(type: K, matches: (detail: ChannelEventMap[K]) => boolean = () => true) =>
    new Promise<ChannelEventMap[K]>((resolve, reject) => {
      const timer = setTimeout(() => {
        adapter.removeEventListener(type, listener);
        reject(new ContractError(`No "${type}" event within ${eventTimeout} ms.`));
      }, eventTimeout);
      const listener = (event: Event) => {
        const detail = (event as CustomEvent).detail;
        if (!matches(detail)) return;
        clearTimeout(timer);
        adapter.removeEventListener(type, listener);
        resolve(detail);
      };
      adapter.addEventListener(type, listener);
    });

  const offer = async (): Promise<ConversationRequest> => {
    const request = nextEvent('conversation-request');
    await harness.offerRequest();
    return request;
  };

  const startConversation = async (): Promise<Conversation> => {
    await adapter.connect();
    return adapter.accept((await offer()).id);
  };

  const send = (conversationId: string, text = 'Hello from the contract suite') =>
    adapter.sendMessage(conversationId, { clientId: clientId(), text });

  describe(`${name} keeps the channel adapter contract`, () => {
    beforeEach(async () => {
      harness = await factory();
      adapter = harness.adapter;
      seen = [];
      for (const type of channelEventTypes) adapter.addEventListener(type, record);
    });

    afterEach(async () => {
      await adapter.disconnect();
      for (const type of channelEventTypes) adapter.removeEventListener(type, record);
      await harness.dispose?.();
      // Every event the adapter dispatched during the test must be well formed.
      for (const { type, detail } of seen) validateChannelEvent(type, detail);
    });

    it('names its channel and dispatches events', () => {
      check(typeof adapter.channel === 'string' && adapter.channel.length > 0, '`channel` must be a non-empty string.');
      check(adapter instanceof EventTarget, 'An adapter must be an EventTarget.');
    });

    it('connects, reports the connection, and disconnects', async () => {
      await adapter.connect();
      await adapter.connect();
      const states = () => seen.filter((e) => e.type === 'connection-change').map((e) => (e.detail as { state: string }).state);
      check(states().at(-1) === 'open', `After connect() the last connection-change must be "open" (saw ${JSON.stringify(states())}).`);
      await adapter.disconnect();
      check(states().at(-1) === 'closed', 'After disconnect() the last connection-change must be "closed".');
    });

    it('describes its channel', async () => {
      // Names the first wrong field, e.g. "result.attachments.maxBytes must be a positive whole number".
      validateCapabilities(await adapter.getCapabilities());
    });

    it('offers a request that can be accepted once', async () => {
      await adapter.connect();
      const request = await offer();
      const conversation = validateConversation(await adapter.accept(request.id));
      check(conversation.customer.id === request.customer.id, 'The conversation must be with the customer who asked for it.');
      check(conversation.channel === request.channel, 'The conversation must be on the request’s channel.');
      await rejects(adapter.accept(request.id), 'Accepting the same request twice must fail.');
      await rejects(adapter.accept('no-such-request'), 'Accepting an unknown request must fail.');
    });

    it('rejects a request, which then cannot be accepted', async () => {
      await adapter.connect();
      const request = await offer();
      await adapter.reject(request.id);
      await rejects(adapter.accept(request.id), 'Accepting a rejected request must fail.');
    });

    it('sends text and returns the outbound message', async () => {
      const conversation = await startConversation();
      const draft = { clientId: clientId(), text: 'Your parcel ships today. *Thanks!*' };
      const message = validateSentMessage(await adapter.sendMessage(conversation.id, draft));
      check(message.direction === 'outbound', 'A sent message must be outbound.');
      check(message.conversationId === conversation.id, 'A sent message must belong to its conversation.');
      check(message.clientId === draft.clientId, 'A sent message must carry the draft’s clientId.');
      check(message.text === draft.text, 'A sent message must carry the text as sent.');
      check(['sent', 'delivered', 'read'].includes(message.status ?? ''), 'A sent message must have status sent, delivered or read.');
    });

    it('sends a message once per clientId, however often it is asked', async () => {
      const conversation = await startConversation();
      const draft = { clientId: clientId(), text: 'Only once, please' };
      const [first, second] = await Promise.all([
        adapter.sendMessage(conversation.id, draft),
        adapter.sendMessage(conversation.id, draft),
      ]);
      const third = await adapter.sendMessage(conversation.id, draft);
      check(first.id === second.id && second.id === third.id, 'Sends with the same clientId must return the same message.');
      const other = await send(conversation.id);
      check(other.id !== first.id, 'Different clientIds must be different messages.');
      const echoes = seen.filter((e) => e.type === 'message' && (e.detail as Message).clientId === draft.clientId);
      check(echoes.length <= 1, 'A message sent once must not be echoed more than once.');
    });

    it('sends a file and reports upload progress', async () => {
      const conversation = await startConversation();
      const file = new File([pixelPng], 'pixel.png', { type: 'image/png' });
      const progress: [number, number][] = [];
      const message = validateSentMessage(
        await adapter.sendMessage(conversation.id, { clientId: clientId(), file }, { onProgress: (sent, total) => progress.push([sent, total]) }),
      );
      check(message.attachments?.length === 1, 'A sent file must come back as one attachment.');
      check(message.attachments[0].kind === 'image', 'A PNG must be sent as an image.');
      check(progress.length > 0, 'A file send must report its progress through onProgress before it resolves.');
      for (const [i, [sent, total]] of progress.entries()) {
        check(total === file.size, `onProgress must report the file's size as total (got ${total}).`);
        check(sent >= 0 && sent <= total && (i === 0 || sent >= progress[i - 1][0]), 'onProgress must only count upwards, up to the total.');
      }
      check(progress.at(-1)![0] === file.size, `onProgress must end with the whole file sent (last reported ${progress.at(-1)![0]} of ${file.size} bytes).`);
    });

    it('does not send when the signal is aborted, and can send the draft later', async () => {
      const conversation = await startConversation();
      const draft = { clientId: clientId(), text: 'Cancelled, then sent' };
      const controller = new AbortController();
      controller.abort();
      const error = await rejects(adapter.sendMessage(conversation.id, draft, { signal: controller.signal }), 'A send with an aborted signal must fail.');
      check((error as Error)?.name === 'AbortError', `An aborted send must fail with an AbortError (got ${(error as Error)?.name}).`);
      const message = await adapter.sendMessage(conversation.id, draft);
      check(message.clientId === draft.clientId, 'The same draft must be sendable after a cancelled attempt.');
    });

    it('delivers customer messages as inbound messages', async () => {
      const conversation = await startConversation();
      const text = 'Is anyone there? <b>hi</b>';
      const arrived = nextEvent('message', (m) => m.text === text);
      await harness.customerSays(conversation.id, text);
      const message = await arrived;
      check(message.direction === 'inbound', 'A customer message must be inbound.');
      check(message.conversationId === conversation.id, 'A customer message must name its conversation.');
    });

    it('refuses text over its textLimit, and takes text up to it', async function (this: unknown, ...context: unknown[]) {
      const { textLimit } = validateCapabilities(await adapter.getCapabilities());
      if (textLimit === undefined) return skip(this, context[0], 'The channel has no textLimit.');
      const conversation = await startConversation();
      await rejects(send(conversation.id, 'x'.repeat(textLimit + 1)), `A text of ${textLimit + 1} characters must be refused: textLimit is ${textLimit}.`);
      const message = await send(conversation.id, 'x'.repeat(textLimit));
      check(message.text?.length === textLimit, `A text of exactly textLimit (${textLimit}) characters must be sent as it is.`);
    });

    it('ends a conversation, after which it takes no messages', async () => {
      const conversation = await startConversation();
      await adapter.endConversation(conversation.id);
      await rejects(send(conversation.id), 'Sending to an ended conversation must fail.');
    });

    // A function, not an arrow: mocha passes the test's `this`, other runners a context, for skip().
    it('loads earlier history in pages, oldest first, if it supports history', async function (this: unknown, ...context: unknown[]) {
      if (!adapter.loadHistory) return skip(this, context[0], 'The adapter has no loadHistory.');
      const conversation = await startConversation();
      // Adapters whose history is the conversation so far then have something to page through.
      for (const text of ['Earlier question', 'And another']) {
        const arrived = nextEvent('message', (m) => m.text === text);
        await harness.customerSays(conversation.id, text);
        await arrived;
      }
      const limit = 2;
      const seenIds = new Set<string>();
      let before: string | undefined;
      let newer = Infinity;
      for (let pages = 1; ; pages++) {
        check(pages <= 100, 'loadHistory must run out of earlier messages (still hasMore after 100 pages of 2).');
        const page = await adapter.loadHistory(conversation.id, before ? { before, limit } : { limit });
        check(page.messages.length <= limit, `loadHistory must respect the limit (asked for ${limit}, got ${page.messages.length}).`);
        check(page.messages.length > 0 || !page.hasMore, 'An empty page must not say there is more.');
        const times = page.messages.map((m) => Date.parse(validateChannelEvent('message', m).sentAt));
        check(times.every((t, i) => i === 0 || t >= times[i - 1]), 'History must be ordered oldest first.');
        check(page.messages.every((m) => m.conversationId === conversation.id), 'History must belong to the conversation.');
        check(times.every((t) => t <= newer), 'A page before a message must hold only earlier messages.');
        for (const { id } of page.messages) {
          check(!seenIds.has(id), `History must not repeat a message (${id}) on an earlier page.`);
          seenIds.add(id);
        }
        if (!page.hasMore) break;
        before = page.messages[0].id;
        newer = times[0];
      }
      check(seenIds.size >= 2, `loadHistory found ${seenIds.size} message(s) in a conversation in which the customer has written twice.`);
    });
  });
}

/**
 * `agent-console/adapters`: the channel adapter contract, its validation, and
 * the adapters that ship with the console.
 *
 * To connect the console to your backend, implement {@link ChannelAdapter}
 * (start there: it states the rules), or use {@link FacebookMessengerAdapter}
 * with the reference relay. {@link MockChannelAdapter} plays customers with
 * no backend, for demos and tests. Check an adapter with
 * `describeChannelAdapter` from
 * [`agent-console/adapters/contract.js`](docs:api/agent-console/adapters/contract.js/README.md).
 * The contract in full, with what the console does with each call and event: [docs/adapter-contract.md](docs:adapter-contract.md).
 *
 * ## Rules for all the data
 *
 * - Times are ISO 8601 strings with a time zone (`2026-03-01T09:30:00Z`,
 *   `2026-03-01T10:30:00+01:00`) and real dates.
 * - Sizes are whole numbers of bytes.
 * - Ids are non-empty strings chosen by the channel or the backend, and
 *   stable: the same thing has the same id in every event.
 * - Fields the model does not name are dropped when the console checks the
 *   data: they do no harm, but they do not reach the elements either.
 *
 * The console checks every adapter event and every result at its boundary
 * ({@link validateChannelEvent}); data that breaks the rules is dropped with
 * an `agent-error` event naming the field, and the rest keeps working.
 *
 * @module agent-console/adapters
 */
export * from './types.js';
export { MalformedEventError, validateCapabilities, validateChannelEvent, validateConversation, validateSentMessage } from './validate.js';
export { MockChannelAdapter } from './mock-adapter.js';
export type { MockChannelAdapterOptions, MockCustomerContent, MockSample } from './mock-adapter.js';
export { MessengerWebhookError, parseMessengerWebhook } from './facebook/webhook.js';
export type { MessengerWebhookChannel, MessengerWebhookOptions } from './facebook/webhook.js';
export { FacebookMessengerAdapter } from './facebook/adapter.js';
export { instagramAttachmentPolicy, instagramCapabilities, messengerAttachmentPolicy, messengerCapabilities } from './facebook/channel.js';
export type { FacebookMessengerAdapterOptions } from './facebook/adapter.js';
export { extensionOf, typeForExtension, typeIsAllowed } from './file-types.js';
export { SendOnce } from './sends.js';
export type { SendOnceOptions } from './sends.js';

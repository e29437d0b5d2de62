/**
 * `agent-console/adapters`: the channel adapter contract, its validation, and
 * the adapters that ship with the console.
 */
export * from './types.js';
export { MalformedEventError, validateChannelEvent, validateConversation, validateSentMessage } from './validate.js';
export { MockChannelAdapter } from './mock-adapter.js';
export type { MockChannelAdapterOptions, MockCustomerContent, MockSample } from './mock-adapter.js';
export { MessengerWebhookError, parseMessengerWebhook } from './facebook/webhook.js';
export type { MessengerWebhookOptions } from './facebook/webhook.js';
export { FacebookMessengerAdapter } from './facebook/adapter.js';
export type { FacebookMessengerAdapterOptions } from './facebook/adapter.js';
export { extensionOf, typeForExtension, typeIsAllowed } from '../core/file-types.js';

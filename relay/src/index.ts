/**
 * The reference relay between Meta's Messenger Platform and agent-console
 * (relay/README.md, relay/PROTOCOL.md).
 *
 * @module
 */
export { createRelay } from './relay.js';
export type { Relay } from './relay.js';
export type { RelayOptions } from './config.js';
export type { LogOption } from './logging.js';
export { contentDisposition, createDirectoryMediaStore } from './media.js';
export type { MediaInfo, MediaStore } from './media.js';
export { minTokenLength, parseAgentTokens } from './config.js';
export { conversationIdFor } from './keys.js';
export { signWebhook } from './secrets.js';
export { createMemoryStore } from './store.js';
export { createRedisStore } from './redis-store.js';
export type { RedisStore, RedisStoreOptions } from './redis-store.js';
export type { HistoryPage, InboxConsumer, InboxItem, LoggedEvent, MemoryStoreOptions, RelayEvent, RelayStore, Versioned } from './store.js';
export { GraphError, reasons } from './graph.js';
export { cleanFileName, maxFileNameLength } from './files.js';

/**
 * The attachment check on its own, with nothing that renders or registers an
 * element: for a server (the relay) or a worker that judges files as the
 * console does, content included.
 *
 * @module
 */
export { checkAttachment, sniffBytes } from './core/policy.js';
export type { AttachmentCheck, RefusalReason } from './core/policy.js';

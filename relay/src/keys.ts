/**
 * How the relay names conversations and the records it keeps about them.
 *
 * @module
 */
import crypto from 'node:crypto';

/** The conversation id the relay uses for a customer of a Page. */
export function conversationIdFor(pageId: string, psid: string): string {
  return `${pageId}:${psid}`;
}

/** The Page and the customer's page-scoped id of a conversation. */
export function psidOf(conversationId: string): { pageId: string; psid: string } {
  const at = conversationId.lastIndexOf(':');
  return { pageId: conversationId.slice(0, at), psid: conversationId.slice(at + 1) };
}

export const newId = (prefix: string): string => `${prefix}_${crypto.randomUUID()}`;

/** Who holds a conversation, or who it is offered to. */
export const routeKey = (conversationId: string): string => `route:${conversationId}`;
/** Which conversation a request id belongs to. */
export const requestKey = (requestId: string): string => `request:${requestId}`;
/** A send, by the agent's `clientId`. */
export const sendKey = (conversationId: string, clientId: string): string => `send:${conversationId}\u0000${clientId}`;
/** When the customer last wrote. */
export const inboundKey = (conversationId: string): string => `inbound:${conversationId}`;
/** A file's URL from Meta's echo, when it came before Graph answered the send. */
export const echoKey = (messageId: string): string => `echo:${messageId}`;
/** Who holds a conversation's thread (the handover protocol). */
export const threadKey = (conversationId: string): string => `thread:${conversationId}`;
/** One open agent socket. */
export const presenceKey = (): string => `presence:${crypto.randomUUID()}`;

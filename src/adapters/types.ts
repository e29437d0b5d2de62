/**
 * The channel adapter contract and data model (SPEC §3–4).
 * Times are ISO 8601 strings on the wire; sizes are bytes.
 */

/** A customer on the channel. */
export interface Customer {
  id: string;
  name: string;
  avatarUrl?: string;
}

/** A customer asking for a conversation; shown to the agent as a toast. */
export interface ConversationRequest {
  id: string;
  channel: string;
  customer: Customer;
  preview?: string;
  createdAt: string;
  expiresAt?: string;
}

/** An accepted request: a live conversation between the agent and a customer. */
export interface Conversation {
  id: string;
  channel: string;
  customer: Customer;
  startedAt: string;
  /**
   * End of the channel's reply window (Messenger: 24 h after the customer's
   * last message, 7 days with the human-agent tag).
   */
  replyBy?: string;
}

/** Delivery state of a message the agent sent, in the order it moves. */
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export type AttachmentKind = 'image' | 'video' | 'audio' | 'file';

export interface Attachment {
  id: string;
  kind: AttachmentKind;
  name: string;
  mimeType: string;
  size?: number;
  url: string;
  /** The channel made the name up (e.g. a random number); it is not the customer's file name. */
  nameIsGenerated?: boolean;
}

export type MessageDirection = 'inbound' | 'outbound' | 'system';

export interface Message {
  id: string;
  conversationId: string;
  clientId?: string;
  direction: MessageDirection;
  sentAt: string;
  text?: string;
  attachments?: Attachment[];
  /** Set when the channel sent something the console cannot show (sticker, location, template…). */
  unsupported?: { type: string };
  status?: MessageStatus;
  /** On the system message the console writes when a session ends (never sent by an adapter). */
  ended?: { byAgent: boolean; reason?: string };
  /** A system message: the customer reacted to a message (or took the reaction back). */
  reaction?: { emoji: string; action: 'react' | 'unreact'; messageId?: string };
  /** A system message: how the customer came to the conversation (an ad, a link, a QR code). */
  referral?: { source?: string; ref?: string; adId?: string };
}

/** What the administrator allows the agent to send. */
export interface AttachmentPolicy {
  /** e.g. 25 * 1024 * 1024 (Messenger's limit). */
  maxBytes: number;
  /** MIME types, wildcards (`image/*`) or extensions (`.pdf`). */
  accept: string[];
  maxBytesByKind?: Partial<Record<AttachmentKind, number>>;
  /** Default 1, as on Messenger. */
  filesPerMessage?: number;
}

/** A file with a name: a `File`, or a `Blob` given one. */
export type NamedBlob = File | (Blob & { name: string });

/** A message the agent is sending. `clientId` is the idempotency key. */
export interface OutgoingMessage {
  clientId: string;
  text?: string;
  file?: NamedBlob;
}

export interface SendOptions {
  signal?: AbortSignal;
  onProgress?(sentBytes: number, totalBytes: number): void;
}

export interface RequestWithdrawn {
  requestId: string;
  reason?: string;
}

export interface MessageStatusUpdate {
  conversationId: string;
  messageId?: string;
  clientId?: string;
  /**
   * Instead of one message: every agent message sent at or before this time
   * (ISO 8601), as channels with watermarks report delivery and reading.
   */
  before?: string;
  status: MessageStatus;
  error?: string;
}

export interface TypingChange {
  conversationId: string;
  typing: boolean;
}

export interface ConversationEnded {
  conversationId: string;
  reason?: string;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface ConnectionChange {
  state: ConnectionState;
  error?: string;
}

/** Every event an adapter dispatches, by type, with its `detail`. */
export interface ChannelEventMap {
  'conversation-request': ConversationRequest;
  'conversation-request-withdrawn': RequestWithdrawn;
  message: Message;
  'message-status': MessageStatusUpdate;
  typing: TypingChange;
  'conversation-ended': ConversationEnded;
  'connection-change': ConnectionChange;
  /** A conversation's details changed, e.g. its reply window moved because the customer wrote again. */
  'conversation-updated': Conversation;
}

export type ChannelEventType = keyof ChannelEventMap;

/** An adapter event as plain data, for mappings, logs and tests. */
export type ChannelEvent = {
  [K in ChannelEventType]: { type: K; detail: ChannelEventMap[K] };
}[ChannelEventType];

/**
 * The interface between the elements and a messaging backend. Adapters
 * dispatch the events of {@link ChannelEventMap} as `CustomEvent`s.
 */
export interface ChannelAdapter extends EventTarget {
  /** 'facebook', 'mock', … */
  readonly channel: string;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  accept(requestId: string): Promise<Conversation>;
  reject(requestId: string): Promise<void>;
  sendMessage(conversationId: string, draft: OutgoingMessage, options?: SendOptions): Promise<Message>;
  endConversation(conversationId: string): Promise<void>;
  getAttachmentPolicy(): Promise<AttachmentPolicy>;
  loadHistory?(
    conversationId: string,
    page?: { before?: string; limit?: number },
  ): Promise<{ messages: Message[]; hasMore: boolean }>;
  setTyping?(conversationId: string, typing: boolean): void;
  markRead?(conversationId: string, messageId: string): Promise<void>;
  /**
   * The conversations the agent holds, so that a console opened again (a page
   * reload, another tab) shows its sessions. Optional.
   */
  listConversations?(): Promise<Conversation[]>;
}

/** The names of every adapter event type, for listeners and validation. */
export const channelEventTypes: readonly ChannelEventType[] = [
  'conversation-request',
  'conversation-request-withdrawn',
  'message',
  'message-status',
  'typing',
  'conversation-ended',
  'connection-change',
  'conversation-updated',
];

/** The attachment kind for a MIME type: image, video and audio by family, anything else a file. */
export function attachmentKindOf(mimeType: string): AttachmentKind {
  const family = mimeType.split('/')[0];
  return family === 'image' || family === 'video' || family === 'audio' ? family : 'file';
}

/** Messenger's attachment policy: 25 MB and the file types the Send API takes. */
export const messengerAttachmentPolicy: AttachmentPolicy = {
  maxBytes: 25 * 1024 * 1024,
  accept: ['.jpg', '.jpeg', '.png', '.gif', '.mp3', '.ogg', '.oga', '.amr', '.mp4', '.pdf', '.docx', '.xlsx', '.xls', '.txt'],
  filesPerMessage: 1,
};

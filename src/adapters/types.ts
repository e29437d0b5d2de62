/**
 * The channel adapter contract and the data model it carries. The rules
 * common to every type (times, sizes, ids, extra fields) are on the
 * `agent-console/adapters` module page (src/adapters/index.ts).
 * The contract in full, with what the console does with each call and event: docs/adapter-contract.md.
 */

/** A customer on the channel. */
export interface Customer {
  /** The channel's id of the customer (on Messenger, the page-scoped id, PSID). */
  id: string;
  /** The name to show the agent. May be empty when the channel does not share it. */
  name: string;
  /** A picture of the customer (an `https:` URL), shown on the request toast and in the session list; without it, the name's initials. */
  avatarUrl?: string;
}

/**
 * A customer asking for a conversation; shown to the agent as a toast with
 * Accept and Reject. The adapter dispatches it as `conversation-request`; a
 * request repeated with an id already answered is ignored.
 */
export interface ConversationRequest {
  /** The request's id, which `accept` and `reject` take. */
  id: string;
  /** The channel it came from, e.g. `facebook`; the conversation will be on the same channel. */
  channel: string;
  /** Who is asking. */
  customer: Customer;
  /** The first words of the customer's message, shown on the toast (rendered as text). */
  preview?: string;
  /** When the customer asked: the toast shows how long they have waited. */
  createdAt: string;
  /**
   * When the channel gives the request up. The toast counts down to this
   * time or to its own `timeout`, whichever is earlier, then rejects it.
   */
  expiresAt?: string;
}

/**
 * An accepted request: a live conversation between the agent and a customer.
 * `accept` resolves with it; `conversation-updated` replaces it;
 * `listConversations` lists the ones the agent holds.
 */
export interface Conversation {
  /** The conversation's id, which every message, status and event for it carries. */
  id: string;
  /** The channel, the same as the request's. */
  channel: string;
  /** The customer, the same as the request's (same `customer.id`). */
  customer: Customer;
  /** When the agent accepted it. */
  startedAt: string;
  /**
   * End of the channel's reply window (Messenger: 24 h after the customer's
   * last message, 7 days with the human-agent tag). The pane shows the time
   * left and, once it has passed, stops the agent from sending until the
   * customer writes again (send `conversation-updated` with the new time).
   * Absent: no window.
   */
  replyBy?: string;
}

/**
 * Delivery state of a message the agent sent, in the order it moves:
 * `pending` (the console is sending it), `sent` (the channel took it),
 * `delivered`, `read`, or `failed` (with a reason; the agent can retry).
 * A status never moves backwards: a late `delivered` does not undo `read`,
 * and `failed` only follows `pending` or `sent`.
 */
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

/**
 * How the console shows an attachment: `image` as a thumbnail, `video` and
 * `audio` as players, anything else (`file`) as a card with name, type and
 * size. See {@link attachmentKindOf}.
 */
export type AttachmentKind = 'image' | 'video' | 'audio' | 'file';

/** A file in a message: one the customer sent, or one the agent sent. */
export interface Attachment {
  /** The attachment's id, unique within its message. */
  id: string;
  /** How it is shown; use {@link attachmentKindOf} for the kind of a MIME type. */
  kind: AttachmentKind;
  /**
   * The file name shown to the agent and used when they save the file. When
   * the channel made it up, set {@link Attachment.nameIsGenerated}.
   */
  name: string;
  /** The file's MIME type, e.g. `image/png`. */
  mimeType: string;
  /** The file's size in bytes, when known; shown on file cards. */
  size?: number;
  /**
   * Where the browser can load the file: shown as the thumbnail or player,
   * and the target of the agent's **Save** link. Required and non-empty, on
   * customer files and on the files the agent sent alike. It must be an
   * absolute `https:`, `http:` or `blob:` URL (or a `data:` URL of an image);
   * the console loads no other, and shows the file as unavailable.
   */
  url: string;
  /** The channel made the name up (e.g. a random number); it is not the customer's file name, and the console says so. */
  nameIsGenerated?: boolean;
}

/**
 * Who a message is from: the customer (`inbound`), the agent (`outbound`,
 * also when sent from another console), or the channel or console itself
 * (`system`: reactions, referrals, the end of a session).
 */
export type MessageDirection = 'inbound' | 'outbound' | 'system';

/**
 * Who wrote an outbound message that this console's app did not send: a
 * person in the Page's own inbox (Meta Business Suite), another app's bot,
 * or an automated reply. Shown with its own label, never as "You", and
 * never matched to this console's sends.
 */
export interface MessageAuthor {
  /** Always `other`: the console's own messages carry no author. */
  kind: 'other';
  /** The app that sent it, when the channel says (Messenger: the echo's `app_id`). */
  appId?: string;
  /** A name for the agent, when known, e.g. `Page inbox`. */
  name?: string;
}

/**
 * One message in a conversation. It must carry something to show: `text`,
 * at least one attachment, `unsupported`, a `reaction`, a `referral`, a
 * `link` or a `location`.
 * The transcript orders messages by `sentAt` and keeps one message per `id`
 * and per `clientId`, so a message that comes again (an echo, a retry, a
 * later status) replaces the one shown rather than being added.
 */
export interface Message {
  /** The message's id on the channel; a later event with the same id updates it. */
  id: string;
  /** The conversation it belongs to. */
  conversationId: string;
  /**
   * On the agent's messages: the `clientId` of the draft it was sent from
   * (see {@link OutgoingMessage.clientId}). Echo it on the `message` event
   * of a message sent from this console, so it replaces the pending one.
   */
  clientId?: string;
  /** Who it is from. */
  direction: MessageDirection;
  /** When it was sent; the transcript is ordered by it. */
  sentAt: string;
  /**
   * The text, exactly as written. Customer text is untrusted: the console
   * shows it as text, with links and Messenger's `*bold*`, `_italic_` and
   * `~strike~` formatted; markup in it is shown, never run.
   */
  text?: string;
  /**
   * The files sent with the message. A customer file of a type the
   * attachment policy does not accept is shown as unsupported, with the
   * error banner.
   */
  attachments?: Attachment[];
  /**
   * Set when the channel sent something the console cannot show (sticker,
   * location, template…): the transcript shows a placeholder naming it and
   * the pane shows the unsupported-message error banner.
   */
  unsupported?: {
    /** What it was, as the channel calls it, e.g. `sticker`, `location`, `template`, `fallback`. */
    type: string;
  };
  /** On the agent's messages: how far delivery has got. Absent on a sent message means `sent`. */
  status?: MessageStatus;
  /** On the system message the console writes when a session ends (never sent by an adapter: it is dropped). */
  ended?: {
    /** True when the agent ended the session, false when the customer or the channel did. */
    byAgent: boolean;
    /** Why, when the channel said. */
    reason?: string;
  };
  /** A system message: the customer reacted to a message (or took the reaction back). */
  reaction?: {
    /** The reaction, e.g. `❤️`. */
    emoji: string;
    /** Whether the reaction was added or taken back. */
    action: 'react' | 'unreact';
    /** The message reacted to, when the channel says. */
    messageId?: string;
  };
  /** On an outbound message another sender wrote (see {@link MessageAuthor}); absent on this console's own messages. */
  author?: MessageAuthor;
  /** The message this one replies to (Messenger: `reply_to.mid`); shown as a quote that jumps to it when it is loaded. */
  replyTo?: {
    /** The id of the message replied to. */
    messageId: string;
  };
  /**
   * Sent while another app held the conversation's thread (Messenger's
   * handover protocol: a `standby` item). Shown as context; it never opens
   * a request.
   */
  standby?: boolean;
  /** A shared link, post, reel or story with a URL: shown as a link card. */
  link?: {
    /** An absolute `https:` (or `http:`) URL. */
    url: string;
    /** Its title, when the channel gives one (rendered as text). */
    title?: string;
  };
  /** A shared location: shown as a link to a map. */
  location?: {
    /** Degrees, -90 to 90. */
    latitude: number;
    /** Degrees, -180 to 180. */
    longitude: number;
  };
  /**
   * Set by the console when a `message-edited` event changed the text:
   * when, and the earlier texts, oldest first (the agent can show them).
   */
  edited?: {
    /** When it was last edited. */
    at: string;
    /** The texts before each edit, oldest first. */
    earlier: string[];
  };
  /** Set by the console when a `message-deleted` event said the customer removed the message; its content is no longer shown. */
  deleted?: boolean;
  /** A system message: how the customer came to the conversation (an ad, a link, a QR code). */
  referral?: {
    /** The kind of entry point, as the channel names it (on Messenger e.g. `ADS`, `SHORTLINK`); shown to the agent. */
    source?: string;
    /** The `ref` parameter of the link or ad, if any. */
    ref?: string;
    /** The ad's id, for referrals from an ad. */
    adId?: string;
  };
}

/**
 * What the administrator allows the agent to send. The attachment picker
 * checks every file against it (size, type, and the file's actual content)
 * before anything is uploaded, and refuses the file with the reason if it
 * breaks it. Customer files of types it does not accept are shown as
 * unsupported.
 */
export interface AttachmentPolicy {
  /** The largest file in bytes, a positive whole number; e.g. 25 * 1024 * 1024 (Messenger's limit). */
  maxBytes: number;
  /**
   * The file types allowed, at least one: MIME types (`image/png`),
   * wildcards (`image/*`) or extensions (`.pdf`). Each entry must contain a
   * `/` or start with a `.`.
   */
  accept: string[];
  /** Lower limits in bytes for some kinds, e.g. `{ video: 10_000_000 }`; the lower of this and `maxBytes` applies. */
  maxBytesByKind?: Partial<Record<AttachmentKind, number>>;
  /** How many files one message may carry, at least 1. Default 1, as on Messenger. */
  filesPerMessage?: number;
}

/** What the elements need to know about a channel ({@link ChannelAdapter.getCapabilities}). */
export interface ChannelCapabilities {
  /** The channel's name as agents know it: `Messenger`, `WhatsApp`, `Web chat`. Non-empty. */
  name: string;
  /**
   * Optional icon: an SVG document as a string, drawn at 1em as an image in
   * one colour (the element's channel colour; its markup never enters the
   * page, so scripts or links in it do nothing), or an `https:`/`data:image/`
   * URL, shown in its own colours.
   */
  icon?: string;
  /** The most characters one text message may have; omitted when the channel has no limit. */
  textLimit?: number;
  /** The files the channel takes. */
  attachments: AttachmentPolicy;
  /**
   * Kinds of customer content the channel sends that the console cannot show (`Message.unsupported.type`)
   * and what to call each: one name, or one per language (`{ en: 'sticker', da: 'klistermærke' }`).
   * Kinds not listed get the console's own name for common kinds (sticker, location, …), else "unknown".
   */
  unsupported?: Record<string, string | Record<string, string>>;
  /** The channel reports the customer typing and shows the agent's typing (`typing` events, `sendTyping`). */
  typing: boolean;
  /** The channel reports delivery and reading (`message-status` with `delivered` / `read`). */
  readReceipts: boolean;
  /** Customers can react to messages (`Message.reaction`). */
  reactions: boolean;
  /** Hours after the customer's last message in which the business may reply (Messenger: 24); omitted when there is no window. */
  replyWindowHours?: number;
}

/** A file with a name: a `File`, or a `Blob` given one. */
export type NamedBlob = File | (Blob & { name: string });

/**
 * A message the agent is sending, as the console hands it to
 * {@link ChannelAdapter.sendMessage}: text, a file, or both.
 */
export interface OutgoingMessage {
  /**
   * The idempotency key, chosen by the console and new for each message.
   * Calls with the same `clientId` are the same message: the adapter sends
   * it once and every call resolves with that one message. A retry after a
   * failure uses the same `clientId`.
   */
  clientId: string;
  /** The text to send; absent when only a file is sent. */
  text?: string;
  /** The file to send, already checked against the attachment policy. */
  file?: NamedBlob;
  /** The id of the customer's message this one answers (the channel shows it as a reply, where it can). */
  replyTo?: string;
  /**
   * Set on what the console sends by itself (the customer notice), not typed
   * by the agent: a channel that keeps a tag for people's messages (Messenger's
   * HUMAN_AGENT) does not use it for this one.
   */
  automatic?: boolean;
}

/** How a send can be followed and stopped. */
export interface SendOptions {
  /**
   * Aborts the send when the agent cancels it. The adapter must then reject
   * with a `DOMException` named `AbortError` (also when the signal is
   * already aborted, before anything is sent), and must not count the
   * attempt as the `clientId`'s send: the same draft can be sent later.
   */
  signal?: AbortSignal;
  /**
   * Upload progress of a file send: bytes sent so far and the file's size.
   * `totalBytes` is the file's size; `sentBytes` only grows, from 0 up to
   * `totalBytes`.
   */
  onProgress?(sentBytes: number, totalBytes: number): void;
}

/** The `detail` of `conversation-request-withdrawn`: a pending request went away before the agent answered. */
export interface RequestWithdrawn {
  /** The request that was withdrawn; its toast leaves, showing the reason briefly. */
  requestId: string;
  /** Why, in words for the agent, e.g. "The customer left the chat." */
  reason?: string;
}

/**
 * The `detail` of `message-status`: the delivery state of the agent's
 * messages moved on. Name the message by `messageId` or `clientId`, or give
 * `before` alone for every agent message up to a time. At least one of the
 * three is required. A status that would move a message backwards is
 * ignored; one for a message not yet seen is kept until it arrives.
 */
export interface MessageStatusUpdate {
  /** The conversation of the message. */
  conversationId: string;
  /** The message's id on the channel. */
  messageId?: string;
  /** The `clientId` the message was sent with, for a status that comes before the channel's id is known. */
  clientId?: string;
  /**
   * Instead of one message: every agent message sent at or before this time
   * (ISO 8601), as channels with watermarks report delivery and reading.
   */
  before?: string;
  /** The new status. */
  status: MessageStatus;
  /** With `failed`: why, in words for the agent. */
  error?: string;
}

/** The `detail` of `typing`: the customer started or stopped typing. */
export interface TypingChange {
  /** The conversation the customer is typing in. */
  conversationId: string;
  /** Whether they are typing now. A message from the customer also ends it. */
  typing: boolean;
}

/** The `detail` of `conversation-ended`: the customer or the channel ended the conversation. */
export interface ConversationEnded {
  /** The conversation that ended; its session stays readable and takes no more messages. */
  conversationId: string;
  /** Why, in words for the agent. */
  reason?: string;
}

/** The `detail` of `message-edited`: the customer changed the text of a message. */
export interface MessageEdited {
  /** The conversation of the message. */
  conversationId: string;
  /** The message that changed; an edit of a message not loaded is kept until it arrives. */
  messageId: string;
  /** The new text, whole. */
  text: string;
  /** When it was edited. */
  editedAt: string;
}

/** The `detail` of `message-deleted`: the customer removed a message (Instagram's unsend). */
export interface MessageDeleted {
  /** The conversation of the message. */
  conversationId: string;
  /** The message the customer removed. */
  messageId: string;
}

/**
 * The `detail` of `thread-control`: who holds the conversation's thread
 * (Messenger's handover protocol). While another app holds it (a bot, the
 * Page inbox), the console's composer is closed and the pane offers
 * **Take over** ({@link ChannelAdapter.takeThread}).
 */
export interface ThreadControl {
  /** The conversation whose thread changed hands. */
  conversationId: string;
  /** `console`: this console's app; `other`: another app. */
  owner: 'console' | 'other';
  /** The app holding it, when the channel says. */
  appId?: string;
}

/**
 * Why a channel refused, for errors an agent sees: adapters may set `code`
 * on the `Error` they reject with (and on `connection-change`), and the
 * console shows its own sentence for it in the agent's language, falling
 * back to the error's message for codes it does not know.
 *
 * - `reply-window-closed`: the channel no longer allows replies to this customer.
 * - `recipient-unavailable`: the customer cannot get messages (left, blocked the Page).
 * - `rate-limited`: the channel asks to slow down; the send was tried again and still refused.
 * - `channel-unauthorized`: the backend's access to the channel expired or was revoked (an administrator must renew it).
 * - `temporary`: the channel failed for a moment; try again.
 */
export type ChannelErrorCode = 'reply-window-closed' | 'recipient-unavailable' | 'rate-limited' | 'channel-unauthorized' | 'temporary';

/**
 * The state of the adapter's connection to its backend: `connecting`
 * (including reconnecting by itself), `open`, or `closed`.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/**
 * The `detail` of `connection-change`. An adapter reports `open` when
 * `connect` has succeeded and `closed` after `disconnect` or when the
 * connection is lost. While it is not `open` the console holds the agent's
 * sends and sends them when it is.
 */
export interface ConnectionChange {
  /** The new state. */
  state: ConnectionState;
  /** Why the connection closed or is being retried, in words for the agent. */
  error?: string;
  /** Why, as a code the console words itself (see {@link ChannelErrorCode}). */
  code?: ChannelErrorCode;
}

/**
 * Every event an adapter dispatches, by type, with its `detail`. Each is a
 * `CustomEvent` dispatched on the adapter; the console listens to all of
 * them.
 */
export interface ChannelEventMap {
  /** A customer asks for a conversation. */
  'conversation-request': ConversationRequest;
  /** A pending request went away (the customer left, or another agent took it). */
  'conversation-request-withdrawn': RequestWithdrawn;
  /**
   * A message in an accepted conversation: from the customer, an agent
   * message sent elsewhere, a system message, or an echo or update of one
   * this console sent (same `id` or `clientId`: it replaces, never duplicates).
   * Events may arrive before `accept` resolves; the console keeps them until
   * the session opens.
   */
  message: Message;
  /** The delivery state of agent messages moved on. */
  'message-status': MessageStatusUpdate;
  /** The customer started or stopped typing. */
  typing: TypingChange;
  /** The customer or the channel ended a conversation. */
  'conversation-ended': ConversationEnded;
  /** The connection to the backend changed. */
  'connection-change': ConnectionChange;
  /** A conversation's details changed, e.g. its reply window moved because the customer wrote again. */
  'conversation-updated': Conversation;
  /** The customer changed a message's text. */
  'message-edited': MessageEdited;
  /** The customer removed a message. */
  'message-deleted': MessageDeleted;
  /** Who holds the conversation's thread changed. */
  'thread-control': ThreadControl;
}

/** The type of an adapter event, e.g. `message`. */
export type ChannelEventType = keyof ChannelEventMap;

/** An adapter event as plain data, `{ type, detail }`, for mappings, logs and tests. */
export type ChannelEvent = {
  [K in ChannelEventType]: { type: K; detail: ChannelEventMap[K] };
}[ChannelEventType];

/**
 * The interface between the elements and a messaging backend. An adapter is
 * an `EventTarget` that dispatches the events of {@link ChannelEventMap} as
 * `CustomEvent`s, and answers the console's calls. Methods that fail reject
 * with an `Error` whose message the agent may see; the console keeps the
 * request, draft or session so the agent can try again.
 *
 * {@link "agent-console/adapters/contract.js"!describeChannelAdapter | describeChannelAdapter}
 * checks these rules against an adapter; its page lists which.
 */
export interface ChannelAdapter extends EventTarget {
  /** The channel's name, non-empty: `facebook`, `mock`, … */
  readonly channel: string;
  /**
   * Connects to the backend and starts dispatching events. Resolves once
   * connected, after dispatching `connection-change` with `open`. Calling it
   * while connected or connecting is harmless (it resolves again).
   */
  connect(): Promise<void>;
  /** Closes the connection and stops dispatching events, after dispatching `connection-change` with `closed`. */
  disconnect(): Promise<void>;
  /**
   * Takes a pending request and resolves with its conversation, which is with
   * the same customer (`customer.id`) on the same channel. Rejects for a
   * request that is unknown, already accepted, rejected or withdrawn.
   */
  accept(requestId: string): Promise<Conversation>;
  /** Declines a pending request; it can no longer be accepted. */
  reject(requestId: string): Promise<void>;
  /**
   * Sends the agent's text or file and resolves with the message as sent:
   * `direction: 'outbound'`, the `conversationId`, the draft's `clientId`,
   * the text exactly as given, and a status of `sent`, `delivered` or `read`.
   *
   * - **Once per `clientId`.** Calls with the same `clientId` are one
   *   message. Calls that overlap (a second call before the first has
   *   settled) share one result: the message is sent once and every call
   *   resolves with that same message (same `id`). A call after a success
   *   resolves with it again. Only after a failure or an abort may the same
   *   `clientId` be sent again. The message is echoed as a `message` event at
   *   most once.
   * - **Files.** A file send resolves with `attachments` holding one entry
   *   for the file, whose `kind` fits its MIME type (a PNG is an `image`) and
   *   which carries a non-empty `url` where the sent file can be loaded.
   *   Report upload progress through `options.onProgress`.
   * - **Cancelling.** When `options.signal` aborts, reject with an
   *   `AbortError` (see {@link SendOptions.signal}).
   * - **Ended conversations.** Sending to a conversation that has ended rejects.
   *
   * @param conversationId - The conversation to send to.
   * @param draft - What to send, with its idempotency key.
   * @param options - Cancellation and upload progress.
   */
  sendMessage(conversationId: string, draft: OutgoingMessage, options?: SendOptions): Promise<Message>;
  /** Ends the conversation with the customer. Afterwards `sendMessage` to it rejects. */
  endConversation(conversationId: string): Promise<void>;
  /**
   * What the channel is and can do: its name and icon, the longest text, the
   * files it takes, what customers send that the console cannot show, and
   * whether it has typing, read receipts, reactions and a reply window. The
   * console asks once when it starts on the adapter (again after a failure,
   * when the connection opens) and the elements follow the answer: the
   * message box counts down to `textLimit`, the attachment picker checks
   * files against `attachments`, toasts show `name` and `icon`, and so on.
   * The answer is checked like every result: a wrong field is reported as an
   * `agent-error` naming it, and the console then runs without capabilities
   * (no limits shown, any file offered).
   *
   * ```ts
   * async getCapabilities() {
   *   return { name: 'Web chat', textLimit: 4096, attachments: await this.#policy(), typing: true, readReceipts: false, reactions: false };
   * }
   * ```
   */
  getCapabilities(): Promise<ChannelCapabilities>;
  /**
   * The administrator's attachment policy; the rules are on {@link AttachmentPolicy}.
   * Optional: the console reads `attachments` from {@link getCapabilities}.
   * @deprecated Give the policy as `attachments` in {@link getCapabilities}; the console
   * asks this only of an adapter without `getCapabilities`. It goes in the next minor version.
   */
  getAttachmentPolicy?(): Promise<AttachmentPolicy>;
  /**
   * Optional: a page of earlier messages, oldest first, all of the
   * conversation. `page.before` is the id of the oldest message the console
   * has: return only messages sent before it (without it, the newest page).
   * `page.limit` is the most to return. Resolves with the messages and
   * `hasMore`, whether there are earlier ones still.
   *
   * @param conversationId - The conversation whose history to load.
   * @param page - Which page: before which message, and how many at most.
   */
  loadHistory?(
    conversationId: string,
    page?: { before?: string; limit?: number },
  ): Promise<{ messages: Message[]; hasMore: boolean }>;
  /** Optional: tells the customer whether the agent is typing. An error it throws is reported as `agent-error`, not shown to the agent. */
  setTyping?(conversationId: string, typing: boolean): void;
  /** Optional: tells the channel the agent has read the conversation up to this customer message. */
  markRead?(conversationId: string, messageId: string): Promise<void>;
  /**
   * The conversations the agent holds, so that a console opened again (a page
   * reload, another tab) shows its sessions. Optional.
   */
  listConversations?(): Promise<Conversation[]>;
  /** Optional: takes the conversation's thread from the app holding it (a bot); then the agent can answer. */
  takeThread?(conversationId: string): Promise<void>;
  /** Optional: hands the conversation's thread back to the app that held it before. */
  passThread?(conversationId: string): Promise<void>;
  /** Optional: the agent reacts to a customer's message with an emoji (an empty string takes the reaction back). */
  react?(conversationId: string, messageId: string, emoji: string): Promise<void>;
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
  'message-edited',
  'message-deleted',
  'thread-control',
];

/**
 * A channel's name for people when its adapter has not given one
 * ({@link ChannelCapabilities.name}): its id with a capital, `webchat` → `Webchat`.
 */
export const channelTitle = (channel: string): string => channel.charAt(0).toUpperCase() + channel.slice(1);

/** The attachment kind for a MIME type: image, video and audio by family, anything else a file. */
export function attachmentKindOf(mimeType: string): AttachmentKind {
  const family = mimeType.split('/')[0];
  return family === 'image' || family === 'video' || family === 'audio' ? family : 'file';
}

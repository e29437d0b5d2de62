/**
 * The pure mapping from a Messenger Platform webhook body (what Meta POSTs
 * for `object: "page"`, and for `object: "instagram"`, which has the same
 * shape) to adapter events: `ChannelEvent`s of the data model in
 * ../types.ts. No I/O and no state: a developer's own backend can run it as
 * it is.
 */
import { extensionOf, typeForExtension, typeIsAllowed } from '../file-types.js';
import { isWebUrl, MalformedEventError, validateChannelEvent } from '../validate.js';
import type { Attachment, AttachmentKind, AttachmentPolicy, ChannelEvent, Message, MessageAuthor } from '../types.js';
import { messengerAttachmentPolicy } from './channel.js';

/** Options for {@link parseMessengerWebhook}. */
export interface MessengerWebhookOptions {
  /**
   * The id of your Meta app, the one that sends the console's messages.
   * An echo with this `app_id` is the console's own send: its `metadata` is
   * taken as the message's `clientId`. An echo with another `app_id` (the
   * Page inbox, another app's bot) becomes an outbound message with
   * `author: { kind: 'other', appId }`, never matched to the console's
   * sends. Handover notices say `owner: 'console'` when the thread passed to
   * this app. Without it, no echo's `metadata` is trusted (echoes carry no
   * `clientId` and no `author`) and handover notices are skipped, since
   * whose they are cannot be told.
   */
  appId?: string;
  /**
   * The conversation id for a page (or Instagram account) and a customer's
   * page-scoped id (PSID; on Instagram the IGSID). Default `${pageId}:${psid}`.
   * `channel` says which product the webhook came from.
   */
  conversationId?: (pageId: string, psid: string, channel: MessengerWebhookChannel) => string;
  /**
   * What the console may show. A sticker becomes an image only when this
   * allows PNG; otherwise it is unsupported. Default `messengerAttachmentPolicy`.
   */
  policy?: Pick<AttachmentPolicy, 'accept'>;
  /**
   * Called for every entry or item that yields no event, with the reason:
   * events we do not map (opt-ins, app roles, requests for the thread, policy
   * enforcement, whose reason names Meta's action and reason), deliveries
   * and reads of a thread another app holds, chat-plugin visitors without a
   * PSID, and malformed items. The rest of the body is still mapped.
   */
  onSkipped?: (item: unknown, reason: string) => void;
}

/** The product a webhook body came from: `facebook` for `object: "page"`, `instagram` for `object: "instagram"`. */
export type MessengerWebhookChannel = 'facebook' | 'instagram';

const channelOfObject: Record<string, MessengerWebhookChannel> = { page: 'facebook', instagram: 'instagram' };

/** Thrown by {@link parseMessengerWebhook} when the body is not a page or Instagram webhook at all. */
export class MessengerWebhookError extends Error {
  override name = 'MessengerWebhookError';
}

/** Why one item is skipped; caught per item so the rest of the body is kept. */
class UnreadableItem extends Error {}

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const fieldsOf = (value: unknown): Fields => (isFields(value) ? value : {});

/** A short description of a value for a reason or an error message. */
const describe = (value: unknown): string => {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value !== 'string') return String(value);
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
};

/**
 * An id as a string. Meta sends strings, but some bodies carry JSON numbers;
 * those are stringified as they are (beyond 2^53 they may already have lost
 * precision in JSON.parse, which nothing here can undo).
 */
const idOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value.trim() ? value : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
};

const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const nonEmptyTextOf = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);

/** A time in milliseconds since 1970 as ISO 8601. */
const isoOf = (milliseconds: unknown, what: string): string => {
  const date = typeof milliseconds === 'number' ? new Date(milliseconds) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new UnreadableItem(`${what} is not a time in milliseconds (got ${describe(milliseconds)})`);
  return date.toISOString();
};

const mimeTypeByKind: Record<AttachmentKind, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/mpeg',
  file: 'application/octet-stream',
};

const attachmentKinds = new Set<string>(['image', 'video', 'audio', 'file']);

/** The last path segment of a URL, decoded, without query or fragment ('' when there is none). */
const fileNameOf = (url: string): string => {
  const path = url.split('#')[0].split('?')[0];
  const segment = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a stray % is kept as it is
  }
};

const digitsOnly = /^\d+$/;
const digitsAndUnderscores = /^[\d_]+$/;

/**
 * Whether a file name (without extension) is a number the channel chose, as
 * Facebook's CDN names files: all digits, or digits and underscores ending in
 * `_n` or `_o` (`39817236_1856183827758958_4387329813062451200_n`).
 */
const isChannelNumber = (stem: string): boolean =>
  digitsOnly.test(stem) ||
  ((stem.endsWith('_n') || stem.endsWith('_o')) && digitsAndUnderscores.test(stem.slice(0, -2)) && /\d/.test(stem));

const attachmentFrom = (id: string, kind: AttachmentKind, url: string): Attachment => {
  const name = fileNameOf(url);
  const extension = extensionOf(name);
  const stem = extension ? name.slice(0, -extension.length - 1) : name;
  // Messenger voice clips are .mp4 files holding audio only.
  const byExtension = kind === 'audio' && extension === 'mp4' ? 'audio/mp4' : typeForExtension(extension);
  return {
    id,
    kind,
    name: name || kind,
    mimeType: byExtension ?? mimeTypeByKind[kind],
    url,
    ...(!name || isChannelNumber(stem) ? { nameIsGenerated: true } : {}),
  };
};

interface Content {
  attachments: Attachment[];
  link?: NonNullable<Message['link']>;
  location?: NonNullable<Message['location']>;
  unsupported?: string;
}

/** Shares Meta sends with a URL, shown as a link card when the URL is an absolute web address. */
const linkTypes = new Set(['fallback', 'share', 'template', 'reel', 'ig_reel', 'story_mention', 'post', 'ig_post']);

/** An absolute `https:` or `http:` URL, or undefined (courier's fixtures carry relative ones such as `/reel/123/`). */
const webUrlOf = (value: unknown): string | undefined => {
  const text = nonEmptyTextOf(value)?.trim();
  return isWebUrl(text) ? text : undefined;
};

/** Coordinates in range, or undefined. */
const locationOf = (payload: Fields): Content['location'] => {
  const { lat, long } = fieldsOf(payload.coordinates);
  const inRange = (value: unknown, limit: number): value is number => typeof value === 'number' && Math.abs(value) <= limit;
  return inRange(lat, 90) && inRange(long, 180) ? { latitude: lat, longitude: long } : undefined;
};

/**
 * A message's attachments: the files the console shows, the first shared
 * link (a fallback, share, post, reel or story with a URL: the URL is in the
 * payload, or beside it on older fallbacks and template echoes, and so is
 * the title), the first location, and the type of the first thing it cannot
 * show. A sticker (`sticker`, or an `image` with a `sticker_id`, both sent
 * while Meta moves to the new type) is one PNG image when the policy allows PNG.
 */
const contentOf = (attachments: unknown, mid: string, policy: Pick<AttachmentPolicy, 'accept'>): Content => {
  const content: Content = { attachments: [] };
  if (!Array.isArray(attachments)) return content;
  const stickers = new Set<string>();
  attachments.forEach((raw: unknown, index) => {
    const fields = fieldsOf(raw);
    const type = textOf(fields.type) || 'unknown';
    const payload = fieldsOf(fields.payload);
    const url = nonEmptyTextOf(payload.url);
    const stickerId = idOf(payload.sticker_id);
    const linkUrl = linkTypes.has(type) ? (webUrlOf(payload.url) ?? webUrlOf(fields.url)) : undefined;
    const location = type === 'location' ? locationOf(payload) : undefined;
    if (stickerId !== undefined && (type === 'image' || type === 'sticker')) {
      if (stickers.has(stickerId)) return; // the same sticker under its old and new type
      stickers.add(stickerId);
      const name = `sticker-${stickerId}.png`;
      if (url && typeIsAllowed(policy, name, 'image/png')) {
        content.attachments.push({ id: `${mid}:${index}`, kind: 'image', name, mimeType: 'image/png', url, nameIsGenerated: true });
      } else content.unsupported ??= 'sticker';
    } else if (attachmentKinds.has(type) && url) {
      content.attachments.push(attachmentFrom(`${mid}:${index}`, type as AttachmentKind, url));
    } else if (linkUrl && !content.link) {
      const title = nonEmptyTextOf(fields.title) ?? nonEmptyTextOf(payload.title);
      content.link = { url: linkUrl, ...(title !== undefined ? { title } : {}) };
    } else if (location && !content.location) {
      content.location = location;
    } else content.unsupported ??= type;
  });
  return content;
};

/** Where one item sits: its customer, its conversation, its time, and whether another app held the thread. */
interface ItemContext {
  psid: string;
  conversationId: string;
  sentAt: string;
  /** The item's time in milliseconds, for ids of events that have none. */
  time: number;
  /** A `standby` item: sent while another app held the thread. */
  standby: boolean;
}

/** `standby: true` on the messages of a standby item, nothing otherwise. */
const standbyOf = (context: ItemContext) => (context.standby ? { standby: true } : {});

/**
 * Who wrote an echo, and whether its `metadata` is this console's clientId:
 * only an echo whose `app_id` is `options.appId` is the console's own. One
 * from another app is another sender's; one without an `app_id`, or any echo
 * when `appId` is not given, cannot be told apart and carries neither.
 */
const echoSenderOf = (raw: Fields, appId: string | undefined): { clientId?: string; author?: MessageAuthor } => {
  const sender = idOf(raw.app_id);
  if (appId === undefined || sender === undefined) return {};
  if (sender === appId) {
    // The relay sends the console's clientId as the Send API `metadata`, so the echo folds into the pending message.
    const clientId = nonEmptyTextOf(raw.metadata);
    return clientId ? { clientId } : {};
  }
  return { author: { kind: 'other', appId: sender } };
};

const messageOf = (raw: Fields, context: ItemContext, options: MessengerWebhookOptions): Message => {
  const mid = idOf(raw.mid);
  if (!mid) throw new UnreadableItem('message has no mid');
  const echo = raw.is_echo === true;
  const text = textOf(raw.text);
  const { attachments, link: shared, location, unsupported } = contentOf(raw.attachments, mid, options.policy ?? messengerAttachmentPolicy);
  const replyTo = fieldsOf(raw.reply_to);
  const parent = idOf(replyTo.mid);
  // An Instagram story reply points at the story, which has a URL but no message id.
  const story = webUrlOf(fieldsOf(replyTo.story).url);
  const link = shared ?? (story ? { url: story } : undefined);
  const shown = text !== undefined || attachments.length > 0 || link !== undefined || location !== undefined;
  return {
    id: mid,
    conversationId: context.conversationId,
    direction: echo ? 'outbound' : 'inbound',
    sentAt: context.sentAt,
    ...(echo ? echoSenderOf(raw, options.appId) : {}),
    ...(text !== undefined ? { text } : {}),
    ...(attachments.length ? { attachments } : {}),
    ...(link ? { link } : {}),
    ...(location ? { location } : {}),
    ...(unsupported || !shown ? { unsupported: { type: unsupported ?? 'unknown' } } : {}),
    ...(parent ? { replyTo: { messageId: parent } } : {}),
    ...standbyOf(context),
    ...(echo ? { status: 'sent' as const } : {}),
  };
};

const postbackOf = (raw: Fields, context: ItemContext): Message => {
  const title = textOf(raw.title);
  return {
    id: idOf(raw.mid) ?? `postback:${context.psid}:${context.time}`,
    conversationId: context.conversationId,
    direction: 'inbound',
    sentAt: context.sentAt,
    // A postback without a title (old webhooks) carries only the developer's payload, not words for the agent.
    ...(title !== undefined ? { text: title } : { unsupported: { type: 'postback' } }),
    ...standbyOf(context),
  };
};

/** A referral as a system message; undefined when it has none of the fields we keep. */
const referralOf = (raw: Fields, context: ItemContext): Message | undefined => {
  const source = textOf(raw.source);
  const ref = textOf(raw.ref);
  const adId = idOf(raw.ad_id);
  if (source === undefined && ref === undefined && adId === undefined) return undefined;
  return {
    id: `referral:${context.psid}:${context.time}`,
    conversationId: context.conversationId,
    direction: 'system',
    sentAt: context.sentAt,
    referral: { ...(source !== undefined ? { source } : {}), ...(ref !== undefined ? { ref } : {}), ...(adId ? { adId } : {}) },
    ...standbyOf(context),
  };
};

const reactionOf = (raw: Fields, context: ItemContext): Message => {
  const mid = idOf(raw.mid);
  const action = raw.action;
  if (!mid) throw new UnreadableItem('reaction has no mid');
  if (action !== 'react' && action !== 'unreact') throw new UnreadableItem(`reaction action is ${describe(action)}, not react or unreact`);
  return {
    id: `reaction:${mid}:${action}:${context.time}`,
    conversationId: context.conversationId,
    direction: 'system',
    sentAt: context.sentAt,
    // An unreact may leave out the emoji.
    reaction: { emoji: textOf(raw.emoji) ?? textOf(raw.reaction) ?? '', action, messageId: mid },
    ...standbyOf(context),
  };
};

const editOf = (raw: Fields, context: ItemContext): ChannelEvent => {
  const messageId = idOf(raw.mid);
  const text = textOf(raw.text);
  if (!messageId) throw new UnreadableItem('message_edit has no mid');
  if (text === undefined) throw new UnreadableItem(`message_edit text is ${describe(raw.text)}, not a string`);
  return { type: 'message-edited', detail: { conversationId: context.conversationId, messageId, text, editedAt: context.sentAt } };
};

const deliveryOf = (raw: Fields, context: ItemContext): ChannelEvent[] => {
  const mids = (Array.isArray(raw.mids) ? raw.mids : [raw.mid]).map(idOf).filter((mid) => mid !== undefined);
  const { conversationId } = context;
  if (mids.length) return mids.map((messageId) => ({ type: 'message-status', detail: { conversationId, messageId, status: 'delivered' } }));
  if (raw.watermark === undefined) throw new UnreadableItem('delivery has neither mids nor a watermark');
  return [{ type: 'message-status', detail: { conversationId, before: isoOf(raw.watermark, 'delivery.watermark'), status: 'delivered' } }];
};

/** Messenger reads with a watermark (everything before it); Instagram's `messaging_seen` names the message read. */
const readOf = (raw: Fields, context: ItemContext): ChannelEvent => {
  const { conversationId } = context;
  const messageId = raw.watermark === undefined ? idOf(raw.mid) : undefined;
  if (messageId) return { type: 'message-status', detail: { conversationId, messageId, status: 'read' } };
  return { type: 'message-status', detail: { conversationId, before: isoOf(raw.watermark, 'read.watermark'), status: 'read' } };
};

/**
 * A handover notice as `thread-control`: `pass_thread_control` names the new
 * owner; `take_thread_control` goes to the app the thread was taken from and
 * names the new owner only in newer versions of the webhook.
 */
const threadControlOf = (part: 'pass_thread_control' | 'take_thread_control', raw: Fields, context: ItemContext, appId: string | undefined): ChannelEvent => {
  if (appId === undefined) throw new UnreadableItem(`${part}: without the appId option it cannot be told whether the thread is this app's`);
  const newOwner = idOf(raw.new_owner_app_id);
  const previousOwner = idOf(raw.previous_owner_app_id);
  const { conversationId } = context;
  if (newOwner !== undefined) {
    return { type: 'thread-control', detail: { conversationId, owner: newOwner === appId ? 'console' : 'other', appId: newOwner } };
  }
  if (part === 'take_thread_control' && (previousOwner === undefined || previousOwner === appId)) {
    return { type: 'thread-control', detail: { conversationId, owner: 'other' } }; // taken from this app, by an app it does not name
  }
  throw new UnreadableItem(`${part} names no new owner (previous owner ${previousOwner ?? 'missing'})`);
};

/** The parts of a messaging item this mapping understands, in the order their events come out. */
const knownParts = ['message', 'message_edit', 'postback', 'referral', 'reaction', 'delivery', 'read', 'pass_thread_control', 'take_thread_control'] as const;

/**
 * Why an item that is a notice for the Page's administrator yields no event,
 * or undefined when it is not one. Policy enforcement says what Meta did and
 * why (the relay logs it); app roles and requests for the thread are for the
 * app that holds it, which decides in its own way.
 */
const noticeOf = (item: Fields): string | undefined => {
  const enforcement = item.policy_enforcement ?? item['policy-enforcement'];
  if (isFields(enforcement)) {
    const reason = textOf(enforcement.reason);
    return `messaging_policy_enforcement: Meta's action on the page is ${describe(enforcement.action)}${reason ? `, because: ${reason}` : ''}`;
  }
  if (isFields(item.app_roles)) {
    const roles = Object.entries(item.app_roles).map(([app, role]) => `${app}: ${Array.isArray(role) ? role.join(', ') : describe(role)}`);
    return `app_roles: the page's app roles changed (${roles.join('; ') || 'none'})`;
  }
  if (isFields(item.request_thread_control)) {
    return `request_thread_control: app ${idOf(item.request_thread_control.requested_owner_app_id) ?? 'unknown'} asks for the thread; the app holding it decides`;
  }
  return undefined;
};

/** The customer's PSID: whichever of sender and recipient is not the page (echoes come from the page). */
const customerOf = (item: Fields, pageId: string): string => {
  const sender = fieldsOf(item.sender);
  const senderId = idOf(sender.id);
  const recipientId = idOf(fieldsOf(item.recipient).id);
  if (senderId === undefined && sender.user_ref !== undefined) {
    // A chat-plugin visitor (e.g. a referral from the website plugin) has no conversation until they get a PSID.
    throw new UnreadableItem('sender has only a user_ref (a chat plugin visitor with no PSID yet), so there is no conversation to put it in');
  }
  if (senderId === undefined) throw new UnreadableItem('item has no sender.id');
  if (recipientId === undefined) throw new UnreadableItem('item has no recipient.id');
  if (senderId === pageId && recipientId !== pageId) return recipientId;
  if (recipientId === pageId && senderId !== pageId) return senderId;
  throw new UnreadableItem(`neither sender.id nor recipient.id is a customer of page ${pageId} (sender ${senderId}, recipient ${recipientId})`);
};

const noReferralFields = 'referral has no source, ref or ad_id';

/** Where an item was found, and what it may yield. */
interface ItemSource {
  pageId: string;
  entryTime: unknown;
  channel: MessengerWebhookChannel;
  standby: boolean;
}

/**
 * The events of one `messaging` or `standby` item, in order. Throws
 * UnreadableItem when the item yields nothing; reports to `skip` a part it
 * leaves out beside one it maps (a referral it cannot read, a delivery or
 * read in standby).
 */
const eventsOfItem = (
  raw: unknown,
  source: ItemSource,
  options: MessengerWebhookOptions,
  skip: (item: unknown, reason: string) => void,
): ChannelEvent[] => {
  if (!isFields(raw)) throw new UnreadableItem(`item is ${describe(raw)}, not an object`);
  const item = raw;
  const parts = knownParts.filter((part) => isFields(item[part]));
  if (!parts.length) {
    const notice = noticeOf(item);
    if (notice) throw new UnreadableItem(notice);
    const keys = Object.keys(item).filter((key) => !['sender', 'recipient', 'timestamp'].includes(key));
    throw new UnreadableItem(`nothing to show: not a message, edit, postback, referral, reaction, delivery, read or handover (has ${keys.join(', ') || 'nothing'})`);
  }
  const { pageId } = source;
  const psid = customerOf(item, pageId);
  const time = typeof item.timestamp === 'number' && Number.isFinite(item.timestamp) ? item.timestamp : source.entryTime;
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    throw new UnreadableItem(`item has no time: timestamp is ${describe(item.timestamp)} and entry.time is ${describe(source.entryTime)}`);
  }
  const context: ItemContext = {
    psid,
    conversationId: options.conversationId ? options.conversationId(pageId, psid, source.channel) : `${pageId}:${psid}`,
    sentAt: isoOf(time, 'timestamp'),
    time,
    standby: source.standby,
  };
  const message = (detail: Message): ChannelEvent => ({ type: 'message', detail });
  const events: ChannelEvent[] = [];
  // A message or postback may carry how the customer came (an ad, an m.me link): a system message after it.
  const addReferral = (fields: Fields) => {
    if (!isFields(fields.referral)) return;
    const referral = referralOf(fields.referral, context);
    if (referral) events.push(message(referral));
    else skip(item, noReferralFields);
  };
  for (const part of parts) {
    const fields = item[part] as Fields;
    if (part === 'message') {
      if (fields.is_deleted === true) {
        // Instagram's unsend: the message is gone, whatever else the item says.
        const messageId = idOf(fields.mid);
        if (!messageId) throw new UnreadableItem('deleted message has no mid');
        events.push({ type: 'message-deleted', detail: { conversationId: context.conversationId, messageId } });
        continue;
      }
      events.push(message(messageOf(fields, context, options)));
      addReferral(fields);
    } else if (part === 'message_edit') events.push(editOf(fields, context));
    else if (part === 'postback') {
      events.push(message(postbackOf(fields, context)));
      addReferral(fields);
    } else if (part === 'referral') {
      const referral = referralOf(fields, context);
      if (!referral) throw new UnreadableItem(noReferralFields);
      events.push(message(referral));
    } else if (part === 'reaction') events.push(message(reactionOf(fields, context)));
    else if (part === 'pass_thread_control' || part === 'take_thread_control') events.push(threadControlOf(part, fields, context, options.appId));
    else if (context.standby) {
      // The app holding the thread answers; its messages' deliveries and reads are its own.
      const reason = `${part} in standby: another app holds the thread, so it is not shown`;
      if (parts.length === 1) throw new UnreadableItem(reason);
      skip(item, reason);
    } else if (part === 'delivery') events.push(...deliveryOf(fields, context));
    else events.push(readOf(fields, context));
  }
  return events;
};

/**
 * Turns a Messenger Platform webhook body (`object: "page"`) or an Instagram
 * Messaging one (`object: "instagram"`, the same shape; `entry.id` is the
 * Instagram account) into adapter events:
 *
 * - customer messages (text, quick replies, postbacks, attachments, stickers,
 *   shared links, posts, reels and stories with a URL as `link`, locations as
 *   `location`, `reply_to.mid` as `replyTo`) and echoes of the page's own
 *   messages as `message` events (see `options.appId` for whose an echo is);
 * - edits (`message_edit`) as `message-edited`; Instagram's unsend
 *   (`is_deleted`) as `message-deleted`;
 * - deliveries and reads as `message-status`; reactions and referrals as
 *   system messages;
 * - handover notices (`pass_thread_control`, `take_thread_control`) as
 *   `thread-control`.
 *
 * Items under `standby` (another app holds the thread) are read too: their
 * messages carry `standby: true`, and their deliveries and reads are
 * skipped. A `mid` seen twice in one body yields one message (the first).
 *
 * Anything that yields no event — an opt-in, app roles, a request for the
 * thread, a policy enforcement, a chat-plugin visitor without a PSID, a
 * malformed item — is reported to `options.onSkipped` with the reason, and
 * the rest of the body is kept. An item's time is its `timestamp`, else its
 * entry's `time`; an item with neither is skipped too. Every event returned
 * passes `validateChannelEvent`.
 *
 * @param body The parsed JSON body Meta POSTed to the webhook.
 * @throws {MessengerWebhookError} when the body is not a page or Instagram
 *   webhook (not an object, `object` other than `"page"` or `"instagram"`,
 *   or no `entry` array).
 */
export function parseMessengerWebhook(body: unknown, options: MessengerWebhookOptions = {}): ChannelEvent[] {
  const refuse = (what: string) => new MessengerWebhookError(`Not a page or Instagram webhook: ${what}`);
  if (!isFields(body)) throw refuse(`the body is ${describe(body)}, not an object`);
  const channel = typeof body.object === 'string' ? channelOfObject[body.object] : undefined;
  if (!channel) throw refuse(`object is ${describe(body.object)}`);
  if (!Array.isArray(body.entry)) throw refuse(`entry is ${describe(body.entry)}, not an array`);

  const skip = (item: unknown, reason: string) => options.onSkipped?.(item, reason);
  const events: ChannelEvent[] = [];
  const messageIds = new Set<string>();
  for (const entry of body.entry as unknown[]) {
    const pageId = idOf(fieldsOf(entry).id);
    if (!isFields(entry) || !pageId) {
      skip(entry, isFields(entry) ? `entry has no page id (id is ${describe(entry.id)})` : `entry is ${describe(entry)}, not an object`);
      continue;
    }
    if (!Array.isArray(entry.messaging) && !Array.isArray(entry.standby)) {
      skip(entry, `entry has no messaging or standby items (has ${Object.keys(entry).join(', ')})`);
      continue;
    }
    const items = [
      ...(Array.isArray(entry.messaging) ? entry.messaging.map((item: unknown) => [item, false] as const) : []),
      ...(Array.isArray(entry.standby) ? entry.standby.map((item: unknown) => [item, true] as const) : []),
    ];
    for (const [item, standby] of items) {
      let itemEvents: ChannelEvent[];
      try {
        itemEvents = eventsOfItem(item, { pageId, entryTime: entry.time, channel, standby }, options, skip);
      } catch (error) {
        if (!(error instanceof UnreadableItem)) throw error;
        skip(item, error.message);
        continue;
      }
      for (const event of itemEvents) {
        try {
          validateChannelEvent(event.type, event.detail);
        } catch (error) {
          if (!(error instanceof MalformedEventError)) throw error;
          skip(item, error.message);
          continue;
        }
        if (event.type === 'message') {
          if (messageIds.has(event.detail.id)) continue; // Meta delivers at least once
          messageIds.add(event.detail.id);
        }
        events.push(event);
      }
    }
  }
  return events;
}

/**
 * The pure mapping from a Messenger Platform webhook body (what Meta POSTs
 * for `object: "page"`) to adapter events: `ChannelEvent`s of the data model
 * in ../types.ts. No I/O and no state: a developer's own backend can run it
 * as it is.
 */
import { extensionOf, typeForExtension, typeIsAllowed } from '../file-types.js';
import { MalformedEventError, validateChannelEvent } from '../validate.js';
import type { Attachment, AttachmentKind, AttachmentPolicy, ChannelEvent, Message } from '../types.js';
import { messengerAttachmentPolicy } from './channel.js';

/** Options for {@link parseMessengerWebhook}. */
export interface MessengerWebhookOptions {
  /** The conversation id for a page and a customer's page-scoped id (PSID). Default `${pageId}:${psid}`. */
  conversationId?: (pageId: string, psid: string) => string;
  /**
   * What the console may show. A sticker becomes an image only when this
   * allows PNG; otherwise it is unsupported. Default `messengerAttachmentPolicy`.
   */
  policy?: Pick<AttachmentPolicy, 'accept'>;
  /**
   * Called for every entry or item that yields no event, with the reason:
   * events we do not map (opt-ins, handover, policy enforcement), chat-plugin
   * visitors without a PSID, and malformed items. The rest of the body is
   * still mapped.
   */
  onSkipped?: (item: unknown, reason: string) => void;
}

/** Thrown by {@link parseMessengerWebhook} when the body is not a page webhook at all. */
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
  unsupported?: string;
}

/**
 * A message's attachments: the ones the console shows, and the type of the
 * first one it cannot. A sticker (`sticker`, or an `image` with a
 * `sticker_id`, both sent while Meta moves to the new type) is one PNG image
 * when the policy allows PNG.
 */
const contentOf = (attachments: unknown, mid: string, policy: Pick<AttachmentPolicy, 'accept'>): Content => {
  const content: Content = { attachments: [] };
  if (!Array.isArray(attachments)) return content;
  const stickers = new Set<string>();
  attachments.forEach((raw: unknown, index) => {
    const type = textOf(fieldsOf(raw).type) || 'unknown';
    const payload = fieldsOf(fieldsOf(raw).payload);
    const url = nonEmptyTextOf(payload.url);
    const stickerId = idOf(payload.sticker_id);
    if (stickerId !== undefined && (type === 'image' || type === 'sticker')) {
      if (stickers.has(stickerId)) return; // the same sticker under its old and new type
      stickers.add(stickerId);
      const name = `sticker-${stickerId}.png`;
      if (url && typeIsAllowed(policy, name, 'image/png')) {
        content.attachments.push({ id: `${mid}:${index}`, kind: 'image', name, mimeType: 'image/png', url, nameIsGenerated: true });
      } else content.unsupported ??= 'sticker';
    } else if (attachmentKinds.has(type) && url) {
      content.attachments.push(attachmentFrom(`${mid}:${index}`, type as AttachmentKind, url));
    } else content.unsupported ??= type;
  });
  return content;
};

/** Where one item sits: its customer, its conversation, its time. */
interface ItemContext {
  psid: string;
  conversationId: string;
  sentAt: string;
  /** The item's time in milliseconds, for ids of events that have none. */
  time: number;
}

const messageOf = (raw: Fields, context: ItemContext, policy: Pick<AttachmentPolicy, 'accept'>): Message => {
  const mid = idOf(raw.mid);
  if (!mid) throw new UnreadableItem('message has no mid');
  const echo = raw.is_echo === true;
  const text = textOf(raw.text);
  const { attachments, unsupported } = contentOf(raw.attachments, mid, policy);
  // The relay sends the console's clientId as the Send API `metadata`, so the echo folds into the pending message.
  const clientId = echo ? nonEmptyTextOf(raw.metadata) : undefined;
  return {
    id: mid,
    conversationId: context.conversationId,
    direction: echo ? 'outbound' : 'inbound',
    sentAt: context.sentAt,
    ...(clientId ? { clientId } : {}),
    ...(text !== undefined ? { text } : {}),
    ...(attachments.length ? { attachments } : {}),
    ...(unsupported || (text === undefined && !attachments.length) ? { unsupported: { type: unsupported ?? 'unknown' } } : {}),
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
  };
};

const deliveryOf = (raw: Fields, context: ItemContext): ChannelEvent[] => {
  const mids = (Array.isArray(raw.mids) ? raw.mids : [raw.mid]).map(idOf).filter((mid) => mid !== undefined);
  const { conversationId } = context;
  if (mids.length) return mids.map((messageId) => ({ type: 'message-status', detail: { conversationId, messageId, status: 'delivered' } }));
  if (raw.watermark === undefined) throw new UnreadableItem('delivery has neither mids nor a watermark');
  return [{ type: 'message-status', detail: { conversationId, before: isoOf(raw.watermark, 'delivery.watermark'), status: 'delivered' } }];
};

const readOf = (raw: Fields, context: ItemContext): ChannelEvent => ({
  type: 'message-status',
  detail: { conversationId: context.conversationId, before: isoOf(raw.watermark, 'read.watermark'), status: 'read' },
});

/** The parts of a messaging item this mapping understands, in the order their events come out. */
const knownParts = ['message', 'postback', 'referral', 'reaction', 'delivery', 'read'] as const;

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

/**
 * The events of one `messaging` or `standby` item, in order. Throws
 * UnreadableItem when the item yields nothing; reports a referral it cannot
 * read beside a message it can to `skip`.
 */
const eventsOfItem = (
  raw: unknown,
  pageId: string,
  entryTime: unknown,
  options: MessengerWebhookOptions,
  skip: (item: unknown, reason: string) => void,
): ChannelEvent[] => {
  if (!isFields(raw)) throw new UnreadableItem(`item is ${describe(raw)}, not an object`);
  const item = raw;
  const parts = knownParts.filter((part) => isFields(item[part]));
  if (!parts.length) {
    const keys = Object.keys(item).filter((key) => !['sender', 'recipient', 'timestamp'].includes(key));
    throw new UnreadableItem(`nothing to show: not a message, postback, referral, reaction, delivery or read (has ${keys.join(', ') || 'nothing'})`);
  }
  const psid = customerOf(item, pageId);
  const time = typeof item.timestamp === 'number' && Number.isFinite(item.timestamp) ? item.timestamp : entryTime;
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    throw new UnreadableItem(`item has no time: timestamp is ${describe(item.timestamp)} and entry.time is ${describe(entryTime)}`);
  }
  const context: ItemContext = {
    psid,
    conversationId: options.conversationId ? options.conversationId(pageId, psid) : `${pageId}:${psid}`,
    sentAt: isoOf(time, 'timestamp'),
    time,
  };
  const policy = options.policy ?? messengerAttachmentPolicy;
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
      events.push(message(messageOf(fields, context, policy)));
      addReferral(fields);
    } else if (part === 'postback') {
      events.push(message(postbackOf(fields, context)));
      addReferral(fields);
    } else if (part === 'referral') {
      const referral = referralOf(fields, context);
      if (!referral) throw new UnreadableItem(noReferralFields);
      events.push(message(referral));
    } else if (part === 'reaction') events.push(message(reactionOf(fields, context)));
    else if (part === 'delivery') events.push(...deliveryOf(fields, context));
    else events.push(readOf(fields, context));
  }
  return events;
};

/**
 * Turns a Messenger Platform webhook body (`object: "page"`) into adapter
 * events: customer messages (text, quick replies, postbacks, attachments,
 * stickers) and echoes of the page's own messages as `message` events,
 * deliveries and reads as `message-status`, reactions and referrals as
 * system messages. Items under `messaging` and `standby` (handover protocol)
 * are both read. A `mid` seen twice in one body yields one message (the first).
 *
 * Anything that yields no event — an opt-in, a handover notice, a chat-plugin
 * visitor without a PSID, a malformed item — is reported to
 * `options.onSkipped` with the reason, and the rest of the body is kept.
 * An item's time is its `timestamp`, else its entry's `time`; an item with
 * neither is skipped too. Every event returned passes `validateChannelEvent`.
 *
 * @param body The parsed JSON body Meta POSTed to the webhook.
 * @throws {MessengerWebhookError} when the body is not a page webhook (not an
 *   object, `object` other than `"page"`, or no `entry` array).
 */
export function parseMessengerWebhook(body: unknown, options: MessengerWebhookOptions = {}): ChannelEvent[] {
  if (!isFields(body)) throw new MessengerWebhookError(`Not a page webhook: the body is ${describe(body)}, not an object`);
  if (body.object !== 'page') throw new MessengerWebhookError(`Not a page webhook: object is ${describe(body.object)}`);
  if (!Array.isArray(body.entry)) throw new MessengerWebhookError(`Not a page webhook: entry is ${describe(body.entry)}, not an array`);

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
    const items = [...(Array.isArray(entry.messaging) ? entry.messaging : []), ...(Array.isArray(entry.standby) ? entry.standby : [])];
    for (const item of items as unknown[]) {
      let itemEvents: ChannelEvent[];
      try {
        itemEvents = eventsOfItem(item, pageId, entry.time, options, skip);
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

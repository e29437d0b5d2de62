import type {
  Attachment,
  AttachmentPolicy,
  ChannelCapabilities,
  ChannelEventMap,
  ChannelEventType,
  Conversation,
  ConversationRequest,
  Customer,
  Message,
} from './types.js';

/**
 * Thrown when adapter data breaks the contract. `field` is the path of the
 * first offending field, e.g. `detail.attachments[0].url`.
 */
export class MalformedEventError extends Error {
  override name = 'MalformedEventError';
  constructor(
    /** The adapter event type, or `accept` / `sendMessage` for a method's result. */
    readonly eventType: string,
    /** The path of the first wrong field, e.g. `detail.sentAt`. */
    readonly field: string,
    /** What is wrong with it, e.g. `must be a non-empty string`. */
    readonly problem: string,
    what = `Adapter event "${eventType}" dropped`,
  ) {
    super(`${what}: ${field} ${problem}.`);
  }
}

/** Checks one value at `path` and returns a clean copy of it; throws `[path, problem]`. */
type Check<T> = (value: unknown, path: string) => T;
type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

const fail = (path: string, problem: string): never => {
  throw [path, problem];
};

/** A short, safe description of a bad value for the error message; never runs the value's own code. */
const describeValue = (value: unknown): string => {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'function') return 'a function';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

/** A check that keeps a value passing `test`, and says what it `must be` otherwise. */
const must =
  <T>(test: (value: unknown) => boolean, what: string): Check<T> =>
  (value, path) =>
    test(value) ? (value as T) : fail(path, `must be ${what} (got ${describeValue(value)})`);

const isText = (value: unknown): value is string => typeof value === 'string';

const text = must<string>(isText, 'a string');

const id: Check<string> = (value, path) =>
  text(value, path).trim() ? (value as string) : fail(path, 'must be a non-empty string');

const flag = must<boolean>((value) => typeof value === 'boolean', 'true or false');

const byteCount = must<number>((value) => Number.isSafeInteger(value) && (value as number) >= 0, 'a whole number of bytes');

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/** A real calendar date (not 30 February) with a time and a zone. */
const isIsoDate = (value: unknown): value is string => {
  const parts = isText(value) ? isoPattern.exec(value) : null;
  if (!parts || Number.isNaN(Date.parse(value as string))) return false;
  // A real day of its month (Date.parse takes 2026-02-30 for 2 March): February by leap year, then 31 or 30 by month.
  const [year, month, day] = parts.slice(1, 4).map(Number);
  return day <= (month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : 30 + ((month + (month >> 3)) & 1));
};
const isoDate = must<string>(isIsoDate, 'an ISO 8601 date with a time zone');

const oneOf = <T extends string>(...allowed: T[]): Check<T> => must((value) => allowed.includes(value as T), `one of ${allowed.join(', ')}`);

const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (value, path) =>
    value === undefined ? undefined : check(value, path);

// An index loop, not value.map: an adapter's array may carry its own `map`.
const listOf =
  <T>(check: Check<T>): Check<T[]> =>
  (value, path) => {
    if (!Array.isArray(value)) return fail(path, 'must be an array');
    const items: T[] = [];
    for (let i = 0; i < value.length; i++) items.push(check(value[i], `${path}[${i}]`));
    return items;
  };

/** A record with exactly the shape's fields; unknown fields are left behind. */
const record = <T>(shape: Shape<T>): Check<T> => {
  const fields = Object.entries(shape) as [string, Check<unknown>][];
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(path, 'must be an object');
    const source = value as Record<string, unknown>;
    const copy: Record<string, unknown> = {};
    for (const [key, check] of fields) {
      let raw: unknown;
      try {
        raw = source[key];
      } catch {
        fail(`${path}.${key}`, 'could not be read');
      }
      const field = check(raw, `${path}.${key}`);
      if (field !== undefined) copy[key] = field;
    }
    return copy as T;
  };
};

const customer = record<Customer>({ id, name: text, avatarUrl: optional(text) });

const messageStatus = oneOf('pending', 'sent', 'delivered', 'read', 'failed');

const attachment = record<Attachment>({
  id,
  kind: oneOf('image', 'video', 'audio', 'file'),
  name: text,
  mimeType: text,
  size: optional(byteCount),
  url: id,
  nameIsGenerated: optional(flag),
});

const messageFields = record<Message>({
  id,
  conversationId: id,
  clientId: optional(id),
  direction: oneOf('inbound', 'outbound', 'system'),
  sentAt: isoDate,
  text: optional(text),
  attachments: optional(listOf(attachment)),
  unsupported: optional(record({ type: id })),
  status: optional(messageStatus),
  ended: () => undefined, // written by the console only; an adapter cannot set it
  reaction: optional(record({ emoji: text, action: oneOf('react', 'unreact'), messageId: optional(id) })),
  referral: optional(record({ source: optional(text), ref: optional(text), adId: optional(id) })),
});

const message: Check<Message> = (value, path) => {
  const result = messageFields(value, path);
  if (result.text === undefined && !result.attachments?.length && !result.unsupported && !result.reaction && !result.referral) {
    fail(`${path}.text`, 'is missing: a message needs text, attachments, unsupported, a reaction or a referral');
  }
  return result;
};

const conversationRequest = record<ConversationRequest>({
  id,
  channel: id,
  customer,
  preview: optional(text),
  createdAt: isoDate,
  expiresAt: optional(isoDate),
});

const conversation = record<Conversation>({
  id,
  channel: id,
  customer,
  startedAt: isoDate,
  replyBy: optional(isoDate),
});

/** A count or limit: a whole number above 0. */
const positive = must<number>((value) => Number.isSafeInteger(value) && (value as number) > 0, 'a positive whole number');

/** An object used as a map: each own key's value checked (`__proto__` stays a plain key). */
const mapOf =
  <T>(check: Check<T>): Check<Record<string, T>> =>
  (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(path, 'must be an object');
    return Object.fromEntries(Object.keys(value).map((key) => [key, check((value as Record<string, unknown>)[key], `${path}.${key}`)]));
  };

const fileType = must<string>((value) => isText(value) && /^\.|\//.test(value), 'a MIME type or an .extension');

const attachmentPolicy = record<AttachmentPolicy>({
  maxBytes: positive,
  accept: (value, path) => {
    const types = listOf(fileType)(value, path);
    return types.length ? types : fail(path, 'must list at least one file type');
  },
  maxBytesByKind: optional(mapOf(positive)),
  filesPerMessage: optional(positive),
});

// Markup must be an SVG document; a URL may only be https: or an image's data: (never javascript:).
const icon = must<string>(
  (value) => isText(value) && (/^\s*</.test(value) ? /<svg[\s>]/i : /^\s*(https:|data:image\/)/i).test(value),
  'SVG markup or an https: or data:image/ URL',
);

const capabilities = record<ChannelCapabilities>({
  name: id,
  icon: optional(icon),
  textLimit: optional(positive),
  attachments: attachmentPolicy,
  unsupported: optional(mapOf((value, path) => (typeof value === 'string' ? id(value, path) : mapOf(id)(value, path)))),
  typing: flag,
  readReceipts: flag,
  reactions: flag,
  replyWindowHours: optional(must((value) => Number.isFinite(value) && (value as number) > 0, 'a positive number')),
});

const statusUpdateFields = record<ChannelEventMap['message-status']>({
  conversationId: id,
  messageId: optional(id),
  clientId: optional(id),
  before: optional(isoDate),
  status: messageStatus,
  error: optional(text),
});

const detailChecks: { [K in ChannelEventType]: Check<ChannelEventMap[K]> } = {
  'conversation-request': conversationRequest,
  'conversation-request-withdrawn': record({ requestId: id, reason: optional(text) }),
  message,
  'message-status': (value, path) => {
    const result = statusUpdateFields(value, path);
    if (!result.messageId && !result.clientId && !result.before) fail(`${path}.messageId`, 'is missing: a status needs messageId, clientId or before');
    return result;
  },
  typing: record({ conversationId: id, typing: flag }),
  'conversation-ended': record({ conversationId: id, reason: optional(text) }),
  'connection-change': record({ state: oneOf('connecting', 'open', 'closed'), error: optional(text) }),
  'conversation-updated': conversation,
};

const run = <T>(eventType: string, check: Check<T>, value: unknown, path: string, what?: string): T => {
  try {
    return check(value, path);
  } catch (problem) {
    if (Array.isArray(problem)) throw new MalformedEventError(eventType, problem[0], problem[1], what);
    throw new MalformedEventError(eventType, path, `could not be checked (${problem instanceof Error ? problem.message : 'unknown error'})`, what);
  }
};

/**
 * Checks an adapter event's `detail` against the contract and returns a clean
 * copy holding only the contract's fields.
 * @throws {MalformedEventError} naming the first field that is wrong.
 */
export function validateChannelEvent<K extends ChannelEventType>(type: K, detail: unknown): ChannelEventMap[K] {
  const check = Object.hasOwn(detailChecks, type) ? (detailChecks[type] as Check<ChannelEventMap[K]>) : undefined;
  if (!check) throw new MalformedEventError(String(type), 'type', 'is not an adapter event type');
  return run(type, check, detail, 'detail');
}

/** Checks what `adapter.accept()` resolved with. */
export const validateConversation = (value: unknown): Conversation =>
  run('accept', conversation, value, 'result', 'adapter.accept() resolved with bad data');

/** Checks what `adapter.sendMessage()` resolved with. */
export const validateSentMessage = (value: unknown): Message => 
  run('sendMessage', message, value, 'result', 'adapter.sendMessage() resolved with bad data');

/** Checks what `adapter.getCapabilities()` resolved with. */
export const validateCapabilities = (value: unknown): ChannelCapabilities =>
  run('getCapabilities', capabilities, value, 'result', 'adapter.getCapabilities() resolved with bad data');

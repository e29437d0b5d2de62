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

/** Checks one value and returns a clean copy of it; throws a {@link Problem} otherwise. */
type Check<T> = (value: unknown) => T;
type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

/**
 * What is wrong with a value. `at` is the path below the value checked, grown
 * outwards as the checks unwind, so that no path is built for a good value.
 */
class Problem {
  constructor(
    readonly problem: string,
    public at = '',
  ) {}
}

const fail = (problem: string, at?: string): never => {
  throw new Problem(problem, at);
};

/** A failure inside the part `step` of a value (`.field`, `[index]`); anything else thrown there (a getter, a proxy) means it could not be read. */
const within = (error: unknown, step: string): Problem => {
  if (!(error instanceof Problem)) return new Problem('could not be read', step);
  error.at = step + error.at;
  return error;
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
  (value) =>
    test(value) ? (value as T) : fail(`must be ${what} (got ${describeValue(value)})`);

const isText = (value: unknown): value is string => typeof value === 'string';

const text = must<string>(isText, 'a string');

const id: Check<string> = (value) => (text(value).trim() ? (value as string) : fail('must be a non-empty string'));

const flag = must<boolean>((value) => typeof value === 'boolean', 'true or false');

const byteCount = must<number>((value) => Number.isSafeInteger(value) && (value as number) >= 0, 'a whole number of bytes');

/** The number of `count` decimal digits at `from`, or NaN. */
const digitsAt = (value: string, from: number, count: number): number => {
  let number = 0;
  for (let i = from; i < from + count; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return NaN;
    number = number * 10 + digit;
  }
  return number;
};

/** The days of a month: February by leap year, then 31 or 30 by month. */
const daysIn = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : 30 + ((month + (month >> 3)) & 1);

/** Four hundred Gregorian years, in ms: Date.UTC reads the years 0–99 as 1900–1999, so the time is taken 400 years on. */
const fourCenturies = 146_097 * 86_400_000;

/** The last date read, as a backend's message is read twice on its way in (checked, then placed in its transcript). */
let lastRead = { value: '', time: NaN };

/**
 * The time (ms since the epoch) of an ISO 8601 date with a time and a zone,
 * `YYYY-MM-DDTHH:MM[:SS[.fraction]](Z|±HH[:]MM)`, on a real calendar day (not
 * 30 February; 24:00 is the end of the day); NaN for anything else. Read by hand, as Date.parse takes
 * 30 February for 2 March and costs more, which a flood of messages feels.
 */
export function isoTime(value: string): number {
  if (value === lastRead.value) return lastRead.time;
  const time = readIsoTime(value);
  lastRead = { value, time };
  return time;
}

function readIsoTime(value: string): number {
  const { length } = value;
  if (length < 17 || value[4] !== '-' || value[7] !== '-' || value[10] !== 'T' || value[13] !== ':') return NaN;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  let second = 0;
  let ms = 0;
  let at = 16;
  if (value[at] === ':') {
    second = digitsAt(value, at + 1, 2);
    at += 3;
    if (value[at] === '.') {
      // Up to nine digits; the first three are the milliseconds.
      const from = ++at;
      for (let scale = 100; at < length && at - from < 9 && digitsAt(value, at, 1) >= 0; at++, scale /= 10) {
        if (scale >= 1) ms += digitsAt(value, at, 1) * scale;
      }
      if (at === from) return NaN;
    }
  }
  let offset = 0;
  if (value[at] === 'Z') at++;
  else if (value[at] === '+' || value[at] === '-') {
    const sign = value[at] === '-' ? -1 : 1;
    const colon = value[at + 3] === ':' ? 1 : 0;
    const hours = digitsAt(value, at + 1, 2);
    const minutes = digitsAt(value, at + 3 + colon, 2);
    if (!(hours <= 23 && minutes <= 59)) return NaN;
    offset = sign * (hours * 60 + minutes) * 60_000;
    at += 5 + colon;
  } else return NaN;
  if (at !== length || !(month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && minute <= 59 && second <= 59)) return NaN;
  // 24:00 is the end of the day, as ECMAScript reads it.
  if (!(hour <= 23 || (hour === 24 && minute === 0 && second === 0 && ms === 0))) return NaN;
  return Date.UTC(year + 400, month - 1, day, hour, minute, second, ms) - fourCenturies - offset;
}

/** A real calendar date (not 30 February) with a time and a zone. */
const isIsoDate = (value: unknown): value is string => isText(value) && !Number.isNaN(isoTime(value));
const isoDate = must<string>(isIsoDate, 'an ISO 8601 date with a time zone');

const oneOf = <T extends string>(...allowed: T[]): Check<T> => must((value) => allowed.includes(value as T), `one of ${allowed.join(', ')}`);

const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (value) =>
    value === undefined ? undefined : check(value);

// An index loop, not value.map: an adapter's array may carry its own `map`.
const listOf =
  <T>(check: Check<T>): Check<T[]> =>
  (value) => {
    if (!Array.isArray(value)) return fail('must be an array');
    const items: T[] = [];
    let i = 0;
    try {
      for (; i < value.length; i++) items.push(check(value[i]));
    } catch (error) {
      throw within(error, `[${i}]`);
    }
    return items;
  };

/** A record with exactly the shape's fields; unknown fields are left behind. */
const record = <T>(shape: Shape<T>): Check<T> => {
  const keys = Object.keys(shape);
  const checks = Object.values(shape) as Check<unknown>[];
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('must be an object');
    const copy: Record<string, unknown> = {};
    let i = 0;
    try {
      for (; i < keys.length; i++) {
        const field = checks[i]((value as Record<string, unknown>)[keys[i]]);
        if (field !== undefined) copy[keys[i]] = field;
      }
    } catch (error) {
      throw within(error, `.${keys[i]}`);
    }
    return copy as T;
  };
};

const customer = record<Customer>({ id, name: text, avatarUrl: optional(text) });

const statuses: NonNullable<Message['status']>[] = ['pending', 'sent', 'delivered', 'read', 'failed'];
const directions: Message['direction'][] = ['inbound', 'outbound', 'system'];
const messageStatus = oneOf(...statuses);

const attachment = record<Attachment>({
  id,
  kind: oneOf('image', 'video', 'audio', 'file'),
  name: text,
  mimeType: text,
  size: optional(byteCount),
  url: id,
  nameIsGenerated: optional(flag),
});

/** Whether `value` is an absolute `https:` or `http:` URL (a link a customer's message may carry). */
export function isWebUrl(value: unknown): value is string {
  if (!isText(value) || !/^https?:\/\/\S+$/i.test(value)) return false;
  try {
    return !!new URL(value);
  } catch {
    return false;
  }
}

const webUrl = must<string>(isWebUrl, 'an absolute https: or http: URL');

/** A finite number within the bounds. */
const between = (low: number, high: number) => must<number>((value) => typeof value === 'number' && value >= low && value <= high, `a number from ${low} to ${high}`);

const messageFields = record<Message>({
  id,
  conversationId: id,
  clientId: optional(id),
  direction: oneOf(...directions),
  sentAt: isoDate,
  text: optional(text),
  attachments: optional(listOf(attachment)),
  unsupported: optional(record({ type: id })),
  status: optional(messageStatus),
  ended: () => undefined, // written by the console only; an adapter cannot set it
  reaction: optional(record({ emoji: text, action: oneOf('react', 'unreact'), messageId: optional(id) })),
  referral: optional(record({ source: optional(text), ref: optional(text), adId: optional(id) })),
  author: optional(record({ kind: oneOf('other'), appId: optional(id), name: optional(text) })),
  replyTo: optional(record({ messageId: id })),
  standby: optional(flag),
  link: optional(record({ url: webUrl, title: optional(text) })),
  location: optional(record({ latitude: between(-90, 90), longitude: between(-180, 180) })),
  // Written by the console from message-edited and message-deleted; an adapter cannot set them.
  edited: () => undefined,
  deleted: () => undefined,
});

const isId = (value: unknown): value is string => isText(value) && value.trim() !== '';

/**
 * A message of text and nothing else, the bulk of any flood or history page,
 * checked by the same rules without the general walk (in a sixth of the time);
 * `undefined` for anything else, which the general check then takes and,
 * when wrong, names the field of.
 */
function textMessage(value: object): Message | undefined {
  let fields;
  try {
    const { id, conversationId, clientId, direction, sentAt, text, status, attachments, unsupported, reaction, referral, author, replyTo, standby, link, location } = value as Record<string, unknown>;
    const plain = [attachments, unsupported, reaction, referral, author, replyTo, standby, link, location].every((field) => field === undefined);
    fields = { id, conversationId, clientId, direction, sentAt, text, status, plain };
  } catch {
    return undefined; // a field that cannot be read: the general check says which
  }
  const { id, conversationId, clientId, direction, sentAt, text, status, plain } = fields;
  if (!plain || !isText(text) || !isId(id) || !isId(conversationId) || !directions.includes(direction as never) || !isIsoDate(sentAt)) return undefined;
  if ((clientId !== undefined && !isId(clientId)) || (status !== undefined && !statuses.includes(status as never))) return undefined;
  const message: Message = { id, conversationId, direction: direction as Message['direction'], sentAt, text };
  if (clientId !== undefined) message.clientId = clientId;
  if (status !== undefined) message.status = status as Message['status'];
  return message;
}

const message: Check<Message> = (value) => {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const quick = textMessage(value);
    if (quick) return quick;
  }
  const result = messageFields(value);
  if (result.text === undefined && !result.attachments?.length && !result.unsupported && !result.reaction && !result.referral && !result.link && !result.location) {
    fail('is missing: a message needs text, attachments, unsupported, a reaction, a referral, a link or a location', '.text');
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
  (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('must be an object');
    return Object.fromEntries(
      Object.keys(value).map((key) => {
        try {
          return [key, check((value as Record<string, unknown>)[key])];
        } catch (error) {
          throw within(error, `.${key}`);
        }
      }),
    );
  };

const fileType = must<string>((value) => isText(value) && /^\.|\//.test(value), 'a MIME type or an .extension');

const attachmentPolicy = record<AttachmentPolicy>({
  maxBytes: positive,
  accept: (value) => {
    const types = listOf(fileType)(value);
    return types.length ? types : fail('must list at least one file type');
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
  unsupported: optional(mapOf((value) => (typeof value === 'string' ? id(value) : mapOf(id)(value)))),
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
  'message-status': (value) => {
    const result = statusUpdateFields(value);
    if (!result.messageId && !result.clientId && !result.before) fail('is missing: a status needs messageId, clientId or before', '.messageId');
    return result;
  },
  typing: record({ conversationId: id, typing: flag }),
  'conversation-ended': record({ conversationId: id, reason: optional(text) }),
  'connection-change': record({
    state: oneOf('connecting', 'open', 'closed'),
    error: optional(text),
    code: optional(oneOf('reply-window-closed', 'recipient-unavailable', 'rate-limited', 'channel-unauthorized', 'temporary')),
  }),
  'conversation-updated': conversation,
  'message-edited': record({ conversationId: id, messageId: id, text, editedAt: isoDate }),
  'message-deleted': record({ conversationId: id, messageId: id }),
  'thread-control': record({ conversationId: id, owner: oneOf('console', 'other'), appId: optional(id) }),
};

const run = <T>(eventType: string, check: Check<T>, value: unknown, path: string, what?: string): T => {
  try {
    return check(value);
  } catch (problem) {
    if (problem instanceof Problem) throw new MalformedEventError(eventType, path + problem.at, problem.problem, what);
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

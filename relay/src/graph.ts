/**
 * A small client for the parts of Meta's Graph API the relay uses: the Send
 * API (`POST /{page-id}/messages`) for text, file uploads (`filedata`) and
 * sender actions, and the User Profile API (`GET /{psid}?fields=…`).
 *
 * It never has more than `maxConcurrent` calls open at once (the rest wait
 * their turn, in order), and it remembers profiles, so a webhook that brings
 * thousands of new customers at once cannot open thousands of connections.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ChannelErrorCode } from 'agent-console/adapters';

/** How long one try of a call may take, the upload of a file included. */
const timeout = 60_000;

/** Readable reasons for the Graph errors an agent can meet. */
export const reasons = {
  windowClosed: "The reply window has closed: Messenger allows replies only within 24 hours of the customer's last message.",
  humanAgentWindowClosed:
    "The reply window has closed: Messenger allows a human agent's replies only within 7 days of the customer's last message.",
  unavailable: "This person isn't available right now: they may have blocked the Page or left Messenger.",
  transient: 'Messenger could not take the message right now (a temporary error). Try again in a moment.',
  unreachable: 'Messenger could not be reached. Try again in a moment.',
  rateLimited: 'Messenger asks the Page to slow down; the message was tried again and still refused. Try again in a minute.',
  unauthorized: "The relay's access to the Page has expired or was revoked; an administrator must renew the Page access token.",
};

/** Meta's Page Inbox app: where a thread goes back to when no other app is named. */
export const pageInboxAppId = '263902037430900';

/** Graph's codes for "slow down": application, user, Page and per-thread rate limits. */
const rateLimitCodes = new Set([4, 17, 32, 613, 80006]);

/** What Graph said about a refusal. */
export interface GraphErrorDetails {
  status?: number;
  code?: number;
  subcode?: number;
  type?: string;
  transient?: boolean;
  fbtraceId?: string;
  /** Why, as the console's code for it (the console words it in the agent's language). */
  reason?: ChannelErrorCode;
}

/** A refusal from the Graph API, with a reason an agent can read. */
export class GraphError extends Error {
  override name = 'GraphError';
  readonly status?: number;
  readonly code?: number;
  readonly subcode?: number;
  readonly type?: string;
  readonly transient: boolean;
  readonly fbtraceId?: string;
  readonly reason?: ChannelErrorCode;

  constructor(message: string, details: GraphErrorDetails = {}) {
    super(message);
    this.reason = details.reason;
    this.status = details.status;
    this.code = details.code;
    this.subcode = details.subcode;
    this.type = details.type;
    this.transient = !!details.transient;
    this.fbtraceId = details.fbtraceId;
  }
}

export interface GraphClientOptions {
  pageId: string;
  pageAccessToken: string;
  /** Default `https://graph.facebook.com`. */
  graphApiUrl?: string;
  /** Default `v25.0`. */
  graphApiVersion?: string;
  /** Tries for a transient error, the first included (default 3). */
  retries?: number;
  /** Ms before the second try; doubles after (default 500). */
  retryBaseDelay?: number;
  /** Calls open at once at most; the rest wait in order (default 16). */
  maxConcurrent?: number;
  /** How long a customer's profile is remembered, in ms (default 1 hour). */
  profileCacheMs?: number;
  /** How many profiles are remembered at most (default 10,000). */
  profileCacheSize?: number;
  fetch?: typeof fetch;
  log?: (line: string) => void;
  /**
   * Called when a send or an upload gets its turn, right before it goes
   * out; what it throws is thrown to the caller and Graph sees nothing (the
   * relay refuses sends this way while it shuts down).
   */
  beforeSend?: () => void;
  /** Called when Graph refuses the Page token (code 190: expired or revoked), and when a call succeeds again after that. */
  onAuthorization?: (authorized: boolean) => void;
}

export interface SendResult {
  message_id: string;
  recipient_id?: string;
}

export type MessagingType = 'RESPONSE' | 'MESSAGE_TAG';

export interface Profile {
  name?: string;
  firstName?: string;
  lastName?: string;
  avatarUrl?: string;
}

/** What one try of a Graph call brought back. */
interface Answer {
  ok: boolean;
  status: number;
  text: string;
}

/** How a call is retried: tries for a transient error (the first included), and whether a network error counts as transient. */
interface RetryPolicy {
  tries?: number;
  retryNetwork?: boolean;
}

/** A file to upload, read from a stream so that it never has to be in memory at once. */
export interface UploadFile {
  name: string;
  type: string;
  /** Its length in bytes; the stream must yield exactly this many. */
  size: number;
  /** A fresh stream of the file's bytes from the start, each time it is called (a retry opens it again). */
  open: () => NodeJS.ReadableStream | Readable;
}

/** The file to upload could not be read as declared (it failed, or had more or fewer bytes than its size): nothing was sent in full, and the call is not retried. */
export class UploadFileError extends Error {
  override name = 'UploadFileError';
}

interface GraphErrorBody {
  code?: number;
  error_subcode?: number;
  type?: string;
  fbtrace_id?: string;
  is_transient?: boolean;
  message?: string;
}

/** Runs at most `max` tasks at once; the others wait their turn, in order. */
export function concurrencyLimit(max: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function limited<T>(task: () => Promise<T>): Promise<T> {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

export function createGraphClient({
  pageId,
  pageAccessToken,
  graphApiUrl = 'https://graph.facebook.com',
  graphApiVersion = 'v25.0',
  retries = 3,
  retryBaseDelay = 500,
  maxConcurrent = 16,
  profileCacheMs = 3_600_000,
  profileCacheSize = 10_000,
  fetch = globalThis.fetch,
  log = () => {},
  beforeSend,
  onAuthorization,
}: GraphClientOptions) {
  const base = `${graphApiUrl.replace(/\/+$/, '')}/${graphApiVersion}`;
  /** Never let the token out in a message or a log line. */
  const hide = (text: unknown) => String(text).split(pageAccessToken).join('[page token]');
  const limited = concurrencyLimit(maxConcurrent);

  /** A Graph URL with the page token in its query. */
  function graphUrl(path: string, query: Record<string, string> = {}): URL {
    const url = new URL(base + path);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    url.searchParams.set('access_token', pageAccessToken);
    return url;
  }

  /** One try of a JSON call (or a GET) through `fetch`. */
  function viaFetch(method: 'GET' | 'POST', url: URL, json?: unknown) {
    return async (): Promise<Answer> => {
      const answer = await fetch(url, {
        method,
        headers: json === undefined ? undefined : { 'Content-Type': 'application/json' },
        body: json === undefined ? undefined : JSON.stringify(json),
        signal: AbortSignal.timeout(timeout),
      });
      return { ok: answer.ok, status: answer.status, text: await answer.text() };
    };
  }

  /**
   * A Graph call: `tryOnce` is one try, made within the concurrency limit; a transient refusal is tried again
   * (up to `tries`), a network error only when `retryNetwork`. `what` names the call in log lines ('send', 'upload', 'profile', …).
   */
  async function call<T>(what: string, tryOnce: () => Promise<Answer>, { tries = retries, retryNetwork = false }: RetryPolicy = {}): Promise<T> {
    const sends = what === 'send' || what === 'upload';
    for (let attempt = 1; ; attempt++) {
      let error: GraphError;
      let started = false;
      try {
        const response = await limited(() => {
          if (sends) beforeSend?.();
          started = true;
          return tryOnce();
        });
        let answer: (T & { error?: GraphErrorBody }) | undefined;
        try {
          answer = response.text ? JSON.parse(response.text) : ({} as T);
        } catch {
          answer = undefined;
        }
        if (response.ok && answer && !answer.error) {
          authorized(true);
          return answer;
        }
        error = refusal(response.status, answer?.error);
        if (error.reason === 'channel-unauthorized') authorized(false);
      } catch (failure) {
        if (!started) throw failure; // stopped before anything went out
        if (failure instanceof UploadFileError) {
          log(`graph ${what}: ${hide(failure.message)}`);
          throw failure;
        }
        // The request may or may not have reached Meta: only idempotent calls are retried.
        error = new GraphError(reasons.unreachable, { transient: retryNetwork, reason: 'temporary' });
        const cause = failure as { cause?: { code?: string }; code?: string; name?: string } | undefined;
        log(`graph ${what}: network error (${hide(cause?.cause?.code ?? cause?.code ?? cause?.name ?? 'unknown')})`);
      }
      const again = error.transient && attempt < tries;
      log(
        `graph ${what}: refused (status ${error.status ?? '-'}, code ${error.code ?? '-'}${error.subcode ? `/${error.subcode}` : ''})${again ? `, try ${attempt + 1} of ${tries} follows` : ''}`,
      );
      if (!again) throw error;
      // A rate limit wants a longer pause than a passing glitch.
      const pause = retryBaseDelay * 2 ** (attempt - 1) * (error.reason === 'rate-limited' ? 4 : 1);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /** A Graph error body → a GraphError with a reason for the agent. */
  function refusal(status: number, body: GraphErrorBody | undefined): GraphError {
    const code = body?.code;
    const subcode = body?.error_subcode;
    const details = { status, code, subcode, type: body?.type, fbtraceId: body?.fbtrace_id };
    if (code === 10 && subcode === 2018278) return new GraphError(reasons.windowClosed, { ...details, reason: 'reply-window-closed' });
    if (code === 551) return new GraphError(reasons.unavailable, { ...details, reason: 'recipient-unavailable' });
    if (code === 190) return new GraphError(reasons.unauthorized, { ...details, reason: 'channel-unauthorized' });
    if (code !== undefined && rateLimitCodes.has(code)) return new GraphError(reasons.rateLimited, { ...details, transient: true, reason: 'rate-limited' });
    // A 502/503/504 without a Graph error comes from a proxy on the way: the call did not get through.
    if (code === 2 || code === 1200 || body?.is_transient === true || (!body && [502, 503, 504].includes(status))) {
      return new GraphError(reasons.transient, { ...details, transient: true, reason: 'temporary' });
    }
    const said = typeof body?.message === 'string' && body.message ? hide(body.message) : `Messenger refused the request (HTTP ${status}).`;
    return new GraphError(said, details);
  }

  const messages = `/${encodeURIComponent(pageId)}/messages`;
  let unauthorized = false;
  function authorized(ok: boolean) {
    if (ok === !unauthorized) return;
    unauthorized = !ok;
    onAuthorization?.(ok);
  }
  /** Profiles asked for lately, by PSID: one lookup however many messages a new customer sends at once. */
  const profiles = new Map<string, { profile: Promise<Profile>; expiresAt: number }>();

  async function lookUpProfile(psid: string): Promise<Profile> {
    const url = graphUrl(`/${encodeURIComponent(psid)}`, { fields: 'first_name,last_name,name,profile_pic' });
    const answer = await call<{ first_name?: string; last_name?: string; name?: string; profile_pic?: unknown }>('profile', viaFetch('GET', url), { retryNetwork: true });
    const joined = [answer.first_name, answer.last_name].filter(Boolean).join(' ');
    return {
      name: answer.name || joined || undefined,
      firstName: answer.first_name,
      lastName: answer.last_name,
      avatarUrl: typeof answer.profile_pic === 'string' ? answer.profile_pic : undefined,
    };
  }

  return {
    /** The Graph API version called, e.g. `v25.0`. */
    version: graphApiVersion,

    /** Sends a text message; `replyTo` makes it a reply to that message. */
    sendText({ psid, text, metadata, messagingType, tag, replyTo }: { psid: string; text: string; metadata?: string; messagingType: MessagingType; tag?: string; replyTo?: string }) {
      const message = metadata === undefined ? { text } : { text, metadata };
      const body = { recipient: { id: psid }, messaging_type: messagingType, ...(tag ? { tag } : {}), ...(replyTo ? { reply_to: { mid: replyTo } } : {}), message };
      return call<SendResult>('send', viaFetch('POST', graphUrl(messages), body));
    },

    /**
     * Uploads a file and sends it in one call (multipart/form-data, the file in `filedata`), streaming it from
     * `file.open()` with an exact Content-Length: the file is never held in memory. A retry opens the file again.
     * Fails with {@link UploadFileError} if the stream fails or does not yield exactly `file.size` bytes.
     */
    sendFile({
      psid,
      kind,
      file,
      metadata,
      messagingType,
      tag,
      replyTo,
    }: {
      psid: string;
      kind: 'image' | 'video' | 'audio' | 'file';
      file: UploadFile;
      metadata?: string;
      messagingType: MessagingType;
      tag?: string;
      replyTo?: string;
    }) {
      const message: { attachment: unknown; metadata?: string } = { attachment: { type: kind, payload: { is_reusable: false } } };
      if (metadata !== undefined) message.metadata = metadata;
      const fields: [string, string][] = [
        ['recipient', JSON.stringify({ id: psid })],
        ['messaging_type', messagingType],
        ...(tag ? [['tag', tag] as [string, string]] : []),
        ...(replyTo ? [['reply_to', JSON.stringify({ mid: replyTo })] as [string, string]] : []),
        ['message', JSON.stringify(message)],
      ];
      const url = graphUrl(messages);
      return call<SendResult>('upload', () => upload(url, fields, file));
    },

    /** `typing_on`, `typing_off` or `mark_seen`; tried once. */
    senderAction(psid: string, action: 'typing_on' | 'typing_off' | 'mark_seen') {
      return call(action, viaFetch('POST', graphUrl(messages), { recipient: { id: psid }, sender_action: action }), { tries: 1 });
    },

    /** Reacts to a message with an emoji, or takes the Page's reaction back (`emoji` empty). */
    react(psid: string, messageId: string, emoji: string) {
      const body = emoji
        ? { recipient: { id: psid }, sender_action: 'react', payload: { message_id: messageId, reaction: emoji } }
        : { recipient: { id: psid }, sender_action: 'unreact', payload: { message_id: messageId } };
      return call(emoji ? 'react' : 'unreact', viaFetch('POST', graphUrl(messages), body));
    },

    /** Takes the conversation's thread from the app holding it (handover protocol). */
    takeThread(psid: string, metadata?: string) {
      const body = { recipient: { id: psid }, ...(metadata ? { metadata } : {}) };
      return call('take_thread_control', viaFetch('POST', graphUrl(`/${encodeURIComponent(pageId)}/take_thread_control`), body));
    },

    /** Passes the conversation's thread to another app (the Page inbox when `targetAppId` is not given). */
    passThread(psid: string, targetAppId = pageInboxAppId, metadata?: string) {
      const body = { recipient: { id: psid }, target_app_id: targetAppId, ...(metadata ? { metadata } : {}) };
      return call('pass_thread_control', viaFetch('POST', graphUrl(`/${encodeURIComponent(pageId)}/pass_thread_control`), body));
    },

    /** Whether Graph last refused the Page token (code 190), until a call succeeds again. */
    get unauthorized() {
      return unauthorized;
    },

    /** The customer's name from the User Profile API, remembered for `profileCacheMs` (a failed lookup is not). */
    profile(psid: string): Promise<Profile> {
      const now = Date.now();
      const known = profiles.get(psid);
      if (known && known.expiresAt > now) return known.profile;
      const profile = lookUpProfile(psid);
      profiles.delete(psid);
      profiles.set(psid, { profile, expiresAt: now + profileCacheMs });
      if (profiles.size > profileCacheSize) profiles.delete(profiles.keys().next().value!);
      profile.catch(() => profiles.get(psid)?.profile === profile && profiles.delete(psid));
      return profile;
    },
  };
}

/** A file name as browsers put it in a multipart header: `"`, CR and LF percent-encoded (which form parsers decode), and `\` too so that no parser reads it as an escape. */
function quotedFileName(name: string): string {
  return `"${name.replace(/["\r\n\\]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}"`;
}

/** A MIME type fit for a header, else `application/octet-stream`. */
function headerType(type: string): string {
  return /^[\x21-\x7e]+\/[\x20-\x7e]+$/.test(type) ? type : 'application/octet-stream';
}

/**
 * One try of a multipart upload: the fields, then `file` streamed between its part header and the closing
 * boundary, with an exact Content-Length, over `node:http` or `node:https` as the URL says.
 */
async function upload(url: URL, fields: [string, string][], file: UploadFile): Promise<Answer> {
  const boundary = `----AgentConsoleRelay${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(
    fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="filedata"; filename=${quotedFileName(file.name)}\r\nContent-Type: ${headerType(file.type)}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  let source: NodeJS.ReadableStream | Readable;
  try {
    source = file.open();
  } catch (error) {
    throw new UploadFileError(`the file could not be opened (${(error as Error)?.message ?? error})`, { cause: error });
  }
  const request = (url.protocol === 'https:' ? https : http).request(url, {
    method: 'POST',
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': head.length + file.size + tail.length },
    signal: AbortSignal.timeout(timeout),
  });
  // The error listener stays: a broken pipe after Graph has answered must not go unhandled.
  const answered = new Promise<http.IncomingMessage>((resolve, reject) => request.once('response', resolve).on('error', reject));
  /** The file between its part header and the closing boundary; a wrong length fails before the body is complete. */
  async function* body(chunks: NodeJS.ReadableStream | Readable) {
    yield head;
    let sent = 0;
    try {
      for await (const chunk of chunks) {
        if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) throw new UploadFileError('the file stream gave something other than bytes');
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        sent += bytes.byteLength;
        if (sent > file.size) throw new UploadFileError(`the file has more bytes than its size (${file.size}); nothing was sent`);
        yield bytes;
      }
    } catch (error) {
      throw error instanceof UploadFileError ? error : new UploadFileError(`the file could not be read (${(error as Error)?.message ?? error})`, { cause: error });
    }
    if (sent !== file.size) throw new UploadFileError(`the file has ${sent} bytes, not its size (${file.size}); nothing was sent`);
    yield tail;
  }
  // The file is read only through body(), so any error reading it is an UploadFileError; a network error is not.
  const sent = pipeline(body(source), request);
  // Graph may answer before it has read the whole body (a refusal): the answer counts, not the broken pipe.
  const response = await Promise.race([answered, sent.then(() => answered)]);
  sent.catch(() => {});
  response.setEncoding('utf8');
  let text = '';
  for await (const chunk of response) text += chunk;
  const status = response.statusCode ?? 0;
  return { ok: status >= 200 && status < 300, status, text };
}

/** The Graph client the relay uses. */
export type GraphClient = ReturnType<typeof createGraphClient>;

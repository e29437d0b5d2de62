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

/** Readable reasons for the Graph errors an agent can meet. */
export const reasons = {
  windowClosed: "The reply window has closed: Messenger allows replies only within 24 hours of the customer's last message.",
  humanAgentWindowClosed:
    "The reply window has closed: Messenger allows a human agent's replies only within 7 days of the customer's last message.",
  unavailable: "This person isn't available right now.",
  transient: 'Messenger could not take the message right now (a temporary error). Try again in a moment.',
  unreachable: 'Messenger could not be reached. Try again in a moment.',
};

/** What Graph said about a refusal. */
export interface GraphErrorDetails {
  status?: number;
  code?: number;
  subcode?: number;
  type?: string;
  transient?: boolean;
  fbtraceId?: string;
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

  constructor(message: string, details: GraphErrorDetails = {}) {
    super(message);
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

interface GraphRequest {
  query?: Record<string, string>;
  json?: unknown;
  form?: () => FormData;
  tries?: number;
  retryNetwork?: boolean;
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
}: GraphClientOptions) {
  const base = `${graphApiUrl.replace(/\/+$/, '')}/${graphApiVersion}`;
  /** Never let the token out in a message or a log line. */
  const hide = (text: unknown) => String(text).split(pageAccessToken).join('[page token]');
  const limited = concurrencyLimit(maxConcurrent);

  /** One Graph call, with retries for transient errors; `what` names it in log lines ('send', 'upload', 'profile', …). */
  async function call<T>(what: string, method: 'GET' | 'POST', path: string, request: GraphRequest = {}): Promise<T> {
    const { query = {}, json, form, tries = retries, retryNetwork = false } = request;
    const url = new URL(base + path);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    url.searchParams.set('access_token', pageAccessToken);
    for (let attempt = 1; ; attempt++) {
      let error: GraphError;
      try {
        const response = await limited(() =>
          fetch(url, {
            method,
            headers: json === undefined ? undefined : { 'Content-Type': 'application/json' },
            body: json !== undefined ? JSON.stringify(json) : form?.(),
            signal: AbortSignal.timeout(60_000),
          }).then(async (answer) => ({ ok: answer.ok, status: answer.status, text: await answer.text() })),
        );
        let answer: (T & { error?: GraphErrorBody }) | undefined;
        try {
          answer = response.text ? JSON.parse(response.text) : ({} as T);
        } catch {
          answer = undefined;
        }
        if (response.ok && answer && !answer.error) return answer;
        error = refusal(response.status, answer?.error);
      } catch (failure) {
        // The request may or may not have reached Meta: only idempotent calls are retried.
        error = new GraphError(reasons.unreachable, { transient: retryNetwork });
        const cause = failure as { cause?: { code?: string }; name?: string } | undefined;
        log(`graph ${what}: network error (${hide(cause?.cause?.code ?? cause?.name ?? 'unknown')})`);
      }
      const again = error.transient && attempt < tries;
      log(
        `graph ${what}: refused (status ${error.status ?? '-'}, code ${error.code ?? '-'}${error.subcode ? `/${error.subcode}` : ''})${again ? `, try ${attempt + 1} of ${tries} follows` : ''}`,
      );
      if (!again) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryBaseDelay * 2 ** (attempt - 1)));
    }
  }

  /** A Graph error body → a GraphError with a reason for the agent. */
  function refusal(status: number, body: GraphErrorBody | undefined): GraphError {
    const code = body?.code;
    const subcode = body?.error_subcode;
    const details = { status, code, subcode, type: body?.type, fbtraceId: body?.fbtrace_id };
    if (code === 10 && subcode === 2018278) return new GraphError(reasons.windowClosed, details);
    if (code === 551) return new GraphError(reasons.unavailable, details);
    // A 502/503/504 without a Graph error comes from a proxy on the way: the call did not get through.
    if (code === 2 || code === 1200 || body?.is_transient === true || (!body && [502, 503, 504].includes(status))) {
      return new GraphError(reasons.transient, { ...details, transient: true });
    }
    const said = typeof body?.message === 'string' && body.message ? hide(body.message) : `Messenger refused the request (HTTP ${status}).`;
    return new GraphError(said, details);
  }

  const messages = `/${encodeURIComponent(pageId)}/messages`;
  /** Profiles asked for lately, by PSID: one lookup however many messages a new customer sends at once. */
  const profiles = new Map<string, { profile: Promise<Profile>; expiresAt: number }>();

  async function lookUpProfile(psid: string): Promise<Profile> {
    const answer = await call<{ first_name?: string; last_name?: string; name?: string; profile_pic?: unknown }>('profile', 'GET', `/${encodeURIComponent(psid)}`, {
      query: { fields: 'first_name,last_name,name,profile_pic' },
      retryNetwork: true,
    });
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

    /** Sends a text message. */
    sendText({ psid, text, metadata, messagingType, tag }: { psid: string; text: string; metadata?: string; messagingType: MessagingType; tag?: string }) {
      const message = metadata === undefined ? { text } : { text, metadata };
      return call<SendResult>('send', 'POST', messages, {
        json: { recipient: { id: psid }, messaging_type: messagingType, ...(tag ? { tag } : {}), message },
      });
    },

    /** Uploads a file and sends it in one call (multipart/form-data, the file in `filedata`). */
    sendFile({
      psid,
      kind,
      file,
      metadata,
      messagingType,
      tag,
    }: {
      psid: string;
      kind: 'image' | 'video' | 'audio' | 'file';
      file: { bytes: Uint8Array; name: string; type: string };
      metadata?: string;
      messagingType: MessagingType;
      tag?: string;
    }) {
      const message: { attachment: unknown; metadata?: string } = { attachment: { type: kind, payload: { is_reusable: false } } };
      if (metadata !== undefined) message.metadata = metadata;
      return call<SendResult>('upload', 'POST', messages, {
        form() {
          const form = new FormData();
          form.set('recipient', JSON.stringify({ id: psid }));
          form.set('messaging_type', messagingType);
          if (tag) form.set('tag', tag);
          form.set('message', JSON.stringify(message));
          form.set('filedata', new Blob([file.bytes], { type: file.type }), file.name);
          return form;
        },
      });
    },

    /** `typing_on`, `typing_off` or `mark_seen`; tried once. */
    senderAction(psid: string, action: 'typing_on' | 'typing_off' | 'mark_seen') {
      return call(action, 'POST', messages, { json: { recipient: { id: psid }, sender_action: action }, tries: 1 });
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

/** The Graph client the relay uses. */
export type GraphClient = ReturnType<typeof createGraphClient>;

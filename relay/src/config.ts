/**
 * The relay's options, their defaults and the checks made at start-up.
 *
 * @module
 */
import type { AttachmentPolicy } from 'agent-console/adapters';
import { messengerAttachmentPolicy, parseMessengerWebhook } from 'agent-console/adapters';
import type { AuthThrottleOptions } from './limits.js';
import type { LogOption } from './logging.js';
import type { MediaStore } from './media.js';
import type { RelayStore } from './store.js';
import { digest } from './secrets.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The shortest agent token the relay takes. */
export const minTokenLength = 32;


export interface RelayOptions {
  /** The Facebook Page id. */
  pageId: string;
  /** The Page access token (Send API, User Profile API). */
  pageAccessToken: string;
  /** The Meta app secret (webhook signatures). */
  appSecret: string;
  /** The token Meta sends in the webhook handshake. */
  verifyToken: string;
  /**
   * The Meta app's id. An echo whose `app_id` is this app's is the relay's
   * own send (its metadata is the console's `clientId`); any other echo was
   * written elsewhere (the Page inbox, another app) and is shown as such.
   * Without it no echo is matched to a send.
   */
  appId?: string;
  /** The Instagram professional account whose messages the relay also takes (`object: "instagram"` webhooks). */
  instagramAccountId?: string;
  /** agentId → bearer token, or `"agentId:token,agentId2:token2"`; each token at least 32 characters. */
  agentTokens?: Record<string, string> | string;
  /** The agent id for a bearer token, or null; asked when `agentTokens` does not know the token. */
  verifyAgent?: (token: string) => Promise<string | null | undefined> | string | null | undefined;
  /** Browser origins allowed to call the API and open the socket (`"*"` for any); requests without `Origin` are not affected. */
  allowedOrigins?: string[] | string;
  /** Reply up to 7 days after the customer's last message with the HUMAN_AGENT tag (default false). */
  humanAgentTag?: boolean;
  /** Every agent may see and answer every conversation (default false). */
  shareConversations?: boolean;
  /** Default `https://graph.facebook.com`. */
  graphApiUrl?: string;
  /** Default `v25.0`. */
  graphApiVersion?: string;
  /** Default: a new in-memory store. */
  store?: RelayStore;
  /** Events kept per agent by the default store (default 1000). */
  eventLogSize?: number;
  /** At most this many of a waiting customer's messages reach the agent as events on accept; earlier ones are in the history (default 200). */
  handOverMessages?: number;
  /** Ms before a rejected request is offered to that agent again (default 60,000). */
  requeueDelay?: number;
  /** Ms a new socket has to send its auth frame (default 5,000). */
  authTimeout?: number;
  /** Ms between WebSocket pings (default 25,000). */
  pingInterval?: number;
  /** Send API tries on a transient error, the first included (default 3). */
  retries?: number;
  /** Ms before the second try, doubling after (default 500). */
  retryBaseDelay?: number;
  /** Graph API calls open at once at most; the others wait in order (default 16). */
  maxGraphCalls?: number;
  /** Ms a customer's profile is remembered (default 1 hour). */
  profileCacheMs?: number;
  /** Largest webhook body, in bytes (default 1 MiB). */
  maxWebhookBytes?: number;
  /** Ms a message id is remembered to drop redeliveries (default 24 h). */
  seenTtl?: number;
  /** Take the client's address from X-Forwarded-For (behind your reverse proxy) (default false). */
  trustProxy?: boolean;
  /** After how many wrong agent tokens an address must wait, and how long (default: 5, then 1 s doubling to 60 s). */
  authThrottle?: AuthThrottleOptions;
  /** Ms a client has to send a request's headers (default 10,000). */
  headersTimeout?: number;
  /** Ms a client has to send a whole request, upload included (default 60,000). */
  requestTimeout?: number;
  /** Connections open at once that have not shown an agent token or a signed webhook yet; more are closed at once (default 100). */
  maxUnauthenticatedConnections?: number;
  /** Files one agent may have on their way at once (default 3). */
  uploadsPerAgent?: number;
  /** Bytes one agent may have on their way at once (default 3 files of the largest size the policy allows). */
  uploadBytesPerAgent?: number;
  /** Where uploads wait on disk until Graph has them (default the system's temporary directory). */
  uploadDir?: string;
  /**
   * The relay's address as browsers reach it (`https://relay.example.com`).
   * With it, customer media is copied when it arrives and served from here,
   * because Meta's links expire; without it, files are linked from Meta's CDN.
   */
  publicUrl?: string;
  /** Where customer media is kept (default `relay-media` in the working directory); ignored with `mediaStore`. */
  mediaDir?: string;
  /** Where customer media is kept, when not a directory (e.g. S3-compatible storage). */
  mediaStore?: MediaStore;
  /** Ms `close()` lets sends under way finish before it cuts them (default 10,000); `server.js` waits the same. */
  shutdownTimeout?: number;
  /** What agents may send (default Messenger's). */
  policy?: AttachmentPolicy;
  /** Where log lines go (default stdout, one JSON object per line). */
  log?: LogOption;
  /** The least level logged: `debug`, `info` (default), `warn`, `error`. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** The clock, epoch ms. */
  now?: () => number;
  /** For Graph API calls with a JSON body. */
  fetch?: typeof fetch;
  /** Default `parseMessengerWebhook` from `agent-console/adapters`. */
  parseWebhook?: typeof parseMessengerWebhook;
}

/** The options with their defaults, checked. */
export type RelayConfig = Required<
  Omit<
    RelayOptions,
    | 'agentTokens'
    | 'verifyAgent'
    | 'allowedOrigins'
    | 'store'
    | 'authThrottle'
    | 'retries'
    | 'retryBaseDelay'
    | 'maxGraphCalls'
    | 'profileCacheMs'
    | 'graphApiUrl'
    | 'graphApiVersion'
    | 'uploadDir'
    | 'appId'
    | 'instagramAccountId'
    | 'publicUrl'
    | 'mediaDir'
    | 'mediaStore'
  >
> &
  Pick<
    RelayOptions,
    'verifyAgent' | 'store' | 'authThrottle' | 'retries' | 'retryBaseDelay' | 'maxGraphCalls' | 'profileCacheMs' | 'graphApiUrl' | 'graphApiVersion' | 'uploadDir' | 'appId' | 'instagramAccountId' | 'publicUrl' | 'mediaDir' | 'mediaStore'
  > & {
    /** Token digest → agent id. */
    tokens: Map<string, string>;
    origins: Set<string>;
    /** How long after the customer's last message a reply may go. */
    windowMs: number;
    /** The largest upload body taken, in bytes: the largest file allowed and room for the form around it. */
    maxUploadBytes: number;
    /** The largest file allowed, in bytes. */
    maxFileBytes: number;
  };

/** Applies the defaults and refuses what cannot work (a `TypeError` naming the option). */
export function resolveConfig(options: RelayOptions): RelayConfig {
  const missing = (['pageId', 'pageAccessToken', 'appSecret', 'verifyToken'] as const).filter((name) => !options[name]);
  if (missing.length) throw new TypeError(`createRelay: missing ${missing.join(', ')}.`);
  const tokens = parseAgentTokens(options.agentTokens);
  if (!tokens.size && !options.verifyAgent) throw new TypeError('createRelay: give agentTokens or verifyAgent, or no agent can sign in.');
  const policy = options.policy ?? messengerAttachmentPolicy;
  const maxFileBytes = Math.max(policy.maxBytes, ...Object.values(policy.maxBytesByKind ?? {}));
  const maxUploadBytes = maxFileBytes + 1024 * 1024;
  const humanAgentTag = options.humanAgentTag ?? false;
  return {
    humanAgentTag,
    shareConversations: false,
    eventLogSize: 1000,
    handOverMessages: 200,
    requeueDelay: 60_000,
    authTimeout: 5_000,
    pingInterval: 25_000,
    maxWebhookBytes: 1024 * 1024,
    seenTtl: DAY,
    shutdownTimeout: 10_000,
    trustProxy: false,
    headersTimeout: 10_000,
    requestTimeout: 60_000,
    maxUnauthenticatedConnections: 100,
    uploadsPerAgent: 3,
    uploadBytesPerAgent: 3 * maxUploadBytes,
    log: (_message: string, line: string) => process.stdout.write(line),
    logLevel: 'info',
    now: Date.now,
    fetch: globalThis.fetch,
    parseWebhook: parseMessengerWebhook,
    ...withoutUndefined(options),
    policy,
    tokens,
    origins: new Set(typeof options.allowedOrigins === 'string' ? splitList(options.allowedOrigins) : (options.allowedOrigins ?? [])),
    windowMs: humanAgentTag ? 7 * DAY : DAY,
    maxUploadBytes,
    maxFileBytes,
  };
}

function withoutUndefined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}

/** `"a, b,,c"` → `['a', 'b', 'c']`. */
export function splitList(text: string): string[] {
  return String(text)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** `"a1:t1,a2:t2"` or `{ a1: 't1' }` → a map from the token's SHA-256 to the agent id; short or malformed tokens are refused. */
export function parseAgentTokens(agentTokens: Record<string, string> | string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  const pairs =
    typeof agentTokens === 'string'
      ? splitList(agentTokens).map((pair) => {
          const at = pair.indexOf(':');
          if (at <= 0 || at === pair.length - 1) throw new TypeError('AGENT_TOKENS must look like "agentId:token,agentId2:token2".');
          return [pair.slice(0, at), pair.slice(at + 1)] as const;
        })
      : Object.entries(agentTokens ?? {});
  for (const [agentId, token] of pairs) {
    if (!agentId || typeof token !== 'string' || !token) throw new TypeError(`The token of agent ${agentId} is empty.`);
    // A short token can be guessed by trying; 32 random characters cannot.
    if (token.length < minTokenLength) {
      throw new TypeError(
        `The token of agent ${agentId} is ${token.length} characters long; give each agent a random token of at least ${minTokenLength} (e.g. \`openssl rand -hex 24\`).`,
      );
    }
    map.set(digest(token), agentId);
  }
  return map;
}

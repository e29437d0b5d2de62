/**
 * A fake of Meta's Graph API for tests: an HTTP server on 127.0.0.1 that
 * answers the Send API and the User Profile API like Graph does, records
 * every request, and fails on demand with Graph's error bodies.
 *
 * ```js
 * const graph = createFakeGraph({ accessToken: 'page-token', profiles: { '1254': { first_name: 'Ann', last_name: 'Lee' } } });
 * const { url } = await graph.listen();
 * const relay = createRelay({ graphApiUrl: url, pageAccessToken: 'page-token', … });
 * graph.fail(graphErrors.unavailable);          // the next send is refused with #551
 * await graph.waitFor((r) => r.kind === 'message');
 * ```
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An `error` object as Graph sends it. */
export interface FakeGraphError {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** Error bodies (the `error` object) as Graph sends them. */
export const graphErrors = {
  /** Outside the 24-hour window. */
  windowClosed: {
    message: '(#10) This message is sent outside of allowed window.',
    type: 'OAuthException',
    code: 10,
    error_subcode: 2018278,
    fbtrace_id: 'AfakeWindow',
  },
  /** The person can't be messaged (blocked the Page, deactivated, …). */
  unavailable: {
    message: "(#551) This person isn't available right now.",
    type: 'OAuthException',
    code: 551,
    error_subcode: 1545041,
    fbtrace_id: 'AfakeUnavailable',
  },
  /** A temporary failure; retry later. */
  transient: {
    message: 'An unexpected error has occurred. Please retry your request later.',
    type: 'OAuthException',
    code: 2,
    is_transient: true,
    fbtrace_id: 'AfakeTransient',
  },
  /** The Page access token expired (or was revoked). */
  tokenExpired: {
    message: 'Error validating access token: Session has expired on Sunday, 29-Nov-26 10:00:00 PST.',
    type: 'OAuthException',
    code: 190,
    error_subcode: 463,
    fbtrace_id: 'AfakeExpired',
  },
  /** Too many calls: slow down. */
  rateLimited: {
    message: '(#613) Calls to this api have exceeded the rate limit.',
    type: 'OAuthException',
    code: 613,
    fbtrace_id: 'AfakeRate',
  },
  /** Some other refusal. */
  invalidParameter: {
    message: '(#100) The parameter recipient is required',
    type: 'OAuthException',
    code: 100,
    fbtrace_id: 'AfakeParam',
  },
} satisfies Record<string, FakeGraphError>;

/** Decoded JSON, which tests read freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test double's recorded bodies are whatever was sent
export type Json = any;

/** A file received in a multipart body. */
export interface FakeGraphFile {
  /** The file name as the form parser decoded it. */
  name: string;
  /** Its Content-Type. */
  type: string;
  /** Its length in bytes. */
  size: number;
  bytes: Buffer;
}

/** A request the fake received in full, and what it answered. */
export interface FakeGraphRequest {
  /**
   * `message`: a Send API call with a JSON (or form-encoded) message;
   * `upload`: a multipart Send API call with `filedata`; `action`: a sender action;
   * `profile`: a User Profile API read; `thread`: take_thread_control or pass_thread_control
   */
  kind: 'message' | 'upload' | 'action' | 'profile' | 'thread' | 'other';
  method: string;
  /** e.g. `/v25.0/123/messages` */
  path: string;
  /** e.g. `v25.0` */
  version: string | undefined;
  /** e.g. `{ access_token: '…' }` */
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** The `Content-Length` header as a number; undefined when the request had none. */
  contentLength: number | undefined;
  /** Whether the body came in chunks (`Transfer-Encoding: chunked`) rather than with a length. */
  chunked: boolean;
  /** The bytes of body received. */
  bodySize: number;
  /** The JSON body; for form bodies, the fields with JSON values decoded. */
  body: Json;
  /** Form fields as sent (multipart or urlencoded). */
  fields: Record<string, string>;
  /** Multipart files, by field name. */
  files: Record<string, FakeGraphFile>;
  /** What the fake answered. */
  answer: { status: number; body: Json };
}

/** Which calls {@link FakeGraph.fail} applies to. */
export type FakeGraphMatch = 'send' | 'message' | 'upload' | 'action' | 'profile' | 'any' | ((request: FakeGraphRequest) => boolean);

/** A User Profile API answer. */
export interface FakeGraphProfile {
  first_name?: string;
  last_name?: string;
  name?: string;
  profile_pic?: string;
}

export interface FakeGraphOptions {
  /** When set, calls without this `access_token` get Graph's error 190. */
  accessToken?: string;
  /** User Profile answers by PSID; an unknown PSID gets Graph's error 100. */
  profiles?: Record<string, FakeGraphProfile>;
  /** ms to wait before answering (default 0). */
  delay?: number;
}

/** A fake Graph API; see {@link createFakeGraph}. */
export type FakeGraph = ReturnType<typeof createFakeGraph>;

/** A fake Graph API, not listening yet: call `listen()`. */
export function createFakeGraph({ accessToken, profiles = {}, delay = 0 }: FakeGraphOptions = {}) {
  const requests: FakeGraphRequest[] = [];
  const failures: { error: object; status: number; times: number; match: (request: FakeGraphRequest) => boolean }[] = [];
  const waiters: { predicate: (request: FakeGraphRequest) => boolean; resolve: (request: FakeGraphRequest | undefined) => void }[] = [];
  const knownProfiles = new Map<string, FakeGraphProfile>(Object.entries(profiles));
  let sent = 0;
  let open = 0;
  let mostOpen = 0;
  let incomplete = 0;
  /** The timers of answers held back by `delay`, cleared on close. */
  const delays = new Set<NodeJS.Timeout>();
  let address: AddressInfo | undefined;

  const matcher = (match: FakeGraphMatch): ((request: FakeGraphRequest) => boolean) => {
    if (typeof match === 'function') return match;
    if (match === 'any') return () => true;
    if (match === 'send') return (request) => request.kind === 'message' || request.kind === 'upload';
    return (request) => request.kind === match;
  };

  async function record(req: http.IncomingMessage): Promise<FakeGraphRequest> {
    const url = new URL(req.url ?? '/', 'http://graph.invalid');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const type = String(req.headers['content-type'] ?? '');
    let body: Json;
    const fields: Record<string, string> = {};
    const files: Record<string, FakeGraphFile> = {};
    if (/^multipart\/form-data/i.test(type)) {
      // Node's own form parser (undici's, as `fetch` has it), strict about the format as browsers are.
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      for (const [name, value] of form) {
        if (typeof value === 'string') fields[name] = value;
        else files[name] = { name: value.name, type: value.type, size: value.size, bytes: Buffer.from(await value.arrayBuffer()) };
      }
      body = decodeFields(fields);
    } else if (/^application\/x-www-form-urlencoded/i.test(type)) {
      for (const [name, value] of new URLSearchParams(raw.toString('utf8'))) fields[name] = value;
      body = decodeFields(fields);
    } else if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = raw.toString('utf8');
      }
    }
    const segments = url.pathname.split('/').filter(Boolean);
    const version = /^v\d+\.\d+$/.test(segments[0] ?? '') ? segments[0] : undefined;
    let kind: FakeGraphRequest['kind'] = 'other';
    if (req.method === 'POST' && segments.length === 3 && segments[2] === 'messages') {
      kind = files.filedata ? 'upload' : body?.sender_action ? 'action' : 'message';
    } else if (req.method === 'GET' && segments.length === 2) {
      kind = 'profile';
    } else if (req.method === 'POST' && segments.length === 3 && (segments[2] === 'take_thread_control' || segments[2] === 'pass_thread_control')) {
      kind = 'thread';
    }
    const length = req.headers['content-length'];
    return {
      kind,
      method: req.method ?? 'GET',
      path: url.pathname,
      version,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      contentLength: length === undefined ? undefined : Number(length),
      chunked: /\bchunked\b/i.test(String(req.headers['transfer-encoding'] ?? '')),
      bodySize: raw.length,
      body,
      fields,
      files,
      answer: { status: 0, body: undefined },
    };
  }

  function answer(request: FakeGraphRequest): [number, Json] {
    if (accessToken !== undefined && request.query.access_token !== accessToken) {
      return [400, { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'AfakeToken' } }];
    }
    const failure = failures.find((candidate) => candidate.times > 0 && candidate.match(request));
    if (failure) {
      failure.times--;
      if (failure.times === 0) failures.splice(failures.indexOf(failure), 1);
      return [failure.status, { error: failure.error }];
    }
    const segments = request.path.split('/').filter(Boolean);
    switch (request.kind) {
      case 'message':
      case 'upload': {
        const recipient = request.body?.recipient?.id;
        if (!recipient) return [400, { error: graphErrors.invalidParameter }];
        return [200, { recipient_id: String(recipient), message_id: `m_fake_${++sent}` }];
      }
      case 'action':
        return [200, { recipient_id: String(request.body?.recipient?.id ?? '') }];
      case 'thread':
        return [200, { success: true }];
      case 'profile': {
        const psid = segments[1]!;
        const profile = knownProfiles.get(psid);
        if (!profile) {
          return [
            400,
            {
              error: {
                message: `Unsupported get request. Object with ID '${psid}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
                type: 'GraphMethodException',
                code: 100,
                error_subcode: 33,
                fbtrace_id: 'AfakeProfile',
              },
            },
          ];
        }
        const wanted = (request.query.fields ?? 'first_name,last_name').split(',');
        const fields: Record<string, string> = { id: psid };
        for (const field of wanted) {
          const value = profile[field as keyof FakeGraphProfile];
          if (value !== undefined) fields[field] = value;
        }
        return [200, fields];
      }
      default:
        return [400, { error: { message: 'Unknown path components', type: 'OAuthException', code: 2500, fbtrace_id: 'AfakePath' } }];
    }
  }

  const server = http.createServer(async (req, res) => {
    mostOpen = Math.max(mostOpen, ++open);
    res.on('close', () => open--);
    try {
      const request = await record(req);
      // Unref'd: an answer held back for a client that is gone keeps no test process alive.
      if (delay) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => delays.delete(timer) && resolve(), delay).unref();
          delays.add(timer);
        });
      }
      const [status, body] = answer(request);
      request.answer = { status, body };
      requests.push(request);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(request)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(request);
        }
      }
      res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
    } catch (error) {
      // A client that went away mid-body leaves no request behind, only this count.
      if (!req.complete) incomplete++;
      res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: String(error), code: 1 } }));
    }
  });

  return {
    /** The HTTP server. */
    server,
    /** Every request received in full so far, in order. */
    requests,
    /** ms each answer is held back; can be changed at any time. */
    get delay() {
      return delay;
    },
    set delay(ms: number) {
      delay = ms;
    },
    /** How many requests are open (received, not yet answered) now. */
    get open() {
      return open;
    },
    /** The most requests that were open at once so far. */
    get mostOpen() {
      return mostOpen;
    },
    /** How many requests ended before their body was complete (the client gave up or broke off); they are not in `requests`. */
    get incomplete() {
      return incomplete;
    },
    /** The base URL (`http://127.0.0.1:<port>`) once listening; give it to the relay as `graphApiUrl`. */
    get url() {
      return address && `http://${address.address}:${address.port}`;
    },
    /** Starts listening (default: an ephemeral port on 127.0.0.1). */
    listen(port = 0, host = '127.0.0.1'): Promise<{ port: number; url: string }> {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          address = server.address() as AddressInfo;
          resolve({ port: address.port, url: `http://${address.address}:${address.port}` });
        });
      });
    },
    /** Stops the server. */
    close(): Promise<void> {
      for (const waiter of waiters.splice(0)) waiter.resolve(undefined);
      for (const timer of delays) clearTimeout(timer);
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
    /**
     * Makes the next matching calls fail with a Graph error.
     * @param error the `error` object, e.g. `graphErrors.windowClosed`
     * @param options `times` default 1 (`Infinity` for always), `status` default 400 (500 for code 2), `match` default `'send'`
     */
    fail(
      error: Partial<FakeGraphError> & object,
      { times = 1, status = error?.code === 2 ? 500 : 400, match = 'send' }: { times?: number; status?: number; match?: FakeGraphMatch } = {},
    ) {
      failures.push({ error, status, times, match: matcher(match) });
    },
    /** Sets the User Profile API answer for a PSID. */
    setProfile(psid: string | number, profile: FakeGraphProfile) {
      knownProfiles.set(String(psid), profile);
    },
    /** Send API calls (text and uploads), in order. */
    sends() {
      return requests.filter((request) => request.kind === 'message' || request.kind === 'upload');
    },
    /** Sender actions, in order. */
    actions() {
      return requests.filter((request) => request.kind === 'action');
    },
    /**
     * The first request (already made or still to come) that matches; `undefined` if the fake is closed first.
     * @param options `timeout` default 5000 ms
     */
    waitFor(predicate: (request: FakeGraphRequest) => boolean, { timeout = 5000 }: { timeout?: number } = {}): Promise<FakeGraphRequest | undefined> {
      const made = requests.find(predicate);
      if (made) return Promise.resolve(made);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`fake Graph: no matching request within ${timeout} ms`));
        }, timeout);
        const waiter = {
          predicate,
          resolve: (request: FakeGraphRequest | undefined) => {
            clearTimeout(timer);
            resolve(request);
          },
        };
        waiters.push(waiter);
      });
    },
    /** Forgets the requests and pending failures. */
    reset() {
      requests.length = 0;
      failures.length = 0;
    },
  };
}

/** Form fields whose value is JSON (`recipient`, `message`) decoded; the others as they are. */
function decodeFields(fields: Record<string, string>): Record<string, Json> {
  const body: Record<string, Json> = {};
  for (const [name, value] of Object.entries(fields)) {
    try {
      body[name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    } catch {
      body[name] = value;
    }
  }
  return body;
}

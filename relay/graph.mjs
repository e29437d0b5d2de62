/**
 * A small client for the parts of Meta's Graph API the relay uses: the Send
 * API (`POST /{page-id}/messages`) for text, file uploads (`filedata`) and
 * sender actions, and the User Profile API (`GET /{psid}?fields=…`).
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

/** A refusal from the Graph API, with a reason an agent can read. */
export class GraphError extends Error {
  /**
   * @param {string} message the readable reason
   * @param {{ status?: number, code?: number, subcode?: number, type?: string, transient?: boolean, fbtraceId?: string }} [details]
   */
  constructor(message, details = {}) {
    super(message);
    this.name = 'GraphError';
    this.status = details.status;
    this.code = details.code;
    this.subcode = details.subcode;
    this.type = details.type;
    this.transient = !!details.transient;
    this.fbtraceId = details.fbtraceId;
  }
}

/**
 * @typedef {object} GraphClientOptions
 * @property {string} pageId
 * @property {string} pageAccessToken
 * @property {string} [graphApiUrl] default `https://graph.facebook.com`
 * @property {string} [graphApiVersion] default `v25.0`
 * @property {number} [retries] tries for a transient error, the first included (default 3)
 * @property {number} [retryBaseDelay] ms before the second try; doubles after (default 500)
 * @property {typeof fetch} [fetch]
 * @property {(line: string) => void} [log]
 */

/**
 * @typedef {object} SendResult
 * @property {string} message_id
 * @property {string} [recipient_id]
 */

/**
 * @param {GraphClientOptions} options
 */
export function createGraphClient({
  pageId,
  pageAccessToken,
  graphApiUrl = 'https://graph.facebook.com',
  graphApiVersion = 'v25.0',
  retries = 3,
  retryBaseDelay = 500,
  fetch = globalThis.fetch,
  log = () => {},
}) {
  const base = `${graphApiUrl.replace(/\/+$/, '')}/${graphApiVersion}`;
  /** Never let the token out in a message or a log line. */
  const hide = (text) => String(text).split(pageAccessToken).join('[page token]');

  /**
   * One Graph call, with retries for transient errors.
   * @param {string} what for log lines: 'send', 'upload', 'typing_on', 'profile', …
   * @param {'GET' | 'POST'} method
   * @param {string} path after the version, e.g. `/123/messages`
   * @param {{ query?: Record<string, string>, json?: unknown, form?: () => FormData, tries?: number, retryNetwork?: boolean }} [request]
   */
  async function call(what, method, path, { query = {}, json, form, tries = retries, retryNetwork = false } = {}) {
    const url = new URL(base + path);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    url.searchParams.set('access_token', pageAccessToken);
    for (let attempt = 1; ; attempt++) {
      let error;
      try {
        const response = await fetch(url, {
          method,
          headers: json === undefined ? undefined : { 'Content-Type': 'application/json' },
          body: json !== undefined ? JSON.stringify(json) : form?.(),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await response.text();
        let answer;
        try {
          answer = text ? JSON.parse(text) : {};
        } catch {
          answer = undefined;
        }
        if (response.ok && answer && !answer.error) return answer;
        error = refusal(response.status, answer?.error);
      } catch (failure) {
        // The request may or may not have reached Meta: only idempotent calls are retried.
        error = new GraphError(reasons.unreachable, { transient: retryNetwork });
        log(`graph ${what}: network error (${hide(failure?.cause?.code ?? failure?.name ?? 'unknown')})`);
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
  function refusal(status, body) {
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

  return {
    /**
     * Sends a text message.
     * @param {{ psid: string, text: string, metadata?: string, messagingType: 'RESPONSE' | 'MESSAGE_TAG', tag?: string }} message
     * @returns {Promise<SendResult>}
     */
    sendText({ psid, text, metadata, messagingType, tag }) {
      const message = metadata === undefined ? { text } : { text, metadata };
      return call('send', 'POST', messages, {
        json: { recipient: { id: psid }, messaging_type: messagingType, ...(tag ? { tag } : {}), message },
      });
    },

    /**
     * Uploads a file and sends it in one call (multipart/form-data, the file in `filedata`).
     * @param {{ psid: string, kind: 'image' | 'video' | 'audio' | 'file', file: { bytes: Uint8Array, name: string, type: string }, metadata?: string, messagingType: 'RESPONSE' | 'MESSAGE_TAG', tag?: string }} message
     * @returns {Promise<SendResult>}
     */
    sendFile({ psid, kind, file, metadata, messagingType, tag }) {
      const message = { attachment: { type: kind, payload: { is_reusable: false } } };
      if (metadata !== undefined) message.metadata = metadata;
      return call('upload', 'POST', messages, {
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

    /**
     * `typing_on`, `typing_off` or `mark_seen`; tried once.
     * @param {string} psid
     * @param {'typing_on' | 'typing_off' | 'mark_seen'} action
     */
    senderAction(psid, action) {
      return call(action, 'POST', messages, { json: { recipient: { id: psid }, sender_action: action }, tries: 1 });
    },

    /**
     * The customer's name from the User Profile API.
     * @param {string} psid
     * @returns {Promise<{ name?: string, firstName?: string, lastName?: string, avatarUrl?: string }>}
     */
    async profile(psid) {
      const answer = await call('profile', 'GET', `/${encodeURIComponent(psid)}`, {
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
    },
  };
}

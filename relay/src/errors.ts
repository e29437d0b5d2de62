/**
 * Refusals with an HTTP status and a sentence for the agent.
 *
 * @module
 */

import type { ChannelErrorCode } from 'agent-console/adapters';

/** An error with an HTTP status and a sentence for the agent (the body is `{ error: message }`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** e.g. `Retry-After` */
    readonly headers: Record<string, string> = {},
    /** Why, as the console's code for it (`{ error, code }`): the console words it in the agent's language. */
    readonly code?: ChannelErrorCode,
  ) {
    super(message);
  }
}

/** A thrown value's message, for a log line. */
export const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

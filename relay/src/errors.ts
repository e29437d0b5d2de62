/**
 * Refusals with an HTTP status and a sentence for the agent.
 *
 * @module
 */

/** An error with an HTTP status and a sentence for the agent (the body is `{ error: message }`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** e.g. `Retry-After` */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A thrown value's message, for a log line. */
export const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Limits that keep one client from wearing the relay down.
 *
 * @module
 */

/** What {@link authThrottle} allows. */
export interface AuthThrottleOptions {
  /** Wrong tokens a client may try before it has to wait (default 5). */
  freeFailures?: number;
  /** The first wait, in ms; it doubles with every further wrong token (default 1,000). */
  baseDelay?: number;
  /** The longest wait, in ms (default 60,000). */
  maxDelay?: number;
  /** Clients remembered at most; the longest quiet go first (default 10,000). */
  maxClients?: number;
  /** The clock, in epoch ms. */
  now?: () => number;
}

/**
 * Slows down guessing agent tokens: after `freeFailures` wrong tokens from a
 * client (an address), it must wait before it may try again, twice as long
 * after each further wrong one; a right token clears its record. A client
 * that keeps away for `maxDelay` starts afresh.
 */
export function authThrottle({ freeFailures = 5, baseDelay = 1000, maxDelay = 60_000, maxClients = 10_000, now = Date.now }: AuthThrottleOptions = {}) {
  const clients = new Map<string, { failures: number; until: number; last: number }>();
  return {
    /** How long, in ms, `client` must still wait before its token is looked at (0: go ahead). */
    waitFor(client: string): number {
      const record = clients.get(client);
      return record ? Math.max(0, record.until - now()) : 0;
    },
    /** `client` gave a wrong token; answers how long it must now wait, in ms. */
    failed(client: string): number {
      const time = now();
      const known = clients.get(client);
      const record = known && time - known.last < maxDelay ? known : { failures: 0, until: 0, last: time };
      record.failures++;
      record.last = time;
      if (record.failures > freeFailures) record.until = time + Math.min(maxDelay, baseDelay * 2 ** (record.failures - freeFailures - 1));
      clients.delete(client);
      clients.set(client, record);
      if (clients.size > maxClients) clients.delete(clients.keys().next().value!);
      return Math.max(0, record.until - time);
    },
    /** `client` gave a right token. */
    succeeded(client: string): void {
      clients.delete(client);
    },
  };
}

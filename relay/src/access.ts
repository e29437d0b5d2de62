/**
 * Who may use the relay: agent tokens (with slowed retries after wrong
 * ones), allowed browser origins, and a cap on connections that have not
 * shown a token or a signed webhook yet.
 *
 * @module
 */
import type { Server, Socket } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { RelayConfig } from './config.js';
import { reasonOf } from './errors.js';
import { authThrottle } from './limits.js';
import type { Logger } from './logging.js';
import { digest } from './secrets.js';

export function createAccess(config: RelayConfig, log: Logger) {
  const { tokens, verifyAgent, origins } = config;
  const throttle = authThrottle({ now: config.now, ...config.authThrottle });
  /** Connections that have not shown an agent token or a signed webhook yet. */
  const untrusted = new Set<Socket>();

  async function authenticate(token: unknown): Promise<string | null> {
    if (typeof token !== 'string' || !token) return null;
    const known = tokens.get(digest(token));
    if (known) return known;
    if (!verifyAgent) return null;
    try {
      const agentId = await verifyAgent(token);
      return typeof agentId === 'string' && agentId ? agentId : null;
    } catch (error) {
      log.error(`verifyAgent failed: ${reasonOf(error)}`);
      return null;
    }
  }

  return {
    /** A browser origin may call the API and open the socket. */
    originAllowed: (origin: string) => origins.has('*') || origins.has(origin),

    /**
     * The agent of a token, or null; after too many wrong tokens from the same
     * address, `{ wait }` (ms) before any token from it is looked at. A right
     * token trusts the request's connection.
     */
    async admit(request: FastifyRequest, token: unknown): Promise<{ agentId?: string | null; wait?: number }> {
      const client = request.ip || 'unknown';
      const wait = throttle.waitFor(client);
      if (wait) return { wait };
      const agentId = await authenticate(token);
      if (agentId) {
        throttle.succeeded(client);
        untrusted.delete(request.raw.socket);
      } else if (token) {
        const slowed = throttle.failed(client);
        if (slowed) log.warn(`agent tokens: ${client} gave too many wrong tokens; it waits ${Math.ceil(slowed / 1000)} s before the next is looked at`);
      }
      return { agentId };
    },

    /** The request showed a signed webhook: its connection no longer counts against the limit. */
    trust(request: FastifyRequest): void {
      untrusted.delete(request.raw.socket);
    },

    /** Closes connections past `maxUnauthenticatedConnections` at once, so idle or slow strangers cannot hold the relay. */
    guard(server: Server): void {
      let crowded = false;
      server.on('connection', (socket: Socket) => {
        if (untrusted.size >= config.maxUnauthenticatedConnections) {
          if (!crowded) log.warn(`refusing connections: ${untrusted.size} are open without an agent token or a signed webhook`);
          crowded = true;
          socket.destroy();
          return;
        }
        crowded = false;
        untrusted.add(socket);
        socket.once('close', () => untrusted.delete(socket));
      });
    },
  };
}

export type Access = ReturnType<typeof createAccess>;

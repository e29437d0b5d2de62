/**
 * Who is online, and who hears about a conversation. Each open agent socket
 * keeps a presence record alive (refreshed with every ping); the store's
 * TTL drops the record of a socket whose instance died.
 *
 * @module
 */
import { presenceKey } from './keys.js';
import type { RelayEvent, RelayStore } from './store.js';

/** The idempotency key of a message reaching an agent (the agent's id is added): each message reaches each agent once as new. */
export const messageOnce = (messageId: string): string => `message:${messageId}`;

export function createPresence(store: RelayStore, { shareConversations, pingInterval }: { shareConversations: boolean; pingInterval: number }) {
  const ttlMs = pingInterval * 3;

  async function onlineAgents(): Promise<string[]> {
    return [...new Set((await store.list<{ agentId: string }>('presence:')).map((record) => record.value.agentId))];
  }

  return {
    onlineAgents,

    /** Who hears about a conversation: its agent, and every agent online when conversations are shared. */
    async audience(route: { agentId?: string | undefined }): Promise<string[]> {
      const agents = new Set(route.agentId ? [route.agentId] : []);
      if (shareConversations) for (const agentId of await onlineAgents()) agents.add(agentId);
      return [...agents];
    },

    /** Appends the event to each agent's log, once per agent; with `once`, not again when a retried step repeats it. */
    async emit(agentIds: Iterable<string>, event: RelayEvent, once?: string): Promise<void> {
      for (const agentId of new Set(agentIds)) await store.appendEvent(agentId, event, once === undefined ? {} : { once: `${once}:${agentId}` });
    },

    /** A presence for one socket; `online` writes (and refreshes) it, `offline` takes it out. */
    forSocket() {
      const key = presenceKey();
      return {
        async online(agentId: string): Promise<void> {
          const record = await store.get(key);
          await store.compareAndSet(key, record?.version ?? 0, { agentId }, { ttlMs });
        },
        async offline(): Promise<void> {
          const record = await store.get(key);
          if (record) await store.compareAndSet(key, record.version, undefined);
        },
      };
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;

import type { MessageStatus } from './types.js';

const rank: Record<MessageStatus, number> = { pending: 0, failed: 1, sent: 2, delivered: 3, read: 4 };

/**
 * Whether a message may move from `current` to `next`. Statuses only move
 * forward, so a late `delivered` never undoes `read`; `failed` can follow
 * `pending` or `sent` (the channel refused it after accepting it) and can be
 * overtaken by a late success report. Going back to `pending` is a retry,
 * which only the outbox does.
 */
export function statusMovesForward(current: MessageStatus | undefined, next: MessageStatus): boolean {
  if (current === undefined) return true;
  if (next === 'failed') return current === 'pending' || current === 'sent';
  return rank[next] > rank[current];
}

/** The further along of two statuses, by the rule above. */
export const furtherStatus = (current: MessageStatus | undefined, next: MessageStatus | undefined) =>
  next !== undefined && statusMovesForward(current, next) ? next : current;

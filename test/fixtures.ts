import type { Message } from '../src/adapters/types.js';

/** A valid inbound message; override any field. */
export const message = (overrides: Partial<Message> = {}): Message => ({
  id: 'm1',
  conversationId: 'c1',
  direction: 'inbound',
  sentAt: '2026-11-21T10:00:00.000Z',
  text: 'Hello',
  ...overrides,
});

/** Payloads that execute script if they ever reach the DOM as markup. */
export const hostileStrings = [
  '<script>window.__pwned = true</script>',
  '<img src=x onerror="window.__pwned = true">',
  '<svg><script>window.__pwned = true</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=true">',
  'javascript:window.__pwned = true',
  '"><iframe srcdoc="<script>parent.__pwned=true</script>">',
];

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('Expected the promise to reject, but it resolved.');
}

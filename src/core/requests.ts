import type { ConversationRequest } from '../adapters/types.js';

/** How a request left the queue. */
export type RequestOutcome = 'accepted' | 'declined-by-agent' | 'timed-out' | 'withdrawn';

const rememberedOutcomes = 1000;

/**
 * Requests waiting for the agent, newest first. A request the backend repeats
 * after it was answered is not shown again.
 */
export class RequestQueue {
  #pending = new Map<string, ConversationRequest>();
  #settled = new Map<string, { outcome: RequestOutcome; elsewhere: boolean }>();

  /** Pending requests, newest first. */
  get pending(): ConversationRequest[] {
    return [...this.#pending.values()].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }

  /** The pending request with this id. */
  get(id: string): ConversationRequest | undefined {
    return this.#pending.get(id);
  }

  /** How a request that is no longer pending ended. */
  outcome(id: string): RequestOutcome | undefined {
    return this.#settled.get(id)?.outcome;
  }

  /** Whether a request was answered somewhere else (the same console in another tab). */
  answeredElsewhere(id: string): boolean {
    return !!this.#settled.get(id)?.elsewhere;
  }

  /** Adds a request; false when it is already pending or was already answered. */
  add(request: ConversationRequest): boolean {
    if (this.#pending.has(request.id) || this.#settled.has(request.id)) return false;
    this.#pending.set(request.id, request);
    return true;
  }

  /** Takes a request out of the queue; false when it was not pending. */
  settle(id: string, outcome: RequestOutcome, elsewhere = false): boolean {
    if (!this.#pending.delete(id)) return false;
    this.#settled.set(id, { outcome, elsewhere });
    if (this.#settled.size > rememberedOutcomes) this.#settled.delete(this.#settled.keys().next().value!);
    return true;
  }
}

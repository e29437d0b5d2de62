import type { Conversation } from '../adapters/types.js';
import { Transcript } from './transcript.js';

/** How a session ended. */
export interface SessionEnd {
  at: string;
  /** True when the agent ended it; false when the customer or the channel did. */
  byAgent: boolean;
  reason?: string;
}

/** An accepted conversation the agent is holding. The console core owns and updates it. */
export class Session {
  readonly transcript = new Transcript();
  /** Inbound messages the agent has not seen yet. */
  unread = 0;
  customerTyping = false;
  ended?: SessionEnd;

  constructor(public conversation: Conversation) {}

  get id(): string {
    return this.conversation.id;
  }
}

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
  /** Live customer messages the console could not show, since the agent last dismissed the notice. */
  unsupportedNotice = 0;
  /** Earlier history: whether more can be loaded, and whether a load is under way or failed. */
  history: { hasMore: boolean; loading: boolean; error?: string } = { hasMore: true, loading: false };
  /** The agent's unsent text, kept while they look at other sessions. */
  draft = '';
  /**
   * Where the agent was reading: the message at the top of the view and how
   * far it was scrolled past; `undefined` when they were at the newest message.
   */
  scrollAnchor?: { messageId: string; offset: number };

  constructor(public conversation: Conversation) {}

  get id(): string {
    return this.conversation.id;
  }
}

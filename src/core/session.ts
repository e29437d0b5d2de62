import type { Conversation } from '../adapters/types.js';
import { Transcript } from './transcript.js';

/** How a session ended. */
export interface SessionEnd {
  /** When it ended, ISO 8601. */
  at: string;
  /** True when the agent ended it; false when the customer or the channel did. */
  byAgent: boolean;
  /** Why, when the channel said (from `conversation-ended`). */
  reason?: string;
}

/** An accepted conversation the agent is holding. The console core owns and updates it. */
export class Session {
  /** The conversation's messages, oldest first. */
  readonly transcript = new Transcript();
  /** Inbound messages the agent has not seen yet. */
  unread = 0;
  /** Whether the customer is typing now. */
  customerTyping = false;
  /** Set once the conversation has ended; the session then takes no more messages. */
  ended?: SessionEnd;
  /** Live customer messages the console could not show, since the agent last dismissed the notice. */
  unsupportedNotice = 0;
  /** Earlier history: whether more can be loaded, and whether a load is under way or failed. */
  history: {
    /** Whether earlier messages may still be loaded. */
    hasMore: boolean;
    /** Whether a page is being loaded now. */
    loading: boolean;
    /** Why the last load failed; it can be tried again. */
    error?: string;
  } = { hasMore: true, loading: false };
  /** The agent's unsent text, kept while they look at other sessions. */
  draft = '';
  /** The customer message the agent's next message answers (the core's `setReplyTo`). */
  replyTo?: string;
  /**
   * Who holds the conversation's thread (Messenger's handover protocol), from
   * `thread-control` events and the core's `takeThread` and `passThread`; `undefined` while the channel has not
   * said, and the console then holds it. While `other` holds it, the agent cannot answer.
   */
  thread?: {
    /** `console`: this console's app; `other`: another app. */
    owner: 'console' | 'other';
    /** The app holding it, when the channel says. */
    appId?: string;
  };
  /** The agent's own reactions to customer messages: emoji by message id (the core's `react`). */
  readonly reactions = new Map<string, string>();
  /**
   * Where the agent was reading: the message at the top of the view and how
   * far it was scrolled past; `undefined` when they were at the newest message.
   */
  scrollAnchor?: {
    /** The message at the top of the view. */
    messageId: string;
    /** How far, in CSS pixels, the view was scrolled past its top. */
    offset: number;
  };

  constructor(
    /** The conversation, as last reported by the adapter. */
    public conversation: Conversation,
  ) {}

  /** The conversation's id. */
  get id(): string {
    return this.conversation.id;
  }
}

// The backend `npm run bench` plays: a channel adapter written as an
// integrator would, against the public contract only. It holds each
// conversation's history, serves it through loadHistory, and replays live
// messages as `message` events.
import type {
  ChannelAdapter,
  ChannelCapabilities,
  Conversation,
  Message,
  OutgoingMessage,
} from '../src/adapters/index.js';

/** The history of one conversation as the backend has it, oldest first. */
interface History {
  messages: Message[];
  /** How many messages the newest page holds (the backend's own page size, whatever the console asks). */
  firstPage: number;
  /** How many messages each earlier page holds. */
  pageSize: number;
  /** Set while the bench holds pages back: called with the page when the bench lets it go. */
  held?: boolean;
}

const capabilities: ChannelCapabilities = {
  name: 'Bench',
  textLimit: 2000,
  attachments: { maxBytes: 25 * 1024 * 1024, accept: ['image/*', '.pdf'] },
  typing: true,
  readReceipts: true,
  reactions: false,
};

/** A page the console asked for, waiting to be handed over. */
export interface PendingPage {
  conversationId: string;
  messages: Message[];
  hasMore: boolean;
  /** Hands the page over; returns the time it did (performance.now()). */
  release(): number;
}

export class BenchAdapter extends EventTarget implements ChannelAdapter {
  readonly channel = 'bench';
  readonly conversations: Conversation[] = [];
  readonly #histories = new Map<string, History>();
  #open = false;
  /** Pages asked for and not yet handed over (only when a history is `held`). */
  readonly pending: PendingPage[] = [];
  /** When each conversation's last page was handed over (performance.now()). */
  readonly servedAt = new Map<string, number>();
  /** How many pages the console has asked for. */
  historyCalls = 0;

  /** Gives a conversation a history: `firstPage` messages in the newest page, `pageSize` in each earlier one. */
  setHistory(conversationId: string, messages: Message[], firstPage: number, pageSize = firstPage): void {
    this.#histories.set(conversationId, { messages, firstPage, pageSize });
  }

  /** Holds the next pages of a conversation back until the bench releases them, or stops holding. */
  hold(conversationId: string, held: boolean): void {
    const history = this.#histories.get(conversationId);
    if (history) history.held = held;
  }

  /** A live message, as the backend pushes it. */
  deliver(message: Message): void {
    this.dispatchEvent(new CustomEvent('message', { detail: message }));
  }

  async connect(): Promise<void> {
    if (this.#open) return;
    this.#open = true;
    this.dispatchEvent(new CustomEvent('connection-change', { detail: { state: 'open' } }));
  }

  async disconnect(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.dispatchEvent(new CustomEvent('connection-change', { detail: { state: 'closed' } }));
  }

  async accept(requestId: string): Promise<Conversation> {
    throw new Error(`No request ${requestId}: the bench sends none.`);
  }

  async reject(): Promise<void> {}

  async sendMessage(conversationId: string, draft: OutgoingMessage): Promise<Message> {
    return {
      id: `sent-${draft.clientId}`,
      conversationId,
      clientId: draft.clientId,
      direction: 'outbound',
      sentAt: new Date().toISOString(),
      text: draft.text,
      status: 'sent',
    };
  }

  async endConversation(): Promise<void> {}

  async getCapabilities(): Promise<ChannelCapabilities> {
    return capabilities;
  }

  loadHistory(conversationId: string, page: { before?: string; limit?: number } = {}): Promise<{ messages: Message[]; hasMore: boolean }> {
    this.historyCalls++;
    const history = this.#histories.get(conversationId);
    if (!history) return Promise.resolve({ messages: [], hasMore: false });
    let end = history.messages.length;
    let size = history.firstPage;
    if (page.before) {
      size = history.pageSize;
      end = history.messages.findIndex((message) => message.id === page.before);
      if (end < 0) end = 0;
    }
    const start = Math.max(0, end - size);
    const result = { messages: history.messages.slice(start, end), hasMore: start > 0 };
    if (!history.held) {
      this.servedAt.set(conversationId, performance.now());
      return Promise.resolve(result);
    }
    return new Promise((resolve) => {
      this.pending.push({
        conversationId,
        ...result,
        release: () => {
          const at = performance.now();
          this.servedAt.set(conversationId, at);
          resolve(result);
          return at;
        },
      });
    });
  }

  async markRead(): Promise<void> {}

  setTyping(): void {}

  async listConversations(): Promise<Conversation[]> {
    return this.conversations;
  }

  /** Drops the histories, so that the heap holds only what the console keeps. */
  forget(): void {
    this.#histories.clear();
  }
}

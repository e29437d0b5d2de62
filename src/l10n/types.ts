// Types only: the shipped translations import this module, never the runtime that
// loads them, so the languages and the loader do not import each other.

/**
 * Every user-visible string of the console. Strings that depend on data are
 * functions. A host page can add a language or change wording with
 * {@link registerTranslation}. What each key says is its English text in
 * src/l10n/en.ts.
 */
export interface Translation {
  /** BCP 47 language code, lower case: `en`, `da`, `vi`, `pt-br`. */
  $code: string;
  /** The language's own name, for language pickers. */
  $name: string;
  $dir: 'ltr' | 'rtl';

  accept: string;
  reject: string;
  moreOptions: string;
  attachFile: string;
  typeMessage: string;
  send: string;
  save: (fileName: string) => string;
  endConversation: string;
  dismiss: string;
  /**
   * The unsupported-message error, in fixed wording: English
   * `Error: Customer sent an unsupported message type.`, and the shipped
   * Danish and Vietnamese texts. Pages and tests look for it; change it only
   * on purpose.
   */
  unsupportedMessageType: string;

  // Conversation pane
  messages: string;
  conversationWith: (customer: string) => string;
  theCustomer: string;
  you: string;
  today: string;
  yesterday: string;
  statusPending: string;
  statusSent: string;
  statusDelivered: string;
  statusRead: string;
  statusFailed: string;
  retry: string;
  /** On a message waiting to be sent whose file is too large to keep across a page reload. */
  notKept: string;
  /** After a reload, on a message whose file was too large to keep. */
  fileLost: (fileName: string) => string;
  /** After a reload, on an unsent message whose conversation was no longer open. */
  conversationGone: string;
  /** On a message held while offline whose conversation ended before it could be sent. */
  endedUnsent: string;
  newMessages: (count: number) => string;
  loadingHistory: string;
  historyFailed: string;
  startOfConversation: string;
  isTyping: (customer: string) => string;
  unsupportedContent: (what: string) => string;
  kindSticker: string;
  kindLocation: string;
  kindSharedPost: string;
  kindTemplate: string;
  kindUnknown: string;
  unsupportedFile: (fileName: string) => string;
  imageFrom: (customer: string) => string;
  videoFrom: (customer: string) => string;
  audioFrom: (customer: string) => string;
  fileFrom: (customer: string) => string;
  openImage: (name: string) => string;
  close: string;
  fileUnavailable: string;
  charactersLeft: (count: number) => string;
  tooLong: (limit: number) => string;
  /** `duration` is short, from the browser's Intl: "3 hr", "3 t.". */
  replyWindowOpen: (duration: string) => string;
  replyWindowClosed: string;
  conversationEnded: string;
  /** On a message the customer changed. */
  edited: string;
  showEarlierText: string;
  hideEarlierText: string;
  /** Instead of a message the customer removed (unsent). */
  messageRemoved: string;
  /** `quote` is the first words of the message replied to. */
  replyTo: (quote: string) => string;
  /** On a reply to a message not loaded in the transcript. */
  replyToEarlier: string;
  goToReplied: string;
  sharedLocation: string;
  /** On a message sent while another app (a bot) held the conversation. */
  standby: string;
  /** The author of an outbound message another app sent, when it has no name. */
  anotherApp: string;
  /** The author of an outbound message that this console's app did not send, when neither name nor app is known (the Page's inbox, an automated reply). */
  someoneOnPage: string;

  // Attachments
  refusedType: (fileName: string, allowed: string) => string;
  refusedSize: (fileName: string, size: string, limit: string) => string;
  refusedContent: (fileName: string) => string;
  refusedEmpty: (fileName: string) => string;
  refusedTooMany: (count: number) => string;
  refusedUnreadable: (fileName: string) => string;
  uploading: (fileName: string) => string;
  uploadFailed: (fileName: string) => string;
  cancel: string;
  dropToSend: string;

  // Requests and the console
  /** How a toast is announced: "Incoming Facebook conversation from Ana". */
  incoming: (channel: string, customer: string) => string;
  /** `duration` is short, from the browser's Intl: "2 min", "2 min.", "2 phút". */
  waiting: (duration: string) => string;
  /** `clock` is minutes and seconds: "1:45". */
  expiresIn: (clock: string) => string;
  expired: string;
  accepting: string;
  acceptFailed: (reason: string) => string;
  rejectFailed: (reason: string) => string;
  sessionLimit: (limit: number) => string;
  withdrawn: (customer: string) => string;
  /** A request answered in another tab: `accepted`, `declined-by-agent` or `timed-out` there. */
  answeredElsewhere: (outcome: string) => string;
  requests: string;
  moreRequests: (count: number) => string;
  showFewer: string;
  conversations: string;
  unread: (count: number) => string;
  noSessions: string;
  ended: (byAgent: boolean, reason?: string) => string;
  reacted: (customer: string, emoji: string) => string;
  unreacted: (customer: string, emoji: string) => string;
  /** `via` lists what the channel said: "ADS, summer-sale". */
  referral: (via: string) => string;
  endFailed: (reason: string) => string;
  endedShort: string;
  closeConversation: string;
  connecting: string;
  connectionLost: string;
  reconnectingIn: (seconds: number) => string;
  reconnectNow: string;
  keptWhileOffline: string;
  privacyTitle: string;
  privacyNotice: string;
  acknowledge: string;

  // Thread control, replies and reactions
  /** While another app (a bot, the Page inbox) holds the conversation's thread: the agent cannot answer. */
  threadElsewhere: string;
  takeOver: string;
  handBack: string;
  /** An action on a conversation failed: `action` is its button's label ("Take over"). */
  actionFailed: (action: string, reason: string) => string;
  /** The name of the button that opens the emoji menu on a customer's message, and of that menu. */
  react: string;
  /** The names of the console's reaction emoji, in this order: 👍 ❤️ 😂 😮 😢 🙏. */
  reactionNames: readonly string[];
  /** Read out beside a message the agent reacted to; `name` from {@link reactionNames}. */
  yourReaction: (name: string) => string;
  reply: string;
  /** Above the message box while the next message is a reply; `words` are the first of the message answered. */
  replyingTo: (words: string) => string;
  /**
   * The console's own sentence for a channel's error code, wherever an
   * adapter's error is shown to the agent; `channel` is its name (`Messenger`).
   * The codes are the adapter contract's `ChannelErrorCode`.
   */
  channelError: (code: 'reply-window-closed' | 'recipient-unavailable' | 'rate-limited' | 'channel-unauthorized' | 'temporary', channel: string) => string;
}

/** A translation to register: `$code` and any strings to add or replace. */
export type TranslationOverride = Partial<Translation> & { $code: string };

import { en } from './en.js';

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
}

/** A translation to register: `$code` and any strings to add or replace. */
export type TranslationOverride = Partial<Translation> & { $code: string };

type Listener = () => void;

/**
 * Languages that ship with the library but load when an element first asks
 * for one, so a page pays only for the languages it shows. English is built in.
 */
const shipped: Record<string, () => Promise<{ default: Translation }>> = {
  da: () => import('../translations/da.js'),
  vi: () => import('../translations/vi.js'),
};
const builtIn = new Map<string, Translation>([['en', en]]);
const loading = new Map<string, Promise<void>>();
const overrides = new Map<string, TranslationOverride>();
const resolved = new Map<string, Translation>();
const listeners = new Set<Listener>();

function changed() {
  resolved.clear();
  listeners.forEach((listener) => listener());
}

/**
 * Loads a language that ships with the library (`da`, `vi`), if `lang` is
 * one and it is not loaded yet; elements showing it re-render when it
 * arrives. Elements call this themselves; a page can await it to paint in
 * the language from the first frame.
 */
export function loadTranslation(lang: string): Promise<void> {
  const code = lang.toLowerCase().split('-')[0];
  let load = loading.get(code);
  if (!load) {
    load = shipped[code]
      ? shipped[code]().then(
          (module) => {
            builtIn.set(code, module.default);
            changed();
          },
          (error) => {
            // Shown in English meanwhile; the next element to ask tries again.
            loading.delete(code);
            resolved.clear();
            console.warn(`[agent-console] The ${code} translation could not be loaded: ${error}`);
          },
        )
      : Promise.resolve();
    loading.set(code, load);
  }
  return load;
}

/**
 * Adds languages or replaces strings. Missing strings fall back to the
 * language without region (`da-dk` → `da`), then to English. Elements
 * re-render at once.
 *
 * ```js
 * registerTranslation({ $code: 'da', send: 'Afsend' });
 * ```
 */
export function registerTranslation(...given: TranslationOverride[]): void {
  for (const override of given) {
    const code = override.$code.toLowerCase();
    const strings = Object.fromEntries(Object.entries(override).filter(([, value]) => value !== undefined));
    overrides.set(code, { ...overrides.get(code), ...strings, $code: code });
  }
  changed();
}

/** Calls `listener` whenever translations change; returns a function that stops it. */
export function onTranslationChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The translation for a `lang` value: exact, then its language, then English.
 * A shipped language not loaded yet starts loading and is English meanwhile.
 */
export function translationFor(lang: string): Translation {
  const code = lang.toLowerCase();
  let translation = resolved.get(code);
  if (!translation) {
    const base = code.split('-')[0];
    void loadTranslation(base);
    const layers = [builtIn.get(base), overrides.get(base), builtIn.get(code), overrides.get(code)];
    translation = Object.assign({}, en, ...layers) as Translation;
    resolved.set(code, translation);
  }
  return translation;
}

/** The codes of every language the library ships or the page registered. */
export const registeredLanguages = (): string[] => [...new Set([...builtIn.keys(), ...Object.keys(shipped), ...overrides.keys()])];

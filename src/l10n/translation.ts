import { da } from './da.js';
import { en } from './en.js';
import { vi } from './vi.js';

/**
 * Every user-visible string of the console. Strings that depend on data are
 * functions. A host page can add a language or change wording with
 * {@link registerTranslation}.
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
  /** Exact wording required by the product contract (SPEC §1.5). */
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
  /** `when` is relative, from the browser's Intl: "in 3 hours", "om 3 timer". */
  replyWindowOpen: (when: string) => string;
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
}

/** A translation to register: `$code` and any strings to add or replace. */
export type TranslationOverride = Partial<Translation> & { $code: string };

type Listener = () => void;

const translations = new Map<string, TranslationOverride>([en, da, vi].map((t) => [t.$code, t]));
const resolved = new Map<string, Translation>();
const listeners = new Set<Listener>();

/**
 * Adds languages or replaces strings. Missing strings fall back to the
 * language without region (`da-dk` → `da`), then to English. Elements
 * re-render at once.
 *
 * ```js
 * registerTranslation({ $code: 'da', send: 'Afsend' });
 * ```
 */
export function registerTranslation(...overrides: TranslationOverride[]): void {
  for (const override of overrides) {
    const code = override.$code.toLowerCase();
    const given = Object.fromEntries(Object.entries(override).filter(([, value]) => value !== undefined));
    translations.set(code, { ...translations.get(code), ...given, $code: code });
  }
  resolved.clear();
  listeners.forEach((listener) => listener());
}

/** Calls `listener` whenever translations change; returns a function that stops it. */
export function onTranslationChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The translation for a `lang` value: exact, then its language, then English. */
export function translationFor(lang: string): Translation {
  const code = lang.toLowerCase();
  let translation = resolved.get(code);
  if (!translation) {
    translation = { ...translations.get('en'), ...translations.get(code.split('-')[0]), ...translations.get(code) } as Translation;
    resolved.set(code, translation);
  }
  return translation;
}

/** The codes of every registered language. */
export const registeredLanguages = (): string[] => [...translations.keys()];

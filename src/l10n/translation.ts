import { en } from './en.js';
import type { Translation, TranslationOverride } from './types.js';

export type { Translation, TranslationOverride } from './types.js';

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

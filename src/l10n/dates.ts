import type { Locale } from 'date-fns';
import { format } from 'date-fns/format';
import { da } from 'date-fns/locale/da';
import { enUS } from 'date-fns/locale/en-US';
import { vi } from 'date-fns/locale/vi';

// Kept apart from the string tables so elements that show no dates do not
// carry date-fns and its locales.
const dateLocales = new Map<string, Locale>([
  ['en', enUS],
  ['da', da],
  ['vi', vi],
]);

/** Adds or replaces the date-fns locale used for a language code (`de`, `pt-br`). */
export function registerDateLocale(code: string, locale: Locale): void {
  dateLocales.set(code.toLowerCase(), locale);
}

/** The date-fns locale for a language code: exact, then its language, then English. */
export function dateLocaleFor(code: string): Locale {
  const lower = code.toLowerCase();
  return dateLocales.get(lower) ?? dateLocales.get(lower.split('-')[0]) ?? enUS;
}

/** A date in a language, with a date-fns pattern (default: the locale's short time, e.g. `3:04 PM`). */
export function formatDate(date: Date | string | number, lang: string, pattern = 'p'): string {
  return format(new Date(date), pattern, { locale: dateLocaleFor(lang) });
}

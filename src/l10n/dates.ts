import { intlFormat } from 'date-fns/intlFormat';
import { intlFormatDistance } from 'date-fns/intlFormatDistance';

// date-fns' Intl-based formatters: every language the browser knows, with no
// locale tables to ship.

/** A date in a language, with `Intl.DateTimeFormat` options (default: short time, e.g. `3:04 PM`). */
export function formatDate(
  date: Date | string | number,
  lang: string,
  options: Intl.DateTimeFormatOptions = { timeStyle: 'short' },
): string {
  return intlFormat(new Date(date), options, { locale: lang });
}

/** How far `date` is from now in words, e.g. `in 3 hours`, `om 3 timer`. */
export function formatFromNow(date: Date | string | number, lang: string): string {
  return intlFormatDistance(new Date(date), Date.now(), { locale: lang });
}

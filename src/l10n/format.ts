import { intlFormat } from 'date-fns/intlFormat';
import { intlFormatDistance } from 'date-fns/intlFormatDistance';

// date-fns' Intl-based formatters: every language the browser knows, with no
// locale tables to ship.

const shortTime: Intl.DateTimeFormatOptions = { timeStyle: 'short' };
const formatted = new Map<string, string>();

/**
 * A date in a language, with `Intl.DateTimeFormat` options (default: short
 * time, e.g. `3:04 PM`). Results are remembered to the minute, because a
 * transcript formats the same few times on every frame.
 */
export function formatDate(date: Date | string | number, lang: string, options = shortTime): string {
  const time = new Date(date);
  const precise = 'second' in options || 'fractionalSecondDigits' in options || (options.timeStyle ?? 'short') !== 'short';
  const instant = precise ? time.getTime() : Math.floor(time.getTime() / 60_000);
  const key = `${lang}|${options === shortTime ? '' : JSON.stringify(options)}|${instant}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = intlFormat(time, options, { locale: lang });
    if (formatted.size > 5000) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

/** How far `date` is from now in words, e.g. `in 3 hours`, `om 3 timer`. */
export function formatFromNow(date: Date | string | number, lang: string): string {
  return intlFormatDistance(new Date(date), Date.now(), { locale: lang });
}

/** A file size for people, in the language: `445 bytes`, `31.2 MB`. */
export function formatFileSize(bytes: number, lang: string): string {
  const [value, unit] =
    bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'megabyte'] : bytes >= 1024 ? [bytes / 1024, 'kilobyte'] : [bytes, 'byte'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: unit === 'byte' ? 'long' : 'short', maximumFractionDigits: 1 }).format(value);
}

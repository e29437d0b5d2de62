import { intlFormat } from 'date-fns/intlFormat';
import { differenceInSeconds } from 'date-fns/differenceInSeconds';

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

/**
 * How far `date` is from now, either way, short and rounded down: `45 sec`,
 * `2 min`, `3 hr`, `2 days` (in the language, from the browser's Intl).
 */
export function formatDuration(date: Date | string | number, lang: string, now: Date | number = Date.now()): string {
  const seconds = Math.abs(differenceInSeconds(now, new Date(date)));
  const [value, unit] =
    seconds < 60 ? [seconds, 'second'] : seconds < 3600 ? [seconds / 60, 'minute'] : seconds < 86400 ? [seconds / 3600, 'hour'] : [seconds / 86400, 'day'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short' }).format(Math.floor(value));
}

/** A file size for people, in the language: `445 bytes`, `31.2 MB`. */
export function formatFileSize(bytes: number, lang: string): string {
  const [value, unit] =
    bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'megabyte'] : bytes >= 1024 ? [bytes / 1024, 'kilobyte'] : [bytes, 'byte'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: unit === 'byte' ? 'long' : 'short', maximumFractionDigits: 1 }).format(value);
}

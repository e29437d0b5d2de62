import { differenceInSeconds } from 'date-fns/differenceInSeconds';

// Dates are worked out with date-fns and written by the browser's Intl (what
// date-fns' intlFormat wraps), so every language the browser knows works with
// no locale tables to ship. intlFormat builds a new Intl.DateTimeFormat on
// every call, which costs 0.3–1 ms, while formatting with a built one costs a
// few µs: a transcript shows dozens of times per frame, so each formatter is
// built once per language and options, and kept.

const shortTime: Intl.DateTimeFormatOptions = { timeStyle: 'short' };
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

/** The formatter for a language and options, built the first time they are asked for. */
function formatter<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, build: () => T): T {
  let kept = formatters.get(key) as T | undefined;
  if (!kept) {
    if (formatters.size >= 200) formatters.clear(); // a page that cycles through languages cannot grow it without end
    formatters.set(key, (kept = build()));
  }
  return kept;
}

/** A date in a language, with `Intl.DateTimeFormat` options (default: short time, e.g. `3:04 PM`). */
export function formatDate(date: Date | string | number, lang: string, options = shortTime): string {
  const key = `date|${lang}|${options === shortTime ? '' : JSON.stringify(options)}`;
  return formatter(key, () => new Intl.DateTimeFormat(lang, options)).format(new Date(date));
}

/** A number with a unit, in the language. */
function formatUnit(value: number, lang: string, unit: string, unitDisplay: 'short' | 'long', maximumFractionDigits = 0): string {
  const key = `unit|${lang}|${unit}|${unitDisplay}|${maximumFractionDigits}`;
  return formatter(key, () => new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay, maximumFractionDigits })).format(value);
}

/**
 * How far `date` is from now, either way, short and rounded down: `45 sec`,
 * `2 min`, `3 hr`, `2 days` (in the language, from the browser's Intl).
 */
export function formatDuration(date: Date | string | number, lang: string, now: Date | number = Date.now()): string {
  const seconds = Math.abs(differenceInSeconds(now, new Date(date)));
  const [value, unit] =
    seconds < 60 ? [seconds, 'second'] : seconds < 3600 ? [seconds / 60, 'minute'] : seconds < 86400 ? [seconds / 3600, 'hour'] : [seconds / 86400, 'day'];
  return formatUnit(Math.floor(value), lang, unit, 'short');
}

/** A file size for people, in the language: `445 bytes`, `31.2 MB`. */
export function formatFileSize(bytes: number, lang: string): string {
  const [value, unit] =
    bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'megabyte'] : bytes >= 1024 ? [bytes / 1024, 'kilobyte'] : [bytes, 'byte'];
  return formatUnit(value, lang, unit, unit === 'byte' ? 'long' : 'short', 1);
}

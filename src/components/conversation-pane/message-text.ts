import type { Config } from 'dompurify';
import { html, nothing, type TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { loadSanitizer, sanitize } from '../base/sanitizer.js';


const config: Config = {
  ALLOWED_TAGS: ['a', 'b', 'i', 's'],
  ALLOWED_ATTR: ['href', 'target', 'rel'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
};

const links = /\b(?:https?:\/\/|mailto:)[^\s<>"']+/gi;
// Messenger's *bold* _italic_ ~strike~: markers hug the words, within one line.
// The span is bounded so the pattern stays linear on hostile input.
const emphasis = /(^|[\s(])([*_~])(?=\S)([^\n]{0,300}?\S)\2(?=$|[\s.,;:!?)])/g;
/** Longer texts are shown as plain text: formatting them is not worth the time. */
const formatLimit = 5000;
const tags: Record<string, string> = { '*': 'b', _: 'i', '~': 's' };
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c]);
const formatted = (text: string) =>
  escape(text).replace(emphasis, (_, before, marker, inner) => `${before}<${tags[marker]}>${inner}</${tags[marker]}>`);

const cache = new Map<string, TemplateResult | string>();

/**
 * Customer (or agent) text for the transcript. Plain text stays text; text
 * with links or Messenger formatting becomes escaped markup that DOMPurify
 * then checks against a four-tag allow-list before it reaches the DOM (and
 * stays plain text until DOMPurify has loaded: see {@link loadSanitizer}).
 */
export function messageText(text: string | undefined): TemplateResult | string | typeof nothing {
  if (!text) return nothing;
  if (text.length > formatLimit || !/[*_~]|https?:|mailto:/i.test(text)) return text;
  let result = cache.get(text);
  if (result === undefined) {
    let markup = '';
    let last = 0;
    for (const match of text.matchAll(links)) {
      // Punctuation that ends a sentence is not part of the link.
      const url = match[0].replace(/[.,;:!?)\]]+$/, '');
      markup += formatted(text.slice(last, match.index)) + `<a href="${escape(url)}">${escape(url)}</a>`;
      last = match.index! + url.length;
    }
    markup += formatted(text.slice(last));
    try {
      const clean = sanitize(markup, config);
      if (clean === undefined) {
        void loadSanitizer();
        return text;
      }
      result = html`${unsafeHTML(clean)}`;
    } catch {
      // A page whose Trusted Types allow no policy for parsing: the text, as text.
      result = text;
    }
    if (cache.size > 2000) cache.delete(cache.keys().next().value!);
    cache.set(text, result);
  }
  return result;
}

/**
 * The URL if it is safe to load as media or to offer as a download: absolute
 * http(s) and blob: URLs, and data: URLs of images. Anything else
 * (javascript:, data:text/html, relative paths, …) is refused.
 */
export function safeMediaUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url); // absolute only: '' or '/admin/export' must not become the page's own address
  } catch {
    return undefined;
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:' || parsed.protocol === 'blob:') return parsed.href;
  if (parsed.protocol === 'data:' && /^data:image\/(png|jpeg|gif|webp|avif|bmp);/i.test(url)) return url;
  return undefined;
}

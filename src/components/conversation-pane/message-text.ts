import type { Config, DOMPurify } from 'dompurify';
import { html, nothing, type TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';

// A purifier of our own, so its hooks and allow-list never touch the page's.
// DOMPurify is a third of the elements' weight and only formatted text or
// links need it, so it loads after the first frame, never at import (which
// also keeps this module loadable where there is no DOM).
let purifier: DOMPurify | undefined;
let loading: Promise<boolean> | undefined;
const config: Config = {
  ALLOWED_TAGS: ['a', 'b', 'i', 's'],
  ALLOWED_ATTR: ['href', 'target', 'rel'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
};

type PolicyFactory = { createPolicy(name: string, rules: { createHTML(s: string): string; createScriptURL(s: string): string }): NonNullable<Config['TRUSTED_TYPES_POLICY']> };

/**
 * Loads the sanitiser; resolves `true` when formatted text can be shown, or
 * `false` when it could not be loaded (the next call tries again). Until then
 * {@link messageText} gives such text as plain text, which is always safe.
 */
export function loadSanitizer(): Promise<boolean> {
  loading ??= import('dompurify').then(
    ({ default: createPurifier }) => {
      purifier = createPurifier(window);
      purifier.addHook('afterSanitizeAttributes', (node) => {
        if (node.tagName === 'A') {
          node.setAttribute('target', '_blank');
          node.setAttribute('rel', 'noopener noreferrer');
        }
      });
      // Under Trusted Types, DOMPurify parses through a policy of ours, so a
      // page that runs DOMPurify itself (policy "dompurify") does not clash.
      // Where the page's CSP does not allow the name, DOMPurify makes its own.
      try {
        const same = (value: string) => value;
        config.TRUSTED_TYPES_POLICY = (window as { trustedTypes?: PolicyFactory }).trustedTypes?.createPolicy('agent-console', { createHTML: same, createScriptURL: same });
      } catch {
        // the name is taken or not allowed
      }
      return true;
    },
    (error: unknown) => {
      loading = undefined;
      console.warn('[agent-console] DOMPurify did not load; text shows unformatted.', error);
      return false;
    },
  );
  return loading;
}

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
  if (!purifier) {
    void loadSanitizer();
    return text;
  }
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
      result = html`${unsafeHTML(purifier.sanitize(markup, config))}`;
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

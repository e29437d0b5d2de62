import type { Config } from 'dompurify';
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { loadSanitizer, sanitize } from './sanitizer.js';

// Drawing only: no links, no external images, no <style> (it would style the
// whole shadow root), no style attributes (strict-CSP pages refuse them).
const svgOnly: Config = {
  USE_PROFILES: { svg: true, svgFilters: true },
  FORBID_TAGS: ['a', 'image', 'use', 'style', 'foreignObject'],
  FORBID_ATTR: ['style'],
};

/** The last icon drawn: a console has one channel, so one is enough. */
let last: [string, TemplateResult | typeof nothing] = ['', nothing];

/**
 * A channel's icon ({@link ChannelCapabilities.icon}) at 1em, hidden from
 * assistive technology (the channel's name is written beside it). An SVG
 * document is drawn inline once DOMPurify has cleaned it (the host renders
 * again when it has loaded); an `https:` or `data:image/` URL becomes an
 * image; anything else shows nothing.
 */
export function channelIcon(icon = '', host: ReactiveControllerHost): TemplateResult | typeof nothing {
  if (!/^\s*</.test(icon)) return /^\s*(https:|data:image\/)/i.test(icon) ? html`<img class="channel-icon" src=${icon.trim()} alt="" />` : nothing;
  if (last[0] !== icon) {
    let svg: string | undefined;
    try {
      svg = sanitize(icon, svgOnly);
      if (svg === undefined) {
        void loadSanitizer().then((loaded) => loaded && host.requestUpdate());
        return nothing;
      }
    } catch {
      // a page whose Trusted Types allow no policy for parsing: no icon
    }
    last = [icon, svg ? html`<span class="channel-icon" aria-hidden="true">${unsafeHTML(svg)}</span>` : nothing];
  }
  return last[1];
}

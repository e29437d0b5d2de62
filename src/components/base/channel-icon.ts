import { html, nothing, type TemplateResult } from 'lit';
import { Directive, directive, type ElementPart } from 'lit/directive.js';

/**
 * Sets an element's `--_icon` image through the CSSOM, which pages with a
 * strict Content Security Policy allow (they refuse style attributes).
 */
class IconImage extends Directive {
  render(_url: string) {
    return nothing;
  }

  override update(part: ElementPart, [url]: [string]) {
    (part.element as HTMLElement).style.setProperty('--_icon', `url("${url}")`);
    return nothing;
  }
}
const iconImage = directive(IconImage);

/**
 * A channel's icon ({@link ChannelCapabilities.icon}) at 1em, hidden from
 * assistive technology (the channel's name is written beside it). An SVG
 * document is drawn as a one-colour mask in the channel colour: as an image,
 * its markup never enters the page and nothing in it runs or loads, so it
 * needs no sanitiser. An `https:` or `data:image/` URL becomes an image in its
 * own colours; anything else shows nothing.
 */
export function channelIcon(icon = ''): TemplateResult | typeof nothing {
  icon = icon.trim();
  if (icon.startsWith('<')) {
    // An SVG image without its namespace is not drawn at all.
    const svg = icon.replace(/^<svg\b(?![^>]*\sxmlns=)/i, '<svg xmlns="http://www.w3.org/2000/svg"');
    return html`<span class="channel-icon" aria-hidden="true" ${iconImage(`data:image/svg+xml,${encodeURIComponent(svg)}`)}></span>`;
  }
  return /^(https:|data:image\/)/i.test(icon) ? html`<img class="channel-icon" src=${icon} alt="" />` : nothing;
}

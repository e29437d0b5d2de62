import { noChange } from 'lit';
import { Directive, directive, type ElementPart, type PartInfo, PartType } from 'lit/directive.js';

type Properties = Record<string, string | undefined>;

/**
 * Sets CSS properties on an element through the CSSOM (`style.setProperty`),
 * never through a `style` attribute: CRM pages whose Content Security Policy
 * has `style-src` without `'unsafe-inline'` refuse style attributes, and Lit's
 * `styleMap` writes one on first render. Names are CSS names (`height`,
 * `transform`, `--agent-x`); `undefined` removes a property.
 */
class StylePropertiesDirective extends Directive {
  #set = new Set<string>();

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('styleProperties() belongs on an element: <div ${styleProperties({ … })}>');
  }

  render(_properties: Properties) {
    return noChange;
  }

  override update(part: ElementPart, [properties]: [Properties]) {
    const { style } = part.element as HTMLElement;
    for (const name of this.#set) if (properties[name] === undefined) style.removeProperty(name);
    this.#set.clear();
    for (const [name, value] of Object.entries(properties)) {
      if (value === undefined) continue;
      if (style.getPropertyValue(name) !== value) style.setProperty(name, value);
      this.#set.add(name);
    }
    return noChange;
  }
}

export const styleProperties = directive(StylePropertiesDirective);

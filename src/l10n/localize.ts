import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { onTranslationChange, type Translation, translationFor } from './translation.js';

type Host = ReactiveControllerHost & HTMLElement;
type Strings = { [K in keyof Translation as K extends `$${string}` ? never : K]: Translation[K] };

const hosts = new Set<LocalizeController>();
let observer: MutationObserver | undefined;

function refreshAll() {
  for (const controller of hosts) controller.refresh();
}

/** The nearest `lang` attribute, looking through shadow roots to their hosts. */
function nearestLang(element: Element): string {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang') || 'en';
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return 'en';
}

/**
 * Gives an element its strings in the language of the nearest `lang`
 * attribute, and re-renders it when that attribute or the translations change.
 *
 * ```ts
 * #l10n = new LocalizeController(this);
 * render() { return html`<button>${this.#l10n.term('send')}</button>`; }
 * ```
 */
export class LocalizeController implements ReactiveController {
  #translation?: Translation;
  #locale?: string;

  constructor(private readonly host: Host) {
    host.addController(this);
  }

  hostConnected(): void {
    hosts.add(this);
    if (!observer) {
      observer = new MutationObserver(refreshAll);
      observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
      onTranslationChange(refreshAll);
    }
    this.#translation = this.#locale = undefined;
  }

  hostDisconnected(): void {
    hosts.delete(this);
  }

  /** Forgets the resolved language and re-renders the host. */
  refresh(): void {
    this.#translation = this.#locale = undefined;
    this.host.requestUpdate();
  }

  get translation(): Translation {
    return (this.#translation ??= translationFor(this.locale()));
  }

  /** The nearest `lang` as written (`de-DE`), for Intl formatting of dates and numbers. */
  locale(): string {
    return (this.#locale ??= nearestLang(this.host));
  }

  /** The resolved language code, e.g. `da`. */
  lang(): string {
    return this.translation.$code;
  }

  dir(): 'ltr' | 'rtl' {
    return this.translation.$dir;
  }

  /** A string by key; strings that take values are called with `args`. */
  term<K extends keyof Strings>(key: K, ...args: Strings[K] extends (...a: infer A) => string ? A : []): string {
    const value = this.translation[key] as string | ((...a: unknown[]) => string);
    return typeof value === 'function' ? value(...args) : value;
  }
}

import { LitElement } from 'lit';

/** Options for {@link AgentElement.emit}; events bubble and cross shadow roots unless told otherwise. */
export type EmitOptions = Omit<CustomEventInit, 'detail'>;

/** The base of every agent-console element. */
export class AgentElement extends LitElement {
  /**
   * Dispatches a `CustomEvent` that bubbles and is composed. Returns the
   * event, so a caller can check `defaultPrevented` on cancelable ones.
   */
  emit<T>(name: string, detail?: T, options: EmitOptions = {}): CustomEvent<T> {
    const event = new CustomEvent<T>(name, { bubbles: true, composed: true, cancelable: false, ...options, detail });
    this.dispatchEvent(event);
    return event;
  }

  /**
   * Registers the element under `tag` unless that tag is already taken, so
   * two copies of the library on one CRM page do not throw. Where there is
   * no registry (a server or worker without a DOM) it does nothing, so the
   * module still loads there.
   */
  static define(tag: string): void {
    const registry = globalThis.customElements as CustomElementRegistry | undefined;
    if (registry && !registry.get(tag)) registry.define(tag, this);
  }
}

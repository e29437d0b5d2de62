import { LitElement } from 'lit';

/** Options for {@link AgentElement.emit}; events bubble and cross shadow roots unless told otherwise. */
export type EmitOptions = Omit<CustomEventInit, 'detail'>;

/** The name of every `agent-*` event, as each element declares it in the global event map. */
export type AgentEventName = Extract<keyof HTMLElementEventMap, `agent-${string}`>;

/** The `detail` of the `agent-*` event `K`. */
export type AgentEventDetail<K extends AgentEventName> = HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

/** `emit`'s arguments after the name: `detail` may be left out only when the event's detail allows `undefined`. */
type EmitArguments<K extends AgentEventName> =
  undefined extends AgentEventDetail<K> ? [detail?: AgentEventDetail<K>, options?: EmitOptions] : [detail: AgentEventDetail<K>, options?: EmitOptions];

/** The base of every agent-console element. */
export class AgentElement extends LitElement {
  /**
   * Dispatches a `CustomEvent` that bubbles and is composed. Returns the
   * event, so a caller can check `defaultPrevented` on cancelable ones. The
   * name must be an `agent-*` event declared in `GlobalEventHandlersEventMap`
   * and the detail must be of its declared type, so a misspelt event or a
   * wrong detail does not compile.
   */
  emit<K extends AgentEventName>(name: K, ...[detail, options]: EmitArguments<K>): CustomEvent<AgentEventDetail<K>> {
    const event = new CustomEvent(name, { bubbles: true, composed: true, cancelable: false, ...options, detail });
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

/**
 * `agent-console/jsx-preact`: types only. Makes `<agent-console>` and every
 * other element type-check in Preact JSX:
 * `<agent-console adapter={adapter} max-sessions={5} onagent-accept={(event) => event.detail.requestId} />`.
 * Load it with `import type {} from 'agent-console/jsx-preact'`. Register the
 * elements before Preact renders them (`import 'agent-console'`), so that
 * Preact sets `adapter` and the other object-valued props as properties.
 */
import type { HTMLAttributes } from 'preact';
import type { AgentTagName } from './element-events.js';
import type { AgentElementAttributes, AgentElementTypes } from './jsx-types.js';

export type * from './jsx-types.js';
export type { AgentTagName, ElementEventName } from './element-events.js';

/** The props of `<T>` in Preact JSX: standard HTML attributes, `ref`, `class`, `style`, and the element's own. */
export type AgentPreactElementProps<T extends AgentTagName> = HTMLAttributes<AgentElementTypes[T]['element']> & AgentElementAttributes<T>;

/** Every agent-console element, as Preact's `JSX.IntrinsicElements` lists it. */
export type AgentPreactIntrinsicElements = { [T in AgentTagName]: AgentPreactElementProps<T> };

declare module 'preact' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- how Preact's JSX types are extended
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges into Preact's own interface
    interface IntrinsicElements extends AgentPreactIntrinsicElements {}
  }
}

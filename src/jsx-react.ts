/**
 * `agent-console/jsx-react`: types only. Makes `<agent-console>` and every
 * other element type-check in React 19 JSX, without the wrappers:
 * `<agent-console adapter={adapter} max-sessions={5} onagent-accept={(event) => event.detail.requestId} />`.
 * Load it with `import type {} from 'agent-console/jsx-react'` (the wrappers
 * of `agent-console/react` do not need it). Register the elements before
 * React renders them (`import 'agent-console'`), so that React 19 sets
 * `adapter` and the other object-valued props as properties.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { AgentTagName } from './element-events.js';
import type { AgentElementAttributes, AgentElementTypes } from './jsx-types.js';

export type * from './jsx-types.js';
export type { AgentTagName, ElementEventName } from './element-events.js';

/** The props of `<T>` in React JSX: standard HTML props, `ref`, `class`, and the element's own. */
export type AgentReactElementProps<T extends AgentTagName> = DetailedHTMLProps<HTMLAttributes<AgentElementTypes[T]['element']>, AgentElementTypes[T]['element']> &
  AgentElementAttributes<T> & {
    /** React 19 passes `class` through to custom elements, as well as `className`. */
    class?: string;
  };

/** Every agent-console element, as React's `JSX.IntrinsicElements` lists it. */
export type AgentReactIntrinsicElements = { [T in AgentTagName]: AgentReactElementProps<T> };

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- how React's JSX types are extended
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges into React's own interface
    interface IntrinsicElements extends AgentReactIntrinsicElements {}
  }
}

/**
 * The `agent-*` events a listener on each element receives: its own, and
 * those that bubble up from the elements it renders or holds (a console
 * hears its toasts, its pane's composer and attachment menu). One list per
 * element, so the React wrappers and the JSX types cannot disagree.
 */
const requestEvents = ['agent-accept', 'agent-reject', 'agent-timeout'] as const;
const attachmentEvents = ['agent-attachment-select', 'agent-attachment-refuse'] as const;
const paneEvents = ['agent-send', 'agent-error', ...attachmentEvents, 'agent-dismiss'] as const;

export const elementEvents = {
  'agent-console': [...requestEvents, 'agent-privacy-acknowledge', ...paneEvents],
  'agent-request-toast': requestEvents,
  'agent-toast-stack': requestEvents,
  'agent-conversation-pane': paneEvents,
  'agent-attachment-picker': attachmentEvents,
  'agent-error-banner': ['agent-dismiss'],
  'agent-privacy-notice': ['agent-privacy-acknowledge'],
} as const satisfies Record<`agent-${string}`, readonly (keyof GlobalEventHandlersEventMap)[]>;

/** The tag of every agent-console element. */
export type AgentTagName = keyof typeof elementEvents;

/** The events a listener on `<T>` receives. */
export type ElementEventName<T extends AgentTagName> = (typeof elementEvents)[T][number];

/**
 * `agent-console/react`: a React component for every element, made with
 * `@lit/react`. Properties are set as properties (`adapter`, `maxSessions`),
 * and each `agent-*` event the element receives has a typed prop:
 * `<AgentConsole adapter={adapter} onAgentAccept={(event) => event.detail.requestId} />`.
 * Importing it registers the elements, and it imports without a DOM, so
 * server rendering works (the elements render on the client). It works in
 * React 18 and 19; the types of plain `<agent-console>` JSX, which need React
 * 19's handling of custom elements, are a separate opt-in entry,
 * `agent-console/jsx-react`.
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { AgentAttachmentPicker as AgentAttachmentPickerElement } from './attachment-picker.js';
import { AgentConsole as AgentConsoleElement } from './console.js';
import { AgentConversationPane as AgentConversationPaneElement } from './conversation-pane.js';
import { elementEvents, type AgentTagName, type ElementEventName } from './element-events.js';
import { AgentErrorBanner as AgentErrorBannerElement } from './error-banner.js';
import { AgentPrivacyNotice as AgentPrivacyNoticeElement } from './privacy-notice.js';
import { AgentRequestToast as AgentRequestToastElement } from './request-toast.js';
import { AgentToastStack as AgentToastStackElement } from './toast-stack.js';


/** `agent-attachment-select` → `AgentAttachmentSelect`. */
type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${Pascal<Tail>}` : Capitalize<S>;

/** The event props of the wrapper of `<T>`: `onAgentAccept` for `agent-accept`, and so on. */
export type AgentReactEvents<T extends AgentTagName> = {
  [K in ElementEventName<T> as `on${Pascal<K>}`]: EventName<GlobalEventHandlersEventMap[K]>;
};

const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_, _dash, letter: string) => letter.toUpperCase());

/** The wrapper of `<T>`, named after the element's class, with a prop for each event it receives. */
function wrap<T extends AgentTagName, E extends HTMLElement>(tagName: T, elementClass: new () => E) {
  const events = Object.fromEntries(elementEvents[tagName].map((name) => [`on${pascal(name)}`, name])) as AgentReactEvents<T>;
  return createComponent({ react: React, tagName, elementClass, events, displayName: pascal(tagName) });
}

/** `<agent-console>`: the whole console on one adapter. */
export const AgentConsole = wrap('agent-console', AgentConsoleElement);

/** `<agent-request-toast>`: one incoming conversation request. */
export const AgentRequestToast = wrap('agent-request-toast', AgentRequestToastElement);

/** `<agent-toast-stack>`: stacks request toasts, in a corner or in the console. */
export const AgentToastStack = wrap('agent-toast-stack', AgentToastStackElement);

/** `<agent-conversation-pane>`: the transcript and composer of one conversation. */
export const AgentConversationPane = wrap('agent-conversation-pane', AgentConversationPaneElement);

/** `<agent-attachment-picker>`: the composer's attachment menu. */
export const AgentAttachmentPicker = wrap('agent-attachment-picker', AgentAttachmentPickerElement);

/** `<agent-error-banner>`: a message the agent can dismiss. */
export const AgentErrorBanner = wrap('agent-error-banner', AgentErrorBannerElement);

/** `<agent-privacy-notice>`: the monitoring notice the agent acknowledges. */
export const AgentPrivacyNotice = wrap('agent-privacy-notice', AgentPrivacyNoticeElement);

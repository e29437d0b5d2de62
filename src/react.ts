/**
 * `agent-console/react`: a React component for every element, made with
 * `@lit/react`. Properties are set as properties (`adapter`, `maxSessions`),
 * and each `agent-*` event the element receives has a typed prop:
 * `<AgentConsole adapter={adapter} onAgentAccept={(event) => event.detail.requestId} />`.
 * Importing it registers the elements, and it imports without a DOM, so
 * server rendering works (the elements render on the client). It also brings
 * the JSX types of `agent-console/jsx-react`.
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

export type * from './jsx-react.js';

/** `agent-attachment-select` → `AgentAttachmentSelect`. */
type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${Pascal<Tail>}` : Capitalize<S>;

/** The event props of the wrapper of `<T>`: `onAgentAccept` for `agent-accept`, and so on. */
export type AgentReactEvents<T extends AgentTagName> = {
  [K in ElementEventName<T> as `on${Pascal<K>}`]: EventName<GlobalEventHandlersEventMap[K]>;
};

const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_, _dash, letter: string) => letter.toUpperCase());

function eventsOf<T extends AgentTagName>(tag: T): AgentReactEvents<T> {
  return Object.fromEntries(elementEvents[tag].map((name) => [`on${pascal(name)}`, name])) as AgentReactEvents<T>;
}

/** `<agent-console>`: the whole console on one adapter. */
export const AgentConsole = createComponent({
  react: React,
  tagName: 'agent-console',
  elementClass: AgentConsoleElement,
  events: eventsOf('agent-console'),
  displayName: 'AgentConsole',
});

/** `<agent-request-toast>`: one incoming conversation request. */
export const AgentRequestToast = createComponent({
  react: React,
  tagName: 'agent-request-toast',
  elementClass: AgentRequestToastElement,
  events: eventsOf('agent-request-toast'),
  displayName: 'AgentRequestToast',
});

/** `<agent-toast-stack>`: stacks request toasts in a corner. */
export const AgentToastStack = createComponent({
  react: React,
  tagName: 'agent-toast-stack',
  elementClass: AgentToastStackElement,
  events: eventsOf('agent-toast-stack'),
  displayName: 'AgentToastStack',
});

/** `<agent-conversation-pane>`: the transcript and composer of one conversation. */
export const AgentConversationPane = createComponent({
  react: React,
  tagName: 'agent-conversation-pane',
  elementClass: AgentConversationPaneElement,
  events: eventsOf('agent-conversation-pane'),
  displayName: 'AgentConversationPane',
});

/** `<agent-attachment-picker>`: the composer's attachment menu. */
export const AgentAttachmentPicker = createComponent({
  react: React,
  tagName: 'agent-attachment-picker',
  elementClass: AgentAttachmentPickerElement,
  events: eventsOf('agent-attachment-picker'),
  displayName: 'AgentAttachmentPicker',
});

/** `<agent-error-banner>`: a message the agent can dismiss. */
export const AgentErrorBanner = createComponent({
  react: React,
  tagName: 'agent-error-banner',
  elementClass: AgentErrorBannerElement,
  events: eventsOf('agent-error-banner'),
  displayName: 'AgentErrorBanner',
});

/** `<agent-privacy-notice>`: the monitoring notice the agent acknowledges. */
export const AgentPrivacyNotice = createComponent({
  react: React,
  tagName: 'agent-privacy-notice',
  elementClass: AgentPrivacyNoticeElement,
  events: eventsOf('agent-privacy-notice'),
  displayName: 'AgentPrivacyNotice',
});

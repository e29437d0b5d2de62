/**
 * What each element takes in markup, for the JSX types of
 * `agent-console/jsx-react` and `agent-console/jsx-preact`: attributes under
 * their attribute names (`max-sessions`, as in HTML and server rendering),
 * object-valued properties under their property names (`adapter`), which
 * React 19 and Preact set as properties once the element is registered, and
 * `on<event>` handlers, which both add as listeners for `<event>`.
 * Types only: nothing here runs.
 */
import type { AgentConsole } from './components/agent-console/console.component.js';
import type { AgentAttachmentPicker } from './components/attachment-picker/attachment-picker.component.js';
import type { AgentConversationPane } from './components/conversation-pane/conversation-pane.component.js';
import type { AgentErrorBanner } from './components/error-banner/error-banner.component.js';
import type { AgentPrivacyNotice } from './components/privacy-notice/privacy-notice.component.js';
import type { AgentRequestToast } from './components/request-toast/request-toast.component.js';
import type { AgentToastStack } from './components/toast-stack/toast-stack.component.js';
import type { AgentTagName, ElementEventName } from './element-events.js';

/** `<agent-console>`: see {@link AgentConsole}. */
export interface AgentConsoleAttributes {
  /** The channel adapter to run on (a property). */
  adapter?: AgentConsole['adapter'];
  'max-sessions'?: AgentConsole['maxSessions'];
  timeout?: AgentConsole['timeout'];
  'max-visible'?: AgentConsole['maxVisible'];
  'toast-position'?: AgentConsole['toastPosition'];
  sound?: AgentConsole['sound'];
  notify?: AgentConsole['notify'];
  /** The notice text; `""` shows the localised default. Leave it out for no notice. */
  'privacy-notice'?: string;
  'privacy-acknowledged'?: AgentConsole['privacyAcknowledged'];
  'customer-notice'?: AgentConsole['customerNotice'];
  'sync-key'?: AgentConsole['syncKey'];
}

/** `<agent-request-toast>`: see {@link AgentRequestToast}. */
export interface AgentRequestToastAttributes {
  /** The request shown (a property). */
  request?: AgentRequestToast['request'];
  /** The channel's name and icon (a property). */
  channel?: AgentRequestToast['channel'];
  timeout?: AgentRequestToast['timeout'];
  'hide-countdown'?: AgentRequestToast['hideCountdown'];
  busy?: AgentRequestToast['busy'];
  error?: AgentRequestToast['error'];
  blocked?: AgentRequestToast['blocked'];
  gone?: AgentRequestToast['gone'];
}

/** `<agent-toast-stack>`: see {@link AgentToastStack}. */
export interface AgentToastStackAttributes {
  'max-visible'?: AgentToastStack['maxVisible'];
  position?: AgentToastStack['position'];
}

/** `<agent-conversation-pane>`: see {@link AgentConversationPane}. */
export interface AgentConversationPaneAttributes {
  /** A console core to show the conversation from (a property). */
  core?: AgentConversationPane['core'];
  /** Or an adapter, for a pane used alone (a property). */
  adapter?: AgentConversationPane['adapter'];
  'conversation-id'?: AgentConversationPane['conversationId'];
  /** The conversation, when the pane is used alone (a property). */
  conversation?: AgentConversationPane['conversation'];
}

/** `<agent-attachment-picker>`: see {@link AgentAttachmentPicker}. */
export interface AgentAttachmentPickerAttributes {
  /** The attachment policy files are checked against (a property). */
  policy?: AgentAttachmentPicker['policy'];
  disabled?: AgentAttachmentPicker['disabled'];
}

/** `<agent-error-banner>`: see {@link AgentErrorBanner}. */
export interface AgentErrorBannerAttributes {
  message?: AgentErrorBanner['message'];
  dismissible?: AgentErrorBanner['dismissible'];
}

/** `<agent-privacy-notice>`: see {@link AgentPrivacyNotice}. */
export interface AgentPrivacyNoticeAttributes {
  message?: AgentPrivacyNotice['message'];
  acknowledged?: AgentPrivacyNotice['acknowledged'];
}

/** Each element's class and markup attributes, by tag. */
export interface AgentElementTypes {
  'agent-console': { element: AgentConsole; attributes: AgentConsoleAttributes };
  'agent-request-toast': { element: AgentRequestToast; attributes: AgentRequestToastAttributes };
  'agent-toast-stack': { element: AgentToastStack; attributes: AgentToastStackAttributes };
  'agent-conversation-pane': { element: AgentConversationPane; attributes: AgentConversationPaneAttributes };
  'agent-attachment-picker': { element: AgentAttachmentPicker; attributes: AgentAttachmentPickerAttributes };
  'agent-error-banner': { element: AgentErrorBanner; attributes: AgentErrorBannerAttributes };
  'agent-privacy-notice': { element: AgentPrivacyNotice; attributes: AgentPrivacyNoticeAttributes };
}

/** `onagent-accept={(event) => …}`: a listener for each event `<T>` receives, typed by its `detail`. */
export type AgentEventHandlers<T extends AgentTagName> = {
  [K in ElementEventName<T> as `on${K}`]?: (event: GlobalEventHandlersEventMap[K]) => void;
};

/**
 * The element-specific props of `<T>` in JSX: its attributes and event
 * handlers. (Indexing by every {@link AgentTagName} is also what keeps
 * {@link AgentElementTypes} complete.)
 */
export type AgentElementAttributes<T extends AgentTagName> = AgentElementTypes[T]['attributes'] & AgentEventHandlers<T>;


// Type-level tests of the elements' events, checked by `npm run typecheck`
// (nothing here runs). A line marked `@ts-expect-error` fails the check
// when it compiles, so each one proves a mistake is caught.
import type { AgentElement, AgentEventDetail, AgentEventName } from '../../src/components/base/agent-element.js';
import type { AgentTagName, ElementEventName } from '../../src/element-events.js';
import type {
  AgentErrorDetail,
  AttachmentRefuseDetail,
  AttachmentSelectDetail,
  PrivacyAcknowledgeDetail,
  RequestAnswerDetail,
  SendDetail,
} from '../../src/index.js';

type Expect<T extends true> = T;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * Every `agent-*` event with the detail type the package root exports for
 * it. Indexing it by every declared event (below) makes an event without an
 * entry here, and so without an exported detail type, fail the check.
 */
interface ExportedDetails {
  'agent-accept': RequestAnswerDetail;
  'agent-reject': RequestAnswerDetail;
  'agent-timeout': RequestAnswerDetail;
  'agent-send': SendDetail;
  'agent-error': AgentErrorDetail;
  'agent-attachment-select': AttachmentSelectDetail;
  'agent-attachment-refuse': AttachmentRefuseDetail;
  'agent-privacy-acknowledge': PrivacyAcknowledgeDetail;
  'agent-dismiss': undefined;
}

export type EventChecks = [
  // Each declared event's detail is the exported type, and no entry above is stale.
  Expect<Equal<{ [K in AgentEventName]: AgentEventDetail<K> }, { [K in AgentEventName]: ExportedDetails[K] }>>,
  Expect<Equal<keyof ExportedDetails, AgentEventName>>,
  // Every declared event is one some element lists (element-events.ts feeds the JSX types and React wrappers), and back.
  Expect<Equal<ElementEventName<AgentTagName>, AgentEventName>>,
];

declare const element: AgentElement;

export function emitChecks() {
  const send: CustomEvent<SendDetail> = element.emit('agent-send', { conversationId: 'c1', text: 'Hello' }, { cancelable: true });
  element.emit('agent-dismiss');
  element.emit('agent-dismiss', undefined, { cancelable: true });
  element.emit('agent-accept', { requestId: 'r1', outcome: 'accepted' });

  // @ts-expect-error: a misspelt event name
  element.emit('agent-sent', { conversationId: 'c1', text: 'Hello' });
  // @ts-expect-error: only agent-* events are emitted
  element.emit('click');
  // @ts-expect-error: agent-send must carry its detail
  element.emit('agent-send');
  // @ts-expect-error: a detail field agent-send does not have
  element.emit('agent-send', { conversationId: 'c1', body: 'Hello' });
  // @ts-expect-error: an outcome the request events do not have
  element.emit('agent-reject', { requestId: 'r1', outcome: 'declined' });
  // @ts-expect-error: agent-dismiss has no detail
  element.emit('agent-dismiss', { reason: 'closed' });
  return send.defaultPrevented;
}

export function listenerChecks(agentConsole: HTMLElementTagNameMap['agent-console']) {
  agentConsole.addEventListener('agent-accept', (event) => {
    const requestId: string = event.detail.requestId;
    // @ts-expect-error: the detail of agent-accept has no text
    void event.detail.text;
    return requestId;
  });
  document.querySelector('agent-conversation-pane')?.addEventListener('agent-send', (event) => event.detail.text.trim());
  document.addEventListener('agent-error', (event) => event.detail.code satisfies AgentErrorDetail['code']);
  window.addEventListener('agent-attachment-refuse', (event) => event.detail.reason);
}

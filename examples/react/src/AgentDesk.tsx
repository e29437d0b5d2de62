import { useState } from 'react';
import type { PrivacyAcknowledgeDetail } from 'agent-console';
import type { ChannelAdapter } from 'agent-console/adapters';
// The types of plain <agent-console> JSX (React 19), for PlainAgentDesk below.
import type {} from 'agent-console/jsx-react';
import { AgentConsole, AgentErrorBanner } from 'agent-console/react';

/** The console through the React wrappers: camelCase properties, typed `onAgent…` event props. */
export function AgentDesk({ adapter }: { adapter: ChannelAdapter }) {
  const [accepted, setAccepted] = useState<string[]>([]);
  const [problem, setProblem] = useState('');
  return (
    <>
      {problem && <AgentErrorBanner message={problem} dismissible onAgentDismiss={() => setProblem('')} />}
      <AgentConsole
        adapter={adapter}
        maxSessions={5}
        toastPosition="bottom-end"
        privacyNotice=""
        onAgentAccept={(event) => setAccepted((ids) => [...ids, event.detail.requestId])}
        onAgentSend={(event) => {
          if (/\b\d{16}\b/.test(event.detail.text)) event.preventDefault(); // no card numbers
        }}
        onAgentError={(event) => setProblem(event.detail.message)}
      />
      <p>Accepted today: {accepted.length}</p>
    </>
  );
}

/** The same element as plain JSX: attributes as in HTML, `adapter` as a property, `onagent-…` listeners. */
export function PlainAgentDesk({ adapter, audit }: { adapter: ChannelAdapter; audit: (record: PrivacyAcknowledgeDetail) => void }) {
  const [accepted, setAccepted] = useState(0);
  return (
    <agent-console
      adapter={adapter}
      max-sessions={5}
      toast-position="bottom-end"
      privacy-notice=""
      className={accepted ? 'desk busy' : 'desk'}
      onagent-accept={() => setAccepted((count) => count + 1)}
      onagent-privacy-acknowledge={(event) => audit(event.detail)}
    />
  );
}

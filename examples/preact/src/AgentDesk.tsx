import 'agent-console';
import type {} from 'agent-console/jsx-preact';
import type { AgentConsole } from 'agent-console';
import type { ChannelAdapter } from 'agent-console/adapters';
import { useRef, useState } from 'preact/hooks';

/** `agent-console` registers the elements, `agent-console/jsx-preact` types them in JSX. */
export function AgentDesk({ adapter }: { adapter: ChannelAdapter }) {
  const desk = useRef<AgentConsole>(null);
  const [accepted, setAccepted] = useState<string[]>([]);
  return (
    <section aria-label="Customer conversations">
      <agent-console
        ref={desk}
        adapter={adapter}
        max-sessions={5}
        toast-position="bottom-end"
        class="desk"
        style={{ height: '40rem' }}
        onagent-accept={(event) => setAccepted((ids) => [...ids, event.detail.requestId])}
        onagent-send={(event) => {
          if (/\b\d{16}\b/.test(event.detail.text)) event.preventDefault(); // no card numbers
        }}
      />
      <p>Accepted today: {accepted.length}</p>
    </section>
  );
}

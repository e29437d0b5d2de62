import 'agent-console';
import type {} from 'agent-console/jsx-react';
import type { AgentConsole } from 'agent-console';
import type { ChannelAdapter } from 'agent-console/adapters';
import { useRef, useState } from 'react';

/** Plain JSX only, no wrappers: `agent-console` registers the elements, `agent-console/jsx-react` types them. */
export function AgentDesk({ adapter }: { adapter: ChannelAdapter }) {
  const desk = useRef<AgentConsole>(null);
  const [open, setOpen] = useState(0);
  return (
    <section aria-label="Customer conversations">
      <agent-console
        ref={desk}
        adapter={adapter}
        max-sessions={5}
        timeout={90}
        sound
        onagent-accept={() => setOpen(desk.current?.core?.sessions.size ?? 0)}
      />
      <p>Open conversations: {open}</p>
    </section>
  );
}

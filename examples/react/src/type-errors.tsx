// Mistakes an integrator can make, each of which must fail to type-check:
// tsc reports an unused `@ts-expect-error`, so a type that lets one through fails the build.
import type { ChannelAdapter } from 'agent-console/adapters';
import { AgentConsole, AgentRequestToast } from 'agent-console/react';

export function Mistakes({ adapter }: { adapter: ChannelAdapter }) {
  return (
    <>
      {/* @ts-expect-error -- misspelt property */}
      <AgentConsole adapter={adapter} maxSesions={5} />
      {/* @ts-expect-error -- a number property given a string */}
      <AgentConsole adapter={adapter} maxSessions="5" />
      {/* @ts-expect-error -- the adapter must be a ChannelAdapter */}
      <AgentConsole adapter={{ connect: true }} />
      {/* @ts-expect-error -- toastPosition takes only the four corners */}
      <AgentConsole adapter={adapter} toastPosition="middle" />
      {/* @ts-expect-error -- the detail of agent-accept has no conversationId */}
      <AgentConsole adapter={adapter} onAgentAccept={(event) => event.detail.conversationId} />
      {/* @ts-expect-error -- a handler for the wrong detail type */}
      <AgentConsole adapter={adapter} onAgentSend={(event: CustomEvent<{ requestId: string }>) => event.detail.requestId} />
      {/* @ts-expect-error -- misspelt event prop */}
      <AgentConsole adapter={adapter} onAgentAccepted={() => {}} />
      {/* @ts-expect-error -- a toast does not hear agent-send */}
      <AgentRequestToast onAgentSend={() => {}} />

      {/* TypeScript accepts any JSX attribute with a dash, so a misspelt `max-sesions` or
          `onagent-acept` is not caught on plain elements: one more reason for the wrappers. */}
      {/* @ts-expect-error -- misspelt property without a dash */}
      <agent-console adapter={adapter} adaptor={adapter} />
      {/* @ts-expect-error -- a number attribute given a word */}
      <agent-console adapter={adapter} max-sessions="five" />
      {/* @ts-expect-error -- toast-position takes only the four corners */}
      <agent-console adapter={adapter} toast-position="middle" />
      {/* @ts-expect-error -- the detail of agent-reject has no text */}
      <agent-console adapter={adapter} onagent-reject={(event) => event.detail.text} />
      {/* @ts-expect-error -- a handler for the wrong detail type */}
      <agent-console adapter={adapter} onagent-send={(event: CustomEvent<{ requestId: string }>) => event.detail.requestId} />
      {/* @ts-expect-error -- the ref is an AgentConsole, not an input */}
      <agent-console ref={{ current: null as HTMLInputElement | null }} />
      {/* @ts-expect-error -- an element that does not exist */}
      <agent-consol adapter={adapter} />
    </>
  );
}

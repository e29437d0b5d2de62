// Mistakes an integrator can make, each of which must fail to type-check:
// tsc reports an unused `@ts-expect-error`, so a type that lets one through fails the build.
import 'agent-console';
import type {} from 'agent-console/jsx-preact';
import type { ChannelAdapter } from 'agent-console/adapters';

export function Mistakes({ adapter }: { adapter: ChannelAdapter }) {
  return (
    <>
      {/* @ts-expect-error -- misspelt property without a dash */}
      <agent-console adapter={adapter} adaptor={adapter} />
      {/* @ts-expect-error -- the adapter must be a ChannelAdapter */}
      <agent-console adapter={{ connect: true }} />
      {/* @ts-expect-error -- a number attribute given a word */}
      <agent-console adapter={adapter} max-sessions="five" />
      {/* @ts-expect-error -- toast-position takes only the four corners */}
      <agent-console adapter={adapter} toast-position="middle" />
      {/* @ts-expect-error -- the detail of agent-reject has no text */}
      <agent-console adapter={adapter} onagent-reject={(event) => event.detail.text} />
      {/* @ts-expect-error -- a handler for the wrong detail type */}
      <agent-error-banner onagent-dismiss={(event: CustomEvent<{ requestId: string }>) => event.detail.requestId} />
      {/* @ts-expect-error -- an element that does not exist */}
      <agent-consol adapter={adapter} />
    </>
  );
}

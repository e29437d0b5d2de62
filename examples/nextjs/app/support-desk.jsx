'use client';

// Registers <agent-console> and the elements it uses. A client component is
// also rendered on the server, so this import runs there too: it loads without
// a DOM, and the element comes alive when the browser loads this module.
import 'agent-console';
import { MockChannelAdapter } from 'agent-console/adapters';
import { useEffect, useRef, useState } from 'react';

/**
 * The console on the built-in mock adapter, which plays Facebook customers.
 * Swap in your own adapter (or `FacebookMessengerAdapter`) for real traffic.
 */
export function SupportDesk() {
  const consoleRef = useRef(null);
  const [adapter, setAdapter] = useState(null);
  const [accepted, setAccepted] = useState([]);

  useEffect(() => {
    const element = consoleRef.current;
    // Made in the browser only: the server renders the bare tag.
    const mock = new MockChannelAdapter();
    element.adapter = mock;
    setAdapter(mock);
    const onAccept = (event) => {
      // Still pending while the event is dispatched, so the core knows who it is.
      const request = element.core?.requests.get(event.detail.requestId);
      setAccepted((names) => [...names, request?.customer.name ?? event.detail.requestId]);
    };
    element.addEventListener('agent-accept', onAccept);
    return () => {
      element.removeEventListener('agent-accept', onAccept);
      element.adapter = undefined;
      void mock.dispose();
    };
  }, []);

  return (
    <>
      <p>
        <button type="button" disabled={!adapter} onClick={() => adapter.request()}>
          Simulate a customer request
        </button>
      </p>
      <p role="status">{accepted.length ? `Accepted: ${accepted.join(', ')}` : 'No request accepted yet.'}</p>
      <agent-console ref={consoleRef} max-sessions="3" style={{ '--agent-console-height': '32rem' }}></agent-console>
    </>
  );
}

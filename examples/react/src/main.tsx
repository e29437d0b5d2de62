import { FacebookMessengerAdapter } from 'agent-console/adapters';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AgentDesk } from './AgentDesk';

// One adapter for the page's lifetime, made outside React's render.
const adapter = new FacebookMessengerAdapter({
  url: 'https://crm.example.com/messenger',
  token: () => fetch('/api/agent-token').then((response) => response.text()),
});

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <AgentDesk adapter={adapter} />
  </StrictMode>,
);

import { AgentConsole } from './components/agent-console/console.component.js';
import './conversation-pane.js';
import './privacy-notice.js';
import './request-toast.js';
import './toast-stack.js';

export { AgentConsole };
AgentConsole.define('agent-console');

declare global {
  interface HTMLElementTagNameMap {
    'agent-console': AgentConsole;
  }
}

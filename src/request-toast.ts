import { AgentRequestToast } from './components/request-toast/request-toast.component.js';

export { AgentRequestToast };
AgentRequestToast.define('agent-request-toast');

declare global {
  interface HTMLElementTagNameMap {
    'agent-request-toast': AgentRequestToast;
  }
}

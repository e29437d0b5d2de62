import { AgentToastStack } from './components/toast-stack/toast-stack.component.js';

export { AgentToastStack };
AgentToastStack.define('agent-toast-stack');

declare global {
  interface HTMLElementTagNameMap {
    'agent-toast-stack': AgentToastStack;
  }
}

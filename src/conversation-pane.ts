import './attachment-picker.js';
import './error-banner.js';
import { AgentConversationPane } from './components/conversation-pane/conversation-pane.component.js';

export { AgentConversationPane };
AgentConversationPane.define('agent-conversation-pane');

declare global {
  interface HTMLElementTagNameMap {
    'agent-conversation-pane': AgentConversationPane;
  }
}

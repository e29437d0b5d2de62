import { AgentPrivacyNotice } from './components/privacy-notice/privacy-notice.component.js';

export { AgentPrivacyNotice };
AgentPrivacyNotice.define('agent-privacy-notice');

declare global {
  interface HTMLElementTagNameMap {
    'agent-privacy-notice': AgentPrivacyNotice;
  }
}

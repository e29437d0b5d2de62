import { AgentErrorBanner } from './components/error-banner/error-banner.component.js';

export { AgentErrorBanner };
AgentErrorBanner.define('agent-error-banner');

declare global {
  interface HTMLElementTagNameMap {
    'agent-error-banner': AgentErrorBanner;
  }
}

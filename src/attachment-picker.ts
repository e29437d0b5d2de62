import { AgentAttachmentPicker } from './components/attachment-picker/attachment-picker.component.js';

export { AgentAttachmentPicker };
AgentAttachmentPicker.define('agent-attachment-picker');

declare global {
  interface HTMLElementTagNameMap {
    'agent-attachment-picker': AgentAttachmentPicker;
  }
}

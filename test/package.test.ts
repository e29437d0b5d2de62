import { expect } from '@open-wc/testing';
import * as root from '../src/index.js';
import * as adapters from '../src/adapters/index.js';

describe('package entries', () => {
  it('registers every element from the root entry and exports their classes', () => {
    const elements = {
      'agent-console': root.AgentConsole,
      'agent-request-toast': root.AgentRequestToast,
      'agent-toast-stack': root.AgentToastStack,
      'agent-conversation-pane': root.AgentConversationPane,
      'agent-attachment-picker': root.AgentAttachmentPicker,
      'agent-error-banner': root.AgentErrorBanner,
      'agent-privacy-notice': root.AgentPrivacyNotice,
    };
    for (const [tag, element] of Object.entries(elements)) expect(customElements.get(tag), tag).to.equal(element);
    expect(root.ConsoleCore).to.be.a('function');
    expect(root.registerTranslation).to.be.a('function');
  });

  it('exports the adapter contract and the mock from agent-console/adapters', () => {
    expect(adapters.MockChannelAdapter).to.be.a('function');
    expect(adapters.validateChannelEvent).to.be.a('function');
    expect(adapters.channelEventTypes).to.have.length(11);
  });
});

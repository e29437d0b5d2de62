import { expect } from '@open-wc/testing';

// The published build, as a page loads it (npm test builds before testing).
const built = (path: string) => import(new URL(`../dist/${path}`, import.meta.url).href);

describe('the built package', () => {
  it('registers every element when the root entry is imported', async function () {
    this.timeout(60_000); // the first load serves every unbundled module of the build
    const root = await built('index.js');
    expect(customElements.get('agent-error-banner')).to.equal(root.AgentErrorBanner);
    expect(customElements.get('agent-console')).to.equal(root.AgentConsole);
    expect(customElements.get('agent-request-toast')).to.equal(root.AgentRequestToast);
  });

  it('exports the adapters entry', async () => {
    const adapters = await built('adapters/index.js');
    expect(new adapters.MockChannelAdapter().channel).to.equal('mock');
  });

  it('loads Danish and Vietnamese from the build on demand', async () => {
    const root = await built('index.js');
    await Promise.all([root.loadTranslation('da'), root.loadTranslation('vi')]);
    expect(root.translationFor('da').endConversation).to.equal('Afslut samtale');
    expect(root.translationFor('vi').accept).to.equal('Chấp nhận');
  });
});

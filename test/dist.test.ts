import { expect } from '@open-wc/testing';

// The published build, as a page loads it (npm test builds before testing).
const built = (path: string) => import(new URL(`../dist/${path}`, import.meta.url).href);

describe('the built package', () => {
  it('registers every element when the root entry is imported', async function () {
    this.timeout(15_000); // the first load serves every unbundled module of the build
    const root = await built('index.js');
    expect(customElements.get('agent-error-banner')).to.equal(root.AgentErrorBanner);
  });

  it('exports the adapters entry', async () => {
    const adapters = await built('adapters/index.js');
    expect(new adapters.MockChannelAdapter().channel).to.equal('mock');
  });
});

import { expect, fixture, html } from '@open-wc/testing';
import '../src/error-banner.js';

describe('smoke', () => {
  it('renders', async () => {
    const el = await fixture(html`<agent-error-banner message="x"></agent-error-banner>`);
    expect(el.getAttribute('role')).to.equal('alert');
    await expect(el).to.be.accessible();
  });
});

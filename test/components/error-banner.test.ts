import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/error-banner.js';
import type { AgentErrorBanner } from '../../src/components/error-banner/error-banner.component.js';
import { translationFor } from '../../src/l10n/translation.js';
import { hostileStrings } from '../fixtures.js';
import { loadTranslation } from '../../src/l10n/translation.js';

const dismissButton = (banner: AgentErrorBanner) => banner.shadowRoot!.querySelector('button');

describe('<agent-error-banner>', () => {
  before(() => Promise.all([loadTranslation('da'), loadTranslation('vi')]));

  it('is an alert showing its message', async () => {
    const message = translationFor('en').unsupportedMessageType;
    const banner = await fixture<AgentErrorBanner>(html`<agent-error-banner .message=${message}></agent-error-banner>`);
    expect(banner.getAttribute('role')).to.equal('alert');
    expect(banner.shadowRoot!.querySelector('[part=message]')!.textContent).to.equal('Error: Customer sent an unsupported message type.');
    expect(dismissButton(banner)).to.equal(null);
    await expect(banner).to.be.accessible();
  });

  it('keeps a role the page gives it', async () => {
    const banner = await fixture<AgentErrorBanner>(html`<agent-error-banner role="status" message="Saved"></agent-error-banner>`);
    expect(banner.getAttribute('role')).to.equal('status');
  });

  it('shows hostile text as text', async () => {
    (window as { __pwned?: boolean }).__pwned = false;
    for (const message of hostileStrings) {
      const banner = await fixture<AgentErrorBanner>(html`<agent-error-banner .message=${message}></agent-error-banner>`);
      const part = banner.shadowRoot!.querySelector('[part=message]')!;
      expect(part.textContent).to.equal(message);
      expect(part.querySelector('*:not(slot)')).to.equal(null);
    }
    expect((window as { __pwned?: boolean }).__pwned).to.equal(false);
  });

  it('is dismissed from the keyboard with a named button', async () => {
    const banner = await fixture<AgentErrorBanner>(html`<agent-error-banner dismissible message="Upload failed"></agent-error-banner>`);
    const button = dismissButton(banner)!;
    expect(button.getAttribute('aria-label')).to.equal('Dismiss');
    await expect(banner).to.be.accessible();
    button.focus();
    setTimeout(() => sendKeys({ press: 'Enter' }));
    const event = await oneEvent(banner, 'agent-dismiss');
    expect(event.bubbles && event.composed && event.cancelable).to.equal(true);
    expect(banner.hidden).to.equal(true);
    expect(getComputedStyle(banner).display).to.equal('none');
  });

  it('stays open when the page cancels agent-dismiss', async () => {
    const banner = await fixture<AgentErrorBanner>(html`<agent-error-banner dismissible message="Keep me"></agent-error-banner>`);
    banner.addEventListener('agent-dismiss', (event) => event.preventDefault());
    dismissButton(banner)!.click();
    expect(banner.hidden).to.equal(false);
  });

  it('names its button in the page’s language', async () => {
    const wrapper = await fixture(html`<div lang="da"><agent-error-banner dismissible></agent-error-banner></div>`);
    const banner = wrapper.querySelector('agent-error-banner')!;
    expect(dismissButton(banner)!.getAttribute('aria-label')).to.equal('Luk');
    banner.setAttribute('lang', 'vi');
    await new Promise((resolve) => setTimeout(resolve));
    await banner.updateComplete;
    expect(dismissButton(banner)!.getAttribute('aria-label')).to.equal('Đóng');
  });

  it('does not throw when the library registers twice', async () => {
    const { AgentErrorBanner } = await import('../../src/components/error-banner/error-banner.component.js');
    expect(() => AgentErrorBanner.define('agent-error-banner')).not.to.throw();
  });
});

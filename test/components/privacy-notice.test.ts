import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { AgentPrivacyNotice } from '../../src/components/privacy-notice/privacy-notice.component.js';
import { loadTranslation } from '../../src/l10n/translation.js';
import '../../src/privacy-notice.js';
import { getByRole, hostileStrings } from '../fixtures.js';

const message = (notice: AgentPrivacyNotice) => notice.shadowRoot!.querySelector('[part=message]')!.textContent;

describe('<agent-privacy-notice>', () => {
  before(() => loadTranslation('da'));

  it('tells the agent their conversations may be monitored, recorded and stored', async () => {
    const notice = await fixture<AgentPrivacyNotice>(html`<agent-privacy-notice></agent-privacy-notice>`);
    expect(message(notice)).to.equal(
      'Your conversations with customers may be monitored, recorded and stored for quality, training and legal reasons.',
    );
    expect(notice.shadowRoot!.querySelector('section')!.getAttribute('aria-labelledby')).to.equal('title');
    expect(notice.shadowRoot!.getElementById('title')!.textContent).to.equal('Privacy notice');
    await expect(notice).to.be.accessible();
  });

  it('shows the host page’s text, as text', async () => {
    for (const text of ['Calls and chats are recorded for 90 days.', ...hostileStrings]) {
      const notice = await fixture<AgentPrivacyNotice>(html`<agent-privacy-notice .message=${text}></agent-privacy-notice>`);
      expect(message(notice)).to.equal(text);
    }
  });

  it('records the acknowledgement with a timestamp and hides', async () => {
    const notice = await fixture<AgentPrivacyNotice>(html`<agent-privacy-notice message="Chats are recorded."></agent-privacy-notice>`);
    const before = Date.now();
    setTimeout(() => getByRole(notice, 'button', 'I understand').click());
    const { detail, bubbles, composed } = await oneEvent(notice, 'agent-privacy-acknowledge');
    expect(bubbles && composed).to.equal(true);
    expect(detail).to.include({ text: 'Chats are recorded.', lang: 'en' });
    expect(Date.parse(detail.acknowledgedAt)).to.be.within(before, Date.now());
    expect(notice.acknowledged).to.equal(true);
    expect(getComputedStyle(notice).display).to.equal('none');
  });

  it('has a Danish default', async () => {
    const wrapper = await fixture(html`<div lang="da"><agent-privacy-notice></agent-privacy-notice></div>`);
    const notice = wrapper.querySelector('agent-privacy-notice')!;
    expect(message(notice)).to.contain('kan blive overvåget, optaget og gemt');
    getByRole(notice, 'button', 'Jeg forstår');
  });
});

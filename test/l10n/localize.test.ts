import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { formatDate, formatDuration, formatFileSize } from '../../src/l10n/format.js';
import { LocalizeController } from '../../src/l10n/localize.js';
import { en } from '../../src/l10n/en.js';
import { loadTranslation, registerTranslation, type Translation, translationFor } from '../../src/l10n/translation.js';
import da from '../../src/translations/da.js';
import vi from '../../src/translations/vi.js';

class LocalizedProbe extends LitElement {
  l10n = new LocalizeController(this);
  override render() {
    return html`<button>${this.l10n.term('send')}</button><span>${this.l10n.term('save', 'invoice.pdf')}</span>`;
  }
}
customElements.define('localized-probe', LocalizedProbe);

/** Hosts a probe inside its shadow root, to check `lang` is found across shadow boundaries. */
class ShadowHost extends LitElement {
  override render() {
    return html`<localized-probe></localized-probe>`;
  }
}
customElements.define('shadow-host', ShadowHost);

const text = (probe: Element) => probe.shadowRoot!.textContent;

describe('languages on demand', () => {
  it('shows English until a shipped language has loaded, then re-renders in it', async () => {
    const probe = await fixture<LocalizedProbe>(html`<localized-probe lang="vi"></localized-probe>`);
    expect(text(probe), 'before Vietnamese has loaded').to.equal('SendSave invoice.pdf');
    await loadTranslation('vi');
    await probe.updateComplete;
    expect(text(probe)).to.equal('GửiLưu invoice.pdf');
  });
});

describe('localisation', () => {
  before(() => Promise.all([loadTranslation('da'), loadTranslation('vi')]));
  afterEach(() => document.documentElement.setAttribute('lang', 'en'));

  it('has the exact unsupported-type error in English, Danish and Vietnamese', () => {
    expect(translationFor('en').unsupportedMessageType).to.equal('Error: Customer sent an unsupported message type.');
    expect(translationFor('da').unsupportedMessageType).to.equal('Fejl: Kunden sendte en meddelelsestype, der ikke understøttes.');
    expect(translationFor('vi').unsupportedMessageType).to.equal('Lỗi: Khách hàng đã gửi loại tin nhắn không được hỗ trợ.');
  });

  it('has every string in every built-in language', () => {
    // The shipped tables themselves: translationFor() fills gaps from English, which would hide a missing string.
    const shape = (translation: Translation) =>
      Object.fromEntries(
        Object.entries(translation).map(([key, value]) => [key, typeof value === 'function' ? `function of ${value.length}` : typeof value]),
      );
    const english = shape(en);
    expect(Object.keys(english)).to.have.length.above(50);
    for (const translation of [da, vi]) {
      expect(shape(translation), translation.$code).to.deep.equal(english);
      for (const [key, value] of Object.entries(translation)) {
        if (typeof value === 'string') expect(value.trim(), `${translation.$code}.${key}`).not.to.equal('');
      }
    }
    expect(da.accept).to.equal('Acceptér');
    expect(vi.send).to.equal('Gửi');
  });

  it('follows the nearest lang attribute', async () => {
    const wrapper = await fixture(html`<div lang="da"><localized-probe></localized-probe></div>`);
    expect(text(wrapper.querySelector('localized-probe')!)).to.equal('SendGem invoice.pdf');
  });

  it('finds lang through shadow roots', async () => {
    const wrapper = await fixture(html`<section lang="vi-VN"><shadow-host></shadow-host></section>`);
    const probe = wrapper.querySelector('shadow-host')!.shadowRoot!.querySelector('localized-probe')!;
    await (probe as LocalizedProbe).updateComplete;
    expect(text(probe)).to.equal('GửiLưu invoice.pdf');
  });

  it('falls back to the document language, then to English', async () => {
    document.documentElement.setAttribute('lang', 'da-DK');
    const probe = await fixture<LocalizedProbe>(html`<localized-probe></localized-probe>`);
    expect(probe.l10n.lang()).to.equal('da');
    const french = await fixture<LocalizedProbe>(html`<localized-probe lang="fr"></localized-probe>`);
    expect(french.l10n.lang()).to.equal('en');
    expect(text(french)).to.equal('SendSave invoice.pdf');
  });

  it('re-renders when a lang attribute changes', async () => {
    const wrapper = await fixture(html`<div lang="en"><localized-probe></localized-probe></div>`);
    const probe = wrapper.querySelector<LocalizedProbe>('localized-probe')!;
    wrapper.setAttribute('lang', 'vi');
    await new Promise((resolve) => setTimeout(resolve));
    await probe.updateComplete;
    expect(text(probe)).to.equal('GửiLưu invoice.pdf');
  });

  it('lets the host page change wording and add languages', async () => {
    const probe = await fixture<LocalizedProbe>(html`<localized-probe lang="da"></localized-probe>`);
    registerTranslation({ $code: 'da', send: 'Afsend' }, { $code: 'de', $name: 'Deutsch', send: 'Senden' });
    await probe.updateComplete;
    expect(text(probe)).to.equal('AfsendGem invoice.pdf');
    expect(translationFor('de-AT')).to.include({ send: 'Senden', accept: 'Accept' });
    registerTranslation({ $code: 'da', send: undefined });
    expect(translationFor('da').send, 'undefined leaves a string alone').to.equal('Afsend');
    registerTranslation({ $code: 'da', send: 'Send' });
  });

  it('formats dates, durations and sizes in the language, through Intl', () => {
    const date = new Date(2026, 10, 21, 15, 4);
    expect(formatDate(date, 'en', { weekday: 'long', day: 'numeric', month: 'long' })).to.equal('Saturday, November 21');
    expect(formatDate(date, 'da-DK', { weekday: 'long', day: 'numeric', month: 'long' })).to.equal('lørdag 21. november');
    expect(formatDate(date, 'vi', { weekday: 'long' })).to.equal('Thứ Bảy');
    expect(formatDate(date, 'en')).to.equal('3:04 PM');
    expect(formatDate(date, 'da')).to.equal('15.04');
    const now = Date.now();
    expect(formatDuration(now + 3 * 3_600_000 + 60_000, 'en', now)).to.equal('3 hr');
    expect(formatDuration(now - 125_000, 'en', now)).to.equal('2 min');
    expect(formatDuration(now - 59_000, 'vi', now)).to.equal('59 giây');
    expect(formatDuration(now - 2 * 86_400_000, 'da', now)).to.equal('2 dage');
    // Formatters are kept per language and options: asked again, in any order, each still writes its own.
    const later = new Date(2026, 10, 22, 9, 30);
    expect([formatDate(later, 'da'), formatDate(later, 'en'), formatDate(later, 'en', { weekday: 'long' })]).to.deep.equal(['09.30', '9:30 AM', 'Sunday']);
    expect([formatFileSize(445, 'en'), formatFileSize(31.2 * 1024 * 1024, 'en'), formatFileSize(2048, 'da')]).to.deep.equal(['445 bytes', '31.2 MB', '2 kB']);
  });

});

import { expect, fixture, html } from '@open-wc/testing';
import { render } from 'lit';
import { loadSanitizer } from '../../src/components/base/sanitizer.js';
import { messageText } from '../../src/components/conversation-pane/message-text.js';

// Its own page (one per test file), so DOMPurify has not been loaded before.
describe('customer text before and after the sanitiser loads', () => {
  it('shows links and formatting as plain text until DOMPurify is there, then as sanitised markup', async () => {
    const text = 'Order *4471*: https://track.example/4471 <img src=x onerror=alert(1)>';
    const before = messageText(text);
    expect(before, 'plain text, never markup, while DOMPurify loads').to.equal(text);
    expect(await loadSanitizer()).to.equal(true);
    const shown = await fixture<HTMLParagraphElement>(html`<p></p>`);
    render(messageText(text), shown);
    expect(shown.querySelector('b')!.textContent).to.equal('4471');
    expect(shown.querySelector('a')!.getAttribute('href')).to.equal('https://track.example/4471');
    expect(shown.querySelector('img'), 'markup in the text stays text').to.equal(null);
    expect(shown.textContent).to.contain('<img src=x onerror=alert(1)>');
  });
});

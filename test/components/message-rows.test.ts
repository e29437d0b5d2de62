import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/conversation-pane.js';
import { MockChannelAdapter } from '../../src/adapters/mock-adapter.js';
import type { Message } from '../../src/adapters/types.js';
import type { AgentConversationPane } from '../../src/components/conversation-pane/conversation-pane.component.js';
import { loadSanitizer } from '../../src/components/base/sanitizer.js';
import { ConsoleCore } from '../../src/core/console-core.js';
import type { Session } from '../../src/core/session.js';
import { loadTranslation } from '../../src/l10n/translation.js';
import { getByRole, hostileStrings, message, queryAllByRole, settle, until } from '../fixtures.js';

// The transcript rows of what Facebook sends besides plain messages: edits,
// removals, replies, links, locations, standby messages, other senders on the
// Page and reactions on the message they point at.

let adapter: MockChannelAdapter;
let core: ConsoleCore;
let session: Session;
let pane: AgentConversationPane;

async function open(lang = 'en') {
  adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
  core = new ConsoleCore(adapter, { logger: { warn: () => {} } });
  await core.start();
  session = await core.accept(adapter.request({ customer: { name: 'Ana Souza' }, preview: undefined }).id);
  const wrapper = await fixture(html`<div lang=${lang} style="height: 420px; width: 420px">
    <agent-conversation-pane .core=${core} conversation-id=${session.id}></agent-conversation-pane>
  </div>`);
  pane = wrapper.querySelector('agent-conversation-pane')!;
  await loadSanitizer();
  await settle(pane);
}

const root = () => pane.shadowRoot!;
const row = (id: string) => root().querySelector<HTMLElement>(`.row[data-id="${id}"]`)!;
const text = (element: Element) => element.textContent!.replace(/\s+/g, ' ').trim();
/** What a row says, without its day separator. */
const said = (id: string) => text(row(id).querySelector('.bubble, .system')!);
let minute = 0;
/** Emits messages from the adapter, one minute apart, and waits for the pane. */
async function emit(...messages: Partial<Message>[]) {
  for (const extra of messages) {
    adapter.emitRaw('message', message({ conversationId: session.id, sentAt: new Date(Date.now() - 600_000 + minute++ * 1000).toISOString(), ...extra }));
  }
  await settle(pane);
}

afterEach(async () => {
  await core?.stop();
  await adapter?.dispose();
});

describe('<agent-conversation-pane> rows', () => {
  before(() => Promise.all([loadTranslation('da'), loadTranslation('vi')]));

  it('shows an edited message’s new text, “Edited”, and its earlier text on request, by keyboard too', async () => {
    await open();
    await emit({ id: 'e1', text: 'I ordered the blue one' });
    adapter.emitRaw('message-edited', { conversationId: session.id, messageId: 'e1', text: 'I ordered the red one', editedAt: new Date().toISOString() });
    await settle(pane);
    expect(said('e1')).to.match(/^Ana Souza: I ordered the red one Show earlier text \d{1,2}:\d{2}\s?[AP]M Edited$/);
    const toggle = getByRole(row('e1'), 'button', 'Show earlier text');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await settle(pane);
    const hide = getByRole(row('e1'), 'button', 'Hide earlier text');
    expect(hide.getAttribute('aria-expanded')).to.equal('true');
    expect([...row('e1').querySelectorAll('ol li')].map(text)).to.deep.equal(['I ordered the blue one']);
    await expect(pane).to.be.accessible();
    await sendKeys({ press: 'Space' });
    await settle(pane);
    expect(getByRole(row('e1'), 'button', 'Show earlier text').getAttribute('aria-expanded')).to.equal('false');
    expect(row('e1').querySelector('ol')).to.equal(null);
  });

  it('shows earlier texts as text, never as markup', async () => {
    await open();
    await emit({ id: 'e1', text: hostileStrings[1] });
    adapter.emitRaw('message-edited', { conversationId: session.id, messageId: 'e1', text: 'Sorry, wrong paste', editedAt: new Date().toISOString() });
    await settle(pane);
    getByRole(row('e1'), 'button', 'Show earlier text').click();
    await settle(pane);
    expect(row('e1').querySelector('ol li')!.textContent).to.equal(hostileStrings[1]);
    expect(row('e1').querySelector('img')).to.equal(null);
    expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
  });

  it('says the customer removed a message, in its place, without its content', async () => {
    await open();
    await emit({ id: 'd1', text: 'My card number is 4111…' }, { id: 'd2', text: 'Oops' });
    adapter.emitRaw('message-deleted', { conversationId: session.id, messageId: 'd1' });
    await settle(pane);
    expect(queryAllByRole(root(), 'listitem').map((item) => item.dataset.id)).to.deep.equal(['d1', 'd2']);
    expect(said('d1')).to.match(/^Ana Souza: The customer removed this message\. \d/);
    expect(root().textContent, 'nor in the live region').to.not.contain('4111');
    expect(text(getByRole(root(), 'log'))).to.equal('Ana Souza: The customer removed this message.Ana Souza: Oops');
    await expect(pane).to.be.accessible();
  });

  it('quotes the message replied to and goes to it, focused, however far up it is', async () => {
    await open();
    await emit({ id: 'parent', text: 'Where is my parcel? I ordered it two weeks ago and the tracking page has said “in transit” since Monday.' });
    await emit(...Array.from({ length: 40 }, (_, i) => ({ id: `filler-${i}`, text: `Message ${i}` })));
    await emit({ id: 'reply', text: 'Any news?', replyTo: { messageId: 'parent' } }, { id: 'orphan', text: 'And this?', replyTo: { messageId: 'not-loaded' } });
    expect(row('parent'), 'the parent is out of view').to.equal(null);
    const quote = row('reply').querySelector('.quote')!;
    expect(text(quote)).to.equal('Reply to: Where is my parcel? I ordered it two weeks ago and the… Go to the message replied to');
    expect(text(row('orphan').querySelector('.quote')!)).to.equal('Reply to an earlier message');
    expect(queryAllByRole(row('orphan').querySelector('.quote')!, 'button'), 'nothing to go to').to.have.length(0);
    await expect(pane).to.be.accessible();
    getByRole(row('reply'), 'button', 'Go to the message replied to').focus();
    await sendKeys({ press: 'Enter' });
    const parent = await until(() => row('parent'), 'the parent row');
    await until(() => root().activeElement === parent, 'the parent row to have focus');
    const view = root().querySelector('.scroller')!.getBoundingClientRect();
    const box = parent.getBoundingClientRect();
    expect(box.top).to.be.at.least(view.top - 1);
    expect(box.top).to.be.below(view.bottom);
    await expect(pane).to.be.accessible();
  });

  it('shows a shared link as a card that opens safely, with no unsupported banner', async () => {
    await open();
    await emit(
      { id: 'l1', text: 'Is this the one?', link: { url: 'https://shop.example.com/p/42?ref=fb', title: hostileStrings[0] } },
      { id: 'l2', text: undefined, link: { url: 'http://example.org/reel/1' } },
    );
    const card = getByRole(row('l1'), 'link', `${hostileStrings[0]} shop.example.com`);
    expect(card.getAttribute('href')).to.equal('https://shop.example.com/p/42?ref=fb');
    expect([card.getAttribute('target'), card.getAttribute('rel')]).to.deep.equal(['_blank', 'noopener noreferrer']);
    expect(root().querySelector('script')).to.equal(null);
    expect(getByRole(row('l2'), 'link', 'example.org').getAttribute('href')).to.equal('http://example.org/reel/1');
    expect(root().querySelector('agent-error-banner')!.hidden).to.equal(true);
    await expect(pane).to.be.accessible();
  });

  it('drops a link that is not http(s) rather than showing it', async () => {
    await open();
    const warnings: unknown[] = [];
    core.addEventListener('agent-error', (event) => warnings.push(event));
    await emit({ id: 'bad', text: 'Look', link: { url: 'javascript:alert(1)' } });
    expect(warnings).to.have.length(1);
    expect(queryAllByRole(root(), 'link')).to.have.length(0);
  });

  it('shows a shared location with its coordinates, linked to a map', async () => {
    await open();
    await emit({ id: 'loc', text: undefined, location: { latitude: 55.6761, longitude: 12.5683 } });
    expect(said('loc')).to.match(/^Ana Souza: Shared a location: 55\.67610, 12\.56830 \d/);
    const map = getByRole(row('loc'), 'link', '55.67610, 12.56830');
    expect(map.getAttribute('href')).to.equal('https://www.openstreetmap.org/?mlat=55.6761&mlon=12.5683#map=16/55.6761/12.5683');
    expect(map.getAttribute('rel')).to.equal('noopener noreferrer');
    expect(root().querySelector('agent-error-banner')!.hidden).to.equal(true);
    await expect(pane).to.be.accessible();
  });

  it('shows what was said while another app held the conversation as context', async () => {
    await open();
    await emit(
      { id: 's1', text: 'I want to talk to a person', standby: true },
      { id: 's2', direction: 'outbound', text: 'Pick an option: 1, 2 or 3', standby: true, author: { kind: 'other', appId: '987654' } },
    );
    expect(said('s1')).to.match(/^Ana Souza: Sent while another app handled the conversation I want to talk to a person/);
    expect(said('s2')).to.match(/^Another app: Sent while another app handled the conversation Pick an option/);
    expect(row('s1').classList.contains('standby')).to.equal(true);
    await expect(pane).to.be.accessible();
  });

  it('names other senders on the Page instead of “You”', async () => {
    await open();
    await emit(
      { id: 'mine', direction: 'outbound', text: 'From this console', status: 'sent' },
      { id: 'named', direction: 'outbound', text: 'From the inbox', author: { kind: 'other', appId: '263902037430900', name: 'Page inbox' } },
      { id: 'app', direction: 'outbound', text: 'From a bot', author: { kind: 'other', appId: '987654' } },
      { id: 'unknown', direction: 'outbound', text: 'Automatic reply', author: { kind: 'other' } },
    );
    expect(['mine', 'named', 'app', 'unknown'].map((id) => said(id).replace(/ \d{1,2}:\d{2}.*$/, ''))).to.deep.equal([
      'You: From this console',
      'Page inbox: From the inbox',
      'Another app: From a bot',
      'Someone else on the Page: Automatic reply',
    ]);
    expect(row('named').classList.contains('other')).to.equal(true);
    expect(row('mine').classList.contains('other')).to.equal(false);
    await expect(pane).to.be.accessible();
  });

  it('shows the customer’s reaction on the message it points at, and takes it off when they do', async () => {
    await open();
    await emit({ id: 'answer', direction: 'outbound', text: 'It arrives tomorrow', status: 'read' });
    const react = (id: string, action: 'react' | 'unreact', emoji: string, messageId = 'answer') =>
      emit({ id, direction: 'system', text: undefined, reaction: { emoji, action, messageId } });
    await react('r1', 'react', '❤️');
    expect(getByRole(row('answer'), 'img', 'Ana Souza reacted ❤️').textContent).to.equal('❤️');
    expect(queryAllByRole(root(), 'listitem')).to.have.length(1);
    await expect(pane).to.be.accessible();
    await react('r2', 'unreact', '❤️');
    expect(queryAllByRole(row('answer'), 'img')).to.have.length(0);
    await react('r3', 'react', '👍', 'not-loaded');
    expect(said('r3')).to.match(/^Ana Souza reacted 👍/);
  });

  it('speaks Danish and Vietnamese', async () => {
    const expected = {
      da: ['Redigeret', 'Vis tidligere tekst', 'Kunden fjernede denne besked.', 'Svar på en tidligere besked', 'Delte en placering', 'Sendt, mens en anden app håndterede samtalen', 'En anden app', 'Ana Souza reagerede med ❤️'],
      vi: ['Đã chỉnh sửa', 'Hiện nội dung trước đó', 'Khách hàng đã gỡ tin nhắn này.', 'Trả lời một tin nhắn trước đó', 'Đã chia sẻ một vị trí', 'Được gửi khi một ứng dụng khác đang xử lý cuộc trò chuyện', 'Một ứng dụng khác', 'Ana Souza đã bày tỏ cảm xúc ❤️'],
    };
    for (const [lang, strings] of Object.entries(expected)) {
      await open(lang);
      await emit(
        { id: 'e', text: 'a' },
        { id: 'd', text: 'b' },
        { id: 'r', text: 'c', replyTo: { messageId: 'gone' } },
        { id: 'loc', text: undefined, location: { latitude: 1, longitude: 2 } },
        { id: 's', direction: 'outbound', text: 'd', standby: true, author: { kind: 'other', appId: '1' } },
        { id: 'x', direction: 'system', text: undefined, reaction: { emoji: '❤️', action: 'react', messageId: 'e' } },
      );
      adapter.emitRaw('message-edited', { conversationId: session.id, messageId: 'e', text: 'a2', editedAt: new Date().toISOString() });
      adapter.emitRaw('message-deleted', { conversationId: session.id, messageId: 'd' });
      await settle(pane);
      const shown = text(root().querySelector('[role=list]')!);
      for (const string of strings.slice(0, -1)) expect(shown, lang).to.contain(string);
      expect(getByRole(row('e'), 'img', strings.at(-1))).to.exist;
      await core.stop();
    }
  });
});

import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import '../../src/conversation-pane.js';
import { MockChannelAdapter, type MockChannelAdapterOptions } from '../../src/adapters/mock-adapter.js';
import type { Attachment, Message } from '../../src/adapters/types.js';
import type { AgentConversationPane } from '../../src/components/conversation-pane/conversation-pane.component.js';
import { loadSanitizer } from '../../src/components/base/sanitizer.js';
import { ConsoleCore } from '../../src/core/console-core.js';
import type { Session } from '../../src/core/session.js';
import { deepElements, getByRole, hostileStrings, message, queryAllByRole, settle } from '../fixtures.js';
import { chooseFiles, samples } from '../samples.js';
import { loadTranslation } from '../../src/l10n/translation.js';

let adapter: MockChannelAdapter;
let core: ConsoleCore;
let session: Session;
let pane: AgentConversationPane;

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function open(
  options: { history?: number; preview?: string; name?: string; lang?: string; replyBy?: string; keepAdapter?: boolean; channel?: MockChannelAdapterOptions } = {},
) {
  if (!options.keepAdapter) adapter = new MockChannelAdapter({ latency: 0, historySize: options.history ?? 0, ...options.channel });
  core = new ConsoleCore(adapter, { logger: { warn: () => {} } });
  await core.start();
  const request = adapter.request({ customer: { name: options.name ?? 'Ana Souza' }, preview: options.preview ?? 'Hi, where is my parcel?' });
  session = await core.accept(request.id);
  if (options.replyBy) session.conversation = { ...session.conversation, replyBy: options.replyBy };
  const wrapper = await fixture(html`<div lang=${options.lang ?? 'en'} style="height: 420px; width: 420px">
    <agent-conversation-pane .core=${core} conversation-id=${session.id}></agent-conversation-pane>
  </div>`);
  pane = wrapper.querySelector('agent-conversation-pane')!;
  // Links and formatting go through DOMPurify, which the pane loads after its first frame.
  await loadSanitizer();
  await settle(pane);
  return pane;
}

const root = () => pane.shadowRoot!;
const rows = () => [...root().querySelectorAll('.row')] as HTMLElement[];
const rowTexts = () => rows().map((row) => row.querySelector('.bubble, .system')!.textContent!.replace(/\s+/g, ' ').trim());
const textbox = () => getByRole(root(), 'textbox', 'Type a message') as HTMLTextAreaElement;
const sendButton = () => getByRole(root(), 'button', 'Send') as HTMLButtonElement;
const banner = () => root().querySelector('agent-error-banner')!;
const receive = async (content: Parameters<MockChannelAdapter['receive']>[1]) => {
  const sent = adapter.receive(session.id, content);
  await settle(pane);
  return sent;
};
const scroller = () => root().querySelector<HTMLElement>('.scroller')!;

async function type(text: string) {
  textbox().focus();
  await sendKeys({ type: text });
  await settle(pane);
}

afterEach(async () => {
  await core?.stop();
  await adapter?.dispose();
  sinon.restore();
});

describe('<agent-conversation-pane>', () => {
  before(() => Promise.all([loadTranslation('da'), loadTranslation('vi')]));

  describe('transcript', () => {
    it('shows the conversation as a named list, with the customer’s first message', async () => {
      await open();
      const list = getByRole(root(), 'list', 'Conversation with Ana Souza');
      expect(queryAllByRole(list, 'listitem')).to.have.length(1);
      expect(rowTexts()[0]).to.match(/^Ana Souza: Hi, where is my parcel\? \d{1,2}:\d{2}\s?[AP]M$/);
      expect(root().querySelector('.day')!.textContent).to.equal('Today');
      await expect(pane).to.be.accessible();
    });

    it('is accessible with no messages, and while a message is sending', async () => {
      await open({ preview: '' });
      expect(rows()).to.have.length(0);
      await expect(pane).to.be.accessible();
      sinon.stub(adapter, 'sendMessage').returns(new Promise(() => {}));
      await type('Checking now');
      await sendKeys({ press: 'Enter' });
      await settle(pane);
      expect(root().querySelector('.outbound .status')!.textContent).to.equal('Sending…');
      await expect(pane).to.be.accessible();
    });

    it('shows inbound, outbound and system messages with day separators', async () => {
      await open({ preview: 'Hello' });
      for (const extra of [
        message({ id: 'y', conversationId: session.id, sentAt: minutesAgo(60 * 24 + 5), text: 'From yesterday' }),
        message({ id: 'o', conversationId: session.id, direction: 'outbound', sentAt: minutesAgo(60 * 24 + 4), text: 'Answer', status: 'read' }),
        message({ id: 's', conversationId: session.id, direction: 'system', sentAt: minutesAgo(60 * 24 + 3), text: 'Transferred to Billing' }),
      ]) {
        adapter.emitRaw('message', extra);
      }
      await settle(pane);
      expect(rowTexts().map((text) => text.replace(/ \d{1,2}:\d{2}\s?[AP]M/, ''))).to.deep.equal([
        'Ana Souza: From yesterday',
        'You: Answer Read',
        'Transferred to Billing',
        'Ana Souza: Hello',
      ]);
      expect([...root().querySelectorAll('.day')].map((day) => day.textContent)).to.deep.equal(['Yesterday', 'Today']);
      expect(rows()[0].querySelector('time')!.getAttribute('datetime')).to.match(/^\d{4}-\d{2}-\d{2}T/);
    });

    it('words reactions, referrals and the end of a session in the agent’s language', async () => {
      await open({ preview: 'Hello' });
      const system = (id: string, extra: Partial<Message>) => message({ id, conversationId: session.id, direction: 'system', sentAt: new Date().toISOString(), text: undefined, ...extra });
      adapter.emitRaw('message', system('r1', { reaction: { emoji: '❤', action: 'react', messageId: 'x' } }));
      adapter.emitRaw('message', system('r2', { reaction: { emoji: '❤', action: 'unreact' } }));
      adapter.emitRaw('message', system('ref', { referral: { source: 'ADS', ref: 'summer-sale' } }));
      (adapter as MockChannelAdapter).endByCustomer(session.id);
      await settle(pane);
      const texts = () => rowTexts().slice(1).map((text) => text.replace(/ \d{1,2}[:.]\d{2}(\s?[AP]M)?$/, ''));
      expect(texts()).to.deep.equal([
        'Ana Souza reacted ❤',
        'Ana Souza removed the reaction ❤',
        'Came via ADS, summer-sale',
        'The customer ended the conversation.',
      ]);
      pane.setAttribute('lang', 'da');
      await new Promise((resolve) => setTimeout(resolve));
      await settle(pane);
      expect(texts()).to.deep.equal(['Ana Souza reagerede med ❤', 'Ana Souza fjernede reaktionen ❤', 'Kom via ADS, summer-sale', 'Kunden afsluttede samtalen.']);
    });

    it('follows the agent’s messages through pending, sent, delivered and read', async () => {
      await open();
      adapter = adapter as MockChannelAdapter;
      const statuses: string[] = [];
      const observer = new MutationObserver(() => {
        const status = root().querySelector('.outbound .status')?.textContent;
        if (status && statuses.at(-1) !== status) statuses.push(status);
      });
      observer.observe(root(), { subtree: true, childList: true, characterData: true });
      await type('Your parcel ships today');
      await sendKeys({ press: 'Enter' });
      for (let i = 0; i < 20 && statuses.at(-1) !== 'Read'; i++) await oneEvent(core, 'change').then(() => settle(pane));
      observer.disconnect();
      expect(statuses[0]).to.equal('Sending…');
      expect(statuses.at(-1)).to.equal('Read');
      expect(statuses).to.include('Sent');
    });

    it('shows why a message failed, and retries it with the Retry button', async () => {
      await open();
      const send = sinon.stub(adapter, 'sendMessage').rejects(new Error('Outside the 24-hour window'));
      await type('Hello?');
      sendButton().click();
      await settle(pane);
      await settle(pane);
      expect(root().querySelector('.outbound .error')!.textContent).to.equal('Outside the 24-hour window');
      await expect(pane).to.be.accessible();
      send.restore();
      const retry = sinon.spy(adapter, 'sendMessage');
      getByRole(root(), 'button', 'Retry').click();
      await settle(pane);
      await settle(pane);
      expect(retry.callCount).to.equal(1);
      expect(root().querySelector('.outbound .status')!.textContent).not.to.equal('Not sent');
      expect(queryAllByRole(root(), 'button', 'Retry')).to.have.length(0);
    });

    it('shows the customer typing, and announces new messages in a log', async () => {
      await open();
      adapter.typing(session.id, true);
      await settle(pane);
      expect(queryAllByRole(root(), 'status').map((s) => s.textContent!.trim())).to.include('Ana Souza is typing…');
      await receive('Here is my order number: 4471');
      expect(queryAllByRole(root(), 'status').map((s) => s.textContent!.trim())).not.to.include('Ana Souza is typing…');
      expect(getByRole(root(), 'log').textContent).to.contain('Ana Souza: Here is my order number: 4471');
    });

    it('formats times in the page’s own locale', async () => {
      await open({ lang: 'en-GB' });
      expect(root().querySelector('time')!.textContent).to.match(/^\d{2}:\d{2}$/);
    });

    it('announces a new message even when it sorts before the newest', async () => {
      await open();
      await receive({ text: 'Late by the clock' } as never);
      adapter.emitRaw('message', message({ id: 'skewed', conversationId: session.id, sentAt: minutesAgo(30), text: 'Sent from a slow phone' }));
      await settle(pane);
      expect(getByRole(root(), 'log').textContent).to.contain('Ana Souza: Sent from a slow phone');
      expect(root().querySelectorAll('[role=log] p')).to.have.length(2);
    });

    it('renders very long text as plain text', async () => {
      await open();
      const long = `*${'a*b_c~'.repeat(2000)}* https://example.com`;
      await receive(long);
      const text = rows().at(-1)!.querySelector('.text')!;
      expect(text.textContent).to.equal(long);
      expect(text.children).to.have.length(0);
    });

    it('offers Retry only while the failed message can still be sent again', async () => {
      await open();
      sinon.stub(adapter, 'sendMessage').callsFake(async (conversationId, draft) => ({
        id: 'mid.late', conversationId, clientId: draft.clientId, direction: 'outbound', sentAt: new Date().toISOString(), text: draft.text, status: 'sent',
      }));
      await type('Delivered, then refused');
      await sendKeys({ press: 'Enter' });
      await settle(pane);
      await settle(pane);
      const sent = session.transcript.at(-1)!;
      adapter.emitRaw('message-status', { conversationId: session.id, messageId: sent.id, status: 'failed', error: 'Person unavailable' });
      await settle(pane);
      expect(root().querySelector('.outbound .error')!.textContent).to.equal('Person unavailable');
      expect(queryAllByRole(root(), 'button', 'Retry')).to.have.length(0);
    });

    it('renders links and Messenger formatting, and nothing else, from customer text', async () => {
      await open();
      await receive('See https://example.com/track?id=1. *Urgent* _please_ ~not~ javascript:alert(1) mailto:help@example.com');
      const text = rows().at(-1)!.querySelector('.text')!;
      const links = [...text.querySelectorAll('a')];
      expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(['https://example.com/track?id=1', 'mailto:help@example.com']);
      expect(links.every((a) => a.target === '_blank' && a.rel === 'noopener noreferrer')).to.equal(true);
      expect([...text.querySelectorAll('b, i, s')].map((e) => `${e.tagName}:${e.textContent}`)).to.deep.equal(['B:Urgent', 'I:please', 'S:not']);
      expect(text.textContent).to.contain('javascript:alert(1)');
    });

    it('executes nothing from hostile text, names, file names or URLs', async () => {
      /**
       * Shows a conversation whose customer sends `strings` as name, text, file names and
       * URLs, scrolls through all of it, and returns every element of a kind that can run
       * or restyle something (by its markup), seen at any scroll position, the text shown,
       * and which messages were looked at.
       */
      async function showCustomer(strings: readonly string[]) {
        await open({ name: strings[1], preview: strings[0] });
        for (const [i, customer] of strings.entries()) {
          await receive(`${customer} *${customer}* https://example.com/${customer}`);
          const attachment: Attachment = { id: `a-${i}`, kind: 'file', name: customer, mimeType: 'application/pdf', size: 10, url: customer };
          await receive({ attachments: [attachment, { ...attachment, id: `i-${i}`, kind: 'image', url: `javascript:window.__pwned=true` }] });
        }
        await receive({ attachments: [{ id: 'svg', kind: 'image', name: 'x.svg', mimeType: 'image/svg+xml', url: 'data:image/svg+xml,<svg onload="window.__pwned=true"/>' }] });
        await receive({ attachments: [{ id: 'html', kind: 'file', name: 'x.pdf', mimeType: 'application/pdf', url: 'data:text/html,<script>parent.__pwned=true</script>' }] });
        // The transcript is virtualised: look at every stretch of it.
        const shownRows = new Set<string>();
        const dangerous: string[] = [];
        let text = '';
        for (let top = 0; ; top += scroller().clientHeight / 2) {
          scroller().scrollTop = top;
          await settle(pane);
          rows().forEach((row) => shownRows.add(row.dataset.id!));
          text += root().textContent;
          for (const element of deepElements(root())) {
            if (dangerousKinds.has(element.localName) || element.namespaceURI !== xhtml) dangerous.push(element.outerHTML);
            for (const attribute of element.attributes) {
              expect(attribute.name.startsWith('on'), `${element.tagName} ${attribute.name}`).to.equal(false);
              if (['href', 'src', 'action', 'formaction', 'data'].includes(attribute.name)) expect(attribute.value).to.match(/^(https?:|blob:|mailto:|data:image\/(png|jpeg|gif|webp))/);
            }
          }
          if (top >= scroller().scrollHeight) break;
        }
        const unseen = session.transcript.messages.filter((m) => !shownRows.has(m.id)).map((m) => m.id);
        return { dangerous, text, unseen };
      }
      const xhtml = 'http://www.w3.org/1999/xhtml';
      const dangerousKinds = new Set(['script', 'iframe', 'frame', 'object', 'embed', 'style', 'link', 'meta', 'base', 'form', 'template', 'svg', 'math']);

      // The pane's own icons are what it draws for a customer whose content is harmless.
      const harmless = await showCustomer(hostileStrings.map((_, i) => `Harmless ${i}`));
      expect(harmless.unseen, 'messages never shown').to.deep.equal([]);
      const own = new Set(harmless.dangerous);
      await core.stop();
      await adapter.dispose();
      (window as { __pwned?: boolean }).__pwned = false;
      const shown = await showCustomer(hostileStrings);
      // Nothing ran, and nothing is left that could run later.
      expect((window as { __pwned?: boolean }).__pwned).to.equal(false);
      expect(shown.dangerous.filter((markup) => !own.has(markup))).to.deep.equal([]);
      expect(shown.unseen, 'messages never shown').to.deep.equal([]);
      for (const hostile of hostileStrings) expect(shown.text, 'shown as text').to.contain(hostile);
    });
  });

  describe('received files', () => {
    it('shows an image with a generated name as “Image from” the customer, and opens it larger', async () => {
      await open();
      adapter.receiveSample(session.id, 'image');
      await settle(pane);
      const image = session.transcript.at(-1)!.attachments![0];
      const thumb = getByRole(root(), 'button', 'Open Image from Ana Souza');
      expect(thumb.querySelector('img')!.loading).to.equal('lazy');
      expect(root().querySelector('.file-name')!.textContent).to.equal('Image from Ana Souza');
      expect(root().querySelector('.generated-name')!.textContent).to.equal(image.name);
      const save = getByRole(root(), 'link', `Save Image from Ana Souza (${image.name})`) as HTMLAnchorElement;
      expect(save.download).to.equal(image.name);
      thumb.click();
      await settle(pane);
      const dialog = root().querySelector('dialog')!;
      expect(dialog.open).to.equal(true);
      expect(dialog.querySelector('img')!.alt).to.equal('Image from Ana Souza');
      await expect(pane).to.be.accessible();
      await sendKeys({ press: 'Escape' });
      await settle(pane);
      expect(dialog.open).to.equal(false);
    });

    it('shows other files as cards with name, type, size and a Save link', async () => {
      await open();
      adapter.receiveSample(session.id, 'pdf');
      await settle(pane);
      const card = root().querySelector('.attachment.file')!;
      expect(card.querySelector('.file-name')!.textContent).to.equal('invoice-2291.pdf');
      expect(card.querySelector('.file-details')!.textContent).to.match(/^application\/pdf · \d+ bytes$/);
      const save = getByRole(root(), 'link', 'Save invoice-2291.pdf') as HTMLAnchorElement;
      expect(save.download).to.equal('invoice-2291.pdf');
      expect(save.href).to.match(/^blob:/);
    });

    it('plays audio and video with native controls', async () => {
      await open();
      adapter.receiveSample(session.id, 'audio');
      await receive({ attachments: [{ id: 'v', kind: 'video', name: 'clip.mp4', mimeType: 'video/mp4', url: 'https://cdn.example.com/clip.mp4' }] });
      expect(root().querySelector('audio')!.controls).to.equal(true);
      expect(root().querySelector('video')!.controls).to.equal(true);
      expect(root().querySelector('audio')!.getAttribute('aria-label')).to.equal('Audio from Ana Souza');
    });

    it('saves under a safe name whose extension matches the type', async () => {
      await open();
      await receive({ attachments: [{ id: 'x', kind: 'file', name: '../../etc/pass\u202Egpj.exe', mimeType: 'application/pdf', url: 'https://cdn.example.com/f' }] });
      const save = root().querySelector<HTMLAnchorElement>('a.save')!;
      expect(save.download).to.equal('.._.._etc_pass_gpj.exe.pdf'.replace(/^\.+/, ''));
    });

    it('does not link files whose URL is not absolute http(s), blob: or a data: image', async () => {
      await open();
      for (const url of ['javascript:alert(1)', '/admin/export', ' ']) {
        await receive({ attachments: [{ id: `x${url}`, kind: 'file', name: 'report.pdf', mimeType: 'application/pdf', url }] });
      }
      expect(queryAllByRole(root(), 'link')).to.have.length(0);
      expect(root().querySelector('.unavailable')!.textContent).to.equal('This file cannot be opened here.');
    });
  });

  describe('unsupported types', () => {
    it('shows the exact error banner and a placeholder naming what it was', async () => {
      await open();
      adapter.receiveSample(session.id, 'sticker');
      await settle(pane);
      const alert = getByRole(root(), 'alert');
      expect(alert.shadowRoot!.querySelector('[part=message]')!.textContent).to.equal('Error: Customer sent an unsupported message type.');
      expect(rowTexts().at(-1)).to.match(/^Ana Souza: Unsupported message: sticker/);
      await expect(pane).to.be.accessible();
    });

    it('names what Messenger sends as Messenger does, and unknown types as unknown', async () => {
      await open();
      for (const type of ['location', 'share', 'template', 'ig_reel', 'poll']) await receive({ unsupported: { type } });
      expect(rows().slice(-5).map((row) => row.querySelector('.unsupported')!.textContent)).to.deep.equal([
        'Unsupported message: location',
        'Unsupported message: shared post',
        'Unsupported message: template',
        'Unsupported message: reel',
        'Unsupported message: unknown type',
      ]);
    });

    it('keeps one banner however many arrive, and can be dismissed while the conversation goes on', async () => {
      await open();
      for (let i = 0; i < 5; i++) adapter.receiveSample(session.id, i % 2 ? 'location' : 'sticker');
      await settle(pane);
      expect(queryAllByRole(root(), 'alert')).to.have.length(1);
      getByRole(banner().shadowRoot!, 'button', 'Dismiss').click();
      await settle(pane);
      expect(banner().hidden).to.equal(true);
      await receive('Sorry, wrong button');
      expect(banner().hidden).to.equal(true);
      expect(rowTexts().at(-1)).to.contain('Sorry, wrong button');
      adapter.receiveSample(session.id, 'sticker');
      await settle(pane);
      expect(banner().hidden).to.equal(false);
    });

    it('treats a customer file the policy does not allow as unsupported', async () => {
      await open();
      await receive({ attachments: [{ id: 'x', kind: 'file', name: 'setup.exe', mimeType: 'application/x-msdownload', url: 'https://cdn.example.com/x' }] });
      expect(banner().hidden).to.equal(false);
      expect(rows().at(-1)!.querySelector('.unsupported')!.textContent).to.equal('Unsupported file type: setup.exe');
      expect(queryAllByRole(root(), 'link')).to.have.length(0);
    });

    it('speaks Danish and Vietnamese', async () => {
      for (const [lang, text] of [
        ['da', 'Fejl: Kunden sendte en meddelelsestype, der ikke understøttes.'],
        ['vi', 'Lỗi: Khách hàng đã gửi loại tin nhắn không được hỗ trợ.'],
      ]) {
        await open({ lang });
        adapter.receiveSample(session.id, 'sticker');
        await settle(pane);
        expect(banner().shadowRoot!.querySelector('[part=message]')!.textContent).to.equal(text);
        await core.stop();
      }
      expect(getByRole(root(), 'textbox', 'Nhập tin nhắn')).to.exist;
    });
  });

  describe('channel capabilities', () => {
    const webChatIcon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="currentColor"><path d="M4 4h16v12H8l-4 4z"/></svg>';
    // A web chat: a longer limit, stickers shown, no read receipts, no reply window.
    const webChat: MockChannelAdapterOptions = {
      channel: 'webchat',
      capabilities: { name: 'Web chat', icon: webChatIcon, textLimit: 4096, unsupported: undefined, readReceipts: false, replyWindowHours: undefined },
    };
    const statuses = () => queryAllByRole(root(), 'status').map((status) => status.textContent!.trim());
    const draft = async (length: number) => {
      session.draft = 'x'.repeat(length);
      pane.requestUpdate();
      await settle(pane);
    };

    it('counts down to the channel’s text limit: 2,000 on Messenger, 4,096 on a web chat', async () => {
      await open();
      await draft(1850);
      expect(statuses()).to.include('150 characters left');
      await core.stop();
      await open({ channel: webChat });
      await draft(1850);
      expect(root().querySelector('.counter')).to.equal(null);
      await draft(3900);
      expect(statuses()).to.include('196 characters left');
      expect(sendButton().disabled).to.equal(false);
      await draft(4097);
      expect(root().querySelector('.counter')!.textContent).to.contain('1 characters too many').and.contain('at most 4096 characters');
      expect(sendButton().disabled).to.equal(true);
      await sendKeys({ press: 'Enter' });
      expect(session.transcript.size).to.equal(1);
    });

    it('has no counter and no limit where the channel has none', async () => {
      await open({ channel: { capabilities: { textLimit: undefined } } });
      await draft(20_000);
      expect(root().querySelector('.counter')).to.equal(null);
      expect(sendButton().disabled).to.equal(false);
    });

    it('names unsupported content by the channel’s names, in the agent’s language, then the console’s own', async () => {
      const unsupported = { poll: { en: 'poll', da: 'afstemning' }, card: { en: 'card', vi: 'thẻ' }, carousel: { vi: 'băng chuyền' }, form: 'form' };
      await open({ lang: 'da', channel: { capabilities: { unsupported } } });
      for (const type of ['poll', 'card', 'carousel', 'form', 'location', 'ig_reel']) await receive({ unsupported: { type } });
      expect(rows().slice(-6).map((row) => row.querySelector('.unsupported')!.textContent)).to.deep.equal([
        'Ikke-understøttet besked: afstemning',
        'Ikke-understøttet besked: card',
        'Ikke-understøttet besked: băng chuyền',
        'Ikke-understøttet besked: form',
        'Ikke-understøttet besked: placering',
        'Ikke-understøttet besked: ukendt type',
      ]);
      await core.stop();
      await open({ lang: 'da' });
      for (const type of ['sticker', 'fallback']) await receive({ unsupported: { type } });
      expect(rows().slice(-2).map((row) => row.querySelector('.unsupported')!.textContent)).to.deep.equal([
        'Ikke-understøttet besked: klistermærke',
        'Ikke-understøttet besked: delt link',
      ]);
    });

    it('shows a sticker where the channel takes stickers', async () => {
      await open({ channel: webChat });
      adapter.receiveSample(session.id, 'sticker');
      await settle(pane);
      expect(banner().hidden).to.equal(true);
      expect(rows().at(-1)!.querySelector('img')).to.exist;
    });

    it('shows and reports typing only where the channel has it', async () => {
      await open({ channel: { capabilities: { typing: false } } });
      const setTyping = sinon.spy(adapter, 'setTyping');
      adapter.typing(session.id, true);
      await settle(pane);
      expect(statuses()).not.to.include('Ana Souza is typing…');
      await type('Let me check');
      await sendKeys({ press: 'Enter' });
      await settle(pane);
      expect(setTyping.callCount).to.equal(0);
      await core.stop();
      await open();
      adapter.typing(session.id, true);
      await settle(pane);
      expect(statuses()).to.include('Ana Souza is typing…');
    });

    it('never shows delivered or read where the channel has no read receipts', async () => {
      await open({ channel: webChat });
      await type('Your parcel ships today');
      await sendKeys({ press: 'Enter' });
      const sent = await new Promise<Message>((resolve) => {
        const check = () => {
          const last = session.transcript.at(-1)!;
          if (last.status === 'sent') resolve(last);
          else void oneEvent(core, 'change').then(check);
        };
        check();
      });
      // Even if the adapter says otherwise.
      adapter.emitRaw('message-status', { conversationId: session.id, messageId: sent.id, status: 'read' });
      await settle(pane);
      expect(session.transcript.at(-1)!.status).to.equal('read');
      expect(root().querySelector('.outbound .status')!.textContent).to.equal('Sent');
    });

    it('has no reply window where the channel has none', async () => {
      await open({ channel: webChat, replyBy: minutesAgo(1) });
      expect(root().querySelector('.notice')).to.equal(null);
      expect(textbox().disabled).to.equal(false);
      await type('Still here?');
      await sendKeys({ press: 'Enter' });
      await settle(pane);
      expect(session.transcript.at(-1)!.text).to.equal('Still here?');
      await core.stop();
      await open({ replyBy: minutesAgo(1) });
      expect(textbox().disabled).to.equal(true);
    });

    it('offers the files the channel takes', async () => {
      await open({ channel: { capabilities: { attachments: { maxBytes: 1000, accept: ['image/*'], filesPerMessage: 2 } } } });
      const input = root().querySelector('agent-attachment-picker')!.shadowRoot!.querySelector('input')!;
      expect(input.accept).to.equal('image/*');
      expect(input.multiple).to.equal(true);
    });
  });

  describe('composer', () => {
    it('sends with Enter, adds a line with Shift+Enter, and disables Send when empty', async () => {
      await open();
      expect(sendButton().disabled).to.equal(true);
      await type('First line');
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ up: 'Shift' });
      await sendKeys({ type: 'second line' });
      await settle(pane);
      expect(textbox().value).to.equal('First line\nsecond line');
      expect(sendButton().disabled).to.equal(false);
      setTimeout(() => sendKeys({ press: 'Enter' }));
      const { detail } = await oneEvent(pane, 'agent-send');
      expect(detail).to.deep.equal({ conversationId: session.id, text: 'First line\nsecond line' });
      await settle(pane);
      expect(textbox().value).to.equal('');
      expect(session.transcript.at(-1)!.text).to.equal('First line\nsecond line');
    });

    it('lets the page veto a send, keeping the draft', async () => {
      await open();
      pane.addEventListener('agent-send', (event) => event.preventDefault());
      await type('Not this one');
      await sendKeys({ press: 'Enter' });
      await settle(pane);
      expect(textbox().value).to.equal('Not this one');
      expect(session.transcript.size).to.equal(1);
    });

    it('counts down to the 2,000-character limit and refuses more', async () => {
      await open();
      session.draft = 'x'.repeat(1850);
      pane.requestUpdate();
      await settle(pane);
      expect(getByRole(root(), 'status', '150 characters left')).to.exist;
      session.draft = 'x'.repeat(2001);
      pane.requestUpdate();
      await settle(pane);
      expect(root().querySelector('.counter')!.textContent).to.contain('1 characters too many');
      expect(sendButton().disabled).to.equal(true);
    });

    it('reports typing to the channel, throttled, and stops after sending', async () => {
      await open();
      const setTyping = sinon.spy(adapter, 'setTyping');
      await type('Let me check');
      expect(setTyping.args).to.deep.equal([[session.id, true]]);
      await sendKeys({ press: 'Enter' });
      await settle(pane);
      expect(setTyping.args.at(-1)).to.deep.equal([session.id, false]);
    });

    it('shows the time left in the reply window, and explains why sending is closed after it', async () => {
      await open({ replyBy: new Date(Date.now() + 3 * 3_600_000 + 60_000).toISOString() });
      expect(root().querySelector('.notice')!.textContent).to.equal('The reply window closes in 3 hr.');
      session.conversation = { ...session.conversation, replyBy: minutesAgo(1) };
      pane.requestUpdate();
      await settle(pane);
      expect(root().querySelector('.notice')!.textContent).to.equal(
        'The reply window has closed. The channel does not allow replies until the customer writes again.',
      );
      expect(textbox().disabled).to.equal(true);
      expect(sendButton().disabled).to.equal(true);
      await expect(pane).to.be.accessible();
    });
  });

  describe('scrolling', () => {
    const fill = (count: number) => {
      for (let i = 0; i < count; i++) {
        adapter.emitRaw('message', message({ id: `old-${i}`, conversationId: session.id, sentAt: minutesAgo(count - i + 10), text: `Earlier message ${i}` }));
      }
    };

    it('sticks to the newest message while the agent is at the bottom', async () => {
      await open();
      fill(60);
      await settle(pane);
      await receive('Newest');
      const view = scroller();
      expect(view.scrollTop + view.clientHeight).to.be.closeTo(view.scrollHeight, 2);
      expect(rowTexts().at(-1)).to.contain('Newest');
    });

    it('does not move when the agent has scrolled up, and offers a jump to new messages', async () => {
      await open();
      fill(60);
      await settle(pane);
      scroller().scrollTop = 200;
      await settle(pane);
      const reading = rows().find((row) => row.getBoundingClientRect().top >= scroller().getBoundingClientRect().top)!;
      const before = reading.getBoundingClientRect().top;
      await receive('Arrived while reading');
      expect(reading.getBoundingClientRect().top).to.equal(before);
      const jump = getByRole(root(), 'button', 'New messages (1)');
      jump.click();
      await settle(pane);
      expect(rowTexts().at(-1)).to.contain('Arrived while reading');
      expect(queryAllByRole(root(), 'button', /New messages/)).to.have.length(0);
    });

    it('loads earlier history at the top, keeping the agent’s place', async () => {
      await open({ history: 300 });
      const before = session.transcript.size;
      expect(before).to.be.greaterThan(1);
      scroller().scrollTop = 0;
      await settle(pane);
      const top = () => {
        const edge = scroller().getBoundingClientRect().top;
        const row = rows().find((r) => r.getBoundingClientRect().bottom > edge)!;
        return { id: row.dataset.id, offset: Math.round(row.getBoundingClientRect().top - edge) };
      };
      const reading = top();
      for (let i = 0; i < 20 && session.transcript.size === before; i++) await settle(pane);
      await settle(pane);
      expect(session.transcript.size).to.be.greaterThan(before);
      expect(scroller().scrollTop).to.be.greaterThan(0);
      const now = top();
      if (now.id !== reading.id) {
        // The row being read moved down by exactly the height of what was loaded above it.
        const row = rows().find((r) => r.dataset.id === reading.id)!;
        expect(Math.round(row.getBoundingClientRect().top - scroller().getBoundingClientRect().top)).to.be.closeTo(reading.offset, 2);
      } else {
        expect(now.offset).to.be.closeTo(reading.offset, 2);
      }
    });

    it('stops asking for history that never comes', async () => {
      adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
      const load = sinon.stub(adapter, 'loadHistory').resolves({ messages: [], hasMore: true });
      await open({ keepAdapter: true });
      for (let i = 0; i < 5; i++) await settle(pane);
      expect(load.callCount).to.be.at.most(1);
      expect(session.history.hasMore).to.equal(false);
    });

    it('waits while hidden, and lays out when shown', async () => {
      await open();
      pane.style.display = 'none';
      for (let i = 0; i < 3000; i++) {
        session.transcript.upsert(message({ id: `h-${i}`, conversationId: session.id, sentAt: minutesAgo(4000 - i), text: `Message ${i}` }));
      }
      pane.requestUpdate();
      await settle(pane);
      pane.style.display = '';
      await settle(pane);
      await settle(pane);
      expect(rows().length).to.be.within(5, 60);
      expect(scroller().scrollTop + scroller().clientHeight).to.be.closeTo(scroller().scrollHeight, 2);
      expect(rowTexts().at(-1)).to.contain('Hi, where is my parcel?');
    });

    it('shows that history is loading, and accessibly', async () => {
      await open({ history: 10 });
      session.history = { hasMore: true, loading: true };
      pane.requestUpdate();
      await settle(pane);
      expect(getByRole(root(), 'status', 'Loading earlier messages…')).to.exist;
      await expect(pane).to.be.accessible();
    });

    it('keeps the draft and the scroll position per conversation', async () => {
      await open();
      fill(60);
      await settle(pane);
      scroller().scrollTop = 300;
      await settle(pane);
      await type('Half-written reply');
      const position = scroller().scrollTop;
      expect(position).to.be.greaterThan(100);
      const first = session;
      const setTyping = sinon.spy(adapter, 'setTyping');
      const other = await core.accept(adapter.request({ preview: 'Other customer' }).id);
      pane.conversationId = other.id;
      await settle(pane);
      expect(setTyping.args, 'typing stops where it started').to.deep.equal([[first.id, false]]);
      expect(textbox().value).to.equal('');
      expect(rowTexts()).to.have.length(1);
      pane.conversationId = first.id;
      await settle(pane);
      expect(textbox().value).to.equal('Half-written reply');
      expect(scroller().scrollTop).to.be.closeTo(position, 2);
    });

    it('renders only what is near the view, whatever the length', async () => {
      await open();
      for (let i = 0; i < 5000; i++) {
        session.transcript.upsert(message({ id: `bulk-${i}`, conversationId: session.id, sentAt: minutesAgo(6000 - i), text: `Message number ${i}` }));
      }
      pane.requestUpdate();
      await settle(pane);
      expect(deepElements(root()).length).to.be.below(500);
      expect(rowTexts().at(-1)).to.contain('Hi, where is my parcel?');
      scroller().scrollTop = scroller().scrollHeight / 2;
      await settle(pane);
      expect(deepElements(root()).length).to.be.below(500);
      expect(rowTexts().some((text) => /Message number 2\d{3}/.test(text))).to.equal(true);
    });
  });

  describe('sending files', () => {
    const picker = () => root().querySelector('agent-attachment-picker')!;
    const fileInput = () => picker().shadowRoot!.querySelector('input')!;
    const chips = () => [...root().querySelectorAll('.upload')] as HTMLElement[];
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 50 && !done(); i++) await settle(pane);
      expect(done()).to.equal(true);
    };

    it('sends a file chosen by keyboard through the ellipsis menu, with progress, into the transcript', async () => {
      adapter = new MockChannelAdapter({ latency: 40 });
      await open({ keepAdapter: true });
      const windowOpened = sinon.stub(fileInput(), 'click');
      getByRole(picker().shadowRoot!, 'button', 'More options').focus();
      await sendKeys({ press: 'Enter' });
      await settle(pane);
      await expect(pane).to.be.accessible();
      await sendKeys({ press: 'Enter' });
      expect(windowOpened.callCount).to.equal(1);
      const progress: number[] = [];
      const send = sinon.spy(adapter, 'sendMessage');
      chooseFiles(fileInput(), samples.png('receipt.png'));
      await until(() => chips().length === 1);
      expect(chips()[0].textContent).to.contain('receipt.png');
      expect(chips()[0].querySelector('img')!.src).to.match(/^blob:/);
      const bar = getByRole(root(), 'progressbar', 'Uploading receipt.png') as HTMLProgressElement;
      progress.push(bar.value);
      await until(() => chips().length === 0);
      expect(send.firstCall.args[1].file!.name).to.equal('receipt.png');
      const sent = session.transcript.at(-1)!;
      expect(sent).to.include({ direction: 'outbound' });
      expect(sent.attachments![0]).to.include({ name: 'receipt.png', kind: 'image' });
      expect(['sent', 'delivered', 'read']).to.include(sent.status);
      expect(getByRole(root(), 'button', 'Open receipt.png')).to.exist;
    });

    it('sends a file chosen with the mouse', async () => {
      await open();
      sinon.stub(fileInput(), 'click');
      getByRole(picker().shadowRoot!, 'button', 'More options').click();
      await settle(pane);
      getByRole(picker().shadowRoot!, 'menuitem', 'Attach file').click();
      chooseFiles(fileInput(), samples.pdf('terms.pdf'));
      await until(() => session.transcript.at(-1)!.attachments?.[0]?.name === 'terms.pdf' && !chips().length);
    });

    it('shows why a file was refused, next to the composer, and sends nothing', async () => {
      await open();
      const send = sinon.spy(adapter, 'sendMessage');
      chooseFiles(fileInput(), samples.renamedExecutable('holiday.png'));
      await until(() => !!root().querySelector('.refusal'));
      const alert = queryAllByRole(root(), 'alert').find((el) => el.classList.contains('refusal'))!;
      expect(alert.textContent).to.contain('holiday.png does not contain what its name says, so it was not sent.');
      await expect(pane).to.be.accessible();
      expect(send.callCount).to.equal(0);
      getByRole(alert, 'button', 'Dismiss').click();
      await settle(pane);
      expect(root().querySelector('.refusal')).to.equal(null);
    });

    it('cancels an upload through its AbortSignal', async () => {
      adapter = new MockChannelAdapter({ latency: 200 });
      await open({ keepAdapter: true });
      const send = sinon.spy(adapter, 'sendMessage');
      chooseFiles(fileInput(), samples.pdf('big.pdf'));
      await until(() => chips().length === 1);
      getByRole(chips()[0], 'button', 'Cancel').click();
      await settle(pane);
      expect(send.firstCall.args[2]!.signal!.aborted).to.equal(true);
      expect(chips()).to.have.length(0);
      expect(session.transcript.getByClientId(send.firstCall.args[1].clientId)).to.equal(undefined);
    });

    it('retries a failed upload without choosing the file again, under the same clientId', async () => {
      await open();
      const send = sinon.stub(adapter, 'sendMessage');
      send.onFirstCall().rejects(new Error('Upload interrupted'));
      send.callThrough();
      chooseFiles(fileInput(), samples.pdf('contract.pdf'));
      await until(() => chips()[0]?.classList.contains('failed'));
      expect(chips()[0].textContent).to.contain('contract.pdf was not sent. Upload interrupted');
      getByRole(chips()[0], 'button', 'Retry').click();
      await until(() => chips().length === 0);
      expect(send.secondCall.args[1].clientId).to.equal(send.firstCall.args[1].clientId);
      expect(send.secondCall.args[1].file).to.equal(send.firstCall.args[1].file);
      expect(session.transcript.at(-1)!.attachments![0].name).to.equal('contract.pdf');
    });

    it('sends a batch to the conversation it was chosen in, and lists every refusal', async () => {
      await open();
      const first = session;
      const other = await core.accept(adapter.request({ preview: 'Other' }).id);
      const send = sinon.spy(core, 'send');
      const dropped = new DataTransfer();
      [samples.empty('a.pdf'), samples.program('b.exe'), samples.text('for-first.txt')].forEach((file) => dropped.items.add(file));
      root().querySelector('.base')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true, composed: true }));
      pane.conversationId = other.id; // the agent switches while the files are checked
      await until(() => send.callCount === 1);
      expect(send.firstCall.args[0]).to.equal(first.id);
      pane.conversationId = first.id;
      await settle(pane);
      expect([...root().querySelectorAll('.refusal-line')].map((line) => line.textContent)).to.deep.equal([
        'a.pdf is empty.',
        'b.exe is not an allowed file type. Allowed: JPG, JPEG, PNG, GIF, MP3, OGG, OGA, AMR, MP4, PDF, DOCX, XLSX, XLS, TXT.',
      ]);
    });

    it('sends a file without a type under the type its content and name give', async () => {
      await open();
      const send = sinon.spy(adapter, 'sendMessage');
      const untyped = new File([await samples.png().arrayBuffer()], 'SCAN.PNG');
      expect(untyped.type).to.equal('');
      await picker().choose([untyped]);
      await until(() => send.callCount === 1);
      expect(send.firstCall.args[1].file!.type).to.equal('image/png');
    });

    it('leaves a paste of text with a picture beside it to the text box', async () => {
      await open();
      const send = sinon.spy(adapter, 'sendMessage');
      const clipboard = new DataTransfer();
      clipboard.setData('text/plain', 'Q3 figures');
      clipboard.items.add(samples.png('cells.png'));
      const paste = new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true, composed: true });
      textbox().dispatchEvent(paste);
      await settle(pane);
      expect(paste.defaultPrevented).to.equal(false);
      expect(send.callCount).to.equal(0);
    });

    it('takes dropped files and pasted files the same way', async () => {
      await open();
      const send = sinon.spy(adapter, 'sendMessage');
      const dropped = new DataTransfer();
      dropped.items.add(samples.png('dropped.png'));
      const base = root().querySelector('.base')!;
      base.dispatchEvent(new DragEvent('dragover', { dataTransfer: dropped, bubbles: true, cancelable: true, composed: true }));
      await settle(pane);
      expect(root().querySelector('.drop-hint')!.textContent).to.equal('Drop the file to send it');
      base.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true, composed: true }));
      await until(() => send.callCount === 1);
      const pasted = new DataTransfer();
      pasted.items.add(samples.empty('blank.pdf'));
      textbox().dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true, composed: true }));
      await until(() => !!root().querySelector('.refusal'));
      expect(root().querySelector('.refusal')!.textContent).to.contain('blank.pdf is empty.');
      expect(send.callCount).to.equal(1);
      expect(send.firstCall.args[1].file!.name).to.equal('dropped.png');
    });
  });

  describe('standalone', () => {
    it('works with an adapter and a conversation id, and reports refused events', async () => {
      adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
      await adapter.connect();
      const conversation = await adapter.accept(adapter.request({ preview: undefined, customer: { name: 'Mads Jensen' } }).id);
      pane = await fixture(html`<agent-conversation-pane style="height: 400px" .adapter=${adapter} .conversation=${conversation} conversation-id=${conversation.id}></agent-conversation-pane>`);
      await settle(pane);
      await receive('Hej, jeg har et spørgsmål');
      expect(rowTexts()).to.have.length(1);
      expect(rowTexts()[0]).to.contain('Mads Jensen: Hej, jeg har et spørgsmål');
      setTimeout(() => adapter.emitRaw('message', { id: 'bad', conversationId: conversation.id, direction: 'inbound', sentAt: 'never', text: 'x' }));
      const { detail } = await oneEvent(pane, 'agent-error');
      expect(detail).to.include({ code: 'malformed-event', field: 'detail.sentAt' });
      await type('Hej Mads');
      await sendKeys({ press: 'Enter' });
      await settle(pane);
      expect(adapter.sentMessages.map((m: Message) => m.text)).to.deep.equal(['Hej Mads']);
      pane.conversation = { ...conversation, replyBy: minutesAgo(1) };
      await settle(pane);
      expect(textbox().disabled, 'a new conversation object applies').to.equal(true);
      const parent = pane.parentElement!;
      pane.remove();
      parent.append(pane);
      await receive('Still there after the pane moved');
      expect(rowTexts().at(-1)).to.contain('Still there after the pane moved');
    });
  });
});

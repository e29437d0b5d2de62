import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import '../../src/conversation-pane.js';
import { MockChannelAdapter } from '../../src/adapters/mock-adapter.js';
import type { OutgoingMessage } from '../../src/adapters/types.js';
import type { AgentConversationPane } from '../../src/components/conversation-pane/conversation-pane.component.js';
import { ConsoleCore } from '../../src/core/console-core.js';
import type { Session } from '../../src/core/session.js';
import { loadTranslation } from '../../src/l10n/translation.js';
import { getByRole, queryAllByRole, settle, until } from '../fixtures.js';

let adapter: MockChannelAdapter;
let core: ConsoleCore;
let session: Session;
let pane: AgentConversationPane;

/** An error as a channel adapter rejects with it, with a `ChannelErrorCode`. */
const channelError = (message: string, code: string) => Object.assign(new Error(message), { code });

async function open(methods: Partial<Record<'takeThread' | 'passThread' | 'react', sinon.SinonStub>> = {}, lang = 'en') {
  adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
  Object.assign(adapter, methods);
  core = new ConsoleCore(adapter, { logger: { warn: () => {} } });
  await core.start();
  const request = adapter.request({ customer: { name: 'Ana Souza' }, preview: 'Hi, where is my parcel? It was due on Monday and nothing came' });
  session = await core.accept(request.id);
  const wrapper = await fixture(html`<div lang=${lang} style="height: 420px; width: 480px">
    <agent-conversation-pane .core=${core} conversation-id=${session.id}></agent-conversation-pane>
  </div>`);
  pane = wrapper.querySelector('agent-conversation-pane')!;
  await until(() => queryAllByRole(root(), 'listitem').length === 1, 'the customer’s message');
  await settle(pane);
}

const root = () => pane.shadowRoot!;
const textbox = () => getByRole(root(), 'textbox') as HTMLTextAreaElement;
const send = () => root().querySelector<HTMLButtonElement>('button.send')!;
const threadStatus = () => root().querySelector('#thread-notice')!;
const customerRow = () => queryAllByRole(root(), 'listitem')[0];
const heldByBot = async () => {
  adapter.emitRaw('thread-control', { conversationId: session.id, owner: 'other', appId: '263902037430900' });
  await settle(pane);
};

afterEach(async () => {
  await core?.stop();
  await adapter?.dispose();
  sinon.restore();
});

describe('<agent-conversation-pane> thread control', () => {
  before(() => Promise.all([loadTranslation('da'), loadTranslation('vi')]));

  it('closes the composer while another app holds the thread, and says so', async () => {
    await open({ takeThread: sinon.stub().resolves() });
    expect(threadStatus().getAttribute('role')).to.equal('status');
    expect(threadStatus().textContent!.trim()).to.equal('');
    await heldByBot();
    expect(threadStatus().textContent!.trim()).to.equal('Another app is handling this conversation.');
    expect(root().textContent).not.to.contain('263902037430900');
    expect(textbox().disabled).to.equal(true);
    expect(send().disabled).to.equal(true);
    expect(textbox().getAttribute('aria-describedby')!.split(' ')).to.include('thread-notice');
    expect(queryAllByRole(customerRow(), 'button', 'Reply')).to.have.length(0);
    getByRole(root(), 'button', 'Take over');
    await expect(pane).to.be.accessible();
  });

  it('takes over through the core and opens the composer, with focus in the message box', async () => {
    const takeThread = sinon.stub().resolves();
    await open({ takeThread });
    await heldByBot();
    const take = getByRole(root(), 'button', 'Take over');
    take.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => !textbox().disabled, 'the composer to open');
    expect(takeThread).to.have.been.calledOnceWith(session.id);
    expect(threadStatus().textContent!.trim()).to.equal('');
    expect(queryAllByRole(root(), 'button', 'Take over')).to.have.length(0);
    await until(() => root().activeElement === textbox(), 'focus in the message box');
  });

  it('offers no Take over when the adapter cannot take the thread', async () => {
    await open();
    await heldByBot();
    expect(threadStatus().textContent).to.contain('Another app is handling this conversation.');
    expect(queryAllByRole(root(), 'button', 'Take over')).to.have.length(0);
  });

  it('opens the composer when the channel says the console holds the thread again', async () => {
    await open();
    await heldByBot();
    adapter.emitRaw('thread-control', { conversationId: session.id, owner: 'console' });
    await until(() => !textbox().disabled, 'the composer to open');
  });

  it('says why taking over failed, in the console’s words for a known code', async () => {
    await open({ takeThread: sinon.stub().rejects(channelError('(#613) Calls to this api have exceeded the rate limit.', 'rate-limited')) });
    await heldByBot();
    getByRole(root(), 'button', 'Take over').click();
    const alert = await until(() => queryAllByRole(root(), 'alert').find((element) => element.textContent!.trim()), 'the failure');
    expect(alert.textContent!.trim()).to.equal('Take over failed: Facebook asks to slow down. Wait a minute and try again.');
    expect(textbox().disabled).to.equal(true);
    await expect(pane).to.be.accessible();
  });

  it('shows the adapter’s own words for an error without a known code', async () => {
    await open({ takeThread: sinon.stub().rejects(new Error('The bot would not let go.')) });
    await heldByBot();
    getByRole(root(), 'button', 'Take over').click();
    const alert = await until(() => queryAllByRole(root(), 'alert').find((element) => element.textContent!.trim()), 'the failure');
    expect(alert.textContent!.trim()).to.equal('Take over failed: The bot would not let go.');
  });

  it('speaks Danish and Vietnamese', async () => {
    await open({ takeThread: sinon.stub().resolves() }, 'da');
    await heldByBot();
    expect(threadStatus().textContent!.trim()).to.equal('En anden app håndterer denne samtale.');
    getByRole(root(), 'button', 'Overtag');
    pane.parentElement!.setAttribute('lang', 'vi');
    await until(() => threadStatus().textContent!.trim() === 'Một ứng dụng khác đang xử lý cuộc trò chuyện này.', 'Vietnamese');
    getByRole(root(), 'button', 'Tiếp quản');
  });
});

describe('<agent-conversation-pane> reactions', () => {
  it('lets the agent react to a customer’s message from the keyboard, and shows the reaction', async () => {
    const react = sinon.stub().resolves();
    await open({ react });
    const button = getByRole(customerRow(), 'button', 'React to this message');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    button.focus();
    await sendKeys({ press: 'Enter' });
    const menu = await until(() => queryAllByRole(root(), 'menu', 'React to this message')[0], 'the emoji menu');
    const items = queryAllByRole(menu, 'menuitemradio');
    expect(items.map((item) => item.getAttribute('aria-label'))).to.deep.equal(['Like', 'Love', 'Haha', 'Wow', 'Sad', 'Thank you']);
    expect(items.map((item) => item.textContent!.trim())).to.deep.equal(['👍', '❤️', '😂', '😮', '😢', '🙏']);
    expect(root().activeElement).to.equal(items[0]);
    await expect(pane).to.be.accessible();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    await until(() => customerRow().textContent!.includes('Your reaction: Love'), 'the agent’s reaction on the message');
    expect(react).to.have.been.calledOnceWith(session.id, session.transcript.at(0)!.id, '❤️');
    expect(queryAllByRole(root(), 'menu', 'React to this message')).to.have.length(0);
    expect(root().activeElement).to.equal(getByRole(customerRow(), 'button', 'React to this message'));
    await expect(pane).to.be.accessible();
  });

  it('marks the chosen reaction and takes it back when it is chosen again', async () => {
    const react = sinon.stub().resolves();
    await open({ react });
    const button = () => getByRole(customerRow(), 'button', 'React to this message');
    button().click();
    (await until(() => queryAllByRole(root(), 'menuitemradio', 'Haha')[0], 'the menu')).click();
    await until(() => customerRow().textContent!.includes('Your reaction: Haha'), 'the reaction');
    button().click();
    const haha = await until(() => queryAllByRole(root(), 'menuitemradio', 'Haha')[0], 'the menu');
    expect(haha.getAttribute('aria-checked')).to.equal('true');
    expect(getByRole(root(), 'menuitemradio', 'Like').getAttribute('aria-checked')).to.equal('false');
    haha.click();
    await until(() => !customerRow().textContent!.includes('Your reaction'), 'the reaction taken back');
    expect(react.lastCall.args).to.deep.equal([session.id, session.transcript.at(0)!.id, '']);
  });

  it('closes the menu with Escape, back on its button', async () => {
    await open({ react: sinon.stub().resolves() });
    const button = getByRole(customerRow(), 'button', 'React to this message');
    button.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => queryAllByRole(root(), 'menu', 'React to this message').length, 'the menu');
    await sendKeys({ press: 'Escape' });
    await until(() => !queryAllByRole(root(), 'menu', 'React to this message').length, 'the menu to close');
    expect(root().activeElement).to.equal(getByRole(customerRow(), 'button', 'React to this message'));
  });

  it('takes the reaction away again and says why when the channel refuses', async () => {
    await open({ react: sinon.stub().rejects(channelError('(#10) Outside of allowed window', 'reply-window-closed')) });
    getByRole(customerRow(), 'button', 'React to this message').click();
    (await until(() => queryAllByRole(root(), 'menuitemradio', 'Like')[0], 'the menu')).click();
    const alert = await until(() => queryAllByRole(customerRow(), 'alert')[0], 'the failure');
    expect(alert.textContent!.trim()).to.equal(
      'React to this message failed: The reply window has closed. The channel does not allow replies until the customer writes again.',
    );
    expect(customerRow().textContent).not.to.contain('Your reaction');
    await expect(pane).to.be.accessible();
  });

  it('offers no React where the adapter cannot react, and nothing on the agent’s own messages', async () => {
    await open();
    expect(queryAllByRole(root(), 'button', 'React to this message')).to.have.length(0);
    getByRole(customerRow(), 'button', 'Reply');
    core.send(session.id, { text: 'Let me check' });
    await until(() => queryAllByRole(root(), 'listitem').length === 2, 'the agent’s message');
    expect(queryAllByRole(queryAllByRole(root(), 'listitem')[1], 'button', 'Reply')).to.have.length(0);
  });
});

describe('<agent-conversation-pane> replies', () => {
  it('replies to a customer’s message: the next send carries replyTo', async () => {
    await open();
    const sendMessage = sinon.spy(adapter, 'sendMessage');
    getByRole(customerRow(), 'button', 'Reply').click();
    await until(() => root().activeElement === textbox(), 'focus in the message box');
    const replying = root().querySelector('#replying')!;
    expect(replying.textContent).to.equal('Replying to: Hi, where is my parcel? It was due…');
    expect(textbox().getAttribute('aria-describedby')!.split(' ')).to.include('replying');
    getByRole(root(), 'button', 'Cancel');
    await expect(pane).to.be.accessible();
    await sendKeys({ type: 'It ships today' });
    await sendKeys({ press: 'Enter' });
    await until(() => sendMessage.called, 'the send');
    expect((sendMessage.firstCall.args[1] as OutgoingMessage).replyTo).to.equal(session.transcript.at(0)!.id);
    await settle(pane);
    expect(root().querySelector('#replying')).to.equal(null);
    await sendKeys({ type: 'Anything else?' });
    await sendKeys({ press: 'Enter' });
    await until(() => sendMessage.calledTwice, 'the second send');
    expect(sendMessage.secondCall.args[1]).not.to.have.property('replyTo');
  });

  it('replies with a file too: the first file sent in reply mode carries replyTo, and ends it', async () => {
    await open();
    const sendMessage = sinon.spy(adapter, 'sendMessage');
    getByRole(customerRow(), 'button', 'Reply').click();
    await until(() => root().querySelector('#replying'), 'reply mode');
    const picture = new File([new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0, 0x3b])], 'receipt.gif', { type: 'image/gif' });
    const dropped = new DataTransfer();
    dropped.items.add(picture);
    root().querySelector('.base')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true, composed: true }));
    await until(() => sendMessage.called, 'the file send');
    const draft = sendMessage.firstCall.args[1] as OutgoingMessage;
    expect(draft.file!.name).to.equal('receipt.gif');
    expect(draft.replyTo).to.equal(session.transcript.at(0)!.id);
    await settle(pane);
    expect(root().querySelector('#replying'), 'reply mode ends').to.equal(null);
  });

  it('tells the page which message a send replies to', async () => {
    await open();
    const sent = sinon.spy();
    pane.addEventListener('agent-send', (event) => sent(event.detail));
    getByRole(customerRow(), 'button', 'Reply').click();
    await until(() => root().activeElement === textbox(), 'focus in the message box');
    await sendKeys({ type: 'Yes' });
    await sendKeys({ press: 'Enter' });
    expect(sent).to.have.been.calledOnceWith({ conversationId: session.id, text: 'Yes', replyTo: session.transcript.at(0)!.id });
  });

  it('cancels the reply with Escape or Cancel', async () => {
    await open();
    const sendMessage = sinon.spy(adapter, 'sendMessage');
    getByRole(customerRow(), 'button', 'Reply').click();
    await until(() => root().activeElement === textbox(), 'focus in the message box');
    await sendKeys({ press: 'Escape' });
    await until(() => !root().querySelector('#replying'), 'reply mode to end');
    expect(root().activeElement).to.equal(textbox());
    getByRole(customerRow(), 'button', 'Reply').click();
    await until(() => root().querySelector('#replying'), 'reply mode');
    getByRole(root(), 'button', 'Cancel').click();
    await until(() => !root().querySelector('#replying'), 'reply mode to end');
    await sendKeys({ type: 'Plain' });
    await sendKeys({ press: 'Enter' });
    await until(() => sendMessage.called, 'the send');
    expect((sendMessage.firstCall.args[1] as OutgoingMessage).replyTo).to.equal(undefined);
  });
});

describe('<agent-conversation-pane> channel errors', () => {
  for (const [lang, sentence] of [
    ['en', 'The customer cannot receive messages now.'],
    ['da', 'Kunden kan ikke modtage beskeder lige nu.'],
    ['vi', 'Khách hàng hiện không thể nhận tin nhắn.'],
  ]) {
    it(`words a failed send’s known code itself (${lang})`, async () => {
      await open({}, lang);
      sinon.stub(adapter, 'sendMessage').rejects(channelError('(#551) This person isn’t available right now.', 'recipient-unavailable'));
      core.send(session.id, { text: 'Hello?' });
      const error = await until(() => root().querySelector('.status.failed ~ .error'), 'the failure');
      expect(error.textContent).to.equal(sentence);
      expect(root().textContent).not.to.contain('#551');
    });
  }

  it('shows the adapter’s words for a failed send without a known code', async () => {
    await open();
    sinon.stub(adapter, 'sendMessage').rejects(new Error('Relay said no'));
    core.send(session.id, { text: 'Hello?' });
    const error = await until(() => root().querySelector('.status.failed ~ .error'), 'the failure');
    expect(error.textContent).to.equal('Relay said no');
  });
});

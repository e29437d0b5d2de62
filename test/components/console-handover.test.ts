import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import { MockChannelAdapter } from '../../src/adapters/mock-adapter.js';
import type { AgentConsole } from '../../src/components/agent-console/console.component.js';
import '../../src/console.js';
import { loadTranslation } from '../../src/l10n/translation.js';
import { getShownByRole, queryAllShownByRole, settle, until } from '../fixtures.js';

const shown = queryAllShownByRole;
const toast = (el: AgentConsole, customer: string) => getShownByRole(el, 'group', `Incoming Facebook conversation from ${customer}`);
const connectionStatus = (el: AgentConsole) => el.shadowRoot!.querySelector('[part=connection] [role=status]')!.textContent!.trim();
/** An error as a channel adapter rejects with it, with a `ChannelErrorCode`. */
const channelError = (message: string, code: string) => Object.assign(new Error(message), { code });
/** An https: address that fails at once: nothing listens on port 1. */
const brokenPicture = 'https://127.0.0.1:1/ana.jpg';

describe('<agent-console> avatars, thread hand-back and channel errors', () => {
  before(() => Promise.all([loadTranslation('da'), emulateMedia({ reducedMotion: 'reduce' })]));
  after(() => emulateMedia({ reducedMotion: 'no-preference' }));

  let adapter: MockChannelAdapter;
  afterEach(async () => {
    sinon.restore();
    await adapter?.dispose();
  });

  async function consoleOn(methods: Record<string, sinon.SinonStub> = {}, lang = 'en') {
    adapter = Object.assign(new MockChannelAdapter({ latency: 0, historySize: 0 }), methods);
    const el = document.createElement('agent-console');
    // Its own key: test files run side by side in one browser, and consoles with one channel and key share tabs.
    el.setAttribute('sync-key', 'console-handover-test');
    el.adapter = adapter;
    await fixture(html`<div lang=${lang}>${el}</div>`);
    await until(() => el.core?.connection.state === 'open', 'the connection');
    return el;
  }

  async function accepted(el: AgentConsole, name = 'Ana Hansen', avatarUrl?: string) {
    adapter.request({ customer: { name, avatarUrl }, preview: 'Where is my parcel?' });
    await until(() => shown(el, 'group', `Incoming Facebook conversation from ${name}`).length, `the toast from ${name}`);
    getShownByRole(toast(el, name), 'button', 'Accept').click();
    await until(() => !shown(el, 'group').length && shown(el, 'textbox', 'Type a message').length, 'the session');
    await settle(el);
    return [...el.core!.sessions.values()].find((session) => session.conversation.customer.name === name)!;
  }

  const avatarIn = (container: Element) => container.querySelector<HTMLElement>('.avatar')!;

  describe('avatars', () => {
    it('shows initials beside the name on the toast and in the session list when there is no picture', async () => {
      const el = await consoleOn();
      adapter.request({ customer: { name: 'Ana María Hansen' }, preview: 'Hi' });
      const request = await until(() => shown(el, 'group', 'Incoming Facebook conversation from Ana María Hansen')[0], 'the toast');
      const badge = avatarIn(request);
      expect(badge.dataset.initials).to.equal('AH');
      expect(getComputedStyle(badge, '::before').content).to.equal('"AH"');
      expect(badge.getAttribute('aria-hidden')).to.equal('true');
      expect(badge.querySelector('img')).to.equal(null);
      await expect(el).to.be.accessible();
      getShownByRole(request, 'button', 'Accept').click();
      await until(() => shown(el, 'textbox', 'Type a message').length, 'the session');
      const item = getShownByRole(el, 'button', /^Ana María Hansen/);
      expect(avatarIn(item).dataset.initials).to.equal('AH');
      await expect(el).to.be.accessible();
    });

    it('shows an https: picture as a decorative image, loaded lazily without a referrer, and initials when it fails', async () => {
      const el = await consoleOn();
      adapter.request({ customer: { name: 'Ana Hansen', avatarUrl: brokenPicture }, preview: 'Hi' });
      const request = await until(() => shown(el, 'group', 'Incoming Facebook conversation from Ana Hansen')[0], 'the toast');
      const picture = avatarIn(request).querySelector('img')!;
      expect(picture.getAttribute('src')).to.equal(brokenPicture);
      expect(picture.getAttribute('alt')).to.equal('');
      expect(picture.getAttribute('loading')).to.equal('lazy');
      expect(picture.getAttribute('referrerpolicy')).to.equal('no-referrer');
      await until(() => picture.hidden, 'the broken picture to give way to the initials');
      expect(avatarIn(request).dataset.initials).to.equal('AH');
      expect(picture.getAttribute('style')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('never loads a picture that is not https:', async () => {
      const el = await consoleOn();
      await accepted(el, 'Bo Berg', 'http://example.com/bo.jpg');
      const item = getShownByRole(el, 'button', /^Bo Berg/);
      expect(avatarIn(item).querySelector('img')).to.equal(null);
      expect(avatarIn(item).dataset.initials).to.equal('BB');
    });
  });

  describe('handing the thread back', () => {
    it('offers Hand back once the console holds the thread, and closes the composer after it', async () => {
      const passThread = sinon.stub().resolves();
      const el = await consoleOn({ passThread, takeThread: sinon.stub().resolves() });
      const session = await accepted(el);
      expect(shown(el, 'button', 'Hand back')).to.have.length(0); // the channel never spoke of handover
      adapter.emitRaw('thread-control', { conversationId: session.id, owner: 'console' });
      const handBack = await until(() => shown(el, 'button', 'Hand back')[0], 'Hand back');
      await expect(el).to.be.accessible();
      handBack.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => shown(el, 'button', 'Take over').length, 'Take over in the pane');
      expect(passThread).to.have.been.calledOnceWith(session.id);
      expect(shown(el, 'button', 'Hand back')).to.have.length(0);
      expect((getShownByRole(el, 'textbox', 'Type a message') as HTMLTextAreaElement).disabled).to.equal(true);
      await until(() => el.matches(':focus-within'), 'focus kept in the console');
      await expect(el).to.be.accessible();
    });

    it('says why handing back failed', async () => {
      const el = await consoleOn({ passThread: sinon.stub().rejects(channelError('(#190) token expired', 'channel-unauthorized')) });
      const session = await accepted(el);
      adapter.emitRaw('thread-control', { conversationId: session.id, owner: 'console' });
      (await until(() => shown(el, 'button', 'Hand back')[0], 'Hand back')).click();
      const alert = await until(() => shown(el, 'alert')[0], 'the failure');
      expect(alert.textContent!.trim()).to.equal('Hand back failed: Facebook access has expired. Ask an administrator to reconnect it.');
      expect((getShownByRole(el, 'textbox', 'Type a message') as HTMLTextAreaElement).disabled).to.equal(false);
    });

    it('offers no Hand back when the adapter cannot hand the thread back', async () => {
      const el = await consoleOn();
      const session = await accepted(el);
      adapter.emitRaw('thread-control', { conversationId: session.id, owner: 'console' });
      await settle(el);
      expect(shown(el, 'button', 'Hand back')).to.have.length(0);
    });
  });

  describe('channel errors', () => {
    it('shows one clear connection error when the channel’s access expired, and holds sends instead of failing each', async () => {
      const el = await consoleOn();
      const session = await accepted(el);
      const sendMessage = sinon.spy(adapter, 'sendMessage');
      adapter.emitRaw('connection-change', { state: 'open', code: 'channel-unauthorized', error: 'Error validating access token: Session has expired (190)' });
      await until(() => connectionStatus(el).startsWith('Facebook access has expired.'), 'the connection error');
      expect(connectionStatus(el)).to.equal(
        'Facebook access has expired. Ask an administrator to reconnect it. What you write is kept and sent when the connection is back.',
      );
      expect(el.shadowRoot!.textContent).not.to.contain('(190)');
      await expect(el).to.be.accessible();
      const box = getShownByRole(el, 'textbox', 'Type a message') as HTMLTextAreaElement;
      box.focus();
      await sendKeys({ type: 'Still there?' });
      await sendKeys({ press: 'Enter' });
      await settle(el);
      expect(sendMessage).not.to.have.been.called;
      expect(session.transcript.at(-1)!.status).to.equal('pending');
      adapter.emitRaw('connection-change', { state: 'open' });
      await until(() => connectionStatus(el) === '', 'the connection error to clear');
      await until(() => sendMessage.calledOnce, 'the held message to go');
    });

    it('words the connection error in Danish', async () => {
      const el = await consoleOn({}, 'da');
      adapter.emitRaw('connection-change', { state: 'open', code: 'channel-unauthorized' });
      await until(() => connectionStatus(el) === 'Adgangen til Facebook er udløbet. Bed en administrator om at forbinde den igen.', 'the Danish error');
    });

    it('words a failed accept’s known code itself', async () => {
      const el = await consoleOn();
      sinon.stub(adapter, 'accept').rejects(channelError('(#551) This person isn’t available right now.', 'recipient-unavailable'));
      adapter.request({ customer: { name: 'Ana Hansen' }, preview: 'Hi' });
      const request = await until(() => shown(el, 'group', 'Incoming Facebook conversation from Ana Hansen')[0], 'the toast');
      getShownByRole(request, 'button', 'Accept').click();
      const alert = await until(() => shown(request, 'alert')[0], 'the failure');
      expect(alert.textContent!.trim()).to.equal('Could not accept: The customer cannot receive messages now.');
    });

    it('words a failed end’s known code itself', async () => {
      const el = await consoleOn();
      await accepted(el);
      sinon.stub(adapter, 'endConversation').rejects(channelError('Try later', 'temporary'));
      getShownByRole(el, 'button', 'End conversation').click();
      const alert = await until(() => shown(el, 'alert')[0], 'the failure');
      expect(alert.textContent!.trim()).to.equal('Could not end the conversation: Facebook failed for a moment. Try again.');
    });
  });
});

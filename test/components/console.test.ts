import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import { MockChannelAdapter } from '../../src/adapters/mock-adapter.js';
import type { Conversation } from '../../src/adapters/types.js';
import type { AgentConsole } from '../../src/components/agent-console/console.component.js';
import '../../src/console.js';
import { loadTranslation } from '../../src/l10n/translation.js';
import { controlsUnderToasts, getByRole, getShownByRole, pressShortcut, queryAllByRole, queryAllShownByRole, settle, transcriptText, until } from '../fixtures.js';

const shown = queryAllShownByRole;
const toast = (el: AgentConsole, customer: string) => getShownByRole(el, 'group', `Incoming Facebook conversation from ${customer}`);
const button = (root: Element, name: string | RegExp) => getShownByRole(root, 'button', name);
const messageBox = (el: AgentConsole) => getShownByRole(el, 'textbox', 'Type a message') as HTMLTextAreaElement;
const expectAccessible = (el: AgentConsole) => expect(el).to.be.accessible();

const connectionStatus = (el: AgentConsole) => el.shadowRoot!.querySelector('[part=connection] [role=status]')!.textContent!.trim();

describe('<agent-console>', () => {
  // Toasts slide in unless motion is reduced; axe would measure half-faded text.
  before(() => Promise.all([loadTranslation('da'), emulateMedia({ reducedMotion: 'reduce' })]));
  after(() => emulateMedia({ reducedMotion: 'no-preference' }));

  let adapters: MockChannelAdapter[] = [];
  afterEach(async () => {
    sinon.restore();
    await Promise.all(adapters.map((adapter) => adapter.dispose()));
    adapters = [];
  });

  async function consoleOn(attributes: Record<string, string> = {}, adapter = new MockChannelAdapter({ latency: 0, historySize: 0 })) {
    adapters.push(adapter);
    const el = document.createElement('agent-console');
    // Test files run side by side in one browser, and consoles with one channel and sync key share tabs (and the alert lock).
    el.setAttribute('sync-key', 'console-test');
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    el.adapter = adapter;
    await fixture(html`<div>${el}</div>`);
    await until(() => el.core?.connection.state === 'open', 'the connection');
    return { el, adapter };
  }

  /** Waits until one of this test's `tabs` holds the alert lock and the rest queue for it (earlier tests' consoles have let go). */
  async function alertLockAmong(tabs: number) {
    const mine = ({ name }: LockInfo) => name === 'agent-console:mock:console-test:leader';
    await until(async () => {
      const { held = [], pending = [] } = await navigator.locks.query();
      return held.filter(mine).length === 1 && held.filter(mine).length + pending.filter(mine).length === tabs;
    }, 'one tab to hold the alert lock');
  }

  async function accepted(el: AgentConsole, adapter: MockChannelAdapter, name = 'Ana Hansen', preview = 'Where is my parcel?') {
    adapter.request({ customer: { name }, preview });
    await until(() => shown(el, 'group', `Incoming Facebook conversation from ${name}`).length, `the toast from ${name}`);
    const accept = button(toast(el, name), 'Accept');
    accept.focus(); // as a click does
    accept.click();
    await until(() => !shown(el, 'group', `Incoming Facebook conversation from ${name}`).length && shown(el, 'textbox', 'Type a message').length, 'the session');
    await el.updateComplete;
    return [...el.core!.sessions.values()].find((session) => session.conversation.customer.name === name)!;
  }

  it('runs the whole story: request → toast → Accept → pane → exchange → End → Close', async () => {
    const { el, adapter } = await consoleOn();
    getByRole(el, 'navigation', 'Conversations');
    expect(el.shadowRoot!.textContent).to.contain('No open conversations.');
    await expectAccessible(el);

    adapter.request({ customer: { name: 'Ana Hansen' }, preview: 'Where is my parcel?' });
    await until(() => shown(el, 'group').length, 'the toast');
    const request = toast(el, 'Ana Hansen');
    expect(request.textContent).to.contain('Where is my parcel?');
    await expectAccessible(el);

    button(request, 'Accept').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => shown(el, 'textbox', 'Type a message').length, 'the pane');
    await until(() => transcriptText(el).includes('Where is my parcel?'), 'the first message');
    expect(shown(el, 'group')).to.have.length(0);
    getShownByRole(el, 'region', 'Conversation with Ana Hansen');
    await until(() => messageBox(el).matches(':focus'), 'focus in the message box');
    const item = button(el, /^Ana Hansen Facebook/);
    expect(item.getAttribute('aria-current')).to.equal('true');
    await expectAccessible(el);

    await sendKeys({ type: 'It left our warehouse today.' });
    await sendKeys({ press: 'Enter' });
    await until(() => adapter.sentMessages.some((m) => m.text === 'It left our warehouse today.'), 'the reply');
    const { id } = el.core!.sessions.values().next().value!;
    adapter.receive(id, 'Great, thanks!');
    await until(() => transcriptText(el).includes('Great, thanks!'), 'the customer’s answer');
    await until(() => button(el, /^Ana Hansen/).textContent!.includes('Great, thanks!'), 'the last message in the list');

    const end = sinon.spy(adapter, 'endConversation');
    button(el, 'End conversation').click();
    await until(() => end.calledOnceWith(id) && transcriptText(el).includes('You ended the conversation.'), 'the end');
    expect(messageBox(el).disabled).to.equal(true);
    expect(button(el, /^Ana Hansen/).textContent).to.contain('Ended');
    await expectAccessible(el);

    button(el, 'Close conversation').click();
    await until(() => !el.core!.sessions.size && el.shadowRoot!.textContent!.includes('No open conversations.'), 'the session to close');
  });

  it('rejects a request through the adapter', async () => {
    const { el, adapter } = await consoleOn();
    const reject = sinon.spy(adapter, 'reject');
    const { id } = adapter.request({ customer: { name: 'Bo Jensen' } });
    await until(() => shown(el, 'group').length, 'the toast');
    setTimeout(() => button(toast(el, 'Bo Jensen'), 'Reject').click());
    const event = await oneEvent(el, 'agent-reject');
    expect(event.detail).to.deep.equal({ requestId: id, outcome: 'declined-by-agent' });
    await until(() => !shown(el, 'group').length, 'the toast to go');
    expect(reject.calledOnceWith(id)).to.equal(true);
    expect(el.core!.sessions.size).to.equal(0);
  });

  it('shows Accept in progress, and why it failed, keeping the request answerable', async () => {
    const { el, adapter } = await consoleOn();
    const original = adapter.accept.bind(adapter);
    let fail!: (error: Error) => void;
    const accept = sinon.stub(adapter, 'accept').callsFake(original);
    accept.onFirstCall().returns(new Promise<Conversation>((_, reject) => (fail = reject)));
    adapter.request({ customer: { name: 'Chi Nguyen' } });
    await until(() => shown(el, 'group').length, 'the toast');
    button(toast(el, 'Chi Nguyen'), 'Accept').click();
    await until(() => toast(el, 'Chi Nguyen').textContent!.includes('Accepting…'), 'the progress');
    expect(button(toast(el, 'Chi Nguyen'), 'Accept').getAttribute('aria-disabled')).to.equal('true');
    fail(new Error('The request was taken by a colleague.'));
    await until(() => shown(el, 'alert').length, 'the failure');
    expect(getShownByRole(el, 'alert').textContent).to.equal('Could not accept: The request was taken by a colleague.');
    await expectAccessible(el);
    button(toast(el, 'Chi Nguyen'), 'Accept').click();
    await until(() => shown(el, 'textbox', 'Type a message').length, 'the session');
  });

  it('does not move focus when a slow Accept finishes after the agent went back to work', async () => {
    const notes = await fixture<HTMLTextAreaElement>(html`<textarea aria-label="Notes"></textarea>`);
    const { el, adapter } = await consoleOn();
    const original = adapter.accept.bind(adapter);
    let finish!: () => void;
    sinon.stub(adapter, 'accept').callsFake((id) => new Promise((resolve) => (finish = () => resolve(original(id)))));
    adapter.request({ customer: { name: 'Vera Dam' } });
    await until(() => shown(el, 'group').length, 'the toast');
    button(toast(el, 'Vera Dam'), 'Accept').focus();
    await sendKeys({ press: 'Enter' });
    notes.focus();
    await sendKeys({ type: 'Call back on Monday' });
    finish();
    await until(() => el.core!.sessions.size === 1 && shown(el, 'textbox', 'Type a message').length, 'the session');
    await settle(el);
    expect(document.activeElement).to.equal(notes);
    expect(notes.value).to.equal('Call back on Monday');
  });

  it('keeps running when moved in the page, and disconnects when removed', async () => {
    const { el, adapter } = await consoleOn();
    const session = await accepted(el, adapter, 'Willy Sand');
    const elsewhere = await fixture(html`<section aria-label="Side panel"></section>`);
    elsewhere.append(el);
    await settle(el);
    expect(adapter.connectionState).to.equal('open');
    expect(el.core!.sessions.get(session.id)).to.equal(session);
    el.remove();
    await until(() => adapter.connectionState === 'closed', 'the adapter to disconnect');
  });

  it('expires an unanswered request after its timeout and gives it back', async () => {
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setInterval', 'clearInterval', 'Date'] });
    const { el, adapter } = await consoleOn({ timeout: '30' });
    const reject = sinon.spy(adapter, 'reject');
    const { id } = adapter.request({ customer: { name: 'Dana Holm' } });
    await until(() => shown(el, 'group').length, 'the toast');
    await clock.tickAsync(15_000);
    await el.updateComplete;
    expect(toast(el, 'Dana Holm').textContent).to.contain('Expires in 0:15');
    const timedOut = oneEvent(el, 'agent-timeout');
    await clock.tickAsync(16_000);
    expect((await timedOut).detail).to.deep.equal({ requestId: id, outcome: 'timed-out' });
    await until(() => !shown(el, 'group').length && reject.calledOnceWith(id), 'the request to go back');
    expect(el.core!.requests.outcome(id)).to.equal('timed-out');
    clock.restore();
    await expectAccessible(el);
  });

  it('says so when the customer withdraws, then lets the toast go', async () => {
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], shouldAdvanceTime: true });
    const { el, adapter } = await consoleOn();
    const { id } = adapter.request({ customer: { name: 'Emil Berg' } });
    await until(() => shown(el, 'group').length, 'the toast');
    adapter.withdraw(id, 'Found the answer in the FAQ');
    await until(() => toast(el, 'Emil Berg').textContent!.includes('Emil Berg withdrew the request.'), 'the explanation');
    expect(queryAllByRole(toast(el, 'Emil Berg'), 'button')).to.have.length(0);
    await expectAccessible(el);
    await clock.tickAsync(6_000);
    await until(() => !shown(el, 'group').length, 'the toast to go');
  });

  it('keeps two tabs in step: an answered request leaves the other, and one tab chimes', async () => {
    const start = sinon.spy(OscillatorNode.prototype, 'start');
    const one = await consoleOn({ sound: '' });
    const two = await consoleOn({ sound: '' });
    await alertLockAmong(2);
    for (const { adapter } of [one, two]) adapter.request({ id: 'shared-1', customer: { name: 'Frida Lund' } });
    for (const { adapter } of [one, two]) adapter.request({ id: 'shared-2', customer: { name: 'Gorm Lund' } });
    await until(() => shown(one.el, 'group').length === 2 && shown(two.el, 'group').length === 2, 'the toasts in both tabs');
    expect(start.callCount, 'two notes for each of the two requests, from one tab').to.equal(4);

    button(toast(one.el, 'Frida Lund'), 'Accept').click();
    await until(() => toast(two.el, 'Frida Lund').textContent!.includes('Accepted in another tab.'), 'the other tab to hear of it');
    expect(queryAllByRole(toast(two.el, 'Frida Lund'), 'button')).to.have.length(0);
    await expectAccessible(two.el);
    expect(two.el.core!.requests.outcome('shared-1')).to.equal('accepted');

    button(toast(two.el, 'Gorm Lund'), 'Reject').click();
    await until(() => toast(one.el, 'Gorm Lund').textContent!.includes('Rejected in another tab.'), 'the rejection to reach the first tab');
    expect(one.el.core!.requests.outcome('shared-2')).to.equal('declined-by-agent');
  });

  it('explains the session limit on Accept, and lets the agent accept once a session is closed', async () => {
    const { el, adapter } = await consoleOn({ 'max-sessions': '1' });
    await accepted(el, adapter, 'Hanne Ravn');
    adapter.request({ customer: { name: 'Ib Skov' } });
    await until(() => shown(el, 'group').length, 'the second toast');
    const accept = button(toast(el, 'Ib Skov'), 'Accept');
    expect(accept.getAttribute('aria-disabled')).to.equal('true');
    const why = accept.getRootNode() as ShadowRoot;
    expect(why.getElementById(accept.getAttribute('aria-describedby')!)!.textContent).to.equal(
      'You have 1 open conversations, the most allowed. End one to accept this request.',
    );
    const acceptSpy = sinon.spy(adapter, 'accept');
    accept.click();
    expect(acceptSpy.called).to.equal(false);
    await expectAccessible(el);

    button(el, 'End conversation').click();
    await until(() => shown(el, 'button', 'Close conversation').length, 'the end');
    await until(() => button(toast(el, 'Ib Skov'), 'Accept').getAttribute('aria-disabled') === 'false', 'Accept to be possible');
  });

  it('switches sessions from the list, keeping drafts, and counts unread messages', async () => {
    const { el, adapter } = await consoleOn();
    const first = await accepted(el, adapter, 'Jonas Friis');
    messageBox(el).focus();
    await sendKeys({ type: 'Half-written reply' });
    const second = await accepted(el, adapter, 'Karin Dahl');
    expect(messageBox(el).value).to.equal('');
    adapter.receive(first.id, 'Hello again?');
    await until(() => button(el, /^Jonas Friis/).textContent!.includes('1 unread'), 'the unread count');
    expect(button(el, /^Jonas Friis/).textContent).to.contain('Waiting');
    button(el, /^Jonas Friis/).click();
    await until(() => messageBox(el).value === 'Half-written reply', 'the draft');
    await until(() => !button(el, /^Jonas Friis/).textContent!.includes('unread'), 'the unread count to clear');
    expect(button(el, /^Jonas Friis/).getAttribute('aria-current')).to.equal('true');
    expect(second.unread).to.equal(0);
  });

  it('closes a session the customer ended with a system message, readable until closed', async () => {
    const { el, adapter } = await consoleOn();
    const session = await accepted(el, adapter, 'Lea Bak');
    adapter.endByCustomer(session.id, 'The customer closed Messenger.');
    await until(() => transcriptText(el).includes('The conversation ended: The customer closed Messenger.'), 'the system message');
    expect(transcriptText(el)).to.contain('Where is my parcel?');
    expect(messageBox(el).disabled).to.equal(true);
    button(el, 'Close conversation');
    await expectAccessible(el);
  });

  it('shows a lost connection and what it is doing, keeping what the agent typed and sending it later', async () => {
    const { el, adapter } = await consoleOn();
    const session = await accepted(el, adapter, 'Mads Vinter');
    adapter.dropConnection(60_000);
    // The server stays out of reach, however often the console tries, until the agent asks again.
    const unreachable = sinon.stub(adapter, 'connect').rejects(new Error('The server cannot be reached.'));
    await until(() => connectionStatus(el).startsWith('Connection lost.'), 'the connection bar');
    expect(connectionStatus(el)).to.contain('What you write is kept and sent when the connection is back.');
    expect(el.shadowRoot!.querySelector('[part=connection]')!.textContent).to.match(/Reconnecting in \d+ s…/);
    await expectAccessible(el);

    messageBox(el).focus();
    await sendKeys({ type: 'Sorry for the wait' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ type: 'Still typing' });
    await until(() => transcriptText(el).includes('Sorry for the wait'), 'the held message');
    expect(transcriptText(el)).to.contain('Sending…');
    expect(adapter.sentMessages.some((m) => m.text === 'Sorry for the wait')).to.equal(false);

    await until(() => queryAllShownByRole(el, 'button', 'Reconnect now').length, 'Reconnect now');
    const attempts = unreachable.callCount;
    unreachable.callThrough(); // the server is back
    button(el, 'Reconnect now').click();
    expect(unreachable.callCount, 'Reconnect now tries at once').to.equal(attempts + 1);
    await until(() => el.core!.connection.state === 'open' && connectionStatus(el) === '', 'the connection to come back');
    await until(() => adapter.sentMessages.some((m) => m.text === 'Sorry for the wait' && m.conversationId === session.id), 'the held message to go out');
    expect(messageBox(el).value).to.equal('Still typing');
  });

  it('with toast-position="console", shows toasts in its own box without covering any control', async () => {
    const { el, adapter } = await consoleOn({ 'toast-position': 'console', 'privacy-notice': '' });
    el.style.setProperty('--agent-console-height', '40rem');
    adapter.request({ customer: { name: 'Ida Holm' } });
    await until(() => shown(el, 'group').length, 'the toast');
    expect(controlsUnderToasts(el), 'the privacy notice’s button is not covered').to.deep.equal([]);
    button(el, 'I understand').click();
    await accepted(el, adapter, 'Jon Berg');
    adapter.request({ customer: { name: 'Kim Dahl' } });
    await until(() => shown(el, 'group').length, 'the next toast');
    getShownByRole(el, 'button', 'End conversation');
    expect(controlsUnderToasts(el), 'End conversation and the composer are not covered').to.deep.equal([]);
    const box = el.getBoundingClientRect();
    const waiting = toast(el, 'Kim Dahl').getBoundingClientRect();
    expect(waiting.top).to.be.at.least(box.top);
    expect(waiting.bottom).to.be.at.most(box.bottom);
    await expectAccessible(el);
    // Moved to a corner, the toasts are the same ones: their countdowns go on.
    const shownToast = toast(el, 'Kim Dahl').getRootNode();
    el.toastPosition = 'top-end';
    await el.updateComplete;
    expect(toast(el, 'Kim Dahl').getRootNode()).to.equal(shownToast);
  });

  it('shows the privacy notice until acknowledged and sends the customer notice first', async () => {
    const { el, adapter } = await consoleOn({ 'privacy-notice': '', 'customer-notice': 'This chat may be recorded.' });
    const notice = el.shadowRoot!.querySelector('agent-privacy-notice')!;
    expect(notice.shadowRoot!.textContent).to.contain('may be monitored, recorded and stored');
    await expectAccessible(el);
    setTimeout(() => button(el, 'I understand').click());
    const { detail } = await oneEvent(el, 'agent-privacy-acknowledge');
    expect(detail.acknowledgedAt).to.be.a('string');
    await el.updateComplete;
    expect(el.privacyAcknowledged).to.equal(true);
    expect(el.hasAttribute('privacy-acknowledged')).to.equal(true);
    expect(el.shadowRoot!.querySelector('agent-privacy-notice')).to.equal(null);

    const session = await accepted(el, adapter, 'Nina Krog');
    await until(() => adapter.sentMessages.length === 1, 'the customer notice');
    expect(adapter.sentMessages[0]).to.include({ conversationId: session.id, text: 'This chat may be recorded.' });
  });

  it('focuses the newest toast with Alt+Shift+N, without taking focus on arrival', async () => {
    const { el, adapter } = await consoleOn();
    await accepted(el, adapter, 'Ole Lind');
    messageBox(el).focus();
    adapter.request({ customer: { name: 'Pia Holt' } });
    await until(() => shown(el, 'group').length, 'the toast');
    await sendKeys({ type: 'still mine' });
    expect(messageBox(el).value).to.equal('still mine');
    await pressShortcut();
    expect(button(toast(el, 'Pia Holt'), 'Accept').matches(':focus')).to.equal(true);
    await sendKeys({ press: 'Escape' });
    expect(messageBox(el).matches(':focus')).to.equal(true);
  });

  it('shows a desktop notification for a new request only while the page is hidden, when allowed', async () => {
    const shownNotifications: { title: string; options: NotificationOptions }[] = [];
    class FakeNotification {
      static permission: NotificationPermission = 'default';
      static requestPermission = sinon.stub().resolves('granted');
      onclick: (() => void) | null = null;
      constructor(title: string, options: NotificationOptions) {
        shownNotifications.push({ title, options });
      }
    }
    sinon.replace(window, 'Notification', FakeNotification as unknown as typeof Notification);
    let visibility: DocumentVisibilityState = 'visible';
    sinon.replaceGetter(document, 'visibilityState', () => visibility);
    const { el, adapter } = await consoleOn({ notify: '' });
    await until(() => shown(el, 'navigation').length, 'the console');
    await alertLockAmong(1);
    getByRole(el, 'navigation', 'Conversations').click();
    expect(FakeNotification.requestPermission.calledOnce, 'asked on the agent’s click').to.equal(true);
    FakeNotification.permission = 'granted';

    adapter.request({ customer: { name: 'Tove Eng' }, preview: 'Can I change my address?' });
    await until(() => shown(el, 'group').length, 'the toast');
    expect(shownNotifications).to.deep.equal([]);
    visibility = 'hidden';
    const { id } = adapter.request({ customer: { name: 'Uffe Lys' }, preview: 'Is the shop open on Sunday?' });
    await until(() => shownNotifications.length, 'the notification');
    expect(shownNotifications).to.deep.equal([
      { title: 'Incoming Facebook conversation from Uffe Lys', options: { body: 'Is the shop open on Sunday?', tag: `agent-console:${id}` } },
    ]);
  });

  it('re-emits refused adapter events as agent-error and keeps working', async () => {
    const { el, adapter } = await consoleOn();
    setTimeout(() => adapter.emitRaw('conversation-request', { id: 42 }));
    const { detail } = await oneEvent(el, 'agent-error');
    expect(detail).to.include({ code: 'malformed-event', field: 'detail.id' });
    adapter.request({ customer: { name: 'Rasmus Ny' } });
    await until(() => shown(el, 'group').length, 'the next toast');
  });

  it('speaks Danish', async () => {
    const { el, adapter } = await consoleOn({ lang: 'da' });
    adapter.request({ customer: { name: 'Sofie Ahl' } });
    await until(() => shown(el, 'group', 'Indgående Facebook-samtale fra Sofie Ahl').length, 'the Danish toast');
    button(el, 'Acceptér').click();
    await until(() => shown(el, 'button', 'Afslut samtale').length, 'the Danish session');
    getByRole(el, 'navigation', 'Samtaler');
  });

  it('shows the channel’s name and icon from its adapter, on toasts and in the list', async () => {
    const { el, adapter } = await consoleOn();
    adapter.request({ customer: { name: 'Ana Hansen' } });
    const messenger = await until(() => shown(el, 'group', 'Incoming Facebook conversation from Ana Hansen')[0], 'the Messenger toast');
    await until(() => messenger.querySelector('span.channel-icon'), 'the Messenger icon');
    await expectAccessible(el);

    const webChat = new MockChannelAdapter({
      latency: 0,
      historySize: 0,
      channel: 'webchat',
      capabilities: { name: 'Web chat', icon: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=', unsupported: { poll: 'poll' }, replyWindowHours: undefined },
    });
    const other = await consoleOn({ 'sync-key': 'console-test-webchat' }, webChat);
    webChat.request({ customer: { name: 'Bo Berg' } });
    const toastOf = () => shown(other.el, 'group', 'Incoming Web chat conversation from Bo Berg')[0];
    const webToast = await until(toastOf, 'the Web chat toast');
    expect(webToast.querySelector<HTMLImageElement>('img.channel-icon')!.alt).to.equal('');
    button(webToast, 'Accept').click();
    await until(() => shown(other.el, 'textbox', 'Type a message').length, 'the session');
    const { id } = other.el.core!.sessions.values().next().value!;
    webChat.receive(id, { unsupported: { type: 'poll' } });
    await until(() => button(other.el, /^Bo Berg Web chat/).textContent!.includes('Unsupported message: poll'), 'the list naming the channel and its content');
  });
});

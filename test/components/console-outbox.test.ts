import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import { MockChannelAdapter } from '../../src/adapters/mock-adapter.js';
import type { Conversation } from '../../src/adapters/types.js';
import type { AgentConsole } from '../../src/components/agent-console/console.component.js';
import '../../src/console.js';
import { getShownByRole, queryAllShownByRole, transcriptText, until } from '../fixtures.js';

let keys = 0;

describe('<agent-console> across a page reload', () => {
  let syncKey: string;
  let adapter: MockChannelAdapter;
  let held: Conversation[];

  beforeEach(() => {
    // Test files run side by side in one browser: a key of this test's own, so no other console takes its messages.
    syncKey = `console-outbox-test-${++keys}-${Date.now()}`;
    adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
    held = [];
    Object.assign(adapter, { listConversations: async () => held });
  });

  afterEach(async () => {
    sinon.restore();
    for (const el of document.querySelectorAll('agent-console')) el.remove();
    await adapter.dispose();
    await until(
      () =>
        new Promise((resolve) => {
          const request = indexedDB.deleteDatabase(`agent-console:mock:${syncKey}`);
          request.onsuccess = () => resolve(true);
          request.onerror = () => resolve(false);
        }),
      'the database to be deleted',
    );
  });

  /** The page loads: a console with this test's sync key on the (backend's) adapter. */
  async function load() {
    const el = document.createElement('agent-console');
    el.setAttribute('sync-key', syncKey);
    el.adapter = adapter;
    await fixture(html`<div>${el}</div>`);
    return el;
  }

  async function conversationWith(el: AgentConsole, name: string) {
    await until(() => el.core?.connection.state === 'open', 'the connection');
    const session = await el.core!.accept(adapter.request({ customer: { name } }).id);
    held.push(session.conversation);
    await until(() => queryAllShownByRole(el, 'textbox', 'Type a message').length, 'the message box');
    return session.id;
  }

  /** The connection is down and stays down until the page reloads. */
  function goOffline() {
    adapter.dropConnection(60_000);
    return sinon.stub(adapter, 'connect').rejects(new Error('The server cannot be reached.'));
  }

  it('shows a message sent while offline as Sending… after a reload, and sends it once', async () => {
    const before = await load();
    await conversationWith(before, 'Ana Hansen');
    const offline = goOffline();
    getShownByRole(before, 'textbox', 'Type a message').focus();
    await sendKeys({ type: 'Your parcel ships today' });
    await sendKeys({ press: 'Enter' });
    await until(() => /Your parcel ships today [^|]*Sending…/.test(transcriptText(before)), 'the held message');

    before.remove(); // the page reloads
    offline.restore();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const send = sinon.stub(adapter, 'sendMessage').callsFake(async function (this: MockChannelAdapter, ...args) {
      await released;
      return send.wrappedMethod.apply(this, args);
    });
    const after = await load();
    await until(() => /Your parcel ships today [^|]*Sending…/.test(transcriptText(after)), 'the kept message, still sending');
    getShownByRole(after, 'button', /^Ana Hansen/);
    await expect(after).to.be.accessible();

    release();
    await until(() => /Your parcel ships today [^|]*(Sent|Delivered|Read)/.test(transcriptText(after)), 'the message to be sent');
    expect(send.callCount).to.equal(1);
    expect(adapter.sentMessages.filter((m) => m.text === 'Your parcel ships today')).to.have.length(1);
  });

  it('tells the agent when a file is too large to keep, and after the reload what could not be sent', async () => {
    const before = await load();
    const lea = await conversationWith(before, 'Lea Bak');
    const mia = await conversationWith(before, 'Mia Holm');
    goOffline();
    before.core!.maxKeptFileSize = 4;
    before.core!.send(lea, { file: new File(['a long scan'], 'scan.pdf', { type: 'application/pdf' }) });
    before.core!.send(mia, { text: 'I will check with the warehouse' });
    await before.select(lea);
    await until(() => transcriptText(before).includes('Sending… Too large to keep: it is lost if the page is reloaded before it is sent.'), 'the notice');

    before.remove();
    sinon.restore();
    held = held.filter((conversation) => conversation.id !== mia); // closed by the backend meanwhile
    const after = await load();
    await until(() => transcriptText(after).includes('Not sent scan.pdf was too large to keep across the reload. Send it again.'), 'the notice after the reload');
    // The closed conversation's session is rebuilt from the kept copy once the adapter has listed the open ones.
    (await until(() => queryAllShownByRole(after, 'button', /^Mia Holm.*Ended$/)[0], 'the ended session of the closed conversation')).click();
    await until(
      () => /I will check with the warehouse [^|]*Not sent The conversation was no longer open after the reload\./.test(transcriptText(after)),
      'the message of the closed conversation, not sent',
    );
    await expect(after).to.be.accessible();
    expect(adapter.sentMessages).to.deep.equal([]);
  });
});

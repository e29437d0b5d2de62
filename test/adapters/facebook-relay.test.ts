import { expect, fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import { emulateMedia, executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { describeChannelAdapter } from '../../src/adapters/contract.js';
import { FacebookMessengerAdapter } from '../../src/adapters/facebook/adapter.js';
import type { AttachmentPolicy } from '../../src/adapters/types.js';
import type { AgentConsole } from '../../src/components/agent-console/console.component.js';
import '../../src/console.js';
import { chooseFiles, samples } from '../samples.js';
import { getShownByRole, queryAllShownByRole, transcriptText, until } from '../fixtures.js';

// The reference relay (relay/) and a fake Graph API run on 127.0.0.1, started
// by scripts/relay-test-plugin.mjs; the browser reaches the relay through a
// proxy the test can cut.

interface Relay {
  url: string;
  pageId: string;
  tokens: Record<string, string>;
}
interface GraphRequest {
  kind: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  files: Record<string, { name: string; type: string; size: number }>;
}

const startRelay = (options: { policy?: AttachmentPolicy; profiles?: Record<string, object> } = {}) =>
  executeServerCommand<Relay, object>('relay-start', { origin: location.origin, ...options }) as Promise<Relay>;
const webhook = (body: unknown, forged = false) => executeServerCommand<{ status: number }, object>('relay-webhook', { body, forged }) as Promise<{ status: number }>;
const graphRequests = () => executeServerCommand<GraphRequest[], undefined>('relay-graph') as Promise<GraphRequest[]>;
const dropConnections = () => executeServerCommand('relay-drop');
const restoreConnections = () => executeServerCommand('relay-restore');
const stopRelay = () => executeServerCommand('relay-stop');

let mids = 0;
/** A Messenger webhook body: one item from the customer `psid` to the page. */
const fromCustomer = (pageId: string, psid: string, message: Record<string, unknown>) => ({
  object: 'page',
  entry: [{ id: pageId, time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: pageId }, timestamp: Date.now(), message: { mid: `m_e2e_${++mids}`, ...message } }] }],
});

const shown = queryAllShownByRole;

describe('FacebookMessengerAdapter with the reference relay', () => {
  let relay: Relay;
  let el: AgentConsole;
  let adapter: FacebookMessengerAdapter;

  before(() => emulateMedia({ reducedMotion: 'reduce' }));
  after(() => emulateMedia({ reducedMotion: 'no-preference' }));
  afterEach(async () => {
    await adapter?.disconnect();
    await stopRelay();
  });

  async function consoleOnRelay(options: Parameters<typeof startRelay>[0] = {}) {
    relay = await startRelay({ profiles: { '5550001254': { first_name: 'Ana', last_name: 'Souza' } }, ...options });
    adapter = new FacebookMessengerAdapter({ url: relay.url, token: relay.tokens.alice, reconnectDelay: 50 });
    el = await fixture<AgentConsole>(html`<agent-console .adapter=${adapter}></agent-console>`);
    await until(() => el.core?.connection.state === 'open', 'the connection');
  }

  /** A customer writes; the agent accepts the toast; the session opens. */
  async function acceptedSession(psid = '5550001254', name = 'Ana Souza', text = 'Hi, my parcel is late') {
    expect((await webhook(fromCustomer(relay.pageId, psid, { text }))).status).to.equal(200);
    await until(() => shown(el, 'group', `Incoming Facebook conversation from ${name}`).length, 'the toast');
    const accept = getShownByRole(el, 'button', 'Accept');
    accept.focus();
    accept.click();
    await until(() => transcriptText(el).includes(text), 'the customer’s first message in the pane');
    return `${relay.pageId}:${psid}`;
  }

  it('takes a signed webhook message to a toast, Accept, the pane, and the agent’s reply to the Send API', async () => {
    await consoleOnRelay();
    const conversationId = await acceptedSession();
    await until(() => getShownByRole(el, 'textbox', 'Type a message').matches(':focus'), 'focus in the message box');
    await sendKeys({ type: 'It left our warehouse this morning.' });
    await sendKeys({ press: 'Enter' });
    await until(async () => (await graphRequests()).some((r) => r.kind === 'message'), 'the Send API call');
    const sends = (await graphRequests()).filter((r) => r.kind === 'message');
    expect(sends).to.have.length(1);
    expect(sends[0].path).to.equal(`/v25.0/${relay.pageId}/messages`);
    expect(sends[0].query.access_token).to.equal('test-page-token');
    const clientId = (sends[0].body.message as { metadata: string }).metadata;
    expect(sends[0].body).to.deep.equal({
      recipient: { id: '5550001254' },
      messaging_type: 'RESPONSE',
      message: { text: 'It left our warehouse this morning.', metadata: clientId },
    });
    await until(() => transcriptText(el).includes('Sent'), 'the message to show as sent');

    // Meta echoes the page's own message back under the Send API's message id, with our metadata: it must fold into the one already shown.
    const mid = el.core!.sessions.get(conversationId)!.transcript.getByClientId(clientId)!.id;
    await webhook({
      object: 'page',
      entry: [{ id: relay.pageId, time: Date.now(), messaging: [{ sender: { id: relay.pageId }, recipient: { id: '5550001254' }, timestamp: Date.now(), message: { is_echo: true, mid, text: 'It left our warehouse this morning.', metadata: clientId } }] }],
    });
    // The customer's next message is handled after the echo: once it shows, the echo has been dealt with.
    await webhook(fromCustomer(relay.pageId, '5550001254', { text: 'Thanks!' }));
    await until(() => transcriptText(el).includes('Thanks!'), 'the customer’s next message');
    expect(transcriptText(el).split('It left our warehouse this morning.').length - 1, 'shown once').to.equal(1);
    expect(el.core!.sessions.get(conversationId)!.transcript.size).to.equal(3);
    await expect(el).to.be.accessible();
  });

  it('sends an agent’s file as a multipart upload with filedata', async () => {
    await consoleOnRelay();
    await acceptedSession();
    const pane = el.shadowRoot!.querySelector('agent-conversation-pane')!;
    const picker = pane.shadowRoot!.querySelector('agent-attachment-picker')!;
    chooseFiles(picker.shadowRoot!.querySelector('input[type=file]')!, samples.pdf('invoice-4471.pdf'));
    await until(async () => (await graphRequests()).some((r) => r.kind === 'upload'), 'the upload');
    const [upload] = (await graphRequests()).filter((r) => r.kind === 'upload');
    expect(upload.files.filedata).to.deep.equal({ name: 'invoice-4471.pdf', type: 'application/pdf', size: samples.pdf().size });
    expect(upload.body.recipient).to.deep.equal({ id: '5550001254' });
    expect((upload.body.message as { attachment: { type: string } }).attachment.type).to.equal('file');
    await until(() => transcriptText(el).includes('invoice-4471.pdf') && transcriptText(el).includes('Sent'), 'the file to show as sent');
  });

  it('shows the unsupported-type banner for a customer sticker when the policy does not take PNG', async () => {
    await consoleOnRelay({ policy: { maxBytes: 25 * 1024 * 1024, accept: ['.jpg', '.jpeg', '.pdf', '.txt'] } });
    const conversationId = await acceptedSession();
    const psid = conversationId.split(':')[1];
    await webhook(fromCustomer(relay.pageId, psid, { attachments: [{ type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/t39.1997-6/851557_369239263222822_n.png', sticker_id: 369239263222822 } }] }));
    await until(() => transcriptText(el).includes('Unsupported message: sticker'), `the sticker placeholder (transcript: ${transcriptText(el)})`);
    await until(() => shown(el, 'alert').some((alert) => (alert.shadowRoot ?? alert).textContent!.includes('Error: Customer sent an unsupported message type.')), 'the banner');
    expect(transcriptText(el)).to.contain('Unsupported message: sticker');
    await expect(el).to.be.accessible();
  });

  it('refuses a forged signature with 403 and shows nothing', async () => {
    await consoleOnRelay();
    const { status } = await webhook(fromCustomer(relay.pageId, '5550009999', { text: 'Forged' }), true);
    expect(status).to.equal(403);
    // A genuine webhook after it: once its request is shown, the forged one would have been too.
    await webhook(fromCustomer(relay.pageId, '5550001254', { text: 'Genuine' }));
    await until(() => shown(el, 'group').length, 'the genuine request');
    expect(shown(el, 'group').map((toast) => toast.getAttribute('aria-label'))).to.deep.equal(['Incoming Facebook conversation from Ana Souza']);
    expect(el.core!.requests.pending.map((request) => request.preview)).to.deep.equal(['Genuine']);
  });

  it('shows a webhook that Meta delivers twice once', async () => {
    await consoleOnRelay();
    const conversationId = await acceptedSession();
    const twice = fromCustomer(relay.pageId, conversationId.split(':')[1], { text: 'Same message, delivered twice' });
    await webhook(twice);
    await webhook(twice);
    // The customer's next message comes after both deliveries.
    await webhook(fromCustomer(relay.pageId, conversationId.split(':')[1], { text: 'And the next one' }));
    await until(() => transcriptText(el).includes('And the next one'), 'the next message');
    expect(transcriptText(el).split('Same message, delivered twice').length - 1).to.equal(1);
  });

  it('loses and doubles nothing when the socket drops mid-conversation', async () => {
    await consoleOnRelay();
    const conversationId = await acceptedSession();
    const psid = conversationId.split(':')[1];
    await webhook(fromCustomer(relay.pageId, psid, { text: 'Before the drop' }));
    await until(() => transcriptText(el).includes('Before the drop'), 'the message before the drop');
    let attempts = 0;
    adapter.addEventListener('connection-change', (event) => (event as CustomEvent).detail.state === 'connecting' && attempts++);
    await dropConnections();
    await until(() => el.core!.connection.state !== 'open', 'the console to see the drop');
    // While the agent is away (the network refuses every reconnect), the customer goes on writing.
    for (const text of ['During the drop, one', 'During the drop, two']) await webhook(fromCustomer(relay.pageId, psid, { text }));
    const refusedSoFar = attempts;
    await until(() => attempts >= refusedSoFar + 2, 'two more refused reconnects');
    expect(el.core!.connection.state).to.not.equal('open');
    expect(transcriptText(el)).to.not.contain('During the drop');
    await restoreConnections();
    await until(() => el.core!.connection.state === 'open', 'the reconnect', 6000);
    await until(() => transcriptText(el).includes('During the drop, two'), 'the messages sent during the drop');
    await webhook(fromCustomer(relay.pageId, psid, { text: 'After the drop' }));
    await until(() => transcriptText(el).includes('After the drop'), 'the message after the drop');
    const texts = el.core!.sessions.get(conversationId)!.transcript.messages.map((m) => m.text);
    expect(texts).to.deep.equal(['Hi, my parcel is late', 'Before the drop', 'During the drop, one', 'During the drop, two', 'After the drop']);
  });

  it('shows the agent’s sessions again after a page reload, with their history', async () => {
    await consoleOnRelay();
    const conversationId = await acceptedSession();
    await sendKeys({ type: 'Let me look.' });
    await sendKeys({ press: 'Enter' });
    await until(() => transcriptText(el).includes('Sent'), 'the reply');
    // A reload: a new adapter and a new console on the same relay.
    await adapter.disconnect();
    el.remove();
    adapter = new FacebookMessengerAdapter({ url: relay.url, token: relay.tokens.alice });
    el = await fixture<AgentConsole>(html`<agent-console .adapter=${adapter}></agent-console>`);
    await until(() => el.core?.sessions.has(conversationId), 'the session to come back');
    await until(() => transcriptText(el).includes('Hi, my parcel is late') && transcriptText(el).includes('Let me look.'), 'its history');
    expect(shown(el, 'group'), 'no request toast for a conversation already held').to.have.length(0);
  });

  it('reports a refused agent token and does not keep knocking', async () => {
    relay = await startRelay();
    adapter = new FacebookMessengerAdapter({ url: relay.url, token: 'not-a-token', reconnectDelay: 20 });
    const states: string[] = [];
    adapter.addEventListener('connection-change', (event) => states.push((event as CustomEvent).detail.state));
    // Timers are the test's, so "never again" can be checked without waiting for it.
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    try {
      let error: Error | undefined;
      await adapter.connect().catch((e: Error) => (error = e));
      expect(error?.message).to.match(/^The relay refused the agent/);
      await clock.tickAsync(5 * 60_000); // past any backoff
      expect(states).to.deep.equal(['connecting', 'closed']);
      expect(adapter.connectionState).to.equal('closed');
    } finally {
      clock.restore();
    }
  });
});

let contractRelay: Relay;
let psids = 0;
describeChannelAdapter(
  'FacebookMessengerAdapter (against the reference relay)',
  async () => {
    contractRelay = await startRelay();
    const adapter = new FacebookMessengerAdapter({ url: contractRelay.url, token: contractRelay.tokens.alice });
    return {
      adapter,
      offerRequest: async () => {
        await webhook(fromCustomer(contractRelay.pageId, `55500${String(++psids).padStart(5, '0')}`, { text: 'Hello, can you help me?' }));
      },
      customerSays: async (conversationId, text) => {
        await webhook(fromCustomer(contractRelay.pageId, conversationId.split(':')[1], { text }));
      },
      dispose: async () => {
        await stopRelay();
      },
    };
  },
  { eventTimeout: 3000 },
);

import { expect, oneEvent } from '@open-wc/testing';
import sinon from 'sinon';
import { FacebookMessengerAdapter } from '../../src/adapters/facebook/adapter.js';
import type { ChannelErrorCode, ConnectionChange } from '../../src/adapters/types.js';

// FacebookMessengerAdapter against a relay played by the test: fetch, the
// event WebSocket and the upload XHR are replaced by fakes that record what
// the adapter asks and answer as relay/PROTOCOL.md says. (The reference relay
// itself runs in facebook-relay.test.ts.)

const relayUrl = 'https://relay.test/messenger';

/** The event socket the adapter opens, driven by the test. */
class FakeSocket {
  static last?: FakeSocket;
  static opened = 0;
  static readonly OPEN = 1;
  readyState = 0;
  readonly sent: unknown[] = [];
  onopen?: () => void;
  onmessage?: (event: { data: string }) => void;
  onclose?: (event: { code: number; reason: string }) => void;
  constructor(readonly url: string) {
    FakeSocket.last = this;
    FakeSocket.opened++;
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.();
    });
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
  /** The relay sends a frame. */
  frame(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

/** The upload request the adapter makes for a file, answered by the test. */
class FakeUpload {
  static last?: FakeUpload;
  method = '';
  url = '';
  form?: FormData;
  status = 0;
  responseText = '';
  readonly upload: { onprogress?: (event: ProgressEvent) => void } = {};
  onload?: () => void;
  onloadend?: () => void;
  onerror?: () => void;
  onabort?: () => void;
  constructor() {
    FakeUpload.last = this;
  }
  open(method: string, url: URL) {
    this.method = method;
    this.url = String(url);
  }
  setRequestHeader() {}
  send(form: FormData) {
    this.form = form;
  }
  abort() {}
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
    this.onloadend?.();
  }
}

interface Request {
  method: string;
  url: string;
  body?: unknown;
}

describe('FacebookMessengerAdapter', () => {
  let requests: Request[];
  /** What the fake relay answers to the next requests: status and body. */
  let answers: { status: number; body?: unknown }[];
  let adapter: FacebookMessengerAdapter;

  beforeEach(() => {
    requests = [];
    answers = [];
    FakeSocket.opened = 0;
    sinon.stub(window, 'WebSocket').value(FakeSocket);
    sinon.stub(window, 'XMLHttpRequest').value(FakeUpload);
    sinon.stub(window, 'fetch').callsFake(async (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push({ method: init?.method ?? 'GET', url: String(input), ...(init?.body ? { body: JSON.parse(String(init.body)) } : {}) });
      const { status, body } = answers.shift() ?? { status: 204 };
      return new Response(body === undefined ? null : JSON.stringify(body), { status });
    });
    adapter = new FacebookMessengerAdapter({ url: relayUrl, token: 'agent-token' });
  });

  afterEach(async () => {
    await adapter.disconnect();
    sinon.restore();
  });

  /** Connects, the relay accepting the agent. */
  async function connected() {
    const connecting = adapter.connect();
    await until(() => FakeSocket.last?.sent.length);
    FakeSocket.last!.frame({ type: 'ready', agentId: 'alice', seq: 0 });
    await connecting;
    return FakeSocket.last!;
  }

  const until = async (done: () => unknown) => {
    for (let turn = 0; !done(); turn++) {
      if (turn > 100) throw new Error('timed out');
      await new Promise((resolve) => queueMicrotask(() => resolve(undefined)));
    }
  };

  describe('the new commands', () => {
    it('sends a reply to a message with replyTo, in JSON and in a file upload', async () => {
      const sent = { id: 'm_9', conversationId: 'p:c', clientId: 'k1', direction: 'outbound', sentAt: '2026-11-21T10:00:00Z', text: 'Yes, in blue', status: 'sent' };
      answers.push({ status: 200, body: sent });
      await adapter.sendMessage('p:c', { clientId: 'k1', text: 'Yes, in blue', replyTo: 'm_4' });
      expect(requests).to.deep.equal([{ method: 'POST', url: `${relayUrl}/api/conversations/p%3Ac/messages`, body: { clientId: 'k1', text: 'Yes, in blue', replyTo: 'm_4' } }]);

      answers.push({ status: 200, body: { ...sent, id: 'm_10', clientId: 'k2' } });
      await adapter.sendMessage('p:c', { clientId: 'k2', text: 'No reply' });
      expect(requests[1].body).to.deep.equal({ clientId: 'k2', text: 'No reply' });

      const file = new File(['%PDF'], 'invoice.pdf', { type: 'application/pdf' });
      const sending = adapter.sendMessage('p:c', { clientId: 'k3', file, replyTo: 'm_4' });
      await until(() => FakeUpload.last?.form);
      expect(FakeUpload.last!.url).to.equal(`${relayUrl}/api/conversations/p%3Ac/messages`);
      expect(FakeUpload.last!.form!.get('replyTo')).to.equal('m_4');
      expect(FakeUpload.last!.form!.get('clientId')).to.equal('k3');
      const attachment = { id: 'a1', kind: 'file', name: 'invoice.pdf', mimeType: 'application/pdf', url: 'https://relay.test/media/a1' };
      FakeUpload.last!.answer(200, { ...sent, id: 'm_11', clientId: 'k3', text: undefined, attachments: [attachment] });
      expect((await sending).attachments).to.deep.equal([attachment]);
    });

    it('takes and hands back the thread, and reacts to a message, as the protocol says', async () => {
      await adapter.takeThread('p:c');
      await adapter.passThread('p:c');
      await adapter.react('p:c', 'm/4', '❤️');
      await adapter.react('p:c', 'm/4', '');
      expect(requests).to.deep.equal([
        { method: 'POST', url: `${relayUrl}/api/conversations/p%3Ac/thread/take` },
        { method: 'POST', url: `${relayUrl}/api/conversations/p%3Ac/thread/pass` },
        { method: 'POST', url: `${relayUrl}/api/conversations/p%3Ac/messages/m%2F4/reaction`, body: { emoji: '❤️' } },
        { method: 'POST', url: `${relayUrl}/api/conversations/p%3Ac/messages/m%2F4/reaction`, body: { emoji: '' } },
      ]);
    });

    it('rejects with the relay’s sentence and its code, and passes on only the contract’s codes', async () => {
      const refusal = async (call: () => Promise<unknown>) => {
        try {
          await call();
        } catch (error) {
          return error as Error & { code?: ChannelErrorCode };
        }
        throw new Error('expected a refusal');
      };
      answers.push({ status: 422, body: { error: 'Another app holds this conversation.', code: 'temporary' } });
      const take = await refusal(() => adapter.takeThread('p:c'));
      expect(take.message).to.equal('Another app holds this conversation.');
      expect(take.code).to.equal('temporary');

      answers.push({ status: 422, body: { error: 'The Page’s access to Messenger has expired.', code: 'channel-unauthorized' } });
      const send = await refusal(() => adapter.sendMessage('p:c', { clientId: 'k1', text: 'hi' }));
      expect(send).to.include({ message: 'The Page’s access to Messenger has expired.', code: 'channel-unauthorized' });

      answers.push({ status: 429, body: { error: 'Slow down.', code: 'graph-613' } }, { status: 500 });
      expect(await refusal(() => adapter.react('p:c', 'm1', '👍'))).not.to.have.property('code');
      expect((await refusal(() => adapter.passThread('p:c'))).message).to.equal('The relay answered 500.');
    });
  });

  describe('the event socket', () => {
    it('passes edits, removals and thread control on as adapter events', async () => {
      const socket = await connected();
      const edited = { conversationId: 'p:c', messageId: 'm1', text: 'order 4471', editedAt: '2026-11-21T10:00:00.000Z' };
      const gotEdit = oneEvent(adapter, 'message-edited');
      socket.frame({ seq: 1, event: { type: 'message-edited', detail: edited } });
      expect((await gotEdit).detail).to.deep.equal(edited);
      const gotDelete = oneEvent(adapter, 'message-deleted');
      socket.frame({ seq: 2, event: { type: 'message-deleted', detail: { conversationId: 'p:c', messageId: 'm1' } } });
      expect((await gotDelete).detail).to.deep.equal({ conversationId: 'p:c', messageId: 'm1' });
      const gotControl = oneEvent(adapter, 'thread-control');
      socket.frame({ seq: 3, event: { type: 'thread-control', detail: { conversationId: 'p:c', owner: 'other', appId: '263902037430900' } } });
      expect((await gotControl).detail).to.deep.equal({ conversationId: 'p:c', owner: 'other', appId: '263902037430900' });
    });

    it('reports an unauthorized channel as one connection error, holding the connection, until the relay says it is back', async () => {
      const socket = await connected();
      const changes: ConnectionChange[] = [];
      adapter.addEventListener('connection-change', (event) => changes.push((event as CustomEvent<ConnectionChange>).detail));
      socket.frame({ type: 'channel-status', ok: false, code: 'channel-unauthorized', error: 'The Page’s access to Messenger has expired; an administrator must renew it.' });
      expect(changes).to.deep.equal([
        { state: 'connecting', error: 'The Page’s access to Messenger has expired; an administrator must renew it.', code: 'channel-unauthorized' },
      ]);
      expect(adapter.connectionState).to.equal('connecting');
      // The socket is up: connecting again opens no second one.
      await adapter.connect();
      expect(FakeSocket.opened).to.equal(1);
      // Events still flow meanwhile.
      const got = oneEvent(adapter, 'message-deleted');
      socket.frame({ seq: 1, event: { type: 'message-deleted', detail: { conversationId: 'p:c', messageId: 'm1' } } });
      await got;
      socket.frame({ type: 'channel-status', ok: true });
      socket.frame({ type: 'channel-status', ok: true }); // said twice: one change
      expect(changes.slice(1)).to.deep.equal([{ state: 'open' }]);
    });

    it('takes a channel status without a known code as unauthorized, and one said before ready once ready', async () => {
      const connecting = adapter.connect();
      await until(() => FakeSocket.last?.sent.length);
      const socket = FakeSocket.last!;
      const changes: ConnectionChange[] = [];
      adapter.addEventListener('connection-change', (event) => changes.push((event as CustomEvent<ConnectionChange>).detail));
      socket.frame({ type: 'channel-status', ok: false, code: 'graph-190' });
      expect(changes).to.deep.equal([]);
      socket.frame({ type: 'ready', agentId: 'alice', seq: 0 });
      await connecting;
      expect(changes).to.deep.equal([{ state: 'open' }, { state: 'connecting', code: 'channel-unauthorized' }]);
    });
  });
});

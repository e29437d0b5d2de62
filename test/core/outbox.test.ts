import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { MockChannelAdapter } from '../../src/adapters/mock-adapter.js';
import type { Conversation, Message } from '../../src/adapters/types.js';
import { type AgentErrorDetail, ConsoleCore, type ConsoleCoreOptions } from '../../src/core/console-core.js';
import type { TranscriptMessage } from '../../src/core/transcript.js';
import { until } from '../fixtures.js';

let keys = 0;
const databaseOf = (key: string) => `agent-console:mock:${key}`;

/** What IndexedDB holds for a key, read directly: the `clientId`s kept, and whether each kept its file. */
async function keptIn(key: string): Promise<{ clientId: string; file: boolean }[]> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(databaseOf(key));
    open.onupgradeneeded = () => open.result.createObjectStore('outbox');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  try {
    const all = await new Promise<{ message: Message; file?: Blob }[]>((resolve, reject) => {
      const request = db.transaction('outbox').objectStore('outbox').getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return all.map(({ message, file }) => ({ clientId: message.clientId!, file: file instanceof Blob }));
  } finally {
    db.close();
  }
}

const deleteDatabase = (key: string) =>
  new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(databaseOf(key));
    request.onsuccess = resolve;
    request.onerror = () => reject(request.error);
  });

/** A promise the test opens: sends wait behind it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('ConsoleCore outbox across page reloads', () => {
  let key: string;
  let adapter: MockChannelAdapter;
  /** The conversations the backend says the agent holds, for `listConversations`. */
  let held: Conversation[];
  let cores: ConsoleCore[];
  let errors: AgentErrorDetail[];
  let warn: sinon.SinonStub;

  beforeEach(() => {
    key = `outbox-test-${++keys}-${Date.now()}`;
    adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
    held = [];
    Object.assign(adapter, { listConversations: async () => held });
    cores = [];
    errors = [];
    warn = sinon.stub();
  });

  afterEach(async () => {
    sinon.restore();
    await Promise.all(cores.map((core) => core.stop()));
    await adapter.dispose();
    await deleteDatabase(key);
  });

  /** A console core on the shared adapter with this test's key: one per page load (or tab). */
  async function page(options: ConsoleCoreOptions = {}) {
    const core = new ConsoleCore(adapter, { outboxKey: key, logger: { warn }, ...options });
    core.addEventListener('agent-error', (event) => errors.push((event as CustomEvent<AgentErrorDetail>).detail));
    cores.push(core);
    await core.start();
    return core;
  }

  async function conversation(core: ConsoleCore) {
    const session = await core.accept(adapter.request().id);
    held.push(session.conversation);
    return session.id;
  }

  /** The page goes away: its core stops as `<agent-console>` stops it when removed. */
  async function leave(core: ConsoleCore) {
    await core.stop();
    cores.splice(cores.indexOf(core), 1);
  }

  const shown = (core: ConsoleCore, conversationId: string, clientId: string) =>
    core.sessions.get(conversationId)?.transcript.getByClientId(clientId) as TranscriptMessage | undefined;

  it('keeps what was queued offline and, after a reload, shows it as pending and sends it once under the same clientId', async () => {
    const before = await page();
    const id = await conversation(before);
    adapter.dropConnection(60_000);
    const text = before.send(id, { text: 'Your refund is on its way' });
    const file = before.send(id, { file: new File(['label'], 'return-label.pdf', { type: 'application/pdf' }) });
    await until(async () => (await keptIn(key)).length === 2, 'both messages to be kept');
    expect(await keptIn(key)).to.have.deep.members([
      { clientId: text.clientId, file: false },
      { clientId: file.clientId, file: true },
    ]);
    await leave(before);

    const sends = gate();
    const send = sinon.stub(adapter, 'sendMessage').callsFake(async function (this: MockChannelAdapter, ...args) {
      await sends.opened;
      return send.wrappedMethod.apply(this, args);
    });
    const after = await page();
    await until(() => send.callCount === 2, 'both messages to be sent');
    expect(shown(after, id, text.clientId!)).to.include({ status: 'pending', text: 'Your refund is on its way' });
    expect(shown(after, id, file.clientId!)?.attachments?.[0]).to.include({ name: 'return-label.pdf', size: 5 });
    expect(send.args.map(([conversationId, draft]) => [conversationId, draft.clientId])).to.have.deep.members([
      [id, text.clientId],
      [id, file.clientId],
    ]);

    sends.open();
    await until(() => shown(after, id, file.clientId!)?.status !== 'pending' && shown(after, id, text.clientId!)?.status !== 'pending', 'the sends to finish');
    const sent = adapter.sentMessages.filter((m) => m.clientId === text.clientId || m.clientId === file.clientId);
    expect(sent.map((m) => m.text ?? m.attachments?.[0].name)).to.have.members(['Your refund is on its way', 'return-label.pdf']);
    expect(send.callCount, 'each sent once').to.equal(2);
    expect(after.outbox.size).to.equal(0);
    await until(async () => (await keptIn(key)).length === 0, 'the store to be emptied');
    expect(errors).to.deep.equal([]);
  });

  it('keeps a message only until the adapter acknowledges it', async () => {
    const core = await page();
    const id = await conversation(core);
    const sends = gate();
    const send = sinon.stub(adapter, 'sendMessage').callsFake(async function (this: MockChannelAdapter, ...args) {
      await sends.opened;
      return send.wrappedMethod.apply(this, args);
    });
    const { clientId } = core.send(id, { text: 'Thanks for waiting' });
    await until(async () => (await keptIn(key)).some((kept) => kept.clientId === clientId), 'the message to be kept while it is sent');
    sends.open();
    await until(async () => (await keptIn(key)).length === 0, 'the acknowledged message to be let go');
    expect(shown(core, id, clientId!)?.status).to.be.oneOf(['sent', 'delivered', 'read']);
  });

  it('does not keep a file over maxKeptFileSize, says so on the message, and says it was lost after a reload', async () => {
    const before = await page({ maxKeptFileSize: 10 });
    const id = await conversation(before);
    adapter.dropConnection(60_000);
    const small = before.send(id, { file: new File(['tiny'], 'note.txt', { type: 'text/plain' }) });
    const big = before.send(id, { file: new File(['a scan of the receipt'], 'receipt.pdf', { type: 'application/pdf' }) });
    expect(shown(before, id, big.clientId!)).to.include({ status: 'pending', notice: 'not-kept' });
    expect(shown(before, id, small.clientId!)?.notice).to.equal(undefined);
    await until(async () => (await keptIn(key)).length === 2, 'both messages to be written');
    expect(await keptIn(key)).to.have.deep.members([
      { clientId: small.clientId, file: true },
      { clientId: big.clientId, file: false },
    ]);
    await leave(before);

    const send = sinon.spy(adapter, 'sendMessage');
    const after = await page({ maxKeptFileSize: 10 });
    await until(() => adapter.sentMessages.some((m) => m.clientId === small.clientId), 'the small file to be sent');
    await until(() => shown(after, id, big.clientId!), 'the large file’s message');
    expect(shown(after, id, big.clientId!)).to.include({ status: 'failed', notice: 'file-lost' });
    expect(shown(after, id, big.clientId!)?.attachments?.[0].name).to.equal('receipt.pdf');
    expect(after.canRetry(big.clientId!), 'nothing to retry: the file is gone').to.equal(false);
    expect(send.args.map(([, draft]) => draft.clientId)).to.deep.equal([small.clientId]);
    await until(async () => (await keptIn(key)).length === 0, 'the store to be emptied');
  });

  it('marks a kept message not sent, visibly, when its conversation is no longer open after the reload', async () => {
    const before = await page();
    const id = await conversation(before);
    const customer = before.sessions.get(id)!.conversation.customer;
    adapter.dropConnection(60_000);
    const { clientId } = before.send(id, { text: 'One more thing' });
    await until(async () => (await keptIn(key)).length === 1, 'the message to be kept');
    await leave(before);
    held = []; // meanwhile the conversation was closed

    const send = sinon.spy(adapter, 'sendMessage');
    const after = await page();
    await until(() => shown(after, id, clientId!), 'the message in its old conversation');
    const session = after.sessions.get(id)!;
    expect(session.conversation.customer).to.deep.equal(customer);
    expect(session.ended, 'the agent cannot write to it').to.exist;
    expect(shown(after, id, clientId!)).to.include({ status: 'failed', notice: 'conversation-gone', text: 'One more thing' });
    expect(send.called).to.equal(false);
    await until(async () => (await keptIn(key)).length === 0, 'the store to be emptied');
    after.close(id);
    expect(after.sessions.size).to.equal(0);
  });

  it('leaves a kept message to the console sending it when another console with the same key starts', async () => {
    const first = await page();
    const id = await conversation(first);
    const sends = gate();
    const send = sinon.stub(adapter, 'sendMessage').callsFake(async function (this: MockChannelAdapter, ...args) {
      await sends.opened;
      return send.wrappedMethod.apply(this, args);
    });
    const { clientId } = first.send(id, { text: 'Sent from the first tab' });
    await until(async () => (await keptIn(key)).length === 1, 'the message to be kept');

    const second = await page();
    const lock = `${databaseOf(key)}:${clientId}`;
    await until(async () => (await navigator.locks.query()).pending?.some((request) => request.name === lock), 'the second console to wait for the message');
    sends.open();
    await until(async () => (await keptIn(key)).length === 0, 'the first console to send it');
    await until(async () => !(await navigator.locks.query()).pending?.some((request) => request.name === lock), 'the second console to let it go');
    expect(send.args.map(([, draft]) => draft.clientId)).to.deep.equal([clientId]);
    expect(second.outbox.size).to.equal(0);
  });

  it('sends a message kept by a console that went away from another console with the same key, once', async () => {
    const first = await page();
    const id = await conversation(first);
    const sends = gate();
    const send = sinon.stub(adapter, 'sendMessage').callsFake(async function (this: MockChannelAdapter, ...args) {
      await sends.opened;
      if (args[2]?.signal?.aborted) throw new DOMException('The send was cancelled.', 'AbortError');
      return send.wrappedMethod.apply(this, args);
    });
    const { clientId } = first.send(id, { text: 'Picked up by the other tab' });
    await until(async () => (await keptIn(key)).length === 1, 'the message to be kept');
    const second = await page();
    await until(async () => (await navigator.locks.query()).pending?.some((request) => request.name === `${databaseOf(key)}:${clientId}`), 'the second console to wait');

    await leave(first); // its send in flight is aborted
    await until(() => send.callCount === 2, 'the second console to send it');
    sends.open();
    await until(async () => (await keptIn(key)).length === 0, 'the store to be emptied');
    expect(adapter.sentMessages.filter((m) => m.clientId === clientId)).to.have.length(1);
    expect(shown(second, id, clientId!)?.status).to.be.oneOf(['sent', 'delivered', 'read']);
  });

  it('works in memory, with one warning, when IndexedDB is unavailable or fails', async () => {
    const open = sinon.stub(indexedDB, 'open').throws(new DOMException('The operation is insecure.', 'SecurityError'));
    const core = await page();
    const id = await conversation(core);
    core.send(id, { text: 'First' });
    core.send(id, { text: 'Second' });
    await until(() => adapter.sentMessages.length === 2, 'both messages to be sent');
    expect(errors.map((e) => e.code)).to.deep.equal(['storage']);
    expect(errors[0].message).to.equal('Unsent messages cannot be kept across page reloads: The operation is insecure.');
    expect(warn.callCount).to.equal(1);
    open.restore();

    // A full disk: the first write fails, the message is still sent.
    const put = sinon.stub(IDBObjectStore.prototype, 'put').throws(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    const other = await page();
    const otherId = await conversation(other);
    other.send(otherId, { text: 'Third' });
    await until(() => adapter.sentMessages.some((m) => m.text === 'Third'), 'the message to be sent');
    await until(() => errors.length === 2, 'the warning');
    expect(errors[1].message).to.equal('Unsent messages cannot be kept across page reloads: The quota has been exceeded.');
    expect(put.callCount).to.equal(1);
  });
});

import { expect, oneEvent } from '@open-wc/testing';
import sinon from 'sinon';
import { MockChannelAdapter } from '../../src/adapters/mock-adapter.js';
import type { Message } from '../../src/adapters/types.js';
import { type AgentErrorDetail, ConsoleCore, SessionLimitError } from '../../src/core/console-core.js';
import { messengerAttachmentPolicy, messengerCapabilities } from '../../src/adapters/facebook/channel.js';
import { message, rejection, until } from '../fixtures.js';

/** Resolves after pending promise callbacks and zero-delay timers have run. */
const settled = () => new Promise((resolve) => setTimeout(resolve));

describe('ConsoleCore', () => {
  let adapter: MockChannelAdapter;
  let core: ConsoleCore;
  let warn: sinon.SinonStub;
  let errors: AgentErrorDetail[];

  async function start(options: ConstructorParameters<typeof MockChannelAdapter>[0] = {}, maxSessions?: number) {
    adapter = new MockChannelAdapter({ latency: 0, historySize: 0, ...options });
    warn = sinon.stub();
    core = new ConsoleCore(adapter, { maxSessions, logger: { warn } });
    errors = [];
    core.addEventListener('agent-error', (event) => errors.push((event as CustomEvent<AgentErrorDetail>).detail));
    await core.start();
  }

  async function session(preview = 'Hello') {
    return core.accept(adapter.request({ preview }).id);
  }

  const texts = (conversationId: string) => core.sessions.get(conversationId)!.transcript.messages.map((m) => m.text);

  afterEach(async () => {
    await core.stop();
    await adapter.dispose();
  });

  describe('requests', () => {
    it('queues requests newest first and shows a repeated request once', async () => {
      await start();
      const older = adapter.request({ createdAt: '2026-11-21T10:00:00Z' });
      const newer = adapter.request({ createdAt: '2026-11-21T10:05:00Z' });
      adapter.emitRaw('conversation-request', older);
      expect(core.requests.pending.map((r) => r.id)).to.deep.equal([newer.id, older.id]);
    });

    it('drops a request the customer withdraws, and does not bring it back if repeated', async () => {
      await start();
      const request = adapter.request();
      adapter.withdraw(request.id);
      adapter.emitRaw('conversation-request', request);
      expect(core.requests.pending).to.deep.equal([]);
      expect(core.requests.outcome(request.id)).to.equal('withdrawn');
    });

    it('opens a session on accept, with the customer’s first message', async () => {
      await start();
      const request = adapter.request({ preview: 'My parcel is late' });
      const accepting = core.accept(request.id);
      expect(core.isAccepting(request.id)).to.equal(true);
      const opened = await accepting;
      expect(core.isAccepting(request.id)).to.equal(false);
      expect(core.requests.pending).to.deep.equal([]);
      expect(core.requests.outcome(request.id)).to.equal('accepted');
      expect(opened.conversation.customer).to.deep.equal(request.customer);
      expect(texts(opened.id)).to.deep.equal(['My parcel is late']);
      expect(opened.unread).to.equal(1);
    });

    it('keeps a request answerable when accept fails', async () => {
      await start();
      const request = adapter.request();
      sinon.stub(adapter, 'accept').rejects(new Error('Assigned to another agent'));
      const error = await rejection(core.accept(request.id));
      expect(error.message).to.equal('Assigned to another agent');
      expect(core.requests.get(request.id)).to.exist;
      expect(core.isAccepting(request.id)).to.equal(false);
      expect(errors.map((e) => e.message)).to.deep.equal(['adapter.accept() failed: Assigned to another agent']);
    });

    it('refuses to open more than maxSessions sessions', async () => {
      await start({}, 1);
      await session();
      const request = adapter.request();
      const error = await rejection(core.accept(request.id));
      expect(error).to.be.instanceOf(SessionLimitError);
      expect(core.requests.get(request.id), 'still pending').to.exist;
    });

    it('counts accepts in flight against maxSessions', async () => {
      await start({ latency: 5 }, 1);
      const [a, b] = [adapter.request(), adapter.request()];
      const results = await Promise.allSettled([core.accept(a.id), core.accept(b.id)]);
      expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected']);
      expect((results[1] as PromiseRejectedResult).reason).to.be.instanceOf(SessionLimitError);
    });

    it('can start again after the first connect fails', async () => {
      adapter = new MockChannelAdapter({ latency: 0 });
      core = new ConsoleCore(adapter, { logger: { warn: () => {} } });
      const connect = sinon.stub(adapter, 'connect').rejects(new Error('Server unreachable'));
      expect((await rejection(core.start())).message).to.equal('Server unreachable');
      connect.restore();
      await core.start();
      adapter.request();
      expect(core.requests.pending).to.have.length(1);
    });

    it('rejects and expires requests through the adapter', async () => {
      await start();
      const reject = sinon.spy(adapter, 'reject');
      const [a, b] = [adapter.request(), adapter.request()];
      await core.reject(a.id);
      await core.expire(b.id);
      expect(reject.args.map(([id]) => id)).to.deep.equal([a.id, b.id]);
      expect([core.requests.outcome(a.id), core.requests.outcome(b.id)]).to.deep.equal(['declined-by-agent', 'timed-out']);
    });
  });

  describe('messages', () => {
    it('orders a conversation by sentAt and shows repeated messages once', async () => {
      await start();
      const { id } = await session('first');
      const late = message({ id: 'late', conversationId: id, sentAt: new Date(Date.now() + 60_000).toISOString(), text: 'third' });
      const early = message({ id: 'early', conversationId: id, sentAt: new Date(Date.now() + 1_000).toISOString(), text: 'second' });
      adapter.emitRaw('message', late);
      adapter.emitRaw('message', early);
      adapter.emitRaw('message', late);
      expect(texts(id)).to.deep.equal(['first', 'second', 'third']);
      expect(core.sessions.get(id)!.unread).to.equal(3);
    });

    it('keeps messages that arrive before accept resolves', async () => {
      await start();
      const request = adapter.request({ preview: undefined });
      const realAccept = adapter.accept.bind(adapter);
      sinon.stub(adapter, 'accept').callsFake(async (requestId) => {
        const conversation = await realAccept(requestId);
        adapter.receive(conversation.id, 'Sent while you were accepting');
        return conversation;
      });
      const opened = await core.accept(request.id);
      expect(texts(opened.id)).to.deep.equal(['Sent while you were accepting']);
    });

    it('sends: pending at once, then the adapter’s message, then delivered and read', async () => {
      await start({ latency: 1 });
      const { id } = await session();
      const pending = core.send(id, { text: 'On its way' });
      expect(pending).to.include({ status: 'pending', direction: 'outbound', text: 'On its way' });
      const transcript = core.sessions.get(id)!.transcript;
      expect(transcript.getByClientId(pending.clientId!)?.status).to.equal('pending');
      while (transcript.getByClientId(pending.clientId!)?.status !== 'read') await oneEvent(core, 'change');
      const [sent] = adapter.sentMessages;
      expect(transcript.getByClientId(pending.clientId!)).to.include({ id: sent.id, status: 'read' });
      expect(transcript.size).to.equal(2);
      expect(core.outbox.size).to.equal(0);
    });

    it('marks a failed send with its error and retries it under the same clientId', async () => {
      await start();
      const { id } = await session();
      const send = sinon.stub(adapter, 'sendMessage').rejects(new Error('Outside the 24-hour window'));
      const { clientId } = core.send(id, { text: 'Hello?' });
      await settled();
      const transcript = core.sessions.get(id)!.transcript;
      expect(transcript.getByClientId(clientId!)).to.include({ status: 'failed', error: 'Outside the 24-hour window' });

      send.restore();
      const retried = sinon.spy(adapter, 'sendMessage');
      core.retry(clientId!);
      expect(transcript.getByClientId(clientId!)?.status).to.equal('pending');
      await settled();
      expect(retried.firstCall.args[1].clientId).to.equal(clientId);
      expect(transcript.getByClientId(clientId!)?.status).to.equal('sent');
      expect(transcript.size).to.equal(2);
    });

    it('cancels a send in flight: the adapter is aborted and the message leaves', async () => {
      await start({ latency: 5 });
      const { id } = await session();
      const file = new File(['quarterly figures'], 'figures.txt', { type: 'text/plain' });
      const send = sinon.spy(adapter, 'sendMessage');
      const { clientId } = core.send(id, { file });
      expect(core.outbox.get(clientId!)?.totalBytes).to.equal(file.size);
      core.cancel(clientId!);
      expect(send.firstCall.args[2]!.signal!.aborted).to.equal(true);
      expect(core.sessions.get(id)!.transcript.getByClientId(clientId!)).to.equal(undefined);
      await settled();
      expect(adapter.sentMessages).to.deep.equal([]);
    });

    it('reports upload progress on the outbox entry', async () => {
      await start({ latency: 1 });
      const { id } = await session();
      const progress: [number, number][] = [];
      const { clientId } = core.send(id, { file: new File([new Uint8Array(2000)], 'scan.pdf', { type: 'application/pdf' }) });
      core.addEventListener('change', (event) => {
        const entry = core.outbox.get(clientId!);
        if ((event as CustomEvent).detail.area === 'outbox' && entry) progress.push([entry.sentBytes, entry.totalBytes]);
      });
      const sent = () => ['sent', 'delivered', 'read'].includes(core.sessions.get(id)!.transcript.getByClientId(clientId!)?.status ?? '');
      await until(sent, 'the file to be sent');
      expect(progress.length, 'progress reported while uploading').to.be.above(0);
      expect(progress.every(([sent, total], i) => total === 2000 && sent >= (progress[i - 1]?.[0] ?? 1))).to.equal(true, JSON.stringify(progress));
      expect(progress.at(-1)).to.deep.equal([2000, 2000]);
      expect(core.outbox.has(clientId!), 'the entry leaves the outbox once sent').to.equal(false);
    });

    it('refuses to send nothing, or to an ended conversation', async () => {
      await start();
      const { id } = await session();
      expect(() => core.send(id, { text: '   ' })).to.throw('Nothing to send');
      await core.end(id);
      expect(() => core.send(id, { text: 'Bye' })).to.throw('has ended');
    });

    it('never lets a late status undo a later one', async () => {
      await start();
      const { id } = await session();
      const { clientId } = core.send(id, { text: 'Hi' });
      await settled();
      const sent = core.sessions.get(id)!.transcript.getByClientId(clientId!)!;
      adapter.emitRaw('message-status', { conversationId: id, messageId: sent.id, status: 'read' });
      adapter.emitRaw('message-status', { conversationId: id, messageId: sent.id, status: 'delivered' });
      expect(core.sessions.get(id)!.transcript.get(sent.id)?.status).to.equal('read');
    });

    it('shows the customer typing until their message arrives', async () => {
      await start();
      const { id } = await session();
      adapter.typing(id, true);
      expect(core.sessions.get(id)!.customerTyping).to.equal(true);
      adapter.receive(id, 'Here it is');
      expect(core.sessions.get(id)!.customerTyping).to.equal(false);
    });

    it('clears unread messages and tells the channel which one was read', async () => {
      await start();
      const { id } = await session('one');
      adapter.receive(id, 'two');
      const markRead = sinon.spy(adapter, 'markRead');
      core.markRead(id);
      const messages: readonly Message[] = core.sessions.get(id)!.transcript.messages;
      expect(core.sessions.get(id)!.unread).to.equal(0);
      expect(markRead.args).to.deep.equal([[id, messages.at(-1)!.id]]);
    });
  });

  describe('sessions', () => {
    it('ends a session, keeping it readable until it is closed', async () => {
      await start();
      const { id } = await session();
      const end = sinon.spy(adapter, 'endConversation');
      await core.end(id);
      expect(end.args).to.deep.equal([[id]]);
      expect(core.sessions.get(id)!.ended).to.include({ byAgent: true });
      expect(core.activeSessionCount).to.equal(0);
      core.close(id);
      expect(core.sessions.has(id)).to.equal(false);
    });

    it('records that the customer ended the conversation, and why', async () => {
      await start();
      const { id } = await session();
      adapter.endByCustomer(id, 'The customer closed the chat.');
      expect(core.sessions.get(id)!.ended).to.include({ byAgent: false, reason: 'The customer closed the chat.' });
      expect(() => core.close('unknown')).not.to.throw();
    });

    it('reopens a session when the channel reuses its conversation id, keeping what arrived meanwhile', async () => {
      await start();
      const first = await session('first visit');
      adapter.endByCustomer(first.id);
      const request = adapter.request({ preview: undefined });
      sinon.stub(adapter, 'accept').callsFake(async () => {
        adapter.emitRaw('message', message({ id: 'again', conversationId: first.id, sentAt: new Date().toISOString(), text: 'second visit' }));
        return { ...first.conversation, startedAt: new Date().toISOString() };
      });
      const reopened = await core.accept(request.id);
      expect(reopened.ended).to.equal(undefined);
      const rows = core.sessions.get(first.id)!.transcript.messages;
      expect(rows.map((m) => m.text ?? m.ended)).to.deep.equal(['first visit', { byAgent: false }, 'second visit']);
    });

    it('cancels unsent messages when a session is closed', async () => {
      await start();
      const { id } = await session();
      sinon.stub(adapter, 'sendMessage').rejects(new Error('Window closed'));
      const { clientId } = core.send(id, { text: 'Hello?' });
      await settled();
      await core.end(id);
      core.retry(clientId!);
      expect(core.sessions.get(id)!.transcript.getByClientId(clientId!)?.status, 'no retry once ended').to.equal('failed');
      core.close(id);
      expect(core.outbox.size).to.equal(0);
    });

    it('will not close a session that is still live', async () => {
      await start();
      const { id } = await session();
      expect(() => core.close(id)).to.throw('has not ended');
    });

    it('follows the connection state', async () => {
      await start();
      expect(core.connection).to.deep.equal({ state: 'open' });
      adapter.dropConnection(10, 'Wi-Fi lost');
      expect(core.connection).to.deep.equal({ state: 'closed', error: 'Wi-Fi lost' });
    });
  });

  describe('malformed adapter events', () => {
    it('drops them with a warning and an agent-error naming the field, and carries on', async () => {
      await start();
      const { id } = await session('before');
      adapter.emitRaw('message', { ...message({ conversationId: id, id: 'bad' }), sentAt: 'last Tuesday' });
      expect(warn.args).to.deep.equal([
        ['[agent-console] Adapter event "message" dropped: detail.sentAt must be an ISO 8601 date with a time zone (got "last Tuesday").'],
      ]);
      expect(errors).to.deep.equal([
        { code: 'malformed-event', eventType: 'message', field: 'detail.sentAt', message: 'Adapter event "message" dropped: detail.sentAt must be an ISO 8601 date with a time zone (got "last Tuesday").' },
      ]);
      adapter.receive(id, 'after');
      expect(texts(id)).to.deep.equal(['before', 'after']);
    });

    it('survives hostile and nonsense details of every event type', async () => {
      await start();
      const { id } = await session('still here');
      const junk = [undefined, null, 42, 'text', [], {}, { conversationId: 7 }, { conversationId: id, requestId: '', reason: 5, typing: 'yes', state: 'gone', sentAt: 1 }, { id: { toString: () => 'x' } }, { __proto__: { id: 'p' } }];
      for (const type of ['conversation-request', 'conversation-request-withdrawn', 'message', 'message-status', 'typing', 'conversation-ended', 'connection-change']) {
        for (const detail of junk) adapter.emitRaw(type, detail);
      }
      adapter.dispatchEvent(new Event('message'));
      expect(errors).to.have.length(7 * junk.length + 1);
      expect(errors.every((e) => e.code === 'malformed-event' && e.field)).to.equal(true);
      expect(core.requests.pending).to.deep.equal([]);
      expect(core.connection.state).to.equal('open');
      expect(core.sessions.get(id)!.ended).to.equal(undefined);
      adapter.receive(id, 'and working');
      expect(texts(id)).to.deep.equal(['still here', 'and working']);
    });

    it('refuses a malformed result from sendMessage as a failed send', async () => {
      await start();
      const { id } = await session();
      sinon.stub(adapter, 'sendMessage').resolves({ id: 'm' } as Message);
      const { clientId } = core.send(id, { text: 'Hi' });
      await settled();
      expect(core.sessions.get(id)!.transcript.getByClientId(clientId!)?.status).to.equal('failed');
      expect(errors[0]).to.include({ code: 'malformed-event', field: 'result.conversationId' });
    });
  });

  describe('connection', () => {
    it('holds what the agent sends while the connection is down and sends it when it is back', async () => {
      await start();
      const { id } = await session();
      const send = sinon.spy(adapter, 'sendMessage');
      adapter.dropConnection(60_000);
      expect(core.offline).to.equal(true);
      const pending = core.send(id, { text: 'Are you still there?' });
      await settled();
      expect(send.called, 'nothing goes out while the connection is down').to.equal(false);
      expect(core.sessions.get(id)!.transcript.getByClientId(pending.clientId!)?.status).to.equal('pending');
      expect(core.canRetry(pending.clientId!), 'held, not failed').to.equal(false);
      await adapter.connect();
      await settled();
      expect(send.callCount).to.equal(1);
      expect(core.sessions.get(id)!.transcript.getByClientId(pending.clientId!)?.status).to.be.oneOf(['sent', 'delivered', 'read']);
    });

    it('reconnects with backoff when the adapter does not, and can be told to try at once', async () => {
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        await start();
        const connect = sinon.stub(adapter, 'connect').rejects(new Error('Server unreachable'));
        adapter.emitRaw('connection-change', { state: 'closed', error: 'Socket closed' });
        const first = core.reconnectAt! - Date.now();
        expect(first).to.be.within(800, 1200);
        await clock.tickAsync(first);
        expect(connect.callCount).to.equal(1);
        expect(core.reconnectAt! - Date.now(), 'the next wait doubles').to.be.within(1600, 2400);
        connect.resetBehavior();
        connect.callsFake(async () => {
          adapter.emitRaw('connection-change', { state: 'open' });
        });
        core.reconnectNow();
        await clock.tickAsync(0);
        expect(connect.callCount).to.equal(2);
        expect(core.connection.state).to.equal('open');
        expect(core.reconnectAt).to.equal(undefined);
      } finally {
        clock.restore();
      }
    });

    it('leaves reconnecting to an adapter that reconnects by itself', async () => {
      await start();
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        const connect = sinon.spy(adapter, 'connect');
        adapter.dropConnection(0);
        adapter.emitRaw('connection-change', { state: 'connecting' });
        expect(core.reconnectAt, 'no reconnect of its own').to.equal(undefined);
        await clock.tickAsync(60_000); // past every backoff
        expect(connect.called).to.equal(false);
        expect(core.connection.state).to.equal('open');
      } finally {
        clock.restore();
      }
    });
  });

  describe('ending, other tabs and notices', () => {
    it('writes a system message when a session ends, once', async () => {
      await start();
      const { id } = await session();
      adapter.endByCustomer(id, 'Left the chat');
      adapter.endByCustomer(id, 'Left the chat');
      const system = core.sessions.get(id)!.transcript.messages.filter((m) => m.direction === 'system');
      expect(system.map((m) => m.ended)).to.deep.equal([{ byAgent: false, reason: 'Left the chat' }]);
    });

    it('drops a request answered in another tab without calling the adapter', async () => {
      await start();
      const request = adapter.request();
      const reject = sinon.spy(adapter, 'reject');
      core.answeredElsewhere(request.id, 'accepted');
      expect(core.requests.pending).to.deep.equal([]);
      expect(core.requests.outcome(request.id)).to.equal('accepted');
      expect(reject.called).to.equal(false);
    });

    it('sends the customer notice as the first message of each new session only', async () => {
      await start();
      core.customerNotice = 'This conversation may be recorded.';
      const send = sinon.spy(adapter, 'sendMessage');
      const first = await session();
      expect(send.firstCall.args[0]).to.equal(first.id);
      expect(send.firstCall.args[1].text).to.equal('This conversation may be recorded.');
      core.customerNotice = '   ';
      await session();
      expect(send.callCount).to.equal(1);
    });

    it('opens the sessions the adapter says the agent holds, refusing malformed ones', async () => {
      adapter = new MockChannelAdapter({ latency: 0 });
      const held = { id: 'held-1', channel: 'facebook', customer: { id: 'c1', name: 'Ana' }, startedAt: new Date().toISOString() };
      Object.assign(adapter, { listConversations: async () => [held, { ...held, id: 'held-2', startedAt: 'yesterday' }] });
      errors = [];
      core = new ConsoleCore(adapter, { logger: { warn: () => {} } });
      core.addEventListener('agent-error', (event) => errors.push((event as CustomEvent<AgentErrorDetail>).detail));
      await core.start();
      expect([...core.sessions.keys()]).to.deep.equal(['held-1']);
      expect(core.sessions.get('held-1')!.conversation).to.deep.equal(held);
      expect(errors.map((e) => e.field)).to.deep.equal(['result.startedAt']);
    });

    it('takes a conversation’s new details, such as a reply window that moved', async () => {
      await start();
      const session = await core.accept(adapter.request().id);
      const replyBy = new Date(Date.now() + 30 * 3_600_000).toISOString();
      adapter.emitRaw('conversation-updated', { ...session.conversation, replyBy });
      expect(core.sessions.get(session.id)!.conversation.replyBy).to.equal(replyBy);
      adapter.emitRaw('conversation-updated', { ...session.conversation, id: 'not-open', replyBy });
      adapter.emitRaw('conversation-updated', { ...session.conversation, replyBy: 'tomorrow' });
      expect(core.sessions.get(session.id)!.conversation.replyBy).to.equal(replyBy);
      expect(errors.map((e) => e.field)).to.deep.equal(['detail.replyBy']);
    });

    it('says when one more accept would pass the session limit', async () => {
      await start({}, 1);
      expect(core.atSessionLimit).to.equal(false);
      await session();
      expect(core.atSessionLimit).to.equal(true);
      core.maxSessions = 2;
      expect(core.atSessionLimit).to.equal(false);
    });
  });

  describe('answers that overtake accept', () => {
    async function acceptInFlight() {
      await start();
      const request = adapter.request();
      const original = adapter.accept.bind(adapter);
      let settle!: (succeed: boolean) => void;
      sinon.stub(adapter, 'accept').callsFake(
        (id) => new Promise((resolve, reject) => (settle = (succeed) => (succeed ? resolve(original(id)) : reject(new Error('Too late.'))))),
      );
      const accepting = core.accept(request.id);
      return { request, accepting, settle: (succeed: boolean) => settle(succeed) };
    }

    it('applies a withdrawal that arrives during accept only if the accept fails', async () => {
      const failed = await acceptInFlight();
      adapter.emitRaw('conversation-request-withdrawn', { requestId: failed.request.id });
      expect(core.requests.get(failed.request.id), 'still being accepted').to.not.equal(undefined);
      failed.settle(false);
      await rejection(failed.accepting);
      expect(core.requests.outcome(failed.request.id)).to.equal('withdrawn');
      expect(core.sessions.size).to.equal(0);
      await core.stop();

      const succeeded = await acceptInFlight();
      adapter.emitRaw('conversation-request-withdrawn', { requestId: succeeded.request.id });
      succeeded.settle(true);
      const session = await succeeded.accepting;
      expect(core.requests.outcome(succeeded.request.id)).to.equal('accepted');
      expect(core.sessions.get(session.id)).to.equal(session);
    });

    it('applies an answer from another tab that arrives during accept if the accept fails', async () => {
      const { request, accepting, settle } = await acceptInFlight();
      core.answeredElsewhere(request.id, 'accepted');
      settle(false);
      await rejection(accepting);
      expect(core.requests.outcome(request.id)).to.equal('accepted');
      expect(core.requests.answeredElsewhere(request.id)).to.equal(true);
    });
  });

  describe('stopping and reconnecting', () => {
    it('starts one connect at a time, and says it is connecting', async () => {
      await start();
      let open!: () => void;
      const connect = sinon.stub(adapter, 'connect').callsFake(() => new Promise<void>((resolve) => (open = resolve)));
      adapter.emitRaw('connection-change', { state: 'closed' });
      core.reconnectNow();
      core.reconnectNow();
      expect(connect.callCount).to.equal(1);
      expect(core.connection.state).to.equal('connecting');
      open();
      await settled();
      expect(core.connection.state).to.equal('open');
    });

    it('disconnects an adapter whose connect finishes after stop', async () => {
      adapter = new MockChannelAdapter({ latency: 50 });
      core = new ConsoleCore(adapter, { logger: { warn: () => {} } });
      const starting = core.start();
      await core.stop();
      await starting;
      await until(() => adapter.connectionState === 'closed', 'the late connection to be closed');
    });

    it('holds sends after stop, and marks a held send not sent when its conversation ended meanwhile', async () => {
      await start();
      const { id } = await session();
      adapter.dropConnection(60_000);
      const held = core.send(id, { text: 'Hello?' });
      adapter.emitRaw('conversation-ended', { conversationId: id });
      await adapter.connect();
      await settled();
      const message = core.sessions.get(id)!.transcript.getByClientId(held.clientId!)!;
      expect(message).to.include({ status: 'failed', notice: 'ended-unsent' });
      expect(adapter.sentMessages.some((m) => m.text === 'Hello?')).to.equal(false);
      await core.stop();
      expect(core.offline).to.equal(true);
    });

    it('sends the customer notice again when a reused conversation id starts a new session', async () => {
      await start();
      core.customerNotice = 'Recorded.';
      const send = sinon.spy(core, 'send');
      const first = await session();
      adapter.endByCustomer(first.id);
      const request = adapter.request({ preview: undefined });
      sinon.stub(adapter, 'accept').resolves({ ...first.conversation, startedAt: new Date().toISOString() });
      await core.accept(request.id);
      await settled();
      expect(send.args.map(([conversationId, { text }]) => [conversationId, text])).to.deep.equal([
        [first.id, 'Recorded.'],
        [first.id, 'Recorded.'],
      ]);
    });
  });

  describe('capabilities', () => {
    it('asks the adapter once when it starts, and reads the policy from them', async () => {
      adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
      const ask = sinon.spy(adapter, 'getCapabilities');
      core = new ConsoleCore(adapter, { logger: { warn: () => {} } });
      await core.start();
      await until(() => core.capabilities, 'the capabilities');
      core.attach();
      await adapter.connect();
      expect(ask.callCount).to.equal(1);
      expect(core.capabilities).to.deep.equal(messengerCapabilities);
      expect(core.policy).to.deep.equal(messengerAttachmentPolicy);
    });

    it('runs an older adapter that has only getAttachmentPolicy, as Messenger-like', async () => {
      adapter = new MockChannelAdapter({ latency: 0, historySize: 0, channel: 'legacy' });
      const policy = { maxBytes: 1000, accept: ['.pdf'] };
      Object.assign(adapter, { getCapabilities: undefined, getAttachmentPolicy: async () => policy });
      core = new ConsoleCore(adapter, { logger: { warn: () => {} } });
      await core.start();
      const capabilities = await until(() => core.capabilities, 'the capabilities');
      expect(capabilities).to.deep.equal({ name: 'Legacy', textLimit: 2000, attachments: policy, typing: true, readReceipts: true, reactions: true, replyWindowHours: 24 });
    });

    it('reports capabilities that break the contract and runs without them', async () => {
      adapter = new MockChannelAdapter({ latency: 0, historySize: 0, capabilities: { textLimit: -5 } });
      errors = [];
      core = new ConsoleCore(adapter, { logger: { warn: () => {} } });
      core.addEventListener('agent-error', (event) => errors.push((event as CustomEvent<AgentErrorDetail>).detail));
      await core.start();
      await until(() => errors.length, 'the report');
      expect(errors[0]).to.include({ code: 'malformed-event', eventType: 'getCapabilities', field: 'result.textLimit' });
      expect(core.capabilities).to.equal(undefined);
    });

    it('asks again when the connection opens if asking failed', async () => {
      adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
      const ask = sinon.stub(adapter, 'getCapabilities').onFirstCall().rejects(new Error('The relay is down.'));
      ask.callThrough();
      core = new ConsoleCore(adapter, { logger: { warn: () => {} } });
      await core.start();
      await until(() => core.capabilities, 'the capabilities, on the second try');
      expect(ask.callCount).to.equal(2);
    });

    it('neither shows nor sends typing where the channel has none', async () => {
      await start({ capabilities: { typing: false } });
      await until(() => core.capabilities, 'the capabilities');
      const { id } = await session();
      const setTyping = sinon.spy(adapter, 'setTyping');
      adapter.typing(id, true);
      core.setTyping(id, true);
      await settled();
      expect(core.sessions.get(id)!.customerTyping).to.equal(false);
      expect(setTyping.callCount).to.equal(0);
    });
  });
});

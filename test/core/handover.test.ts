import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { MockChannelAdapter } from '../../src/adapters/mock-adapter.js';
import type { OutgoingMessage } from '../../src/adapters/types.js';
import { type AgentErrorDetail, ConsoleCore, type CoreChangeDetail, errorCode } from '../../src/core/console-core.js';
import type { Session } from '../../src/core/session.js';
import type { TranscriptMessage } from '../../src/core/transcript.js';
import { rejection, until } from '../fixtures.js';

/** An error as a channel adapter rejects with it, with a `ChannelErrorCode`. */
const channelError = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('ConsoleCore: thread control, replies, reactions and error codes', () => {
  let adapter: MockChannelAdapter;
  let core: ConsoleCore;
  let errors: AgentErrorDetail[];
  let changes: CoreChangeDetail[];
  let session: Session;

  beforeEach(async () => {
    adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
    core = new ConsoleCore(adapter, { logger: { warn: () => {} } });
    errors = [];
    changes = [];
    core.addEventListener('agent-error', (event) => errors.push((event as CustomEvent<AgentErrorDetail>).detail));
    core.addEventListener('change', (event) => changes.push((event as CustomEvent<CoreChangeDetail>).detail));
    await core.start();
    session = await core.accept(adapter.request({ preview: 'Hello' }).id);
  });

  afterEach(async () => {
    await core.stop();
    await adapter.dispose();
    sinon.restore();
  });

  describe('who holds the thread', () => {
    it('is unknown until the channel says, then follows thread-control', async () => {
      expect(session.thread).to.equal(undefined);
      adapter.emitRaw('thread-control', { conversationId: session.id, owner: 'other', appId: '263902037430900' });
      expect(session.thread).to.deep.equal({ owner: 'other', appId: '263902037430900' });
      await until(() => changes.some(({ area, id }) => area === 'sessions' && id === session.id), 'a sessions change');
      adapter.emitRaw('thread-control', { conversationId: session.id, owner: 'console' });
      expect(session.thread).to.deep.equal({ owner: 'console', appId: undefined });
    });

    it('keeps a thread-control that comes before the session opens', async () => {
      const request = adapter.request();
      // The mock numbers the conversation it opens next after the request.
      const conversationId = `mock-conversation-${Number(request.id.split('-').at(-1)) + 1}`;
      adapter.emitRaw('thread-control', { conversationId, owner: 'other' });
      const opened = await core.accept(request.id);
      expect(opened.thread?.owner).to.equal('other');
    });

    it('drops a malformed thread-control and reports it', () => {
      adapter.emitRaw('thread-control', { conversationId: session.id, owner: 'bot' });
      expect(session.thread).to.equal(undefined);
      expect(errors.map((error) => error.code)).to.deep.equal(['malformed-event']);
    });

    it('takes the thread through the adapter; the console then holds it', async () => {
      adapter.emitRaw('thread-control', { conversationId: session.id, owner: 'other' });
      const takeThread = sinon.stub().resolves();
      Object.assign(adapter, { takeThread });
      await core.takeThread(session.id);
      expect(takeThread).to.have.been.calledOnceWith(session.id);
      expect(session.thread).to.deep.equal({ owner: 'console' });
    });

    it('leaves the thread where it was when taking fails, and reports the failure', async () => {
      adapter.emitRaw('thread-control', { conversationId: session.id, owner: 'other' });
      Object.assign(adapter, { takeThread: sinon.stub().rejects(channelError('(#10) Not allowed', 'temporary')) });
      const error = await rejection(core.takeThread(session.id));
      expect(errorCode(error)).to.equal('temporary');
      expect(session.thread?.owner).to.equal('other');
      expect(errors.at(-1)).to.include({ code: 'adapter-failure', eventType: 'takeThread' });
    });

    it('hands the thread back through the adapter; another app then holds it', async () => {
      const passThread = sinon.stub().resolves();
      Object.assign(adapter, { passThread });
      await core.passThread(session.id);
      expect(passThread).to.have.been.calledOnceWith(session.id);
      expect(session.thread?.owner).to.equal('other');
    });

    it('cannot take or hand back a thread when the adapter has no such method', async () => {
      await rejection(core.takeThread(session.id));
      await rejection(core.passThread(session.id));
      expect(session.thread).to.equal(undefined);
    });
  });

  describe('reactions', () => {
    it('shows the agent’s reaction at once and tells the channel', async () => {
      let finish!: () => void;
      const react = sinon.stub().returns(new Promise<void>((resolve) => (finish = resolve)));
      Object.assign(adapter, { react });
      const reacting = core.react(session.id, 'm-customer', '👍');
      expect(session.reactions.get('m-customer')).to.equal('👍');
      expect(react).to.have.been.calledOnceWith(session.id, 'm-customer', '👍');
      finish();
      await reacting;
      expect(session.reactions.get('m-customer')).to.equal('👍');
    });

    it('takes a reaction back with an empty emoji', async () => {
      Object.assign(adapter, { react: sinon.stub().resolves() });
      await core.react(session.id, 'm1', '❤️');
      await core.react(session.id, 'm1', '');
      expect(session.reactions.has('m1')).to.equal(false);
    });

    it('puts the earlier reaction back when the channel refuses, and throws', async () => {
      const react = sinon.stub().resolves();
      Object.assign(adapter, { react });
      await core.react(session.id, 'm1', '😂');
      react.rejects(new Error('Graph said no'));
      const error = await rejection(core.react(session.id, 'm1', '😮'));
      expect(error.message).to.equal('Graph said no');
      expect(session.reactions.get('m1')).to.equal('😂');
    });

    it('keeps a later choice when an earlier reaction fails', async () => {
      let refuse!: (error: Error) => void;
      const react = sinon.stub();
      react.onFirstCall().returns(new Promise<void>((_, reject) => (refuse = reject)));
      react.onSecondCall().resolves();
      Object.assign(adapter, { react });
      const first = core.react(session.id, 'm1', '👍');
      await core.react(session.id, 'm1', '🙏');
      refuse(new Error('late failure'));
      await rejection(first);
      expect(session.reactions.get('m1')).to.equal('🙏');
    });
  });

  describe('replies', () => {
    it('sends replyTo to the adapter and shows it on the pending message', async () => {
      const sendMessage = sinon.spy(adapter, 'sendMessage');
      const pending = core.send(session.id, { text: 'It ships today', replyTo: 'm-question' });
      expect(pending.replyTo).to.deep.equal({ messageId: 'm-question' });
      const draft = sendMessage.firstCall.args[1] as OutgoingMessage;
      expect(draft).to.include({ text: 'It ships today', replyTo: 'm-question' });
    });

    it('sends no replyTo for an ordinary message', async () => {
      const sendMessage = sinon.spy(adapter, 'sendMessage');
      core.send(session.id, { text: 'Hello' });
      expect(sendMessage.firstCall.args[1]).not.to.have.property('replyTo');
    });

    it('keeps the reply target as the composer’s state, without a change event', () => {
      changes = [];
      core.setReplyTo(session.id, 'm1');
      expect(session.replyTo).to.equal('m1');
      core.setReplyTo(session.id);
      expect(session.replyTo).to.equal(undefined);
      expect(changes).to.deep.equal([]);
    });
  });

  describe('error codes', () => {
    it('knows the contract’s codes and nothing else', () => {
      for (const code of ['reply-window-closed', 'recipient-unavailable', 'rate-limited', 'channel-unauthorized', 'temporary']) {
        expect(errorCode(channelError('x', code))).to.equal(code);
      }
      expect(errorCode(channelError('x', 'toString'))).to.equal(undefined);
      expect(errorCode(new Error('x'))).to.equal(undefined);
      expect(errorCode(null)).to.equal(undefined);
      expect(errorCode('recipient-unavailable')).to.equal(undefined);
    });

    it('keeps a failed send’s known code beside its message', async () => {
      sinon.stub(adapter, 'sendMessage').rejects(channelError('(#551) This person isn’t available right now.', 'recipient-unavailable'));
      const pending = core.send(session.id, { text: 'Hello?' });
      const failed = await until(() => {
        const message = session.transcript.getByClientId(pending.clientId!) as TranscriptMessage;
        return message.status === 'failed' && message;
      }, 'the failure');
      expect(failed).to.include({ error: '(#551) This person isn’t available right now.', errorCode: 'recipient-unavailable' });
    });

    it('keeps only the message of an unknown code, and forgets the code on retry', async () => {
      const sendMessage = sinon.stub(adapter, 'sendMessage').rejects(channelError('Odd', 'made-up'));
      const pending = core.send(session.id, { text: 'Hello?' });
      const failed = await until(() => {
        const message = session.transcript.getByClientId(pending.clientId!) as TranscriptMessage;
        return message.status === 'failed' && message;
      }, 'the failure');
      expect(failed.error).to.equal('Odd');
      expect(failed).not.to.have.property('errorCode');
      sendMessage.rejects(channelError('Later', 'temporary'));
      core.retry(pending.clientId!);
      expect(session.transcript.getByClientId(pending.clientId!)).not.to.have.property('errorCode');
    });

    it('holds sends while the channel’s access has expired, and sends them once it is back', async () => {
      const sendMessage = sinon.spy(adapter, 'sendMessage');
      adapter.emitRaw('connection-change', { state: 'open', code: 'channel-unauthorized', error: 'Error validating access token (190)' });
      expect(core.offline).to.equal(true);
      const pending = core.send(session.id, { text: 'Are you there?' });
      expect(sendMessage).not.to.have.been.called;
      expect(session.transcript.getByClientId(pending.clientId!)!.status).to.equal('pending');
      adapter.emitRaw('connection-change', { state: 'open' });
      expect(core.offline).to.equal(false);
      expect(sendMessage).to.have.been.calledOnce;
    });
  });
});

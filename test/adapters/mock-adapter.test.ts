import { expect, oneEvent } from '@open-wc/testing';
import sinon from 'sinon';
import { describeChannelAdapter } from '../../src/adapters/contract.js';
import { MockChannelAdapter } from '../../src/adapters/mock-adapter.js';
import type { ChannelEventMap, Message } from '../../src/adapters/types.js';
import { messengerAttachmentPolicy } from '../../src/adapters/facebook/channel.js';
import { validateChannelEvent } from '../../src/adapters/validate.js';
import { messengerCapabilities } from '../../src/adapters/facebook/channel.js';
import { rejection, until } from '../fixtures.js';

describeChannelAdapter('MockChannelAdapter', () => {
  const adapter = new MockChannelAdapter({ latency: 0, historySize: 5 });
  return {
    adapter,
    offerRequest: () => void adapter.request(),
    customerSays: (conversationId, text) => void adapter.receive(conversationId, text),
    dispose: () => adapter.dispose(),
  };
});

const webChat = {
  channel: 'webchat',
  capabilities: { name: 'Web chat', textLimit: 4096, unsupported: undefined, readReceipts: false, replyWindowHours: undefined },
};

describeChannelAdapter('MockChannelAdapter playing a web chat', () => {
  const adapter = new MockChannelAdapter({ latency: 0, ...webChat });
  return {
    adapter,
    offerRequest: () => void adapter.request(),
    customerSays: (conversationId, text) => void adapter.receive(conversationId, text),
    dispose: () => adapter.dispose(),
  };
});

/** Collects every event of one type the adapter dispatches. */
function collect<K extends keyof ChannelEventMap>(adapter: EventTarget, type: K): ChannelEventMap[K][] {
  const seen: ChannelEventMap[K][] = [];
  adapter.addEventListener(type, (event) => seen.push((event as CustomEvent).detail));
  return seen;
}

async function accepted(adapter: MockChannelAdapter) {
  await adapter.connect();
  return adapter.accept(adapter.request().id);
}

describe('MockChannelAdapter', () => {
  let adapter: MockChannelAdapter;
  afterEach(() => adapter.dispose());

  it('plays the same customers from the same seed', async () => {
    const names = async (seed: number) => {
      const mock = new MockChannelAdapter({ seed, latency: 0 });
      await mock.connect();
      const result = [mock.request(), mock.request(), mock.request()].map((r) => `${r.customer.name}: ${r.preview}`);
      await mock.dispose();
      return result;
    };
    adapter = new MockChannelAdapter();
    expect(await names(7)).to.deep.equal(await names(7));
    expect(await names(7)).not.to.deep.equal(await names(8));
  });

  it('reports Messenger’s attachment policy by default', async () => {
    adapter = new MockChannelAdapter({ latency: 0 });
    const policy = await adapter.getAttachmentPolicy();
    expect(policy.maxBytes).to.equal(25 * 1024 * 1024);
    expect(policy.accept).to.deep.equal(['.jpg', '.jpeg', '.png', '.gif', '.mp3', '.ogg', '.oga', '.amr', '.mp4', '.pdf', '.docx', '.xlsx', '.xls', '.txt']);
    policy.accept.push('.exe');
    expect(messengerAttachmentPolicy.accept).not.to.include('.exe');
  });

  it('sends the customer’s first message when a request is accepted', async () => {
    adapter = new MockChannelAdapter({ latency: 0 });
    await adapter.connect();
    const messages = collect(adapter, 'message');
    const request = adapter.request({ preview: 'Where is my parcel?' });
    const conversation = await adapter.accept(request.id);
    expect(messages).to.have.length(1);
    expect(messages[0]).to.include({ conversationId: conversation.id, direction: 'inbound', text: 'Where is my parcel?', sentAt: request.createdAt });
  });

  it('withdraws a request, which can then not be accepted', async () => {
    adapter = new MockChannelAdapter({ latency: 0 });
    await adapter.connect();
    const request = adapter.request();
    setTimeout(() => adapter.withdraw(request.id, 'The customer left.'));
    const { detail } = await oneEvent(adapter, 'conversation-request-withdrawn');
    expect(detail).to.deep.equal({ requestId: request.id, reason: 'The customer left.' });
    await rejection(adapter.accept(request.id));
  });

  it('sends images with numeric names marked as generated, a PDF, and a voice clip', async () => {
    adapter = new MockChannelAdapter({ latency: 0 });
    const conversation = await accepted(adapter);
    const image = adapter.receiveSample(conversation.id, 'image').attachments![0];
    expect(image).to.include({ kind: 'image', mimeType: 'image/png', nameIsGenerated: true });
    expect(image.name).to.match(/^\d+_\d+_n\.png$/);
    expect(image.url).to.match(/^blob:/);
    const bytes = new Uint8Array(await (await fetch(image.url)).arrayBuffer());
    expect([...bytes.slice(0, 4)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47]);
    expect(bytes.byteLength).to.equal(image.size);

    const pdf = adapter.receiveSample(conversation.id, 'pdf').attachments![0];
    expect(pdf).to.include({ kind: 'file', name: 'invoice-2291.pdf', mimeType: 'application/pdf' });
    expect(pdf).not.to.have.property('nameIsGenerated');
    expect(await (await fetch(pdf.url)).text()).to.match(/^%PDF-/);

    const audio = adapter.receiveSample(conversation.id, 'audio').attachments![0];
    expect(audio).to.include({ kind: 'audio', mimeType: 'audio/mpeg', nameIsGenerated: true });
    expect(audio.name).to.match(/^audioclip-\d+\.mp3$/);
  });

  it('sends stickers and locations as unsupported messages', async () => {
    adapter = new MockChannelAdapter({ latency: 0 });
    const conversation = await accepted(adapter);
    expect(adapter.receiveSample(conversation.id, 'sticker').unsupported).to.deep.equal({ type: 'sticker' });
    expect(adapter.receiveSample(conversation.id, 'location').unsupported).to.deep.equal({ type: 'location' });
  });

  it('reports delivery and then reading of the agent’s messages', async () => {
    adapter = new MockChannelAdapter({ latency: 1 });
    const conversation = await accepted(adapter);
    const statuses = collect(adapter, 'message-status');
    const sent = await adapter.sendMessage(conversation.id, { clientId: 'k1', text: 'On its way!' });
    while (statuses.length < 2) await oneEvent(adapter, 'message-status');
    expect(statuses.map((s) => s.status)).to.deep.equal(['delivered', 'read']);
    expect(statuses[1]).to.deep.equal({ conversationId: conversation.id, messageId: sent.id, clientId: 'k1', status: 'read' });
  });

  it('sends a clientId once, and again only after a failure', async () => {
    adapter = new MockChannelAdapter({ latency: 0, failureRate: 1 });
    const conversation = await accepted(adapter);
    expect((await rejection(adapter.sendMessage(conversation.id, { clientId: 'k1', text: 'Hi' }))).message).to.contain('simulated failure');
    expect(adapter.sentMessages).to.have.length(0);

    adapter = new MockChannelAdapter({ latency: 0 });
    const other = await accepted(adapter);
    await Promise.all([1, 2, 3].map(() => adapter.sendMessage(other.id, { clientId: 'k2', text: 'Hi' })));
    expect(adapter.sentMessages.map((m) => m.clientId)).to.deep.equal(['k2']);
  });

  it('refuses what Messenger would refuse', async () => {
    adapter = new MockChannelAdapter({ latency: 0 });
    const conversation = await accepted(adapter);
    expect((await rejection(adapter.sendMessage(conversation.id, { clientId: 'a', text: 'x'.repeat(2001) }))).message).to.contain('2000 characters');
    expect((await rejection(adapter.sendMessage(conversation.id, { clientId: 'b', file: new File([], 'empty.txt', { type: 'text/plain' }) }))).message).to.contain('empty');
    const huge = Object.assign(new Blob(['x']), { name: 'huge.mp4' });
    Object.defineProperty(huge, 'size', { value: 26 * 1024 * 1024 });
    expect((await rejection(adapter.sendMessage(conversation.id, { clientId: 'c', file: huge }))).message).to.contain('larger than the channel allows');
    expect((await rejection(adapter.sendMessage('nope', { clientId: 'd', text: 'x' }))).message).to.contain('Unknown conversation');
  });

  it('stops an upload when its signal is aborted part-way', async () => {
    adapter = new MockChannelAdapter({ latency: 5 });
    const conversation = await accepted(adapter);
    const controller = new AbortController();
    const file = new File([new Uint8Array(4096)], 'notes.txt', { type: 'text/plain' });
    const progress: number[] = [];
    const sending = adapter.sendMessage(conversation.id, { clientId: 'k', file }, {
      signal: controller.signal,
      onProgress: (sent) => {
        progress.push(sent);
        controller.abort();
      },
    });
    expect((await rejection(sending)).name).to.equal('AbortError');
    expect(progress).to.deep.equal([1024]);
    expect(adapter.sentMessages).to.have.length(0);
  });

  it('holds events while the connection is down and delivers them when it is back', async () => {
    adapter = new MockChannelAdapter({ latency: 0 });
    const conversation = await accepted(adapter);
    const states = collect(adapter, 'connection-change');
    const messages = collect(adapter, 'message');
    adapter.dropConnection(20, 'Network down');
    adapter.receive(conversation.id, 'Are you still there?');
    expect(messages).to.have.length(0);
    expect((await rejection(adapter.sendMessage(conversation.id, { clientId: 'k', text: 'Yes' }))).message).to.contain('Not connected');
    while (adapter.connectionState !== 'open') await oneEvent(adapter, 'connection-change');
    expect(states).to.deep.equal([{ state: 'closed', error: 'Network down' }, { state: 'connecting' }, { state: 'open' }]);
    expect(messages.map((m) => m.text)).to.deep.equal(['Are you still there?']);
  });

  it('answers every connect() once the connection is open, and a manual connect replaces the automatic one', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      adapter = new MockChannelAdapter({ latency: 5 });
      const states = collect(adapter, 'connection-change');
      const both = Promise.all([adapter.connect(), adapter.connect()]);
      await clock.tickAsync(5);
      await both;
      expect(adapter.connectionState).to.equal('open');
      adapter.dropConnection(20);
      const manual = adapter.connect();
      await clock.tickAsync(5);
      await manual;
      await clock.tickAsync(60_000); // past the automatic reconnect it replaced
      expect(states.map((s) => s.state)).to.deep.equal(['connecting', 'open', 'closed', 'connecting', 'open']);
    } finally {
      clock.restore();
    }
  });

  it('treats a live message id as the start of history', async () => {
    adapter = new MockChannelAdapter({ latency: 0, historySize: 5 });
    await adapter.connect();
    const first = collect(adapter, 'message');
    const conversation = await adapter.accept(adapter.request({ preview: 'Hi' }).id);
    const page = await adapter.loadHistory(conversation.id, { before: first[0].id, limit: 3 });
    expect(page.messages).to.have.length(3);
    expect(page.hasMore).to.equal(true);
    expect((await adapter.loadHistory(conversation.id, { limit: 0 })).messages).to.have.length(1);
  });

  it('pages through earlier history', async () => {
    adapter = new MockChannelAdapter({ latency: 0, historySize: 45 });
    const conversation = await accepted(adapter);
    const latest = await adapter.loadHistory(conversation.id, { limit: 20 });
    const middle = await adapter.loadHistory(conversation.id, { before: latest.messages[0].id, limit: 20 });
    const oldest = await adapter.loadHistory(conversation.id, { before: middle.messages[0].id, limit: 20 });
    expect([latest.hasMore, middle.hasMore, oldest.hasMore]).to.deep.equal([true, true, false]);
    const all = [...oldest.messages, ...middle.messages, ...latest.messages];
    expect(all).to.have.length(45);
    expect(new Set(all.map((m) => m.id)).size).to.equal(45);
    expect(all.every((m, i) => i === 0 || m.sentAt > all[i - 1].sentAt)).to.equal(true);
    all.forEach((m) => validateChannelEvent('message', m));
  });

  it('plays customers by itself with autoplay: requests, withdrawals, typing, replies and files', async () => {
    const clock = sinon.useFakeTimers({ now: Date.parse('2026-11-21T09:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      adapter = new MockChannelAdapter({ latency: 0, autoplay: { requestEvery: 10_000 }, seed: 3 });
      const requests = collect(adapter, 'conversation-request');
      const withdrawn = collect(adapter, 'conversation-request-withdrawn');
      await adapter.connect();
      await clock.tickAsync(10 * 60_000);
      expect(requests.length).to.be.within(40, 120);
      expect(withdrawn.length).to.be.greaterThan(0);

      const open = requests.find((r) => !withdrawn.some((w) => w.requestId === r.id))!;
      const messages = collect(adapter, 'message');
      const typing = collect(adapter, 'typing');
      const conversation = await adapter.accept(open.id);
      await clock.tickAsync(5 * 60_000);
      const mine = messages.filter((m: Message) => m.conversationId === conversation.id);
      expect(typing.length).to.be.greaterThan(5);
      expect(mine.some((m) => m.attachments?.[0]?.nameIsGenerated)).to.equal(true);
      expect(mine.some((m) => m.attachments?.[0]?.mimeType === 'application/pdf')).to.equal(true);
      expect(mine.filter((m) => m.unsupported).map((m) => m.unsupported!.type)).to.deep.equal(['sticker', 'location']);
    } finally {
      clock.restore();
    }
  });

  it('emits raw events, valid or not, for testing consumers', async () => {
    adapter = new MockChannelAdapter({ latency: 0 });
    setTimeout(() => adapter.emitRaw('message', { id: 42 }));
    const { detail } = await oneEvent(adapter, 'message');
    expect(detail).to.deep.equal({ id: 42 });
  });

  it('plays Messenger by default: its capabilities, its limit, its reply window and its receipts', async () => {
    adapter = new MockChannelAdapter({ latency: 0 });
    expect(await adapter.getCapabilities()).to.deep.equal(messengerCapabilities);
    const conversation = await accepted(adapter);
    expect(conversation.channel).to.equal('facebook');
    expect(Date.parse(conversation.replyBy!) - Date.now()).to.be.within(23.9 * 3_600_000, 24 * 3_600_000);
    const error = await rejection(adapter.sendMessage(conversation.id, { clientId: 'long', text: 'x'.repeat(2001) }));
    expect(error.message).to.equal('Facebook takes at most 2000 characters in one message.');
    const statuses = collect(adapter, 'message-status');
    await adapter.sendMessage(conversation.id, { clientId: 'ok', text: 'x'.repeat(2000) });
    await until(() => statuses.some((status) => status.status === 'read'), 'the read receipt');
  });

  it('plays another channel as its capabilities say', async () => {
    adapter = new MockChannelAdapter({ latency: 0, ...webChat });
    const capabilities = await adapter.getCapabilities();
    expect(capabilities).to.include({ name: 'Web chat', textLimit: 4096, readReceipts: false, typing: true });
    expect(capabilities).not.to.have.property('replyWindowHours');
    expect(capabilities).not.to.have.property('unsupported');
    expect(adapter.channel).to.equal('webchat');
    const conversation = await accepted(adapter);
    expect(conversation).to.include({ channel: 'webchat' }).and.not.to.have.property('replyBy');
    expect((await rejection(adapter.sendMessage(conversation.id, { clientId: 'long', text: 'x'.repeat(4097) }))).message).to.equal(
      'Web chat takes at most 4096 characters in one message.',
    );
    const statuses = collect(adapter, 'message-status');
    expect((await adapter.sendMessage(conversation.id, { clientId: 'ok', text: 'x'.repeat(4096) })).status).to.equal('sent');
    const messages = collect(adapter, 'message');
    adapter.receiveSample(conversation.id, 'sticker');
    adapter.receiveSample(conversation.id, 'location');
    expect(messages[0].attachments![0]).to.include({ kind: 'image' });
    expect(messages[0]).not.to.have.property('unsupported');
    expect(messages[1].text).to.match(/^https:\/\/maps\./);
    await adapter.disconnect();
    expect(statuses, 'no delivery or read receipts').to.deep.equal([]);
  });
});

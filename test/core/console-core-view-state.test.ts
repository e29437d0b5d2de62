import { expect } from '@open-wc/testing';
import { MockChannelAdapter } from '../../src/adapters/mock-adapter.js';
import { ConsoleCore, type CoreChangeDetail } from '../../src/core/console-core.js';

// What the views keep in the core per session, changed only through its methods.
describe('ConsoleCore view state', () => {
  let adapter: MockChannelAdapter;
  let core: ConsoleCore;
  let changes: CoreChangeDetail[];

  beforeEach(async () => {
    adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
    core = new ConsoleCore(adapter, { logger: { warn: () => {} } });
    await core.start();
    changes = [];
    core.addEventListener('change', (event) => changes.push((event as CustomEvent<CoreChangeDetail>).detail));
  });

  afterEach(async () => {
    await core.stop();
    await adapter.dispose();
  });

  const accept = async () => {
    const session = await core.accept(adapter.request({ preview: 'Hello' }).id);
    changes = [];
    return session;
  };

  it('tells a burst of customer messages as one change per conversation, with every arrival in order', async () => {
    const one = await accept();
    const two = await accept();
    for (let i = 0; i < 500; i++) adapter.receive(i % 2 ? two.id : one.id, `Message ${i}`);
    expect(changes, 'told once the burst is over').to.deep.equal([]);
    await Promise.resolve();
    expect(changes.map(({ area, id }) => [area, id])).to.deep.equal([
      ['transcript', one.id],
      ['transcript', two.id],
    ]);
    const [first, second] = changes;
    expect(first.arrivals!.map((message) => message.text)).to.deep.equal(Array.from({ length: 250 }, (_, i) => `Message ${2 * i}`));
    expect(second.arrivals!.map((message) => message.text)).to.deep.equal(Array.from({ length: 250 }, (_, i) => `Message ${2 * i + 1}`));
    expect(first.arrived).to.equal(first.arrivals!.at(-1));
    expect(one.transcript.size + two.transcript.size).to.be.at.least(500);
  });

  it('keeps a draft per conversation, quietly', async () => {
    const session = await accept();
    core.setDraft(session.id, 'Half-written reply');
    expect(session.draft).to.equal('Half-written reply');
    core.setDraft('no-such-conversation', 'x');
    expect(changes).to.deep.equal([]);
  });

  it('remembers where the agent was reading, and forgets it at the newest message, quietly', async () => {
    const session = await accept();
    core.setScrollAnchor(session.id, { messageId: 'm1', offset: 12 });
    expect(session.scrollAnchor).to.deep.equal({ messageId: 'm1', offset: 12 });
    core.setScrollAnchor(session.id, undefined);
    expect(session.scrollAnchor).to.equal(undefined);
    expect(changes).to.deep.equal([]);
  });

  it('takes newer details of a conversation from the page, and says so', async () => {
    const session = await accept();
    const replyBy = new Date(Date.now() + 3_600_000).toISOString();
    const updated = { ...session.conversation, replyBy };
    core.updateConversation(updated);
    expect(session.conversation).to.equal(updated);
    expect(changes).to.deep.equal([{ area: 'sessions', id: session.id }]);
    core.updateConversation(updated);
    core.updateConversation({ ...updated, id: 'no-such-conversation' });
    expect(changes, 'nothing new, nothing said').to.have.length(1);
  });

  it('shows the newest of a large history page first and adds the rest in order, leaving out what breaks the contract', async () => {
    const session = await accept();
    const shown = session.transcript.at(0)!; // the request's first message
    const time = (i: number) => new Date(Date.parse(shown.sentAt) - (5_000 - i) * 1_000).toISOString();
    // 5,000 earlier messages, oldest first: the last one sent in the same instant as the one shown, a pair in one instant, one malformed.
    const page: unknown[] = Array.from({ length: 5_000 }, (_, i) => ({ id: `h${i}`, conversationId: session.id, direction: 'inbound', sentAt: time(i), text: `History ${i}` }));
    page[4_999] = { ...(page[4_999] as object), sentAt: shown.sentAt };
    page[2_501] = { ...(page[2_501] as object), sentAt: time(2_500) };
    page[1_234] = { id: 'bad', conversationId: session.id, direction: 'sideways', sentAt: time(1_234), text: 'x' };
    adapter.loadHistory = async () => ({ messages: page as never, hasMore: false });
    const errors: string[] = [];
    core.addEventListener('agent-error', (event) => errors.push((event as CustomEvent).detail.field));
    const sizes: number[] = [];
    core.addEventListener('change', (event) => (event as CustomEvent<CoreChangeDetail>).detail.area === 'transcript' && sizes.push(session.transcript.size));
    await core.loadHistory(session.id);
    expect(sizes[0], 'the first change holds the newest slice only').to.be.within(2, 4_000);
    expect(sizes.at(-1)).to.equal(5_000);
    expect(session.transcript.at(-1)).to.equal(shown);
    expect(session.transcript.size).to.equal(5_000);
    const ids = session.transcript.messages.map((m) => m.id);
    const expected = Array.from({ length: 5_000 }, (_, i) => `h${i}`).filter((id) => id !== 'h1234');
    expect(ids).to.deep.equal([...expected, shown.id]);
    expect(errors).to.deep.equal(['detail.direction']);
    expect(session.history).to.deep.equal({ hasMore: false, loading: false });
  });

  it('tries a failed history load again, clearing the failure', async () => {
    const session = await accept();
    adapter.loadHistory = async () => {
      throw new Error('Timed out');
    };
    await core.loadHistory(session.id);
    expect(session.history).to.deep.equal({ hasMore: true, loading: false, error: 'Timed out' });
    adapter.loadHistory = async () => ({ messages: [], hasMore: false });
    const retry = core.loadHistory(session.id);
    expect(session.history.error).to.equal(undefined);
    await retry;
    expect(session.history).to.deep.equal({ hasMore: false, loading: false });
  });
});

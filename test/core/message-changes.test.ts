import { expect } from '@open-wc/testing';
import { MockChannelAdapter } from '../../src/adapters/mock-adapter.js';
import type { Message, MessageEdited } from '../../src/adapters/types.js';
import { type CoreChangeDetail, ConsoleCore } from '../../src/core/console-core.js';
import { Transcript, type TranscriptMessage } from '../../src/core/transcript.js';
import { message } from '../fixtures.js';

const at = (minute: number) => `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`;
const edit = (text: string, minute: number, messageId = 'm1'): MessageEdited => ({ conversationId: 'c1', messageId, text, editedAt: at(minute) });
const reaction = (id: string, minute: number, action: 'react' | 'unreact', emoji: string, messageId = 'm1') =>
  message({ id, direction: 'system', sentAt: at(minute), text: undefined, reaction: { emoji, action, messageId } });
const ids = (transcript: Transcript) => transcript.messages.map((m) => m.id);

describe('Transcript: edits, removals and reactions', () => {
  it('shows an edit’s text and keeps the earlier texts, oldest first', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ text: 'I ordered a blue one' }));
    const first = transcript.edit(edit('I ordered a red one', 5));
    expect(first).to.include({ text: 'I ordered a red one' });
    expect(first?.edited).to.deep.equal({ at: at(5), earlier: ['I ordered a blue one'] });
    transcript.edit(edit('I ordered two red ones', 6));
    expect(transcript.get('m1')?.edited).to.deep.equal({ at: at(6), earlier: ['I ordered a blue one', 'I ordered a red one'] });
    expect(transcript.get('m1')?.text).to.equal('I ordered two red ones');
  });

  it('changes nothing for an edit it has already applied, even after a later one', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ text: 'a' }));
    transcript.edit(edit('b', 5));
    transcript.edit(edit('c', 6));
    const version = transcript.version;
    const shown = transcript.get('m1');
    expect(transcript.edit(edit('c', 6))).to.equal(undefined);
    expect(transcript.edit(edit('b', 5))).to.equal(undefined);
    expect(transcript.version).to.equal(version);
    expect(transcript.get('m1')).to.equal(shown);
  });

  it('files an edit that comes late among the earlier texts', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ text: 'a' }));
    transcript.edit(edit('c', 6));
    transcript.edit(edit('b', 5));
    expect(transcript.get('m1')).to.deep.include({ text: 'c', edited: { at: at(6), earlier: ['a', 'b'] } });
  });

  it('keeps an edit of a message not loaded yet and applies it when it arrives, live or in a history page', () => {
    const transcript = new Transcript();
    expect(transcript.edit(edit('new text', 5, 'later'))).to.equal(undefined);
    expect(transcript.edit(edit('in history, edited', 5, 'old'))).to.equal(undefined);
    expect(transcript.size).to.equal(0);
    transcript.upsert(message({ id: 'later', sentAt: at(2), text: 'old text' }));
    expect(transcript.get('later')).to.deep.include({ text: 'new text', edited: { at: at(5), earlier: ['old text'] } });
    transcript.upsertMany([message({ id: 'old', sentAt: at(1), text: 'in history' }), message({ id: 'other', sentAt: at(1), text: 'plain' })]);
    expect(transcript.get('old')).to.deep.include({ text: 'in history, edited', edited: { at: at(5), earlier: ['in history'] } });
    expect(transcript.get('other')?.edited).to.equal(undefined);
  });

  it('keeps at most 500 edits of messages that never come, letting the oldest go', () => {
    const transcript = new Transcript();
    for (let i = 0; i <= 500; i++) transcript.edit(edit(`text ${i}`, 5, `missing-${i}`));
    transcript.upsert(message({ id: 'missing-0', text: 'first' }));
    transcript.upsert(message({ id: 'missing-500', text: 'last' }));
    expect(transcript.get('missing-0')?.text).to.equal('first');
    expect(transcript.get('missing-500')?.text).to.equal('text 500');
  });

  it('keeps the edited text when the message comes again as it was sent', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ text: 'a' }));
    transcript.edit(edit('b', 5));
    expect(transcript.upsert(message({ text: 'a' }))).to.equal(undefined);
    transcript.upsertMany([message({ text: 'a' })]);
    expect(transcript.get('m1')).to.deep.include({ text: 'b', edited: { at: at(5), earlier: ['a'] } });
  });

  it('marks a removed message deleted, in its place and without its content, for good', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ id: 'before', sentAt: at(0) }));
    transcript.upsert(
      message({ text: 'my card number is…', link: { url: 'https://example.com/' }, replyTo: { messageId: 'before' }, sentAt: at(1) }),
    );
    transcript.edit(edit('my card is…', 2));
    transcript.upsert(message({ id: 'after', sentAt: at(3) }));
    const removed = transcript.markDeleted('m1');
    expect(removed).to.deep.equal({ id: 'm1', conversationId: 'c1', direction: 'inbound', sentAt: at(1), deleted: true });
    expect(ids(transcript)).to.deep.equal(['before', 'm1', 'after']);
    expect(transcript.markDeleted('m1'), 'again').to.equal(undefined);
    expect(transcript.edit(edit('edited after removal', 4))).to.equal(undefined);
    transcript.upsert(message({ text: 'my card number is…', sentAt: at(1) }));
    expect(transcript.get('m1')).to.deep.equal(removed);
  });

  it('keeps a removal of a message not loaded yet, with the edits before it', () => {
    const transcript = new Transcript();
    transcript.edit(edit('b', 5));
    transcript.markDeleted('m1');
    transcript.upsertMany([message({ text: 'a' })]);
    expect(transcript.get('m1')).to.deep.equal({ id: 'm1', conversationId: 'c1', direction: 'inbound', sentAt: at(0), deleted: true });
  });

  it('shows the customer’s reaction on the message it points at, not as a row', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ id: 'o1', direction: 'outbound', sentAt: at(1), text: 'Your parcel left today', status: 'read' }));
    const reacted = transcript.upsert(reaction('r1', 2, 'react', '❤️', 'o1')) as TranscriptMessage;
    expect(reacted).to.include({ id: 'o1', customerReaction: '❤️', status: 'read' });
    expect(ids(transcript)).to.deep.equal(['o1']);
    expect(transcript.upsert(reaction('r1', 2, 'react', '❤️', 'o1')), 'again').to.equal(undefined);
    transcript.upsert(reaction('r2', 3, 'react', '😮', 'o1'));
    expect((transcript.get('o1') as TranscriptMessage).customerReaction, 'one at a time').to.equal('😮');
    transcript.upsert(reaction('r3', 4, 'unreact', '❤️', 'o1'));
    expect((transcript.get('o1') as TranscriptMessage).customerReaction, 'not the one shown').to.equal('😮');
    transcript.upsert(reaction('r4', 5, 'unreact', '', 'o1'));
    expect(transcript.get('o1')).to.not.have.property('customerReaction');
    expect(ids(transcript)).to.deep.equal(['o1']);
  });

  it('lets no older reaction undo a newer one, as a history page may bring', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ sentAt: at(1) }));
    transcript.upsert(reaction('r2', 5, 'unreact', '👍'));
    transcript.upsertMany([reaction('r1', 4, 'react', '👍')]);
    expect(transcript.get('m1')).to.not.have.property('customerReaction');
    expect(ids(transcript)).to.deep.equal(['m1']);
  });

  it('attaches a history page’s reactions to messages of the same page', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ id: 'live', sentAt: at(30) }));
    transcript.upsertMany([message({ sentAt: at(1) }), reaction('r1', 2, 'react', '😂'), message({ id: 'm2', sentAt: at(3) }), reaction('r2', 4, 'react', '👍', 'live')]);
    expect(ids(transcript)).to.deep.equal(['m1', 'm2', 'live']);
    expect(transcript.messages.map((m) => (m as TranscriptMessage).customerReaction)).to.deep.equal(['😂', undefined, '👍']);
    for (const m of transcript.messages) expect(transcript.at(transcript.indexOf(m.id))).to.equal(m);
  });

  it('keeps a reaction to a message that is not loaded as a row of its own', () => {
    const transcript = new Transcript();
    transcript.upsert(reaction('r1', 2, 'react', '❤️', 'elsewhere'));
    transcript.upsert(message({ id: 'elsewhere', sentAt: at(1) }));
    expect(ids(transcript)).to.deep.equal(['elsewhere', 'r1']);
    expect(transcript.get('elsewhere')).to.not.have.property('customerReaction');
  });
});

describe('ConsoleCore: edits, removals and reactions', () => {
  let adapter: MockChannelAdapter;
  let core: ConsoleCore;

  beforeEach(async () => {
    adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
    core = new ConsoleCore(adapter, { logger: { warn: () => {} } });
    await core.start();
  });

  afterEach(async () => {
    await core.stop();
    await adapter.dispose();
  });

  /** The change events of the next burst of adapter events. */
  const changesOf = async (emit: () => void) => {
    const changes: CoreChangeDetail[] = [];
    const listener = (event: Event) => changes.push((event as CustomEvent<CoreChangeDetail>).detail);
    core.addEventListener('change', listener);
    emit();
    await Promise.resolve();
    core.removeEventListener('change', listener);
    return changes;
  };

  it('applies message-edited and message-deleted from the adapter as transcript changes', async () => {
    const session = await core.accept(adapter.request({ preview: 'Hello' }).id);
    const first = session.transcript.at(0)!;
    const editedAt = new Date().toISOString();
    const changes = await changesOf(() => adapter.emitRaw('message-edited', { conversationId: session.id, messageId: first.id, text: 'Hello there', editedAt }));
    expect(changes).to.deep.equal([{ area: 'transcript', id: session.id }]);
    expect(session.transcript.at(0)).to.deep.include({ text: 'Hello there', edited: { at: editedAt, earlier: ['Hello'] } });
    expect(session.unread, 'an edit is not a new message').to.equal(1);
    expect(await changesOf(() => adapter.emitRaw('message-edited', { conversationId: session.id, messageId: first.id, text: 'Hello there', editedAt }))).to.deep.equal([]);
    await changesOf(() => adapter.emitRaw('message-deleted', { conversationId: session.id, messageId: first.id }));
    expect(session.transcript.at(0)).to.include({ deleted: true }).and.not.have.property('text');
  });

  it('keeps edits that overtake accept, and refuses an edit that breaks the contract', async () => {
    const request = adapter.request({ preview: undefined });
    const realAccept = adapter.accept.bind(adapter);
    adapter.accept = async (requestId) => {
      const conversation = await realAccept(requestId);
      const conversationId = conversation.id;
      adapter.emitRaw('message-edited', { conversationId, messageId: 'early', text: 'Edited', editedAt: new Date().toISOString() });
      adapter.emitRaw('message', message({ id: 'early', conversationId, sentAt: new Date().toISOString(), text: 'Original' }));
      return conversation;
    };
    const session = await core.accept(request.id);
    expect(session.transcript.get('early')?.text).to.equal('Edited');
    const errors: unknown[] = [];
    core.addEventListener('agent-error', (event) => errors.push((event as CustomEvent).detail));
    adapter.emitRaw('message-edited', { conversationId: session.id, messageId: 'early', text: 'No date' });
    expect(errors).to.have.length(1);
    expect(session.transcript.get('early')?.text).to.equal('Edited');
  });

  it('puts a reaction on the message it points at, without counting it as an arrival', async () => {
    const session = await core.accept(adapter.request({ preview: 'Hello' }).id);
    const target = session.transcript.at(0)!;
    const react: Message = { id: 'r1', conversationId: session.id, direction: 'system', sentAt: new Date().toISOString(), reaction: { emoji: '👍', action: 'react', messageId: target.id } };
    const changes = await changesOf(() => adapter.emitRaw('message', react));
    expect(changes).to.deep.equal([{ area: 'transcript', id: session.id }]);
    expect(session.transcript.size).to.equal(1);
    expect((session.transcript.at(0) as TranscriptMessage).customerReaction).to.equal('👍');
  });
});

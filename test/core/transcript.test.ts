import { expect } from '@open-wc/testing';
import type { Message } from '../../src/adapters/types.js';
import { Transcript } from '../../src/core/transcript.js';
import { statusMovesForward } from '../../src/adapters/status.js';
import { message } from '../fixtures.js';

const at = (minute: number) => `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`;
const ids = (transcript: Transcript) => transcript.messages.map((m) => m.id);

describe('Transcript', () => {
  it('orders messages by sentAt whatever order they arrive in', () => {
    const transcript = new Transcript();
    for (const [id, minute] of [['c', 3], ['a', 1], ['d', 4], ['b', 2]] as const) transcript.upsert(message({ id, sentAt: at(minute) }));
    expect(ids(transcript)).to.deep.equal(['a', 'b', 'c', 'd']);
  });

  it('keeps arrival order for messages sent in the same instant', () => {
    const transcript = new Transcript();
    for (const id of ['first', 'second', 'third']) transcript.upsert(message({ id, sentAt: at(5) }));
    transcript.upsert(message({ id: 'earlier', sentAt: at(1) }));
    expect(ids(transcript)).to.deep.equal(['earlier', 'first', 'second', 'third']);
  });

  it('compares times, not strings, across time zones', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ id: 'utc', sentAt: '2026-11-21T10:30:00Z' }));
    transcript.upsert(message({ id: 'hanoi', sentAt: '2026-11-21T17:00:00+07:00' })); // 10:00 UTC
    expect(ids(transcript)).to.deep.equal(['hanoi', 'utc']);
  });

  it('takes a page of messages as it takes each one: in order around what is there, repeats merged', () => {
    const one = new Transcript();
    const many = new Transcript();
    const live = [message({ id: 'c', sentAt: at(30) }), message({ id: 'k', sentAt: at(50), direction: 'outbound', clientId: 'k1', status: 'pending' })];
    // Older history, one in the gap, a repeat of one shown, an echo of the pending send, a repeat inside the page, and two in the same instant.
    const page = [
      message({ id: 'a', sentAt: at(10) }),
      message({ id: 'b', sentAt: at(20) }),
      message({ id: 'd', sentAt: at(40) }),
      message({ id: 'c', sentAt: at(30), text: 'edited' }),
      message({ id: 'sent-k', sentAt: at(50), direction: 'outbound', clientId: 'k1', status: 'delivered' }),
      message({ id: 'a', sentAt: at(10), text: 'again' }),
      message({ id: 'e', sentAt: at(55) }),
      message({ id: 'f', sentAt: at(55) }),
    ];
    for (const transcript of [one, many]) for (const m of live) transcript.upsert(m);
    for (const m of page) one.upsert(m);
    many.upsertMany(page);
    expect(many.messages).to.deep.equal(one.messages);
    expect(ids(many)).to.deep.equal(['a', 'b', 'c', 'd', 'sent-k', 'e', 'f']);
    expect(many.get('c')?.text).to.equal('edited');
    expect(many.getByClientId('k1')?.status).to.equal('delivered');
    for (const m of many.messages) expect(many.at(many.indexOf(m.id))).to.equal(m);
    // A page of 20,000 older messages in one go, then one more page in front of it.
    const older = (from: number, count: number) => Array.from({ length: count }, (_, i) => message({ id: `old-${from + i}`, sentAt: new Date(Date.UTC(2026, 0, 1) + (from + i) * 1000).toISOString() }));
    many.upsertMany(older(50, 20_000));
    many.upsertMany(older(0, 50));
    expect(many.size).to.equal(20_057);
    expect([many.at(0)?.id, many.at(20_049)?.id, many.at(20_050)?.id]).to.deep.equal(['old-0', 'old-20049', 'a']);
  });

  it('applies a watermark status to every agent message the channel took by then, and no further', () => {
    const transcript = new Transcript();
    const out = (id: string, minute: number, status: Message['status']) => message({ id, direction: 'outbound', sentAt: at(minute), status });
    for (const m of [out('o1', 1, 'sent'), message({ id: 'in', sentAt: at(2) }), out('o2', 3, 'delivered'), out('o3', 4, 'pending'), out('o4', 6, 'sent')]) transcript.upsert(m);
    expect(transcript.applyStatus({ conversationId: 'c1', status: 'read', before: at(5) })).to.not.equal(undefined);
    expect(transcript.messages.map((m) => `${m.id}:${m.status ?? ''}`)).to.deep.equal(['o1:read', 'in:', 'o2:read', 'o3:pending', 'o4:sent']);
    expect(transcript.applyStatus({ conversationId: 'c1', status: 'delivered', before: at(5) }), 'nothing moves back').to.equal(undefined);
  });

  it('stores a repeated message once', () => {
    const transcript = new Transcript();
    expect(transcript.upsert(message())).to.exist;
    expect(transcript.upsert(message())).to.equal(undefined);
    expect(transcript.size).to.equal(1);
  });

  it('merges an echo of the agent’s own message by clientId, taking the channel’s id', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ id: 'pending:k1', clientId: 'k1', direction: 'outbound', status: 'pending', text: 'Hi' }));
    transcript.upsert(message({ id: 'mid.123', clientId: 'k1', direction: 'outbound', status: 'sent', text: 'Hi' }));
    expect(ids(transcript)).to.deep.equal(['mid.123']);
    expect(transcript.get('pending:k1')).to.equal(undefined);
    expect(transcript.getByClientId('k1')?.status).to.equal('sent');
  });

  it('moves a message when a repeat corrects its time', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ id: 'a', sentAt: at(1) }));
    transcript.upsert(message({ id: 'b', sentAt: at(2) }));
    transcript.upsert(message({ id: 'a', sentAt: at(3) }));
    expect(ids(transcript)).to.deep.equal(['b', 'a']);
  });

  it('never moves a status backwards', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ id: 'm', direction: 'outbound', status: 'sent' }));
    transcript.applyStatus({ conversationId: 'c1', messageId: 'm', status: 'read' });
    expect(transcript.applyStatus({ conversationId: 'c1', messageId: 'm', status: 'delivered' })).to.equal(undefined);
    expect(transcript.upsert(message({ id: 'm', direction: 'outbound', status: 'sent' }))).to.equal(undefined);
    expect(transcript.get('m')?.status).to.equal('read');
  });

  it('keeps a status that arrives before its message', () => {
    const transcript = new Transcript();
    transcript.applyStatus({ conversationId: 'c1', messageId: 'm', status: 'delivered' });
    transcript.upsert(message({ id: 'm', direction: 'outbound', status: 'sent' }));
    expect(transcript.get('m')?.status).to.equal('delivered');
  });

  it('records why a message failed and forgets it on a late success', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ id: 'm', clientId: 'k', direction: 'outbound', status: 'pending' }));
    transcript.applyStatus({ conversationId: 'c1', clientId: 'k', status: 'failed', error: 'Window closed' });
    expect(transcript.get('m')).to.include({ status: 'failed', error: 'Window closed' });
    transcript.applyStatus({ conversationId: 'c1', messageId: 'm', status: 'delivered' });
    expect(transcript.get('m')).to.include({ status: 'delivered' }).and.not.to.have.property('error');
  });

  it('puts a failed message back to pending for a retry, and only a failed one', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ id: 'm', clientId: 'k', direction: 'outbound', status: 'failed' }));
    expect(transcript.retry('k')?.status).to.equal('pending');
    expect(transcript.retry('k')).to.equal(undefined);
  });

  it('replaces messages rather than changing them, and counts versions', () => {
    const transcript = new Transcript();
    const stored = transcript.upsert(message({ id: 'm', direction: 'outbound', status: 'sent' }))!;
    const version = transcript.version;
    const list = transcript.messages;
    transcript.applyStatus({ conversationId: 'c1', messageId: 'm', status: 'read' });
    expect(stored.status).to.equal('sent');
    expect(transcript.get('m')).not.to.equal(stored);
    expect(transcript.version).to.be.greaterThan(version);
    expect(transcript.messages).not.to.equal(list);
    expect(Object.isFrozen(transcript.messages)).to.equal(true);
  });

  it('folds a pending send, its echo without clientId, and the send result into one message', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ id: 'pending:k', clientId: 'k', direction: 'outbound', status: 'pending', sentAt: at(1) }));
    transcript.upsert(message({ id: 'mid.1', direction: 'outbound', sentAt: at(1) }));
    expect(transcript.size).to.equal(2); // nothing yet ties the echo to the send
    transcript.upsert(message({ id: 'mid.1', clientId: 'k', direction: 'outbound', status: 'sent', sentAt: at(1) }));
    expect(transcript.messages.map((m) => [m.id, m.status])).to.deep.equal([['mid.1', 'sent']]);
    expect(transcript.getByClientId('k')?.id).to.equal('mid.1');
    expect(transcript.remove('mid.1')).to.equal(true);
    expect([transcript.size, transcript.get('pending:k'), transcript.getByClientId('k')]).to.deep.equal([0, undefined, undefined]);
  });

  it('refuses a message without a valid time rather than misplacing it', () => {
    expect(() => new Transcript().upsert(message({ sentAt: 'soon' }))).to.throw(RangeError, 'no valid sentAt');
  });

  it('does not let an early status undo the message’s own later status', () => {
    const transcript = new Transcript();
    transcript.applyStatus({ conversationId: 'c1', messageId: 'm', status: 'delivered' });
    transcript.upsert(message({ id: 'm', direction: 'outbound', status: 'read' }));
    expect(transcript.get('m')?.status).to.equal('read');
  });

  it('removes a cancelled message', () => {
    const transcript = new Transcript();
    transcript.upsert(message({ id: 'm', clientId: 'k' }));
    expect(transcript.remove('m')).to.equal(true);
    expect(transcript.size).to.equal(0);
    expect(transcript.getByClientId('k')).to.equal(undefined);
  });
});

describe('statusMovesForward', () => {
  it('follows pending → sent → delivered → read, with failed only before delivery', () => {
    expect(statusMovesForward(undefined, 'pending')).to.equal(true);
    expect(statusMovesForward('pending', 'sent')).to.equal(true);
    expect(statusMovesForward('sent', 'read')).to.equal(true);
    expect(statusMovesForward('read', 'delivered')).to.equal(false);
    expect(statusMovesForward('sent', 'sent')).to.equal(false);
    expect(statusMovesForward('sent', 'failed')).to.equal(true);
    expect(statusMovesForward('delivered', 'failed')).to.equal(false);
    expect(statusMovesForward('failed', 'sent')).to.equal(true);
    expect(statusMovesForward('failed', 'pending')).to.equal(false);
  });
});

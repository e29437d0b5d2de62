import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { type Message, SendOnce } from '../../src/adapters/index.js';
import { rejection } from '../fixtures.js';

/** A send the test settles by hand. */
function deferred() {
  let resolve!: (message: Message) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<Message>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

const sent = (clientId: string): Message => ({ id: `m-${clientId}`, conversationId: 'c1', clientId, direction: 'outbound', sentAt: '2026-03-01T09:30:00Z', status: 'sent' });

describe('SendOnce', () => {
  it('sends a clientId once while it is in flight and after it succeeded', async () => {
    const sends = new SendOnce();
    const pending = deferred();
    const start = sinon.stub().returns(pending.promise);
    const first = sends.send('a', start);
    const again = sends.send('a', start);
    expect(again).to.equal(first);
    pending.resolve(sent('a'));
    expect(await first).to.deep.equal(sent('a'));
    expect(await sends.send('a', start)).to.deep.equal(sent('a'));
    expect(start.callCount).to.equal(1);
  });

  it('keeps clientIds apart', async () => {
    const sends = new SendOnce();
    const [a, b] = await Promise.all([sends.send('a', async () => sent('a')), sends.send('b', async () => sent('b'))]);
    expect([a.clientId, b.clientId]).to.deep.equal(['a', 'b']);
  });

  it('sends anew after a failure, and every caller of the failed send sees the failure', async () => {
    const sends = new SendOnce();
    const failing = deferred();
    const first = sends.send('a', () => failing.promise);
    const joined = sends.send('a', () => Promise.resolve(sent('never')));
    failing.reject(new Error('The channel refused it.'));
    expect((await rejection(first)).message).to.equal('The channel refused it.');
    expect((await rejection(joined)).message).to.equal('The channel refused it.');
    expect(await sends.send('a', async () => sent('a'))).to.deep.equal(sent('a'));
  });

  it('turns a start that throws into a failed send that can be retried', async () => {
    const sends = new SendOnce();
    const failed = sends.send('a', () => {
      throw new Error('No connection.');
    });
    expect((await rejection(failed)).message).to.equal('No connection.');
    expect(await sends.send('a', async () => sent('a'))).to.deep.equal(sent('a'));
  });

  it('forgets a successful send after forgetAfter, when the backend remembers clientIds', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const sends = new SendOnce({ forgetAfter: 60_000 });
      const start = sinon.stub().callsFake(async () => sent('a'));
      await sends.send('a', start);
      await clock.tickAsync(59_000);
      await sends.send('a', start);
      expect(start.callCount, 'remembered within the minute').to.equal(1);
      await clock.tickAsync(1000);
      await sends.send('a', start);
      expect(start.callCount, 'sent again after it').to.equal(2);
    } finally {
      clock.restore();
    }
  });
});

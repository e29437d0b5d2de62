import { expect } from '@open-wc/testing';
import { TabSync } from '../../src/core/tab-sync.js';
import { until } from '../fixtures.js';

describe('TabSync', () => {
  it('tells the other tabs of the same console which requests were answered', async () => {
    const heard: string[][] = [];
    const here = new TabSync('facebook:agent-7', () => heard.push(['here']));
    const there = new TabSync('facebook:agent-7', (id, outcome) => heard.push([id, outcome]));
    const elsewhere = new TabSync('facebook:agent-8', (id) => heard.push(['agent-8', id]));
    const colleague = new TabSync('facebook:agent-8', () => {});
    try {
      here.answered('r1', 'accepted');
      // Then an answer from a tab of agent 8: once it is heard, r1 would have been too.
      colleague.answered('r8', 'declined-by-agent');
      await until(() => heard.length > 1, 'both answers to be heard');
      expect(heard).to.have.deep.members([['r1', 'accepted'], ['agent-8', 'r8']]);
    } finally {
      [here, there, elsewhere, colleague].forEach((sync) => sync.close());
    }
  });

  it('ignores messages that are not answers', async () => {
    const heard: unknown[] = [];
    const sync = new TabSync('facebook:strict', (...args) => heard.push(args));
    const stranger = new BroadcastChannel('agent-console:facebook:strict');
    for (const data of [null, 'r1', { requestId: 1, outcome: 'accepted' }, { requestId: 'r1', outcome: 'withdrawn' }]) stranger.postMessage(data);
    // Messages from one sender arrive in order: once this answer is heard, the others were passed over.
    stranger.postMessage({ requestId: 'r2', outcome: 'accepted' });
    await until(() => heard.length, 'the valid answer');
    expect(heard).to.deep.equal([['r2', 'accepted']]);
    stranger.close();
    sync.close();
  });

  it('makes one tab the leader, and the next one when it closes', async () => {
    const first = new TabSync('mock:leader', () => {});
    const second = new TabSync('mock:leader', () => {});
    first.lead();
    await until(() => first.leader, 'the first tab to lead');
    second.lead();
    await until(async () => (await navigator.locks.query()).pending?.some((lock) => lock.name === 'agent-console:mock:leader:leader'), 'the second tab to wait for the lock');
    expect(second.leader).to.equal(false);
    first.close();
    await until(() => second.leader, 'the second tab to lead');
    expect(first.leader).to.equal(false);
    second.close();
  });
});

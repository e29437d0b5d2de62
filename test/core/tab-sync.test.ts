import { expect } from '@open-wc/testing';
import { TabSync } from '../../src/core/tab-sync.js';
import { until } from '../fixtures.js';

describe('TabSync', () => {
  it('tells the other tabs of the same console which requests were answered', async () => {
    const heard: string[][] = [];
    const here = new TabSync('facebook:agent-7', () => heard.push(['here']));
    const there = new TabSync('facebook:agent-7', (id, outcome) => heard.push([id, outcome]));
    const elsewhere = new TabSync('facebook:agent-8', (id) => heard.push(['agent-8', id]));
    try {
      here.answered('r1', 'accepted');
      await until(() => heard.length > 0, 'the other tab to hear of it', 1000);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(heard).to.deep.equal([['r1', 'accepted']]);
    } finally {
      [here, there, elsewhere].forEach((sync) => sync.close());
    }
  });

  it('ignores messages that are not answers', async () => {
    const heard: unknown[] = [];
    const sync = new TabSync('facebook:strict', (...args) => heard.push(args));
    const stranger = new BroadcastChannel('agent-console:facebook:strict');
    for (const data of [null, 'r1', { requestId: 1, outcome: 'accepted' }, { requestId: 'r1', outcome: 'withdrawn' }]) stranger.postMessage(data);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).to.deep.equal([]);
    stranger.close();
    sync.close();
  });

  it('makes one tab the leader, and the next one when it closes', async () => {
    const first = new TabSync('mock:leader', () => {});
    const second = new TabSync('mock:leader', () => {});
    first.lead();
    await until(() => first.leader, 'the first tab to lead', 1000);
    second.lead();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(second.leader).to.equal(false);
    first.close();
    await until(() => second.leader, 'the second tab to lead', 1000);
    expect(first.leader).to.equal(false);
    second.close();
  });
});

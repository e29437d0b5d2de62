import { expect } from '@open-wc/testing';
import { h, render } from 'preact';
import sinon from 'sinon';
import { MockChannelAdapter } from '../src/adapters/mock-adapter.js';
import '../src/console.js';
import type { RequestAnswerDetail } from '../src/index.js';
import { getShownByRole, queryAllShownByRole, until } from './fixtures.js';

describe('<agent-console> in Preact', () => {
  let host: HTMLElement;
  let adapter: MockChannelAdapter;

  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
    adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
  });

  afterEach(async () => {
    render(null, host);
    host.remove();
    await adapter.dispose();
  });

  it('takes the adapter as a property, attributes, and onagent-accept as a listener, as agent-console/jsx-preact types them', async () => {
    const onAccept = sinon.spy<(event: CustomEvent<RequestAnswerDetail>) => void>(() => {});
    render(h('agent-console', { adapter, 'max-sessions': 1, 'toast-position': 'top-start', sound: true, 'sync-key': 'preact-test', 'onagent-accept': onAccept }), host);
    const el = host.querySelector('agent-console')!;
    await until(() => el.core?.connection.state === 'open', 'the connection');
    expect(el.adapter).to.equal(adapter);
    expect(el.maxSessions).to.equal(1);
    expect(el.toastPosition).to.equal('top-start');
    expect(el.sound).to.equal(true);

    const request = adapter.request({ customer: { name: 'Ana Hansen' } });
    const toast = await until(() => queryAllShownByRole(el, 'group', 'Incoming Messenger conversation from Ana Hansen')[0], 'the toast');
    getShownByRole(toast, 'button', 'Accept').click();
    await until(() => onAccept.called, 'onagent-accept');
    expect(onAccept.firstCall.args[0].detail).to.deep.equal({ requestId: request.id, outcome: 'accepted' });
  });
});

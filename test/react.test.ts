import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createElement as h, Fragment, StrictMode, useState, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import sinon from 'sinon';
import { MockChannelAdapter } from '../src/adapters/mock-adapter.js';
import type { AgentConsole as AgentConsoleElement } from '../src/components/agent-console/console.component.js';
import type { RequestAnswerDetail, SendDetail } from '../src/index.js';
import { AgentConsole, AgentErrorBanner } from '../src/react.js';
import { getShownByRole, queryAllShownByRole, until } from './fixtures.js';

const toastFrom = (root: ParentNode, customer: string) => queryAllShownByRole(root, 'group', `Incoming Messenger conversation from ${customer}`)[0];

describe('agent-console/react in React 19', () => {
  let host: HTMLElement;
  let root: Root;
  let adapter: MockChannelAdapter;

  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
    root = createRoot(host);
    adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
  });

  afterEach(async () => {
    root.unmount();
    host.remove();
    await adapter.dispose();
  });

  function render(app: ReactNode) {
    root.render(h(StrictMode, null, app));
  }

  async function connected() {
    const el = await until(() => host.querySelector('agent-console'), 'the console');
    await until(() => el.core?.connection.state === 'open', 'the connection');
    return el;
  }

  /** A request arrives and the agent presses Accept on its toast. */
  async function acceptRequest(el: AgentConsoleElement, customer: string) {
    const request = adapter.request({ customer: { name: customer }, preview: 'Where is my parcel?' });
    const toast = await until(() => toastFrom(el, customer), `the toast from ${customer}`);
    getShownByRole(toast, 'button', 'Accept').click();
    return request;
  }

  it('<AgentConsole>: Accept calls onAgentAccept with the request, React state follows, and sending calls onAgentSend', async () => {
    const onAccept = sinon.spy<(event: CustomEvent<RequestAnswerDetail>) => void>(() => {});
    const onSend = sinon.spy<(event: CustomEvent<SendDetail>) => void>(() => {});
    function Desk() {
      const [accepted, setAccepted] = useState<string[]>([]);
      return h(
        Fragment,
        null,
        h(AgentConsole, {
          adapter,
          maxSessions: 2,
          toastPosition: 'bottom-start',
          syncKey: 'react-test',
          onAgentAccept: (event) => {
            onAccept(event);
            setAccepted((ids) => [...ids, event.detail.requestId]);
          },
          onAgentSend: onSend,
        }),
        h('p', { role: 'status' }, `Accepted today: ${accepted.length}`),
      );
    }
    render(h(Desk));
    const el = await connected();
    expect(el.maxSessions).to.equal(2);
    expect(el.toastPosition).to.equal('bottom-start');

    const request = await acceptRequest(el, 'Ana Hansen');
    await until(() => onAccept.called, 'onAgentAccept');
    const [event] = onAccept.firstCall.args;
    expect(event.type).to.equal('agent-accept');
    expect(event.detail).to.deep.equal({ requestId: request.id, outcome: 'accepted' });
    await until(() => queryAllShownByRole(host, 'status', 'Accepted today: 1').length, 'the page’s own count');

    const textbox = await until(() => queryAllShownByRole(el, 'textbox', 'Type a message')[0], 'the session');
    textbox.focus();
    await sendKeys({ type: 'It left our warehouse today.' });
    await sendKeys({ press: 'Enter' });
    await until(() => adapter.sentMessages.some((message) => message.text === 'It left our warehouse today.'), 'the reply');
    expect(onSend.calledOnce).to.equal(true);
    expect(onSend.firstCall.args[0].detail).to.deep.equal({ conversationId: el.selectedConversationId, text: 'It left our warehouse today.' });
  });

  it('<AgentConsole>: onAgentSend can stop a message, and onAgentReject hears Reject', async () => {
    const onReject = sinon.spy<(event: CustomEvent<RequestAnswerDetail>) => void>(() => {});
    const onSend = sinon.spy((event: CustomEvent<SendDetail>) => {
      if (/\b\d{16}\b/.test(event.detail.text)) event.preventDefault();
    });
    render(h(AgentConsole, { adapter, syncKey: 'react-test', onAgentSend: onSend, onAgentReject: onReject }));
    const el = await connected();
    await acceptRequest(el, 'Bo Jensen');
    const textbox = (await until(() => queryAllShownByRole(el, 'textbox', 'Type a message')[0], 'the session')) as HTMLTextAreaElement;
    textbox.focus();
    await sendKeys({ type: 'Card 4111111111111111' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(onSend.calledOnce).to.equal(true);
    expect(adapter.sentMessages).to.have.length(0);
    expect(textbox.value).to.equal('Card 4111111111111111');

    const request = adapter.request({ customer: { name: 'Chi Nguyen' } });
    const toast = await until(() => toastFrom(el, 'Chi Nguyen'), 'the second toast');
    getShownByRole(toast, 'button', 'Reject').click();
    await until(() => onReject.called, 'onAgentReject');
    expect(onReject.firstCall.args[0].detail).to.deep.equal({ requestId: request.id, outcome: 'declined-by-agent' });
  });

  it('<AgentErrorBanner>: onAgentDismiss hears Dismiss and can keep the banner', async () => {
    const onDismiss = sinon.spy((event: CustomEvent<undefined>) => event.preventDefault());
    render(h(AgentErrorBanner, { message: 'The relay is down.', dismissible: true, onAgentDismiss: onDismiss }));
    const banner = await until(() => queryAllShownByRole(host, 'alert')[0], 'the banner');
    expect(banner.shadowRoot!.textContent).to.contain('The relay is down.');
    getShownByRole(banner, 'button', 'Dismiss').click();
    expect(onDismiss.calledOnce).to.equal(true);
    expect(banner.hidden).to.equal(false);
  });

  it('plain <agent-console> in React 19: adapter as a property, attributes, and onagent-accept as a listener', async () => {
    const onAccept = sinon.spy<(event: CustomEvent<RequestAnswerDetail>) => void>(() => {});
    render(h('agent-console', { adapter, 'max-sessions': 1, 'toast-position': 'top-start', 'sync-key': 'react-test', 'onagent-accept': onAccept }));
    const el = await connected();
    expect(el.adapter).to.equal(adapter);
    expect(el.maxSessions).to.equal(1);
    expect(el.toastPosition).to.equal('top-start');

    const request = await acceptRequest(el, 'Dan Olsen');
    await until(() => onAccept.called, 'onagent-accept');
    expect(onAccept.firstCall.args[0].detail).to.deep.equal({ requestId: request.id, outcome: 'accepted' });
  });
});

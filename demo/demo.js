// A plain CRM page driving the console core on the mock adapter. Customer
// content is only ever set as text.
import { ConsoleCore, translationFor } from '../dist/index.js';
import { MockChannelAdapter } from '../dist/adapters/index.js';

const adapter = new MockChannelAdapter({ autoplay: { requestEvery: 15000 }, failureRate: 0.1, seed: Date.now() });
const core = new ConsoleCore(adapter);
const $ = (id) => document.getElementById(id);
let selected;

const lang = () => document.documentElement.lang || 'en';
const button = (label, onClick) => {
  const el = document.createElement('button');
  el.type = 'button';
  el.textContent = label;
  el.addEventListener('click', onClick);
  return el;
};
const item = (text, ...controls) => {
  const li = document.createElement('li');
  const span = document.createElement('span');
  span.textContent = text;
  li.append(span, ...controls);
  return li;
};

function render() {
  const t = translationFor(lang());
  const { state, error } = core.connection;
  $('connection').textContent = `Connection: ${state}${error ? ` (${error})` : ''}`;
  $('requests').replaceChildren(
    ...core.requests.pending.map((r) =>
      item(
        `${r.customer.name}: ${r.preview ?? ''}`,
        button(t.accept, () => core.accept(r.id).then((s) => ((selected = s.id), render())).catch(log)),
        button(t.reject, () => core.reject(r.id).catch(log)),
      ),
    ),
  );
  $('sessions').replaceChildren(
    ...[...core.sessions.values()].map((s) =>
      item(
        `${s.conversation.customer.name}${s.unread ? ` (${s.unread})` : ''}${s.customerTyping ? ' …' : ''}${s.ended ? ' — ended' : ''}`,
        button('Open', () => ((selected = s.id), core.markRead(s.id), render())),
        s.ended ? button('Close', () => core.close(s.id)) : button(t.endConversation, () => core.end(s.id).catch(log)),
      ),
    ),
  );
  Object.assign($('pane'), { core, conversationId: selected ?? '' });
}

function log(entry) {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${entry.message ?? entry}`;
  $('log').prepend(li);
}

core.addEventListener('change', render);
core.addEventListener('agent-error', (event) => log(event.detail));
$('language').addEventListener('change', (event) => {
  document.documentElement.lang = event.target.value;
  render();
});

const activeConversation = () => selected ?? [...core.sessions.keys()][0];
$('controls').addEventListener('click', (event) => {
  const action = event.target.closest('button')?.dataset.action;
  const id = activeConversation();
  try {
    if (action === 'request') adapter.request();
    else if (action === 'withdraw') adapter.withdraw(core.requests.pending[0]?.id);
    else if (action === 'drop') adapter.dropConnection(4000);
    else if (action === 'malformed') adapter.emitRaw('message', { id: 'x', conversationId: id, direction: 'sideways' });
    else if (!id) log('Accept a request first.');
    else if (action === 'text') adapter.receive(id, 'Hello? <img src=x onerror=alert(1)> is anyone there?');
    else adapter.receiveSample(id, action);
  } catch (error) {
    log(error);
  }
});

core.start().then(() => adapter.request());
render();

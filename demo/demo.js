// A mock CRM page that embeds <agent-console> on the mock channel adapter.
// Query options: ?latency=0 makes the mock answer at once, ?autoplay=0 stops
// it from playing customers by itself (both used by the tests).
import '../dist/index.js';
import { MockChannelAdapter } from '../dist/adapters/index.js';

const params = new URLSearchParams(location.search);
const options = { autoplay: { requestEvery: 20000 }, seed: Date.now() };
const latency = Number(params.get('latency') ?? Number.NaN);
if (Number.isFinite(latency) && latency >= 0) options.latency = latency;
if (params.get('autoplay') === '0') options.autoplay = false;

const adapter = new MockChannelAdapter(options);
const consoleEl = document.querySelector('agent-console');

// —— Activity log: text only ——

const activity = document.getElementById('activity');
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function log(text, kind = 'info') {
  const item = document.createElement('li');
  item.className = kind;
  const time = document.createElement('time');
  time.dateTime = new Date().toISOString();
  time.textContent = timeFormat.format(new Date());
  const message = document.createElement('span');
  message.textContent = text;
  item.append(time, message);
  activity.prepend(item);
  while (activity.children.length > 50) activity.lastElementChild.remove();
}

// Every request, whoever made it (the controls below or the mock playing by
// itself), and the agent's answer (a failed Accept is logged as an error below).
const requestNames = new Map();
adapter.addEventListener('conversation-request', (event) => {
  const { id, customer, preview } = event.detail;
  requestNames.set(id, customer.name);
  log(`Request from ${customer.name}${preview ? `: “${preview}”` : '.'}`);
});
adapter.addEventListener('conversation-request-withdrawn', (event) => {
  log(`${requestNames.get(event.detail.requestId) ?? 'A customer'} withdrew their request${event.detail.reason ? `: ${event.detail.reason}` : '.'}`);
});
const answers = { 'agent-accept': 'Accept', 'agent-reject': 'Reject', 'agent-timeout': 'Not answered in time' };
for (const [type, says] of Object.entries(answers)) {
  consoleEl.addEventListener(type, (event) => log(`${says}: the request from ${requestNames.get(event.detail.requestId) ?? 'a customer'}.`));
}

consoleEl.addEventListener('agent-privacy-acknowledge', (event) => {
  const { acknowledgedAt, text, lang } = event.detail;
  log(`Privacy notice acknowledged at ${timeFormat.format(new Date(acknowledgedAt))} (${lang}): “${text}”`);
});

consoleEl.addEventListener('agent-error', (event) => {
  const { code, message, field } = event.detail;
  log(`Error ${code}: ${message}${field ? ` (field: ${field})` : ''}`, 'error');
});

// —— Demo controls ——

/**
 * The conversation the buttons act on: the open session shown in the console,
 * else the most recently opened one that has not ended.
 */
function currentConversation() {
  const sessions = [...(consoleEl.core?.sessions.values() ?? [])].filter((session) => !session.ended);
  return sessions.find((session) => session.id === consoleEl.selectedConversationId) ?? sessions.at(-1);
}

const hostileText = 'Hello? <img src=x onerror=alert(1)> is anyone there?';

/** Situations that need no conversation. */
const actions = {
  request() {
    adapter.request();
  },
  withdraw() {
    const pending = consoleEl.core?.requests.pending[0];
    if (pending) {
      adapter.withdraw(pending.id);
      return;
    }
    // Nothing to withdraw: ask first, so the toast is seen before it goes.
    const request = adapter.request();
    log(`${request.customer.name} will withdraw it in 2 seconds.`);
    setTimeout(() => adapter.withdraw(request.id), 2000);
  },
  window() {
    const request = adapter.request({
      // The reply window ends 24 hours after the customer wrote: 90 seconds from now.
      createdAt: new Date(Date.now() - 24 * 3600_000 + 90_000).toISOString(),
      preview: 'I wrote yesterday and never heard back',
    });
    log(`${request.customer.name} wrote yesterday: accept it to watch the reply window close in 90 seconds.`);
  },
  drop() {
    adapter.dropConnection(6000);
    log('The connection drops for 6 seconds.');
  },
  malformed() {
    const conversationId = currentConversation()?.id ?? 'mock-conversation-0';
    adapter.emitRaw('message', { id: 'x', conversationId, direction: 'sideways' });
    log('The adapter sent a malformed message event.');
  },
};

/** Situations in the conversation shown, and what the log says about them. */
const conversationActions = {
  text: { run: (id) => adapter.receive(id, hostileText), says: 'sent a message with markup in it.' },
  image: { run: (id) => adapter.receiveSample(id, 'image'), says: 'sent an image with a numeric name.' },
  pdf: { run: (id) => adapter.receiveSample(id, 'pdf'), says: 'sent a PDF.' },
  sticker: { run: (id) => adapter.receiveSample(id, 'sticker'), says: 'sent a sticker.' },
  end: { run: (id) => adapter.endByCustomer(id, 'The customer closed Messenger.'), says: 'ended the conversation.' },
};

document.getElementById('controls').addEventListener('click', (event) => {
  const action = event.target.closest('button[data-action]')?.dataset.action;
  try {
    if (Object.hasOwn(actions, action)) {
      actions[action]();
    } else if (Object.hasOwn(conversationActions, action)) {
      const session = currentConversation();
      if (!session) {
        log('Accept a request first.');
        return;
      }
      conversationActions[action].run(session.id);
      log(`${session.conversation.customer.name} ${conversationActions[action].says}`);
    }
  } catch (error) {
    log(error instanceof Error ? error.message : String(error), 'error');
  }
});

// —— Language and theme ——

const language = document.getElementById('language');
language.value = document.documentElement.lang || 'en';
language.addEventListener('change', () => {
  // The console's elements follow the nearest lang attribute and load Danish and Vietnamese on demand.
  document.documentElement.lang = language.value;
});

const theme = document.getElementById('theme');
const prefersDark = matchMedia('(prefers-color-scheme: dark)');
let themeChosen = false;
const applyTheme = (value) => {
  theme.value = value;
  document.documentElement.dataset.theme = value;
  // The console's dark colours come from the package's themes/dark.css.
  document.documentElement.classList.toggle('agent-theme-dark', value === 'dark');
};
applyTheme(prefersDark.matches ? 'dark' : 'light');
prefersDark.addEventListener('change', () => {
  if (!themeChosen) applyTheme(prefersDark.matches ? 'dark' : 'light');
});
theme.addEventListener('change', () => {
  themeChosen = true;
  applyTheme(theme.value);
});

// —— Start ——

consoleEl.adapter = adapter;
// Something to answer at once, rather than after the mock's first pause.
if (options.autoplay) actions.request();

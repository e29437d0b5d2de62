import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { MockChannelAdapter } from '../src/adapters/mock-adapter.js';
import type { AgentConsole } from '../src/components/agent-console/console.component.js';
import { getShownByRole, openFrame, queryAllShownByRole, transcriptText, until } from './fixtures.js';

// test/pages/plain.html uses dist/bundle.js with one plain <script type="module">
// and no import map, as a page without a bundler would. With `?csp=strict` the
// test server sends it with the policy of a locked-down CRM (see
// web-test-runner.config.mjs): no inline styles, Trusted Types for every HTML
// sink, scripts and everything else from the page's own origin only.

type PageWindow = Window & typeof globalThis & { violations: string[]; adapter: MockChannelAdapter };

async function openPage(query = '') {
  const { frame, win: opened } = await openFrame(`/test/pages/plain.html${query}`, 1000, 700);
  const win = opened as PageWindow;
  const el = win.document.querySelector('agent-console') as AgentConsole;
  await until(() => win.adapter && el.core?.connection.state === 'open', 'the console to connect');
  return { frame, win, el };
}

/** The whole story on the page: notice, request, Accept, text both ways with links and formatting, files, an unsupported sticker. */
async function runStory(win: PageWindow, el: AgentConsole) {
  getShownByRole(el, 'button', 'I understand').click();
  const { customer } = win.adapter.request({ customer: { name: 'Ana Hansen' }, preview: 'My *parcel* is late: https://track.example/4471' });
  await until(() => queryAllShownByRole(el, 'group', `Incoming Messenger conversation from ${customer.name}`).length, 'the toast');
  getShownByRole(el, 'button', 'Accept').click();
  const box = await until(() => queryAllShownByRole(el, 'textbox', 'Type a message')[0] as HTMLTextAreaElement | undefined, 'the session');
  const conversationId = el.selectedConversationId;
  box.focus();
  await sendKeys({ type: 'Sorry about that, _checking now_.' });
  await sendKeys({ press: 'Enter' });
  win.adapter.receiveSample(conversationId, 'image');
  win.adapter.receiveSample(conversationId, 'pdf');
  win.adapter.receiveSample(conversationId, 'sticker');
  win.adapter.receive(conversationId, 'Thanks! <img src=x onerror=alert(1)> ~really~');
  await until(() => transcriptText(el).includes('Thanks!') && transcriptText(el).includes('Read'), 'the exchange');
  await until(() => queryAllShownByRole(el, 'alert').length, 'the unsupported-type banner');
  return conversationId;
}

describe('the single-file build on a plain page', () => {
  let frame: HTMLIFrameElement | undefined;
  afterEach(() => frame?.remove());

  it('runs from one module request, with no import map and no bare specifiers', async () => {
    const page = await openPage();
    frame = page.frame;
    expect(page.win.document.querySelector('script[type=importmap]')).to.equal(null);
    await runStory(page.win, page.el);
    const scripts = page.win.performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname)
      .filter((path) => path.endsWith('.js') && !path.startsWith('/__web-dev-server'));
    expect(scripts).to.deep.equal(['/test/pages/plain.js', '/dist/bundle.js']);
  });

  /** Runs the whole story on the page served with a strict policy; fails on any violation. */
  async function strictStory(query: string) {
    const { frame: opened, win, el } = await openPage(`?csp=strict${query}`);
    frame = opened;
    expect(win.violations, 'nothing refused while the console loaded and rendered').to.deep.equal([]);
    // The policy is in force: an inline style attribute and an HTML string are refused and reported.
    const probe = win.document.createElement('p');
    win.document.body.append(probe);
    let probes = 0;
    const refused = async () => {
      const before = win.violations.length;
      probe.setAttribute('style', `color: rgb(255, 0, 0); order: ${++probes}`);
      await until(() => win.violations.length > before, 'the probe to be refused');
      return win.violations.splice(before);
    };
    expect(await refused()).to.have.length(1);
    expect(win.getComputedStyle(probe).color).to.not.equal('rgb(255, 0, 0)');
    expect(() => (probe.innerHTML = '<b>x</b>'), 'Trusted Types are required').to.throw(/TrustedHTML/);
    await until(() => win.violations.length === 1, 'the refused HTML to be reported');
    win.violations.length = 0;

    const conversationId = await runStory(win, el);
    // Formatting and links went through DOMPurify and Lit's policies.
    const pane = el.shadowRoot!.querySelector('agent-conversation-pane')!;
    const transcript = pane.shadowRoot!.querySelector<HTMLElement>('[part=transcript]')!;
    await until(() => transcript.querySelector('a[href="https://track.example/4471"]') && transcript.querySelector('s'), 'links and formatting');
    expect(transcript.querySelector('img[src=x]')).to.equal(null);

    // The virtual list is laid out by CSSOM, not style attributes: the newest message is in view.
    const rows = [...transcript.querySelectorAll<HTMLElement>('[role=listitem]')];
    const newest = rows.find((row) => row.textContent!.includes('Thanks!'))!;
    const view = transcript.getBoundingClientRect();
    const box = newest.getBoundingClientRect();
    expect(box.bottom, 'the newest message is within the transcript').to.be.at.most(view.bottom + 1);
    expect(box.top).to.be.at.least(view.top - 1);
    expect(transcript.querySelector('.spacer')!.getBoundingClientRect().height).to.be.greaterThan(box.height);

    // Going away and coming back, ending and closing stay within the policy too.
    win.adapter.dropConnection(10);
    await until(() => el.core!.connection.state === 'open', 'the connection to come back');
    getShownByRole(el, 'button', 'End conversation').click();
    await until(() => el.core!.sessions.get(conversationId)?.ended, 'the session to end');
    // Reports arrive in order: once the probe's is in, any the console caused would be too.
    expect(await refused(), 'only the probe was refused').to.have.length(1);
    expect(win.violations).to.deep.equal([]);
  }

  it('works under a strict Content Security Policy with Trusted Types, without a single violation', () => strictStory(''));

  it('needs no policy name that a page running DOMPurify itself has taken', () =>
    strictStory(`&trusted-types=${encodeURIComponent('lit-html agent-console dompurify')}&page-policies=dompurify`));

  it('shares Lit’s policy name with the page’s own Lit where the policy allows duplicates', () =>
    strictStory(`&trusted-types=${encodeURIComponent("lit-html agent-console 'allow-duplicates'")}&page-policies=lit-html`));
});

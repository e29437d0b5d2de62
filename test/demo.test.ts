import { expect } from '@open-wc/testing';
import type { AgentConsole } from '../src/components/agent-console/console.component.js';
import { accessibleName, controlsUnderToasts, deepElements, getByRole, openFrame, queryAllByRole, until } from './fixtures.js';

// Drives demo/index.html as a person would, in an iframe. The demo loads the
// built package from dist/ (npm test builds before testing).

/** An element's text with its shadow root's. */
const textOf = (element: Element) => `${element.shadowRoot?.textContent ?? ''}${element.textContent ?? ''}`.replace(/\s+/g, ' ');

const hostileText = 'Hello? <img src=x onerror=alert(1)> is anyone there?';

describe('the demo page', () => {
  let frame: HTMLIFrameElement;

  afterEach(() => frame?.remove());

  it('runs the console on the mock adapter: requests, messages, errors, language and theme', async function () {
    this.timeout(60_000); // the page loads every unbundled module of the build
    const page = await openFrame('/demo/index.html?latency=0&autoplay=0', 1400, 900);
    ({ frame } = page);
    const { win, doc } = page;
    let alerted = false;
    win.alert = () => (alerted = true);

    const consoleEl = await until(() => doc.querySelector<AgentConsole>('agent-console'), 'the console');
    const core = await until(() => consoleEl.core?.connection.state === 'open' && consoleEl.core, 'the console to connect');
    const consoleRoot = consoleEl.shadowRoot!;
    const activity = doc.getElementById('activity')!;
    const click = (name: string) => getByRole(doc, 'button', name).click();

    // Controls
    const controls = doc.querySelector('fieldset')!;
    expect(controls.querySelector('legend')!.textContent).to.equal('Demo controls');
    click('Customer message');
    expect(activity.textContent).to.contain('Accept a request first.');

    // 1. A request arrives as a toast; accepting it opens the session and its message box.
    click('New request');
    const toast = await until(() => consoleRoot.querySelector('agent-toast-stack agent-request-toast'), 'a request toast');
    const accept = await until(() => queryAllByRole(toast.shadowRoot!, 'button', 'Accept')[0], 'the Accept button');
    accept.click();
    await until(() => core.sessions.size === 1, 'a session');
    const pane = await until(() => consoleRoot.querySelector('agent-conversation-pane'), 'the conversation pane');
    await until(() => pane.shadowRoot?.querySelector('textarea[aria-label="Type a message"]'), 'the message box');

    // 2. Customer text with markup in it stays text.
    click('Customer message');
    const transcript = pane.shadowRoot!.querySelector('[part="transcript"]')!;
    await until(() => transcript.textContent!.includes(hostileText), 'the customer message in the transcript');
    expect(transcript.querySelector('img')).to.equal(null);
    expect(alerted).to.equal(false);

    // 3. An unsupported sticker raises the error banner.
    click('Unsupported sticker');
    const banner = await until(
      () =>
        deepElements(pane.shadowRoot!).find(
          (element) =>
            element.getAttribute('role') === 'alert' &&
            element.checkVisibility() &&
            textOf(element).includes('Error: Customer sent an unsupported message type.'),
        ),
      'the unsupported-type alert',
    );
    expect(banner.hasAttribute('hidden')).to.equal(false);

    // A malformed adapter event is refused and reported in the activity log.
    click('Malformed adapter event');
    await until(() => activity.textContent!.includes('Error malformed-event'), 'the malformed event in the activity log');

    // 4. Danish loads on demand once the page's language changes.
    const language = doc.querySelector<HTMLSelectElement>('#language')!;
    expect(language.closest('label')!.textContent).to.contain('Language');
    language.value = 'da';
    language.dispatchEvent(new win.Event('change', { bubbles: true }));
    expect(doc.documentElement.lang).to.equal('da');
    await until(() => queryAllByRole(consoleRoot, 'button', 'Afslut samtale').length === 1, 'the Danish "End conversation" button', 2000);
    expect(getByRole(pane.shadowRoot!, 'textbox').getAttribute('aria-label')).to.equal('Skriv en besked');

    // Acknowledging the privacy notice is logged with the text shown.
    getByRole(consoleRoot, 'button', 'Jeg forstår').click();
    await until(() => activity.textContent!.includes('Privacy notice acknowledged'), 'the acknowledgement in the activity log');
    expect(activity.textContent).to.contain('(da)');
    expect(consoleEl.hasAttribute('privacy-acknowledged')).to.equal(true);

    // 5. The dark theme reaches the page and the console's shadow DOM; the console's is the package's themes/dark.css.
    const theme = doc.querySelector<HTMLSelectElement>('#theme')!;
    expect(theme.closest('label')!.textContent).to.contain('Theme');
    theme.value = 'dark';
    theme.dispatchEvent(new win.Event('change', { bubbles: true }));
    expect(doc.documentElement.dataset.theme).to.equal('dark');
    expect(doc.documentElement.classList.contains('agent-theme-dark')).to.equal(true);
    expect([...doc.styleSheets].some((sheet) => sheet.href?.endsWith('/themes/dark.css'))).to.equal(true);
    expect(win.getComputedStyle(doc.documentElement).colorScheme).to.contain('dark');
    const paneBackground = win.getComputedStyle(pane.shadowRoot!.querySelector('[part="base"]')!).backgroundColor;
    expect(paneBackground).to.equal(win.getComputedStyle(doc.querySelector('.card')!).backgroundColor);
    expect(paneBackground).not.to.equal('rgb(255, 255, 255)');
  });

  it('works 400 px wide: a request at once, logged, and toasts that cover none of the console’s controls', async function () {
    this.timeout(60_000);
    const page = await openFrame('/demo/index.html?latency=0', 400, 800);
    ({ frame } = page);
    const { doc } = page;
    const consoleEl = await until(() => doc.querySelector<AgentConsole>('agent-console'), 'the console');
    const consoleRoot = consoleEl.shadowRoot!;
    const activity = doc.getElementById('activity')!;

    // The first request is there without waiting for the mock's pace, and the log says who asked.
    const toast = await until(() => queryAllByRole(consoleRoot, 'group').find((group) => group.getAttribute('aria-label')!.startsWith('Incoming')), 'the first request');
    const customer = toast.getAttribute('aria-label')!.replace('Incoming Messenger conversation from ', '');
    await until(() => activity.textContent!.includes(`Request from ${customer}`), 'the request in the activity log');
    expect(doc.documentElement.scrollWidth, 'nothing wider than the screen').to.be.at.most(400);

    expect(controlsUnderToasts(consoleRoot), 'the privacy notice’s button is clear of the toast').to.deep.equal([]);
    getByRole(consoleRoot, 'button', 'I understand').click();
    getByRole(toast, 'button', 'Accept').click();
    await until(() => queryAllByRole(consoleRoot, 'button', 'End conversation').length, 'the session');
    for (let i = 0; i < 3; i++) getByRole(doc, 'button', 'New request').click();
    await until(() => queryAllByRole(consoleRoot, 'group').filter((group) => group.checkVisibility()).length === 3, 'three more requests');
    expect(controlsUnderToasts(consoleRoot), 'End conversation and the composer are clear of the toasts').to.deep.equal([]);
    // However many toasts wait, the session keeps room to read and write.
    const session = consoleRoot.querySelector('[part=session]')!.getBoundingClientRect();
    const pane = consoleRoot.querySelector('agent-conversation-pane')!.shadowRoot!;
    for (const control of [getByRole(pane, 'textbox', 'Type a message'), getByRole(pane, 'button', 'Send')]) {
      const box = control.getBoundingClientRect();
      expect(box.top >= session.top && box.bottom <= session.bottom, `${accessibleName(control)} inside the session`).to.equal(true);
    }
    expect(pane.querySelector('[part=transcript]')!.getBoundingClientRect().height, 'room for the transcript').to.be.above(100);
    expect(activity.textContent).to.contain(`Accept: the request from ${customer}.`);
  });
});

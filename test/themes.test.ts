import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { MockChannelAdapter } from '../src/adapters/mock-adapter.js';
import type { AgentConsole } from '../src/components/agent-console/console.component.js';
import '../src/console.js';
import '../src/error-banner.js';
import { getShownByRole, queryAllShownByRole, transcriptText, until } from './fixtures.js';

// The shipped theme, as a page links it (the test server serves the repository root).
async function linkDarkTheme(): Promise<HTMLLinkElement> {
  const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/themes/dark.css' });
  const loaded = new Promise((resolve, reject) => {
    link.addEventListener('load', resolve, { once: true });
    link.addEventListener('error', () => reject(new Error('themes/dark.css did not load')), { once: true });
  });
  document.head.append(link);
  await loaded;
  return link;
}

const inShadow = (host: Element, selector: string) => host.shadowRoot!.querySelector(selector)!;
const background = (element: Element) => getComputedStyle(element).backgroundColor;
const paneOf = (el: AgentConsole) => inShadow(el, 'agent-conversation-pane');

describe('themes/dark.css', () => {
  let link: HTMLLinkElement;
  let adapters: MockChannelAdapter[] = [];

  // Toasts slide in unless motion is reduced; axe would measure half-faded text.
  before(async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    link = await linkDarkTheme();
  });
  after(async () => {
    link.remove();
    await emulateMedia({ reducedMotion: 'no-preference', colorScheme: 'light' });
  });
  afterEach(async () => {
    await Promise.all(adapters.map((adapter) => adapter.dispose()));
    adapters = [];
  });

  async function consoleIn(themeClass: string) {
    const adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
    adapters.push(adapter);
    const el = document.createElement('agent-console');
    el.setAttribute('sync-key', 'themes-test'); // tabs of this file only: other test pages run beside it
    el.adapter = adapter;
    await fixture(html`<div class=${themeClass}>${el}</div>`);
    await until(() => el.core?.connection.state === 'open', 'the connection');
    return { el, adapter };
  }

  it('keeps every text readable (axe, colour contrast included) with a toast, messages both ways, the error banner and the connection bar', async function () {
    this.timeout(60_000); // axe on the whole console, four times over: a bound for a busy machine
    const { el, adapter } = await consoleIn('agent-theme-dark');

    // An open session with messages both ways.
    adapter.request({ customer: { name: 'Ana Hansen' }, preview: 'Where is my parcel?' });
    const accept = await until(() => queryAllShownByRole(el, 'button', 'Accept')[0], 'the toast');
    accept.click();
    const session = await until(() => el.core!.sessions.values().next().value, 'the session');
    await until(() => transcriptText(el).includes('Where is my parcel?'), 'the customer message');
    el.core!.send(session.id, { text: 'It left our warehouse today.' });
    await until(() => adapter.sentMessages.length === 1 && transcriptText(el).includes('It left our warehouse today.'), 'the agent reply');
    await expect(el).to.be.accessible();

    // The error banner, for a sticker the console cannot show.
    adapter.receiveSample(session.id, 'sticker');
    const banner = await until(
      () => paneOf(el).shadowRoot!.querySelector('agent-error-banner:not([hidden])'),
      'the unsupported-message banner',
    );
    await expect(el).to.be.accessible();

    // A pending request's toast over the session.
    adapter.request({ customer: { name: 'Mads Jensen' }, preview: 'Can I change the address?' });
    const toast = await until(() => queryAllShownByRole(el, 'group', 'Incoming Messenger conversation from Mads Jensen')[0], 'the second toast');
    await expect(el).to.be.accessible();

    // The connection bar, while the connection is down.
    adapter.dropConnection(60_000);
    const bar = await until(() => (inShadow(el, '[part=connection] [role=status]').textContent!.startsWith('Connection lost.') ? inShadow(el, '[part=connection]') : undefined), 'the connection bar');
    getShownByRole(bar as HTMLElement, 'button', 'Reconnect now');
    await expect(el).to.be.accessible();

    // And it is the dark theme that was checked: the shipped colours reached every part.
    expect(background(inShadow(paneOf(el), '[part=base]'))).to.equal('rgb(22, 27, 34)');
    expect(background(inShadow(paneOf(el), '[part~=inbound]'))).to.equal('rgb(38, 44, 54)');
    expect(background(inShadow(paneOf(el), '[part~=outbound]'))).to.equal('rgb(29, 53, 87)');
    expect(background(inShadow(banner, '[part=base]'))).to.equal('rgb(59, 23, 22)');
    expect(toast.getAttribute('part')).to.equal('base');
    expect(background(toast)).to.equal('rgb(28, 35, 48)');
    expect(background(bar)).to.equal('rgb(58, 45, 5)');
    expect(getComputedStyle(el).colorScheme).to.equal('dark');
  });

  it('follows the system setting with agent-theme-auto', async () => {
    const { el } = await consoleIn('agent-theme-auto');
    const surface = () => background(inShadow(el, '[part=base]'));
    await emulateMedia({ colorScheme: 'dark' });
    expect(surface()).to.equal('rgb(22, 27, 34)');
    await emulateMedia({ colorScheme: 'light' });
    expect(surface()).to.equal('rgb(255, 255, 255)');
  });

  it('leaves the elements light without a theme class', async () => {
    const { el } = await consoleIn('');
    await emulateMedia({ colorScheme: 'dark' });
    expect(background(inShadow(el, '[part=base]'))).to.equal('rgb(255, 255, 255)');
    await emulateMedia({ colorScheme: 'light' });
  });
});

describe('the elements’ font', () => {
  let adapter: MockChannelAdapter;
  afterEach(() => adapter?.dispose());

  /** A console with an open session, in a wrapper with the given style. */
  async function consoleWith(wrapperStyle: string, consoleStyle = '') {
    adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
    const el = document.createElement('agent-console');
    el.setAttribute('sync-key', 'themes-test'); // tabs of this file only: other test pages run beside it
    el.adapter = adapter;
    el.setAttribute('style', consoleStyle);
    await fixture(html`<div style=${wrapperStyle}>${el}</div>`);
    await until(() => el.core?.connection.state === 'open', 'the connection');
    adapter.request({ customer: { name: 'Ana Hansen' } });
    (await until(() => queryAllShownByRole(el, 'button', 'Accept')[0], 'the toast')).click();
    const messageBox = await until(() => queryAllShownByRole(el, 'textbox', 'Type a message')[0], 'the message box');
    return { el, messageBox };
  }
  const font = (element: Element) => {
    const { fontFamily, fontSize } = getComputedStyle(element);
    return { fontFamily, fontSize };
  };

  it('is the system UI font at the inherited size, not the page’s default serif', async () => {
    const { el, messageBox } = await consoleWith('font: 20px serif');
    expect(font(el).fontFamily).to.match(/^system-ui, -apple-system, "Segoe UI", Roboto/);
    expect(font(messageBox)).to.deep.equal(font(el));
    expect(font(el).fontSize).to.equal('20px');
  });

  it('is the one a page sets with --agent-font-family and --agent-font-size, everywhere inside, without compounding', async () => {
    const { el, messageBox } = await consoleWith('font-size: 20px; --agent-font-family: Georgia, serif; --agent-font-size: 0.75em');
    expect(font(el)).to.deep.equal({ fontFamily: 'Georgia, serif', fontSize: '15px' });
    expect(font(paneOf(el))).to.deep.equal(font(el));
    expect(font(messageBox)).to.deep.equal(font(el));
  });

  it('is the page’s own when the page styles the element with font-family: inherit', async () => {
    const { el, messageBox } = await consoleWith('font-family: "Courier New", monospace', 'font-family: inherit');
    expect(font(el).fontFamily).to.equal('"Courier New", monospace');
    expect(font(paneOf(el)).fontFamily).to.equal('"Courier New", monospace');
    expect(font(messageBox).fontFamily).to.equal('"Courier New", monospace');
  });

  it('applies to an element used on its own', async () => {
    const banner = await fixture(html`<div style="font-family: serif"><agent-error-banner message="Something failed."></agent-error-banner></div>`);
    expect(getComputedStyle(banner.firstElementChild!).fontFamily).to.match(/^system-ui/);
  });
});

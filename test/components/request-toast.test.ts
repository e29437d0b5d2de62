import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import type { ConversationRequest } from '../../src/adapters/types.js';
import type { AgentRequestToast, RequestAnswerDetail } from '../../src/components/request-toast/request-toast.component.js';
import { loadTranslation } from '../../src/l10n/translation.js';
import '../../src/request-toast.js';
import { messengerCapabilities } from '../../src/adapters/facebook/channel.js';
import { deepElements, getByRole, hostileStrings, queryAllByRole, settle, until } from '../fixtures.js';

const request = (overrides: Partial<ConversationRequest> = {}): ConversationRequest => ({
  id: 'r1',
  channel: 'facebook',
  customer: { id: 'psid-1', name: 'Ana Hansen' },
  preview: 'Hi, my order #1234 has not arrived',
  createdAt: new Date(Date.now() - 2 * 60_000 - 5_000).toISOString(),
  ...overrides,
});

const text = (toast: AgentRequestToast) => toast.shadowRoot!.textContent!.replace(/\s+/g, ' ');

describe('<agent-request-toast>', () => {
  // Toasts slide in unless motion is reduced; axe would measure half-faded text.
  before(() => Promise.all([loadTranslation('da'), emulateMedia({ reducedMotion: 'reduce' })]));
  after(() => emulateMedia({ reducedMotion: 'no-preference' }));

  let clock: sinon.SinonFakeTimers | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });
  const fakeTime = () => (clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] }));

  it('shows who, on which channel, their first words, how long they waited, and Accept and Reject', async () => {
    const toast = await fixture<AgentRequestToast>(html`<agent-request-toast .request=${request()}></agent-request-toast>`);
    const group = getByRole(toast, 'group', 'Incoming Facebook conversation from Ana Hansen');
    expect(group.querySelector('.channel-icon'), 'no icon without the channel’s capabilities').to.equal(null);
    expect(text(toast)).to.contain('Facebook').and.contain('Ana Hansen').and.contain('Hi, my order #1234 has not arrived');
    expect(text(toast)).to.contain('Waiting 2 min').and.contain('Expires in 2:00');
    getByRole(toast, 'button', 'Accept');
    getByRole(toast, 'button', 'Reject');
    await expect(toast).to.be.accessible();
  });

  it('shortens a long preview and shows hostile text as text', async () => {
    (window as { __pwned?: boolean }).__pwned = false;
    const long = `${'😀'.repeat(150)} end`;
    const toast = await fixture<AgentRequestToast>(html`<agent-request-toast .request=${request({ preview: long })}></agent-request-toast>`);
    const preview = toast.shadowRoot!.querySelector('.preview')!;
    expect(Array.from(preview.textContent!)).to.have.length(140);
    expect(preview.textContent!.endsWith('😀…'), 'cut at a whole character').to.equal(true);
    for (const hostile of hostileStrings) {
      toast.request = request({ preview: hostile, customer: { id: 'x', name: hostile } });
      await toast.updateComplete;
      expect(toast.shadowRoot!.querySelector('.customer')!.textContent).to.equal(hostile);
      expect(toast.shadowRoot!.querySelector('.preview')!.textContent).to.equal(hostile.replace(/\s+/g, ' ').trim());
      expect(toast.shadowRoot!.querySelectorAll('.customer *, .preview *')).to.have.length(0);
    }
    expect((window as { __pwned?: boolean }).__pwned).to.equal(false);
  });

  it('fires agent-accept and agent-reject with the request and outcome, from the keyboard', async () => {
    const toast = await fixture<AgentRequestToast>(html`<agent-request-toast .request=${request()}></agent-request-toast>`);
    toast.focus();
    setTimeout(() => sendKeys({ press: 'Enter' }));
    const accepted = await oneEvent(toast, 'agent-accept');
    expect(accepted.detail).to.deep.equal({ requestId: 'r1', outcome: 'accepted' });
    expect(accepted.bubbles && accepted.composed).to.equal(true);
    await sendKeys({ press: 'Tab' });
    setTimeout(() => sendKeys({ press: 'Space' }));
    const rejected = await oneEvent(toast, 'agent-reject');
    expect(rejected.detail).to.deep.equal({ requestId: 'r1', outcome: 'declined-by-agent' } satisfies RequestAnswerDetail);
  });

  it('counts down and times out once, shown or not', async () => {
    for (const hidden of [false, true]) {
      fakeTime();
      const timeouts: RequestAnswerDetail[] = [];
      const toast = await fixture<AgentRequestToast>(
        html`<agent-request-toast .request=${request()} timeout="90" ?hide-countdown=${hidden} @agent-timeout=${(e: CustomEvent) => timeouts.push(e.detail)}></agent-request-toast>`,
      );
      await clock!.tickAsync(30_000);
      await toast.updateComplete;
      if (hidden) expect(toast.shadowRoot!.querySelector('[part=countdown]')).to.equal(null);
      else expect(toast.shadowRoot!.querySelector('[part=countdown]')!.textContent).to.contain('Expires in 1:00');
      expect(text(toast)).to.contain('Waiting 2 min');
      await clock!.tickAsync(60_000);
      await clock!.tickAsync(10_000);
      await toast.updateComplete;
      expect(timeouts).to.deep.equal([{ requestId: 'r1', outcome: 'timed-out' }]);
      expect(queryAllByRole(toast, 'button', 'Accept')).to.have.length(0);
      if (!hidden) expect(text(toast)).to.contain('Expired');
      clock!.restore();
    }
  });

  it('never expires with timeout 0, and keeps to an earlier expiresAt of the request', async () => {
    fakeTime();
    const timeouts: string[] = [];
    const listen = (e: CustomEvent<RequestAnswerDetail>) => timeouts.push(e.detail.requestId);
    const never = await fixture<AgentRequestToast>(html`<agent-request-toast .request=${request({ id: 'never' })} timeout="0" @agent-timeout=${listen}></agent-request-toast>`);
    const soon = new Date(Date.now() + 10_000).toISOString();
    await fixture(html`<agent-request-toast .request=${request({ id: 'soon', expiresAt: soon })} @agent-timeout=${listen}></agent-request-toast>`);
    await clock!.tickAsync(11_000);
    expect(timeouts).to.deep.equal(['soon']);
    await clock!.tickAsync(300_000);
    expect(timeouts).to.deep.equal(['soon']);
    expect(never.shadowRoot!.querySelector('[part=countdown]')).to.equal(null);
  });

  it('shows Accept in progress and failures, and explains when Accept is not possible', async () => {
    const accepts: unknown[] = [];
    const toast = await fixture<AgentRequestToast>(html`<agent-request-toast .request=${request()} busy @agent-accept=${() => accepts.push(1)}></agent-request-toast>`);
    expect(text(toast)).to.contain('Accepting…');
    getByRole(toast, 'button', 'Accept').click();
    expect(getByRole(toast, 'button', 'Accept').getAttribute('aria-disabled')).to.equal('true');
    toast.busy = false;
    toast.error = 'Could not accept: Request r1 is no longer available.';
    toast.blocked = 'You have 10 open conversations, the most allowed. End one to accept this request.';
    await toast.updateComplete;
    expect(getByRole(toast, 'alert').textContent).to.equal('Could not accept: Request r1 is no longer available.');
    const accept = getByRole(toast, 'button', 'Accept');
    expect(toast.shadowRoot!.getElementById(accept.getAttribute('aria-describedby')!)!.textContent).to.contain('10 open conversations');
    accept.click();
    expect(accepts).to.deep.equal([]);
    await expect(toast).to.be.accessible();
  });

  it('says why a request went away, without buttons, keeping the agent’s focus on it', async () => {
    const toast = await fixture<AgentRequestToast>(html`<agent-request-toast .request=${request()}></agent-request-toast>`);
    toast.focus();
    toast.gone = 'Ana Hansen withdrew the request.';
    await toast.updateComplete;
    expect(text(toast)).to.contain('Ana Hansen withdrew the request.');
    expect(queryAllByRole(toast, 'button')).to.have.length(0);
    expect(toast.shadowRoot!.activeElement!.textContent).to.equal('Ana Hansen withdrew the request.');
    expect(getByRole(toast, 'status').textContent, 'announced').to.equal('Ana Hansen withdrew the request.');
    await expect(toast).to.be.accessible();
  });

  it('is announced politely and does not take focus from what the agent is typing', async () => {
    const page = await fixture(html`<div><textarea aria-label="Notes"></textarea></div>`);
    const notes = page.querySelector('textarea')!;
    notes.focus();
    await sendKeys({ type: 'Customer called' });
    const toast = document.createElement('agent-request-toast');
    toast.request = request();
    page.append(toast);
    await sendKeys({ type: ' about a refund' });
    expect(document.activeElement).to.equal(notes);
    expect(notes.value).to.equal('Customer called about a refund');
    const status = getByRole(toast, 'status');
    await until(() => status.textContent, 'the announcement');
    expect(status.textContent).to.equal('Incoming Facebook conversation from Ana Hansen');
  });

  it('slides in, unless the agent asked for reduced motion', async () => {
    const base = async () => {
      const toast = await fixture<AgentRequestToast>(html`<agent-request-toast .request=${request()}></agent-request-toast>`);
      return getComputedStyle(toast.shadowRoot!.querySelector('[part=base]')!).animationName;
    };
    await emulateMedia({ reducedMotion: 'no-preference' });
    try {
      expect(await base()).to.not.equal('none');
    } finally {
      await emulateMedia({ reducedMotion: 'reduce' });
    }
    expect(await base()).to.equal('none');
  });

  describe('channel', () => {
    const mount = (channel: AgentRequestToast['channel'], overrides: Partial<ConversationRequest> = {}) =>
      fixture<AgentRequestToast>(html`<agent-request-toast .request=${request(overrides)} .channel=${channel}></agent-request-toast>`);
    const icon = (toast: AgentRequestToast) => toast.shadowRoot!.querySelector('.channel-icon');

    it('names the channel by the request’s channel without capabilities, and by their name with them', async () => {
      const toast = await mount(undefined, { channel: 'webchat' });
      getByRole(toast, 'group', 'Incoming Webchat conversation from Ana Hansen');
      toast.channel = { name: 'Web chat' };
      await settle(toast);
      getByRole(toast, 'group', 'Incoming Web chat conversation from Ana Hansen');
      expect(icon(toast)).to.equal(null);
    });

    it('draws the channel’s SVG icon at 1em in the channel colour, hidden from assistive technology', async () => {
      const toast = await mount(messengerCapabilities);
      getByRole(toast, 'group', 'Incoming Facebook conversation from Ana Hansen');
      const drawn = icon(toast) as HTMLElement;
      expect(drawn.getAttribute('aria-hidden')).to.equal('true');
      const fontSize = parseFloat(getComputedStyle(drawn).fontSize);
      expect(drawn.getBoundingClientRect().width).to.be.closeTo(fontSize, 0.5);
      expect(getComputedStyle(drawn).maskImage).to.match(/^url\("data:image\/svg\+xml,/);
      // The theme sets its colour.
      toast.style.setProperty('--agent-channel-color', 'rgb(1, 2, 3)');
      expect(getComputedStyle(drawn).backgroundColor).to.equal('rgb(1, 2, 3)');
      await expect(toast).to.be.accessible();
    });

    it('draws an SVG icon as an image: none of its markup enters the page and nothing in it runs', async () => {
      (window as { __pwned?: boolean }).__pwned = false;
      const hostile = `<svg viewBox="0 0 24 24" onload="window.__pwned=true">
        <script>window.__pwned=true</script>
        <foreignObject width="24" height="24"><iframe src="javascript:window.__pwned=true"></iframe><img src="x" onerror="window.__pwned=true" /></foreignObject>
        <a href="javascript:window.__pwned=true"><circle cx="12" cy="12" r="10" /></a>
        <style>:host { display: none }</style>
        <path d="M2 2h20v20H2z" onclick="window.__pwned=true" />"quoted") \\
      </svg>`;
      const toast = await mount({ name: 'Hostile', icon: hostile });
      const drawn = icon(toast) as HTMLElement;
      expect(drawn.children).to.have.length(0);
      const names = deepElements(toast.shadowRoot!).map((element) => element.localName);
      for (const tag of ['svg', 'script', 'foreignObject', 'iframe', 'a']) expect(names).not.to.include(tag);
      // The whole document, namespace added, is the image: the quote and backslash in it do not end the CSS url().
      const url = getComputedStyle(drawn).maskImage.match(/^url\("(.*)"\)$/)![1];
      const image = new Image();
      image.src = url;
      await image.decode(); // a well-formed SVG image
      expect(decodeURIComponent(url.slice('data:image/svg+xml,'.length))).to.equal(hostile.replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg"'));
      expect((window as { __pwned?: boolean }).__pwned).to.equal(false);
      expect(getComputedStyle(toast).display).to.not.equal('none');
    });

    it('shows an https: or data:image/ icon as a decorative image, and no other URL', async () => {
      const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
      const toast = await mount({ name: 'Web chat', icon: pixel });
      const image = icon(toast) as HTMLImageElement;
      expect(image.localName).to.equal('img');
      expect(image.getAttribute('alt')).to.equal('');
      expect(image.getAttribute('src')).to.equal(pixel);
      for (const url of ['javascript:alert(1)', 'http://cdn.example.com/chat.png', 'data:text/html,<script>alert(1)</script>', '/icons/chat.png']) {
        toast.channel = { name: 'Web chat', icon: url };
        await settle(toast);
        expect(icon(toast), url).to.equal(null);
      }
      toast.channel = { name: 'Web chat', icon: 'https://cdn.example.com/chat.png' };
      await settle(toast);
      expect(icon(toast)!.getAttribute('src')).to.equal('https://cdn.example.com/chat.png');
    });
  });

  it('speaks the page’s language', async () => {
    const wrapper = await fixture(html`<div lang="da"><agent-request-toast .request=${request()}></agent-request-toast></div>`);
    const toast = wrapper.querySelector('agent-request-toast')!;
    getByRole(toast, 'button', 'Acceptér');
    getByRole(toast, 'group', 'Indgående Facebook-samtale fra Ana Hansen');
    expect(text(toast)).to.contain('Udløber om 2:00');
  });
});

import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ConversationRequest } from '../../src/adapters/types.js';
import type { AgentToastStack } from '../../src/components/toast-stack/toast-stack.component.js';
import '../../src/request-toast.js';
import '../../src/toast-stack.js';
import { getByRole, getShownByRole, pressShortcut, queryAllByRole, queryAllShownByRole, settle, until } from '../fixtures.js';

const request = (n: number): ConversationRequest => ({
  id: `r${n}`,
  channel: 'facebook',
  customer: { id: `c${n}`, name: `Customer ${n}` },
  createdAt: new Date(Date.now() - n * 1000).toISOString(),
});

/** A stack of toasts, newest (r1) first. */
const stack = (count: number, attributes = html``) =>
  fixture<AgentToastStack>(html`<agent-toast-stack ${attributes}>
    ${Array.from({ length: count }, (_, i) => html`<agent-request-toast .request=${request(i + 1)}></agent-request-toast>`)}
  </agent-toast-stack>`);

const shownGroups = (root: Element) => queryAllShownByRole(root, 'group');

describe('<agent-toast-stack>', () => {
  it('shows three toasts, newest first, and folds the rest into "+N more"', async () => {
    const el = await stack(5);
    expect(shownGroups(el).map((group) => group.getAttribute('aria-label'))).to.deep.equal([
      'Incoming Facebook conversation from Customer 1',
      'Incoming Facebook conversation from Customer 2',
      'Incoming Facebook conversation from Customer 3',
    ]);
    getByRole(el, 'region', 'Conversation requests');
    const more = getByRole(el, 'button', '+2 more');
    expect(more.getAttribute('aria-expanded')).to.equal('false');
    await expect(el).to.be.accessible();
    more.click();
    await el.updateComplete;
    expect(shownGroups(el)).to.have.length(5);
    getByRole(el, 'button', 'Show fewer').click();
    await el.updateComplete;
    expect(shownGroups(el)).to.have.length(3);
  });

  it('takes max-visible and sits in the corner asked for', async () => {
    const el = await stack(2, html``);
    el.maxVisible = 1;
    el.position = 'bottom-start';
    await el.updateComplete;
    expect(shownGroups(el)).to.have.length(1);
    getByRole(el, 'button', '+1 more');
    const box = el.getBoundingClientRect();
    expect(box.left).to.be.below(40);
    expect(window.innerHeight - box.bottom).to.be.below(40);
    expect(getComputedStyle(el).position).to.equal('fixed');
  });

  it('keeps separate distances from the top or bottom edge and from the side', async () => {
    const el = await stack(1);
    el.style.setProperty('--agent-toast-offset-block', '64px'); // below a fixed header
    el.style.setProperty('--agent-toast-offset-inline', '320px'); // clear of a side panel
    const box = el.getBoundingClientRect();
    expect(box.top).to.be.closeTo(64, 1);
    expect(document.documentElement.clientWidth - box.right).to.be.closeTo(320, 1);
    el.style.removeProperty('--agent-toast-offset-inline');
    el.style.setProperty('--agent-toast-offset', '8px');
    expect(document.documentElement.clientWidth - el.getBoundingClientRect().right, 'the shorthand for what is not set').to.be.closeTo(8, 1);
  });

  it('with position="console", takes its place in the flow and covers nothing', async () => {
    const page = await fixture<HTMLElement>(html`<div style="display: flex; flex-direction: column; height: 400px">
      <agent-toast-stack position="console">
        <agent-request-toast .request=${request(1)}></agent-request-toast>
      </agent-toast-stack>
      <button type="button">End conversation</button>
    </div>`);
    const el = page.querySelector('agent-toast-stack')!;
    expect(getComputedStyle(el).position).to.equal('static');
    const toast = getShownByRole(el, 'group', 'Incoming Facebook conversation from Customer 1').getBoundingClientRect();
    const end = page.querySelector('button')!.getBoundingClientRect();
    expect(toast.bottom, 'the button comes below the toast').to.be.at.most(end.top);
    expect(toast.width, 'the toast takes the width of its place').to.be.closeTo(page.getBoundingClientRect().width, 1);
    await expect(el).to.be.accessible();
  });

  it('gives its toasts its own font, without compounding an em size', async () => {
    const page = await fixture<HTMLElement>(html`<div style="font-size: 20px; --agent-font-size: 0.75em; --agent-font-family: monospace">
      <agent-toast-stack><agent-request-toast .request=${request(1)}></agent-request-toast></agent-toast-stack>
    </div>`);
    const el = page.querySelector('agent-toast-stack')!;
    const toast = getByRole(el, 'group', 'Incoming Facebook conversation from Customer 1');
    expect(getComputedStyle(el).fontSize).to.equal('15px');
    expect(getComputedStyle(toast).fontSize).to.equal('15px');
    expect(getComputedStyle(toast).fontFamily).to.equal('monospace');
  });

  it('has no region and no button when empty', async () => {
    const el = await stack(0);
    expect(getShownByRole.bind(null, el, 'region')).to.throw();
    expect(queryAllByRole(el, 'button')).to.have.length(0);
  });

  it('focuses the newest toast with Alt+Shift+N and goes back with Escape', async () => {
    const page = await fixture(html`<div><input aria-label="Search customers" /></div>`);
    const search = page.querySelector('input')!;
    const el = await stack(2);
    search.focus();
    await pressShortcut();
    const accept = queryAllByRole(el, 'button', 'Accept')[0];
    expect(accept.matches(':focus')).to.equal(true);
    expect(el.querySelector('agent-request-toast')!.request!.id).to.equal('r1');
    await sendKeys({ press: 'Escape' });
    expect(document.activeElement).to.equal(search);
  });

  it('moves focus to the next toast when the focused one goes away, and Escape still goes back', async () => {
    const page = await fixture(html`<div><input aria-label="Search customers" /></div>`);
    const search = page.querySelector('input')!;
    const el = await stack(2);
    search.focus();
    await pressShortcut();
    el.querySelector('agent-request-toast')!.remove();
    const [next] = queryAllByRole(el, 'button', 'Accept');
    await until(() => next.matches(':focus'), 'focus on the next toast');
    await sendKeys({ press: 'Escape' });
    expect(document.activeElement).to.equal(search);
  });

  it('leaves focus alone when a toast goes away that did not have it', async () => {
    const page = await fixture(html`<div><textarea aria-label="Notes"></textarea></div>`);
    const el = await stack(2);
    const notes = page.querySelector('textarea')!;
    notes.focus();
    el.querySelector('agent-request-toast')!.remove();
    await settle(el);
    expect(document.activeElement).to.equal(notes);
  });
});

import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { LitElement } from 'lit';
import sinon from 'sinon';
import { MenuController } from '../../src/controllers/menu.js';
import { getByRole, settle } from '../fixtures.js';

/** A menu button with Copy, Cut, (a disabled Delete,) Paste and Print. */
class MenuHost extends LitElement {
  chosen: string[] = [];
  readonly menu = new MenuController(this, {
    button: () => this.renderRoot.querySelector('button'),
    items: () => [...this.renderRoot.querySelectorAll<HTMLElement>('[role=menuitem]:not([aria-disabled=true])')],
    choose: (item) => this.chosen.push(item.textContent!),
  });
  override render() {
    const item = (name: string, disabled = false) => html`<div role="menuitem" tabindex="-1" aria-disabled=${disabled}>${name}</div>`;
    return html`<button type="button" aria-haspopup="menu" aria-expanded=${this.menu.open} @click=${this.menu.toggle} @keydown=${this.menu.onButtonKeydown}>
        Edit
      </button>
      <div role="menu" aria-label="Edit" ?hidden=${!this.menu.open} @keydown=${this.menu.onMenuKeydown} @click=${this.menu.onMenuClick}>
        ${item('Copy')}${item('Cut')}${item('Delete', true)}${item('Paste')}${item('Print')}
      </div>`;
  }
}
customElements.define('test-menu-host', MenuHost);

let host: MenuHost;
const root = () => host.shadowRoot!;
const button = () => getByRole(root(), 'button', 'Edit');
const menu = () => getByRole(root(), 'menu', 'Edit');
const focused = () => root().activeElement?.textContent ?? document.activeElement?.id;

async function mount() {
  const wrapper = await fixture(html`<div><button id="before">Before</button><test-menu-host></test-menu-host><button id="after">After</button></div>`);
  host = wrapper.querySelector('test-menu-host')!;
  await settle(host);
}

async function press(key: string) {
  await sendKeys({ press: key });
  await settle(host);
}

describe('MenuController', () => {
  beforeEach(mount);
  afterEach(() => sinon.restore());

  for (const key of ['Enter', 'Space', 'ArrowDown']) {
    it(`opens with ${key} on the button and focuses the first item`, async () => {
      button().focus();
      await press(key);
      expect(menu().hidden).to.equal(false);
      expect(button().getAttribute('aria-expanded')).to.equal('true');
      expect(focused()).to.equal('Copy');
      await expect(host).to.be.accessible();
    });
  }

  it('opens with ArrowUp on the last item; arrows move and wrap, Home and End go to the ends, skipping disabled items', async () => {
    button().focus();
    await press('ArrowUp');
    expect(focused()).to.equal('Print');
    const seen = [];
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowUp', 'End', 'Home', 'ArrowUp']) {
      await press(key);
      seen.push(focused());
    }
    expect(seen).to.deep.equal(['Copy', 'Cut', 'Paste', 'Print', 'Paste', 'Print', 'Copy', 'Print']);
  });

  it('keeps only the focused item in the tab order', async () => {
    button().focus();
    await press('ArrowDown');
    await press('ArrowDown');
    const tabbable = [...root().querySelectorAll<HTMLElement>('[role=menuitem]')].filter((item) => item.tabIndex === 0);
    expect(tabbable.map((item) => item.textContent)).to.deep.equal(['Cut']);
  });

  it('moves to the next item that starts with a typed letter', async () => {
    button().focus();
    await press('Enter');
    await press('p');
    expect(focused()).to.equal('Paste');
    await press('p');
    expect(focused()).to.equal('Print');
    await press('P');
    expect(focused()).to.equal('Paste');
    await press('x');
    expect(focused()).to.equal('Paste');
  });

  it('closes with Escape and returns focus to the button', async () => {
    button().focus();
    await press('Enter');
    const escape = sinon.spy();
    document.addEventListener('keydown', escape);
    await press('Escape');
    document.removeEventListener('keydown', escape);
    expect(menu().hidden).to.equal(true);
    expect(button().getAttribute('aria-expanded')).to.equal('false');
    expect(root().activeElement).to.equal(button());
    expect(escape.called, 'Escape stays with the menu').to.equal(false);
  });

  it('closes on Tab and lets focus move on', async () => {
    button().focus();
    await press('Enter');
    await press('Tab');
    expect(menu().hidden).to.equal(true);
    expect(document.activeElement!.id).to.equal('after');
  });

  it('chooses the focused item with Enter or Space, and closes', async () => {
    const clicked: string[] = [];
    menu().addEventListener('click', (event) => clicked.push((event.target as HTMLElement).textContent!));
    button().focus();
    await press('Enter');
    await press('ArrowDown');
    await press('Enter');
    expect(clicked).to.deep.equal(['Cut']);
    expect(host.chosen).to.deep.equal(['Cut']);
    expect(menu().hidden).to.equal(true);
    expect(root().activeElement).to.equal(button());
    await press('ArrowUp');
    await press('Space');
    expect(host.chosen).to.deep.equal(['Cut', 'Print']);
  });

  it('chooses a clicked item, and closes on a press outside, listening to the document only while open', async () => {
    const listen = sinon.spy(document, 'addEventListener');
    const unlisten = sinon.spy(document, 'removeEventListener');
    button().click();
    await settle(host);
    getByRole(root(), 'menuitem', 'Paste').click();
    await settle(host);
    expect(host.chosen).to.deep.equal(['Paste']);
    expect(menu().hidden).to.equal(true);
    button().click();
    await settle(host);
    const outside = document.getElementById('before')!.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(outside.x + 5), Math.round(outside.y + 5)] });
    await settle(host);
    expect(menu().hidden).to.equal(true);
    const pointerdowns = (spy: sinon.SinonSpy) => spy.args.filter(([type]) => type === 'pointerdown').length;
    expect([pointerdowns(listen), pointerdowns(unlisten)]).to.deep.equal([2, 2]);
  });

  it('closes when its element leaves the page', async () => {
    button().focus();
    await press('Enter');
    const unlisten = sinon.spy(document, 'removeEventListener');
    host.remove();
    expect(host.menu.open).to.equal(false);
    expect(unlisten.args.filter(([type]) => type === 'pointerdown')).to.have.length(1);
  });
});

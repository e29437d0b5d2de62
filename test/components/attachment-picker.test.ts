import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import sinon from 'sinon';
import '../../src/attachment-picker.js';
import { messengerAttachmentPolicy } from '../../src/adapters/facebook/channel.js';
import type { AttachmentPolicy } from '../../src/adapters/types.js';
import type { AgentAttachmentPicker } from '../../src/components/attachment-picker/attachment-picker.component.js';
import { getByRole, settle } from '../fixtures.js';
import { chooseFiles, samples } from '../samples.js';
import { loadTranslation } from '../../src/l10n/translation.js';

let picker: AgentAttachmentPicker;
const root = () => picker.shadowRoot!;
const trigger = () => getByRole(root(), 'button', 'More options') as HTMLButtonElement;
const menu = () => root().querySelector<HTMLElement>('[role=menu]')!;
const focused = () => (root().activeElement ?? document.activeElement) as HTMLElement;
const input = () => root().querySelector('input')!;

async function mount(extraItems = false, policy: AttachmentPolicy | null = messengerAttachmentPolicy) {
  const wrapper = await fixture(html`<div style="padding: 12rem 1rem 1rem">
    <button id="before">Before</button>
    <agent-attachment-picker .policy=${policy ?? undefined}>
      ${extraItems
        ? html`<div role="menuitem" id="template">Insert template</div>
            <div role="menuitem" id="transfer">Transfer</div>`
        : ''}
    </agent-attachment-picker>
    <button id="after">After</button>
  </div>`);
  picker = wrapper.querySelector('agent-attachment-picker')!;
  await settle(picker);
  return wrapper;
}

describe('<agent-attachment-picker>', () => {
  before(() => Promise.all([loadTranslation('da'), loadTranslation('vi')]));

  afterEach(() => sinon.restore());

  it('is a menu button named "More options", closed at first', async () => {
    await mount();
    expect(trigger().getAttribute('aria-haspopup')).to.equal('menu');
    expect(trigger().getAttribute('aria-expanded')).to.equal('false');
    expect(menu().hidden).to.equal(true);
    await expect(picker).to.be.accessible();
  });

  for (const key of ['Enter', ' ', 'ArrowDown']) {
    it(`opens with ${key === ' ' ? 'Space' : key} and focuses the first item`, async () => {
      await mount(true);
      trigger().focus();
      await sendKeys({ press: key === ' ' ? 'Space' : key });
      await settle(picker);
      expect(trigger().getAttribute('aria-expanded')).to.equal('true');
      expect(focused().textContent).to.equal('Attach file');
      expect(focused().getAttribute('role')).to.equal('menuitem');
      await expect(picker).to.be.accessible();
    });
  }

  it('opens with ArrowUp on the last item, and moves with wrap-around, Home and End', async () => {
    const wrapper = await mount(true);
    trigger().focus();
    await sendKeys({ press: 'ArrowUp' });
    await settle(picker);
    const active = () => (wrapper.querySelector(':focus') as HTMLElement | null)?.id || focused().textContent;
    expect(active()).to.equal('transfer');
    await sendKeys({ press: 'ArrowDown' });
    expect(active()).to.equal('Attach file');
    await sendKeys({ press: 'ArrowUp' });
    expect(active()).to.equal('transfer');
    await sendKeys({ press: 'Home' });
    expect(active()).to.equal('Attach file');
    await sendKeys({ press: 'End' });
    expect(active()).to.equal('transfer');
    await sendKeys({ press: 'ArrowUp' });
    expect(active()).to.equal('template');
  });

  it('closes with Escape and returns focus to the button', async () => {
    await mount();
    trigger().focus();
    await sendKeys({ press: 'Enter' });
    await settle(picker);
    await sendKeys({ press: 'Escape' });
    await settle(picker);
    expect(menu().hidden).to.equal(true);
    expect(focused()).to.equal(trigger());
  });

  it('closes on Tab, letting focus move on', async () => {
    const wrapper = await mount();
    trigger().focus();
    await sendKeys({ press: 'Enter' });
    await settle(picker);
    await sendKeys({ press: 'Tab' });
    await settle(picker);
    expect(menu().hidden).to.equal(true);
    expect(document.activeElement).to.equal(wrapper.querySelector('#after'));
  });

  it('closes on a click outside, and listens to the document only while open', async () => {
    const wrapper = await mount();
    const listen = sinon.spy(document, 'addEventListener');
    const unlisten = sinon.spy(document, 'removeEventListener');
    trigger().click();
    await settle(picker);
    expect(menu().hidden).to.equal(false);
    expect(listen.args.filter(([type]) => type === 'pointerdown')).to.have.length(1);
    const outside = wrapper.querySelector('#before')!.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(outside.x + 5), Math.round(outside.y + 5)] });
    await settle(picker);
    expect(menu().hidden).to.equal(true);
    expect(unlisten.args.filter(([type]) => type === 'pointerdown')).to.have.length(1);
  });

  it('opens the file window from Attach file, by keyboard and by mouse', async () => {
    await mount();
    const click = sinon.stub(input(), 'click');
    trigger().focus();
    await sendKeys({ press: 'Enter' });
    await settle(picker);
    await sendKeys({ press: 'Enter' });
    expect(click.callCount).to.equal(1);
    expect(menu().hidden).to.equal(true);
    expect(focused()).to.equal(trigger());
    trigger().click();
    await settle(picker);
    getByRole(root(), 'menuitem', 'Attach file').click();
    expect(click.callCount).to.equal(2);
  });

  it('activates a slotted item and closes', async () => {
    const wrapper = await mount(true);
    const chosen = sinon.spy();
    wrapper.querySelector('#template')!.addEventListener('click', chosen);
    trigger().focus();
    await sendKeys({ press: 'ArrowDown' });
    await settle(picker);
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    expect(chosen.callCount).to.equal(1);
    expect(menu().hidden).to.equal(true);
  });

  it('builds the file window’s accept list from the policy', async () => {
    await mount();
    expect(input().accept).to.equal('.jpg,.jpeg,.png,.gif,.mp3,.ogg,.oga,.amr,.mp4,.pdf,.docx,.xlsx,.xls,.txt');
    picker.policy = { maxBytes: 1000, accept: ['image/*', '.pdf'], filesPerMessage: 3 };
    await settle(picker);
    expect(input().accept).to.equal('image/*,.pdf');
    expect(input().multiple).to.equal(true);
  });

  it('without a policy, takes one file of any type and size, and still checks its content', async () => {
    await mount(false, null);
    expect(input().hasAttribute('accept')).to.equal(false);
    expect(input().multiple).to.equal(false);
    const refused: string[] = [];
    picker.addEventListener('agent-attachment-refuse', (event) => refused.push(event.detail.reason));
    expect(await picker.choose([samples.large(32, 'video.mp4')])).to.have.length(1);
    expect(await picker.choose([new File(['name,qty\n'], 'stock.csv', { type: 'text/csv' })])).to.have.length(1);
    expect(await picker.choose([samples.png(), samples.pdf()])).to.have.length(1);
    expect(await picker.choose([samples.renamedExecutable('photo.png')])).to.deep.equal([]);
    expect(refused).to.deep.equal(['too-many', 'content-mismatch']);
  });

  it('reports a chosen file that fits the policy', async () => {
    await mount();
    setTimeout(() => chooseFiles(input(), samples.pdf()));
    const { detail } = await oneEvent(picker, 'agent-attachment-select');
    expect(detail).to.include({ kind: 'file', mimeType: 'application/pdf' });
    expect(detail.file.name).to.equal('invoice.pdf');
  });

  const refusals: [string, () => File, string, string][] = [
    ['type-not-allowed', () => samples.program('report.exe'), 'report.exe is not an allowed file type. Allowed: JPG, JPEG, PNG, GIF, MP3, OGG, OGA, AMR, MP4, PDF, DOCX, XLSX, XLS, TXT.', 'en'],
    ['too-large', () => samples.large(32, 'video.mp4'), 'video.mp4 is 32 MB; the limit is 25 MB.', 'en'],
    ['content-mismatch', () => samples.renamedExecutable('photo.png'), 'photo.png does not contain what its name says, so it was not sent.', 'en'],
    ['empty', () => samples.empty('empty.pdf'), 'empty.pdf is empty.', 'en'],
    ['too-large', () => samples.large(32, 'video.mp4'), 'video.mp4 fylder 32 MB; grænsen er 25 MB.', 'da'],
    ['empty', () => samples.empty('trống.pdf'), 'trống.pdf trống.', 'vi'],
  ];
  for (const [reason, file, message, lang] of refusals) {
    it(`refuses ${reason} with a clear message (${lang})`, async () => {
      await mount();
      picker.lang = lang;
      const chosen = file();
      setTimeout(() => chooseFiles(input(), chosen));
      const { detail } = await oneEvent(picker, 'agent-attachment-refuse');
      expect(detail).to.deep.equal({ file: chosen, reason, message });
    });
  }

  it('refuses files beyond the number a message takes', async () => {
    await mount();
    const refused: string[] = [];
    picker.addEventListener('agent-attachment-refuse', (event) => refused.push(event.detail.reason));
    const accepted = await picker.choose([samples.png(), samples.pdf()]);
    expect(accepted.map((f) => f.name)).to.deep.equal(['photo.png']);
    expect(refused).to.deep.equal(['too-many']);
  });

  it('lets the page veto a file', async () => {
    await mount();
    picker.addEventListener('agent-attachment-select', (event) => event.preventDefault());
    expect(await picker.choose([samples.png()])).to.deep.equal([]);
  });

  it('skips hidden and disabled items', async () => {
    const wrapper = await mount(true);
    wrapper.querySelector('#template')!.setAttribute('hidden', '');
    trigger().focus();
    await sendKeys({ press: 'ArrowDown' });
    await settle(picker);
    await sendKeys({ press: 'ArrowDown' });
    expect(document.activeElement!.id).to.equal('transfer');
    wrapper.querySelector('#transfer')!.setAttribute('aria-disabled', 'true');
    await sendKeys({ press: 'ArrowDown' });
    expect(focused().textContent).to.equal('Attach file');
  });

  it('closes its menu when it becomes disabled', async () => {
    await mount();
    trigger().click();
    await settle(picker);
    picker.disabled = true;
    await settle(picker);
    expect(menu().hidden).to.equal(true);
    expect(trigger().getAttribute('aria-expanded')).to.equal('false');
  });

  it('does nothing while disabled', async () => {
    await mount();
    picker.disabled = true;
    await settle(picker);
    expect(trigger().disabled).to.equal(true);
    await picker.show();
    expect(menu().hidden).to.equal(true);
  });
});

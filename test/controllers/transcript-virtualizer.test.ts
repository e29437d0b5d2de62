import { css, html as litHtml, LitElement } from 'lit';
import { expect, fixture, html } from '@open-wc/testing';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import sinon from 'sinon';
import '../../src/conversation-pane.js';
import { MockChannelAdapter } from '../../src/adapters/mock-adapter.js';
import type { AgentConversationPane } from '../../src/components/conversation-pane/conversation-pane.component.js';
import { type ScrollAnchor, TranscriptVirtualizer, type TranscriptView } from '../../src/controllers/transcript-virtualizer.js';
import { ConsoleCore } from '../../src/core/console-core.js';
import { Transcript } from '../../src/core/transcript.js';
import { getByRole, message, queryAllByRole, settle, until } from '../fixtures.js';

/** A 200px transcript of 72px rows (as tall as the virtualizer guesses; "tall" ones are 150px), rendered as its virtualizer says. */
class TranscriptHost extends LitElement {
  static override styles = css`
    :host { display: block; height: 200px; width: 300px; }
    .scroller { height: 100%; overflow-y: auto; overflow-anchor: none; }
    .spacer { position: relative; }
    .window { position: absolute; inset: 0 0 auto 0; }
    .row { height: 72px; }
    .tall { height: 150px; }
  `;
  @property({ attribute: false }) view?: TranscriptView;
  updates = 0;
  readonly virtualizer = new TranscriptVirtualizer(this, {
    scroller: () => this.shadowRoot?.querySelector<HTMLElement>('.scroller'),
    view: () => this.view,
    scrolled: (anchor?: ScrollAnchor) => this.view && (this.view.scrollAnchor = anchor),
  });
  override render() {
    const { start, end } = this.virtualizer.range;
    const rows = this.view ? this.view.transcript.messages.slice(start, end) : [];
    return litHtml`<div class="scroller" role="list" aria-label="Transcript">
      <div class="spacer"><div class="window">
        ${repeat(rows, (m) => m.id, (m) => litHtml`<div role="listitem" class="row ${m.text === 'tall' ? 'tall' : ''}" data-id=${m.id}>${m.id}</div>`)}
      </div></div>
    </div>`;
  }
  override updated() {
    this.updates++;
  }
}
customElements.define('test-transcript-host', TranscriptHost);

const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 10, 0) + minute * 60_000).toISOString();
const view = (id: string, count: number, from = 0): TranscriptView => {
  const transcript = new Transcript();
  for (let i = from; i < from + count; i++) transcript.upsert(message({ id: `${id}${i}`, conversationId: id, sentAt: at(i) }));
  return { id, transcript };
};

let host: TranscriptHost;
const scroller = () => host.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
const rows = () => queryAllByRole(host.shadowRoot!, 'listitem');
/** The first row whose bottom is below the top of the view, and how far below the top its top is. */
const reading = () => {
  const top = scroller().getBoundingClientRect().top;
  const row = rows().find((r) => r.getBoundingClientRect().bottom > top + 0.5)!;
  return { id: row.dataset.id, offset: Math.round(row.getBoundingClientRect().top - top) };
};
const atEnd = () => scroller().scrollTop + scroller().clientHeight >= scroller().scrollHeight - 1;
async function scrollTo(top: number) {
  const scrolled = new Promise((resolve) => scroller().addEventListener('scroll', resolve, { once: true }));
  scroller().scrollTop = top;
  await scrolled;
  await settle(host);
}

describe('TranscriptVirtualizer', () => {
  beforeEach(async () => {
    host = await fixture<TranscriptHost>(html`<test-transcript-host .view=${view('a', 1000)}></test-transcript-host>`);
    await settle(host);
  });

  it('renders only the rows near the view, starting at the newest', async () => {
    expect(rows().length).to.be.within(10, 50);
    expect(rows().at(-1)!.dataset.id).to.equal('a999');
    expect(scroller().scrollHeight).to.equal(1000 * 72);
    expect(atEnd()).to.equal(true);
  });

  it('stays at the newest message as messages arrive', async () => {
    host.view!.transcript.upsert(message({ id: 'new', conversationId: 'a', sentAt: at(2000), text: 'tall' }));
    host.requestUpdate();
    await settle(host);
    expect(rows().at(-1)!.dataset.id).to.equal('new');
    expect(atEnd()).to.equal(true);
    expect(host.virtualizer.stuck).to.equal(true);
  });

  it('keeps the row being read in place as history is added above it and rows above it change height', async () => {
    await scrollTo(500 * 72 + 5);
    const before = reading();
    expect(before).to.deep.equal({ id: 'a500', offset: -5 });
    expect(host.view!.scrollAnchor).to.deep.equal({ messageId: 'a500', offset: 5 });
    for (let i = 1; i <= 50; i++) host.view!.transcript.upsert(message({ id: `old${i}`, conversationId: 'a', sentAt: at(-i), text: i % 2 ? 'tall' : 'x' }));
    host.view!.transcript.upsert(message({ id: 'a490', conversationId: 'a', sentAt: at(490), text: 'tall' }));
    host.requestUpdate();
    await settle(host);
    expect(reading()).to.deep.equal(before);
    expect(host.virtualizer.stuck).to.equal(false);
  });

  it('keeps its place while history is added above, when asked to, also from the newest message', async () => {
    const before = reading();
    host.virtualizer.keepPlace();
    for (let i = 1; i <= 50; i++) host.view!.transcript.upsert(message({ id: `old${i}`, conversationId: 'a', sentAt: at(-i) }));
    host.requestUpdate();
    await settle(host);
    expect(reading()).to.deep.equal(before);
  });

  it('asks for an update only when other rows come near the view', async () => {
    await scrollTo(500 * 72);
    const updates = host.updates;
    await scrollTo(500 * 72 + 10);
    expect(host.updates, 'a small scroll renders nothing').to.equal(updates);
    await scrollTo(100 * 72);
    expect(host.updates).to.be.greaterThan(updates);
    expect(reading().id).to.equal('a100');
  });

  it('opens each transcript where the agent left it', async () => {
    const first = host.view!;
    await scrollTo(200 * 72);
    host.view = view('b', 300);
    await settle(host);
    expect(atEnd()).to.equal(true);
    expect(rows().at(-1)!.dataset.id).to.equal('b299');
    host.view = first;
    await settle(host);
    expect(reading()).to.deep.equal({ id: 'a200', offset: 0 });
    expect(scroller().scrollTop).to.equal(200 * 72);
  });

  it('follows the newest message again when told to', async () => {
    await scrollTo(200 * 72);
    host.virtualizer.scrollToEnd();
    await settle(host);
    expect(atEnd()).to.equal(true);
    expect(rows().at(-1)!.dataset.id).to.equal('a999');
  });
});

describe('<agent-conversation-pane> virtual scrolling', () => {
  let adapter: MockChannelAdapter;
  let core: ConsoleCore;
  afterEach(async () => {
    await core?.stop();
    await adapter?.dispose();
    sinon.restore();
  });

  async function open(history: number) {
    adapter = new MockChannelAdapter({ latency: 0, historySize: history });
    core = new ConsoleCore(adapter, { logger: { warn: () => {} } });
    await core.start();
    const session = await core.accept(adapter.request({ customer: { name: 'Ana Souza' }, preview: 'Hi, where is my parcel?' }).id);
    const wrapper = await fixture<HTMLElement>(html`<div class="frame" lang="en"><agent-conversation-pane .core=${core} conversation-id=${session.id}></agent-conversation-pane></div>`);
    // Sized through the CSSOM, as a strict page would.
    wrapper.style.height = '420px';
    wrapper.style.width = '420px';
    const pane = wrapper.querySelector<AgentConversationPane>('agent-conversation-pane')!;
    await settle(pane);
    return { wrapper, pane, session };
  }

  it('never schedules an update while one is completing (no Lit change-in-update warning)', async () => {
    // Lit warns once per page; forget earlier warnings so this test sees its own.
    (globalThis as { litIssuedWarnings?: Set<string> }).litIssuedWarnings?.clear();
    const warn = sinon.spy(console, 'warn');
    const { wrapper, pane, session } = await open(300);
    const list = getByRole(pane.shadowRoot!, 'list', 'Conversation with Ana Souza');
    const size = session.transcript.size;
    list.scrollTop = 0;
    await until(() => session.transcript.size > size && !session.history.loading, 'earlier history');
    await settle(pane);
    for (let i = 0; i < 3; i++) {
      adapter.receive(session.id, `Message ${i} while reading history`);
      await settle(pane);
    }
    list.scrollTop = list.scrollHeight;
    await settle(pane);
    adapter.receive(session.id, 'At the newest again');
    await settle(pane);
    wrapper.style.width = '300px';
    wrapper.style.height = '300px';
    await settle(pane);
    await settle(pane);
    expect(queryAllByRole(list, 'listitem').at(-1)!.textContent).to.contain('At the newest again');
    const warnings = warn.args.map((args) => String(args[0])).filter((text) => /change-in-update|scheduled an update/.test(text));
    expect(warnings).to.deep.equal([]);
  });

  it('keeps the message being read in place when a message above it grows', async () => {
    const { pane, session } = await open(0);
    for (let i = 0; i < 60; i++) adapter.emitRaw('message', message({ id: `m${i}`, conversationId: session.id, sentAt: new Date(Date.now() - (70 - i) * 60_000).toISOString(), text: `Earlier ${i}` }));
    await settle(pane);
    const list = getByRole(pane.shadowRoot!, 'list', 'Conversation with Ana Souza');
    list.scrollTop = 1500;
    await settle(pane);
    const top = () => {
      const edge = list.getBoundingClientRect().top;
      const row = queryAllByRole(list, 'listitem').find((r) => r.getBoundingClientRect().top >= edge)!;
      return { text: row.textContent!.replace(/\s+/g, ' ').trim(), offset: Math.round(row.getBoundingClientRect().top - edge) };
    };
    const before = top();
    const above = queryAllByRole(list, 'listitem').find((r) => r.getBoundingClientRect().bottom < list.getBoundingClientRect().top)!;
    const id = above.dataset.id!;
    adapter.emitRaw('message', { ...session.transcript.get(id)!, text: 'A much longer text now. '.repeat(12) });
    await settle(pane);
    expect(session.transcript.get(id)!.text).to.contain('much longer');
    expect(top()).to.deep.equal(before);
  });
});

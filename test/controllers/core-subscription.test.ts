import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import sinon from 'sinon';
import { MockChannelAdapter } from '../../src/adapters/mock-adapter.js';
import { CoreSubscriptionController } from '../../src/controllers/core-subscription.js';
import { type AgentErrorDetail, ConsoleCore, type CoreChangeDetail } from '../../src/core/console-core.js';

/** Lists the changes and errors of the core it is given. */
class CoreHost extends LitElement {
  @property({ attribute: false }) core?: ConsoleCore;
  changes: CoreChangeDetail[] = [];
  errors: AgentErrorDetail[] = [];
  constructor() {
    super();
    new CoreSubscriptionController(this, {
      core: () => this.core,
      change: (detail) => this.changes.push(detail),
      error: (detail) => this.errors.push(detail),
    });
  }
}
customElements.define('test-core-host', CoreHost);

const newCore = () => new ConsoleCore(new MockChannelAdapter({ latency: 0 }), { logger: { warn: () => {} } });
const opened = (core: ConsoleCore, id: string) =>
  core.openSession({ id, channel: 'facebook', customer: { id: 'p', name: 'Ana' }, startedAt: new Date().toISOString() });

describe('CoreSubscriptionController', () => {
  afterEach(() => sinon.restore());

  it('hears the core’s changes and errors while the element is connected', async () => {
    const core = newCore();
    const host = await fixture<CoreHost>(html`<test-core-host .core=${core}></test-core-host>`);
    opened(core, 'c1');
    expect(host.changes).to.deep.equal([{ area: 'sessions', id: 'c1' }]);
    sinon.stub(core.adapter, 'setTyping').throws(new Error('Channel down'));
    core.setTyping('c1', true);
    expect(host.errors.map((error) => error.code)).to.deep.equal(['adapter-failure']);
  });

  it('moves to another core when the element’s core changes', async () => {
    const first = newCore();
    const second = newCore();
    const host = await fixture<CoreHost>(html`<test-core-host .core=${first}></test-core-host>`);
    host.core = second;
    await host.updateComplete;
    opened(first, 'old');
    opened(second, 'new');
    expect(host.changes.map((change) => change.id)).to.deep.equal(['new']);
  });

  it('lets go of the core when disconnected, and follows it again when connected', async () => {
    const core = newCore();
    const host = await fixture<CoreHost>(html`<test-core-host .core=${core}></test-core-host>`);
    const parent = host.parentElement!;
    host.remove();
    opened(core, 'while-away');
    expect(host.changes).to.deep.equal([]);
    parent.append(host);
    opened(core, 'back');
    expect(host.changes.map((change) => change.id)).to.deep.equal(['back']);
  });

  it('hears nothing without a core', async () => {
    const host = await fixture<CoreHost>(html`<test-core-host></test-core-host>`);
    const core = newCore();
    opened(core, 'c1');
    expect(host.changes).to.deep.equal([]);
  });
});

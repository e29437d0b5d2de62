import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import sinon from 'sinon';
import { ClockController, resolutionFor } from '../../src/controllers/clock.js';

/** Shows how often it was ticked; `every` is the resolution it asks for. */
class ClockHost extends LitElement {
  @property({ type: Number }) every = 1000;
  ticks = 0;
  renders = 0;
  constructor(withTick = true) {
    super();
    new ClockController(this, () => this.every, withTick ? () => this.ticks++ : undefined);
  }
  override render() {
    this.renders++;
    return html`${this.ticks}`;
  }
}
customElements.define('test-clock-host', ClockHost);
class RenderingClockHost extends ClockHost {
  constructor() {
    super(false);
  }
}
customElements.define('test-rendering-clock-host', RenderingClockHost);

describe('ClockController', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => (clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setInterval', 'clearInterval', 'Date'] })));
  afterEach(() => clock.restore());

  const mount = (every: number[]) =>
    fixture<HTMLElement>(html`<div>${every.map((e) => html`<test-clock-host .every=${e}></test-clock-host>`)}</div>`).then(
      (wrapper) => [...wrapper.children] as ClockHost[],
    );

  it('runs one timer for all the elements of a page', async () => {
    await mount([1000, 1000, 60_000]);
    expect(clock.countTimers()).to.equal(1);
  });

  it('ticks each element as often as it asks: every second, every minute', async () => {
    const [seconds, minutes] = await mount([1000, 60_000]);
    await clock.tickAsync(120_000);
    expect(seconds.ticks).to.equal(120);
    expect(minutes.ticks).to.equal(2);
  });

  it('runs no timer while no element needs the time, and starts when one does', async () => {
    const [host] = await mount([0, 0]);
    expect(clock.countTimers()).to.equal(0);
    host.every = 1000;
    await host.updateComplete;
    expect(clock.countTimers()).to.equal(1);
    await clock.tickAsync(3000);
    expect(host.ticks).to.equal(3);
  });

  it('goes from minutes to seconds when what an element shows needs it', async () => {
    const [host] = await mount([60_000]);
    await clock.tickAsync(10_000);
    expect(host.ticks).to.equal(0);
    host.every = 1000;
    await host.updateComplete;
    await clock.tickAsync(5000);
    expect(host.ticks).to.equal(5);
  });

  it('stops when no element is connected, and starts again when one is', async () => {
    const [host] = await mount([1000]);
    const parent = host.parentElement!;
    host.remove();
    expect(clock.countTimers()).to.equal(0);
    await clock.tickAsync(5000);
    expect(host.ticks).to.equal(0);
    parent.append(host);
    await clock.tickAsync(2000);
    expect(host.ticks).to.equal(2);
  });

  it('re-renders the element when it gives nothing else to do', async () => {
    const host = await fixture<ClockHost>(html`<test-rendering-clock-host></test-rendering-clock-host>`);
    const before = host.renders;
    await clock.tickAsync(3000);
    await host.updateComplete;
    expect(host.renders).to.equal(before + 3);
  });

  it('knows how often a shown duration changes', () => {
    expect([0, 59_000, -30_000, 60_000, 3_600_000].map(resolutionFor)).to.deep.equal([1000, 1000, 1000, 60_000, 60_000]);
  });
});

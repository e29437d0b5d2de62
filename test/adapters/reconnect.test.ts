import { expect } from '@open-wc/testing';
import { reconnectDelay } from '../../src/adapters/reconnect.js';

describe('reconnectDelay', () => {
  it('doubles from the first delay up to the longest, with ±20 % jitter', () => {
    expect(reconnectDelay(0, 1000, 30_000, () => 0.5)).to.equal(1000);
    expect(reconnectDelay(3, 1000, 30_000, () => 0.5)).to.equal(8000);
    expect(reconnectDelay(20, 1000, 30_000, () => 0.5)).to.equal(30_000);
    expect(reconnectDelay(20, 1000, 30_000, () => 0)).to.equal(24_000);
    expect(reconnectDelay(20, 1000, 30_000, () => 1)).to.equal(36_000);
  });

  it('starts at 1 second and stops at 30 seconds by default', () => {
    expect(reconnectDelay(0)).to.be.within(800, 1200);
    expect(reconnectDelay(20)).to.be.within(24_000, 36_000);
  });

  it('takes other bounds, and stays at the longest however many attempts failed', () => {
    expect(reconnectDelay(0, 200, 1000, () => 0.5)).to.equal(200);
    expect(reconnectDelay(2, 200, 1000, () => 0.5)).to.equal(800);
    expect(reconnectDelay(3, 200, 1000, () => 0.5)).to.equal(1000);
    expect(reconnectDelay(5000, 200, 1000, () => 0.5)).to.equal(1000);
  });
});

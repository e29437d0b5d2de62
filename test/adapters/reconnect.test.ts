import { expect } from '@open-wc/testing';
import { reconnectDelay } from '../../src/adapters/reconnect.js';

describe('reconnectDelay', () => {
  it('doubles from 1 second and caps at 30 seconds, with ±20 % jitter', () => {
    expect(reconnectDelay(0, {}, () => 0.5)).to.equal(1000);
    expect(reconnectDelay(3, {}, () => 0.5)).to.equal(8000);
    expect(reconnectDelay(20, {}, () => 0.5)).to.equal(30_000);
    expect(reconnectDelay(20, {}, () => 0)).to.equal(24_000);
    expect(reconnectDelay(20, {}, () => 1)).to.equal(36_000);
  });

  it('takes other bounds, and stays at the cap however many attempts failed', () => {
    expect(reconnectDelay(0, { first: 200, max: 1000 }, () => 0.5)).to.equal(200);
    expect(reconnectDelay(2, { first: 200, max: 1000 }, () => 0.5)).to.equal(800);
    expect(reconnectDelay(3, { first: 200, max: 1000 }, () => 0.5)).to.equal(1000);
    expect(reconnectDelay(5000, { first: 200, max: 1000 }, () => 0.5)).to.equal(1000);
  });
});

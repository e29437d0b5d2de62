import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authThrottle } from '../dist/limits.js';

describe('authThrottle', () => {
  test('lets a few wrong tokens pass, then makes the address wait twice as long after each, up to maxDelay', () => {
    let time = 0;
    const throttle = authThrottle({ freeFailures: 3, baseDelay: 1000, maxDelay: 8000, now: () => time });
    const waits = [];
    for (let i = 0; i < 7; i++) {
      assert.equal(throttle.waitFor('10.0.0.1'), 0, 'looked at once its wait is over');
      waits.push(throttle.failed('10.0.0.1'));
      time += throttle.waitFor('10.0.0.1');
    }
    assert.deepEqual(waits, [0, 0, 0, 1000, 2000, 4000, 8000]);
    assert.equal(throttle.waitFor('10.0.0.2'), 0, 'other addresses are not slowed');
  });

  test('a right token clears the record, and so does keeping away for maxDelay', () => {
    let time = 0;
    const throttle = authThrottle({ freeFailures: 1, baseDelay: 1000, maxDelay: 5000, now: () => time });
    throttle.failed('a');
    assert.equal(throttle.failed('a'), 1000);
    throttle.succeeded('a');
    assert.equal(throttle.waitFor('a'), 0);
    assert.equal(throttle.failed('a'), 0, 'counting starts afresh');
    time += 5000;
    assert.equal(throttle.failed('a'), 0, 'a quiet address starts afresh');
  });

  test('remembers at most maxClients addresses', () => {
    const throttle = authThrottle({ freeFailures: 0, baseDelay: 1000, maxClients: 2, now: () => 0 });
    for (const client of ['a', 'b', 'c']) throttle.failed(client);
    assert.deepEqual(['a', 'b', 'c'].map((client) => throttle.waitFor(client)), [0, 1000, 1000]);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cleanUrl, createLogger } from '../dist/logging.js';

describe('logging', () => {
  test('secrets in a logged object or a request line are replaced, wherever the line carries them', () => {
    const lines = [];
    const log = createLogger((_message, line) => lines.push(line), 'info');
    log.info({ token: 'agent-secret-1', agent: { token: 'agent-secret-2' }, pageAccessToken: 'EAA-page-secret' }, 'one');
    log.error(
      {
        req: {
          method: 'GET',
          url: '/webhook?hub.mode=subscribe&hub.verify_token=verify-secret&hub.challenge=7',
          ip: '127.0.0.1',
          headers: { authorization: 'Bearer agent-secret-3', 'x-hub-signature-256': 'sha256=abc' },
        },
      },
      'two',
    );
    const all = lines.join('\n');
    for (const secret of ['agent-secret-1', 'agent-secret-2', 'agent-secret-3', 'EAA-page-secret', 'verify-secret', 'sha256=abc']) {
      assert.ok(!all.includes(secret), `a line carries ${secret}`);
    }
    const request = JSON.parse(lines[1]).req;
    assert.deepEqual(request, { method: 'GET', url: '/webhook?hub.mode=subscribe&hub.verify_token=%5Bredacted%5D&hub.challenge=7', remoteAddress: '127.0.0.1' });
  });

  test('cleanUrl keeps a path without secrets as it is', () => {
    assert.equal(cleanUrl('/api/conversations/1%3A2/messages?limit=50'), '/api/conversations/1%3A2/messages?limit=50');
    assert.equal(cleanUrl('/x?access_token=EAA1&token=t&appsecret_proof=p'), '/x?access_token=%5Bredacted%5D&token=%5Bredacted%5D&appsecret_proof=%5Bredacted%5D');
  });

  test('false logs nothing, and the level holds back what is below it', () => {
    const lines = [];
    createLogger(false, 'info').error('nothing');
    const log = createLogger((message) => lines.push(message), 'warn');
    log.info('hidden');
    log.warn('shown');
    assert.deepEqual(lines, ['shown']);
  });
});

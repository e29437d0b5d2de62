import { expect } from '@open-wc/testing';
import type { Attachment } from '../../src/adapters/types.js';
import { instagramCapabilities, messengerCapabilities } from '../../src/adapters/facebook/channel.js';
import { isoTime, MalformedEventError, validateCapabilities, validateChannelEvent, validateConversation, validateSentMessage } from '../../src/adapters/validate.js';
import { message } from '../fixtures.js';

const refusal = (type: Parameters<typeof validateChannelEvent>[0], detail: unknown): MalformedEventError => {
  try {
    validateChannelEvent(type, detail);
  } catch (error) {
    expect(error).to.be.instanceOf(MalformedEventError);
    return error as MalformedEventError;
  }
  throw new Error(`expected ${JSON.stringify(detail)} to be refused`);
};

describe('validateChannelEvent', () => {
  it('accepts a well-formed message and returns a copy without unknown fields', () => {
    const input = { ...message({ attachments: [{ id: 'a', kind: 'image', name: '1.png', mimeType: 'image/png', url: 'https://x/1.png', size: 10 }] }), extra: 'ignored' };
    const result = validateChannelEvent('message', input);
    expect(result).to.deep.equal(message({ attachments: input.attachments }));
    expect(result).not.to.equal(input);
    expect(result).not.to.have.property('extra');
  });

  it('accepts watermark statuses, reactions and referrals, and refuses them malformed', () => {
    const base = { conversationId: 'c1', status: 'read' };
    expect(validateChannelEvent('message-status', { ...base, before: '2026-11-21T10:00:00Z' })).to.deep.equal({ ...base, before: '2026-11-21T10:00:00Z' });
    expect(() => validateChannelEvent('message-status', base)).to.throw(/detail\.messageId is missing: a status needs messageId, clientId or before/);
    expect(() => validateChannelEvent('message-status', { ...base, before: 'yesterday' })).to.throw(/detail\.before/);
    const system = { id: 'm1', conversationId: 'c1', direction: 'system', sentAt: '2026-11-21T10:00:00Z' };
    expect(validateChannelEvent('message', { ...system, reaction: { emoji: '❤', action: 'react', messageId: 'm0' } }).reaction).to.deep.equal({ emoji: '❤', action: 'react', messageId: 'm0' });
    expect(validateChannelEvent('message', { ...system, referral: { source: 'ADS', adId: '42' } }).referral).to.deep.equal({ source: 'ADS', adId: '42' });
    expect(() => validateChannelEvent('message', { ...system, reaction: { emoji: '❤', action: 'love' } })).to.throw(/detail\.reaction\.action/);
    expect(() => validateChannelEvent('message', { ...system, ended: { byAgent: true } })).to.throw(/detail\.text is missing/);
  });

  it('checks a plain text message as strictly as any other', () => {
    const plain = { ...message({ clientId: 'k1', direction: 'outbound', status: 'sent' }), ended: { byAgent: true }, extra: 1 };
    expect(validateChannelEvent('message', plain)).to.deep.equal(message({ clientId: 'k1', direction: 'outbound', status: 'sent' }));
    const wrong: [Record<string, unknown>, string][] = [
      [{ attachments: null }, 'detail.attachments'],
      [{ reaction: null }, 'detail.reaction'],
      [{ clientId: '' }, 'detail.clientId'],
      [{ clientId: 7 }, 'detail.clientId'],
      [{ status: 'seen' }, 'detail.status'],
      [{ status: null }, 'detail.status'],
      [{ conversationId: ' ' }, 'detail.conversationId'],
      [{ sentAt: '2026-11-21T10:00:00' }, 'detail.sentAt'],
      [{ text: null }, 'detail.text'],
    ];
    for (const [change, field] of wrong) expect(refusal('message', { ...message(), ...change }).field, JSON.stringify(change)).to.equal(field);
    const trap = message();
    Object.defineProperty(trap, 'direction', { get: () => { throw new Error('boom'); }, enumerable: true });
    expect(refusal('message', trap)).to.include({ field: 'detail.direction', problem: 'could not be read' });
  });

  it('names the missing id', () => {
    const { id: _id, ...noId } = message();
    const error = refusal('message', noId);
    expect(error.field).to.equal('detail.id');
    expect(error.message).to.equal('Adapter event "message" dropped: detail.id must be a string (got undefined).');
  });

  it('refuses an empty id', () => {
    expect(refusal('message', message({ id: '  ' })).field).to.equal('detail.id');
  });

  it('refuses a date that is not ISO 8601 with a time zone', () => {
    for (const sentAt of ['yesterday', '2026-11-21', '2026-11-21T10:00:00', '2026-13-45T10:00:00Z', 1763719200000]) {
      const error = refusal('message', { ...message(), sentAt });
      expect(error.field, String(sentAt)).to.equal('detail.sentAt');
    }
    expect(() => validateChannelEvent('message', message({ sentAt: '2026-11-21T10:00:00+07:00' }))).not.to.throw();
  });

  it('refuses an unknown direction', () => {
    const error = refusal('message', { ...message(), direction: 'sideways' });
    expect(error.field).to.equal('detail.direction');
    expect(error.message).to.contain('inbound, outbound, system');
  });

  it('refuses wrong types, naming the nested field', () => {
    expect(refusal('message', { ...message(), text: 42 }).field).to.equal('detail.text');
    expect(refusal('message', message({ attachments: [{ id: 'a', kind: 'image', name: 'x', mimeType: 'image/png', url: 7 } as never] })).field).to.equal('detail.attachments[0].url');
    expect(refusal('message', message({ attachments: [{ id: 'a', kind: 'sticker', name: 'x', mimeType: 'image/png', url: 'u' } as never] })).field).to.equal('detail.attachments[0].kind');
    expect(refusal('message', message({ attachments: [{ id: 'a', kind: 'file', name: 'x', mimeType: 'a/b', url: 'u', size: -1 }] })).field).to.equal('detail.attachments[0].size');
    expect(refusal('message', { ...message(), attachments: 'x' }).field).to.equal('detail.attachments');
    expect(refusal('typing', { conversationId: 'c1', typing: 'yes' }).field).to.equal('detail.typing');
    expect(refusal('conversation-request', { id: 'r', channel: 'facebook', customer: { id: 5, name: 'Ana' }, createdAt: '2026-11-21T10:00:00Z' }).field).to.equal('detail.customer.id');
  });

  it('reads the time of an ISO date as Date.parse does, and only real times', () => {
    const taken = [
      '2026-11-21T10:00Z',
      '2026-11-21T10:00:59Z',
      '2026-11-21T10:00:00.5Z',
      '2026-11-21T10:00:00.123456789Z',
      '2026-11-21T10:00:00+07:00',
      '2026-11-21T10:00:00-0930',
      '2026-11-21T24:00:00Z',
      '2024-02-29T23:59:59.999+14:00',
      '0050-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
    ];
    for (const date of taken) expect(isoTime(date), date).to.equal(Date.parse(date));
    const refused = [
      '2026-11-21',
      '2026-11-21T10:00:00',
      '2026-11-21 10:00:00Z',
      '2026-11-21T25:00:00Z',
      '2026-11-21T24:00:01Z',
      '2026-11-21T10:60:00Z',
      '2026-11-21T10:00:60Z',
      '2026-13-01T10:00:00Z',
      '2026-00-01T10:00:00Z',
      '2026-11-00T10:00:00Z',
      '2023-02-29T10:00:00Z',
      '2026-11-21T10:00:00.Z',
      '2026-11-21T10:00:00.1234567891Z',
      '2026-11-21T10:00:00+24:00',
      '2026-11-21T10:00:00+07:00 ',
      '+2026-11-21T10:00:00Z',
      '２０２６-11-21T10:00:00Z',
    ];
    for (const date of refused) expect(isoTime(date), date).to.be.NaN;
  });

  it('refuses dates that do not exist', () => {
    expect(refusal('message', message({ sentAt: '2024-02-30T10:00:00Z' })).field).to.equal('detail.sentAt');
    expect(() => validateChannelEvent('message', message({ sentAt: '2024-02-29T10:00:00Z' }))).not.to.throw();
    // Every month's last day is taken and the day after it refused, in leap and common years and at centuries.
    for (const year of [1900, 2000, 2023, 2024]) {
      for (let month = 1; month <= 12; month++) {
        const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
        const day = (d: number) => `${year}-${String(month).padStart(2, '0')}-${d}T10:00:00Z`;
        expect(() => validateChannelEvent('message', message({ sentAt: day(last) })), day(last)).not.to.throw();
        if (last < 31) expect(refusal('message', message({ sentAt: day(last + 1) })).field, day(last + 1)).to.equal('detail.sentAt');
      }
    }
  });

  it('is not fooled by hostile objects', () => {
    const attachments: Attachment[] = [{ id: 'a', kind: 'image', name: 'x', mimeType: 'image/png', url: 'u' }];
    const tricked = Object.assign(attachments.slice(), { map: () => [{ evil: true }] });
    expect(validateChannelEvent('message', message({ attachments: tricked as never })).attachments).to.deep.equal(attachments);
    expect(refusal('message', message({ text: undefined, attachments: new Array(1) })).field).to.equal('detail.attachments[0]');
    expect(refusal('message', { ...message(), text: Object.create(null) }).message).to.contain('got an object');
    const trap = { ...message() };
    Object.defineProperty(trap, 'text', { get: () => { throw new Error('boom'); }, enumerable: true });
    expect(refusal('message', trap)).to.include({ field: 'detail.text' });
    expect(refusal('constructor' as never, {}).field).to.equal('type');
    expect(refusal('__proto__' as never, {}).field).to.equal('type');
  });

  it('refuses a detail that is not an object', () => {
    for (const detail of [undefined, null, 'message', [message()]]) {
      expect(refusal('message', detail).field).to.equal('detail');
    }
  });

  it('refuses a message with nothing in it', () => {
    const { text: _text, ...empty } = message();
    expect(refusal('message', empty).field).to.equal('detail.text');
  });

  it('accepts another sender, a reply, standby, a link and a location, and refuses them malformed', () => {
    const rich = {
      author: { kind: 'other' as const, appId: '263902037430900', name: 'Page inbox' },
      replyTo: { messageId: 'm0' },
      standby: true,
      link: { url: 'https://shop.example.com/p/4471', title: 'Blue rain jacket' },
      location: { latitude: -90, longitude: 180 },
    };
    expect(validateChannelEvent('message', message(rich))).to.deep.equal(message(rich));
    const { text: _text, ...bare } = message();
    expect(validateChannelEvent('message', { ...bare, link: { url: 'http://x.test/a' } })).to.deep.equal({ ...bare, link: { url: 'http://x.test/a' } });
    expect(validateChannelEvent('message', { ...bare, location: { latitude: 0, longitude: 0 } })).to.have.property('location');
    const wrong: [Record<string, unknown>, string, string][] = [
      [{ link: { url: 'javascript:alert(1)' } }, 'detail.link.url', 'must be an absolute https: or http: URL (got "javascript:alert(1)")'],
      [{ link: { url: '/reel/123/' } }, 'detail.link.url', 'must be an absolute https: or http: URL (got "/reel/123/")'],
      [{ link: { url: 'https://x.test/a b' } }, 'detail.link.url', 'must be an absolute https: or http: URL (got "https://x.test/a b")'],
      [{ link: { url: 'https://x.test', title: 7 } }, 'detail.link.title', 'must be a string (got 7)'],
      [{ location: { latitude: 90.5, longitude: 0 } }, 'detail.location.latitude', 'must be a number from -90 to 90 (got 90.5)'],
      [{ location: { latitude: 0, longitude: -181 } }, 'detail.location.longitude', 'must be a number from -180 to 180 (got -181)'],
      [{ location: { latitude: NaN, longitude: 0 } }, 'detail.location.latitude', 'must be a number from -90 to 90 (got NaN)'],
      [{ location: { latitude: '55.6', longitude: 12 } }, 'detail.location.latitude', 'must be a number from -90 to 90 (got "55.6")'],
      [{ author: { kind: 'agent' } }, 'detail.author.kind', 'must be one of other (got "agent")'],
      [{ replyTo: { messageId: '' } }, 'detail.replyTo.messageId', 'must be a non-empty string'],
      [{ standby: 'yes' }, 'detail.standby', 'must be true or false (got "yes")'],
    ];
    for (const [change, field, problem] of wrong) expect(refusal('message', { ...message(), ...change }), JSON.stringify(change)).to.include({ field, problem });
  });

  it('drops edited and deleted, which only the console writes', () => {
    const written = { edited: { at: '2026-11-21T10:00:00Z', earlier: ['old'] }, deleted: true };
    expect(validateChannelEvent('message', message(written as never))).to.deep.equal(message());
    expect(validateSentMessage({ ...message({ direction: 'outbound', clientId: 'k1' }), deleted: true })).not.to.have.property('deleted');
    // A message with nothing else to show is still refused: being "deleted" shows nothing.
    const { text: _text, ...bare } = message();
    expect(refusal('message', { ...bare, deleted: true }).field).to.equal('detail.text');
  });

  it('checks edits, removals, thread control and connection codes', () => {
    const edit = { conversationId: 'c1', messageId: 'm1', text: '', editedAt: '2026-11-21T10:00:00Z' };
    expect(validateChannelEvent('message-edited', edit)).to.deep.equal(edit);
    expect(refusal('message-edited', { ...edit, editedAt: 'now' }).field).to.equal('detail.editedAt');
    expect(refusal('message-edited', { ...edit, text: undefined }).field).to.equal('detail.text');
    expect(validateChannelEvent('message-deleted', { conversationId: 'c1', messageId: 'm1' })).to.deep.equal({ conversationId: 'c1', messageId: 'm1' });
    expect(refusal('message-deleted', { conversationId: 'c1' }).field).to.equal('detail.messageId');
    expect(validateChannelEvent('thread-control', { conversationId: 'c1', owner: 'other', appId: '263902037430900' })).to.deep.equal({ conversationId: 'c1', owner: 'other', appId: '263902037430900' });
    expect(refusal('thread-control', { conversationId: 'c1', owner: 'bot' }).field).to.equal('detail.owner');
    expect(refusal('thread-control', { conversationId: 'c1', owner: 'console', appId: 7 }).field).to.equal('detail.appId');
    const unauthorized = { state: 'connecting', code: 'channel-unauthorized', error: 'The Page token expired.' };
    expect(validateChannelEvent('connection-change', unauthorized)).to.deep.equal(unauthorized);
    expect(refusal('connection-change', { state: 'open', code: 'token-expired' }).field).to.equal('detail.code');
  });

  it('refuses a status that names no message', () => {
    expect(refusal('message-status', { conversationId: 'c1', status: 'read' }).field).to.equal('detail.messageId');
    expect(refusal('message-status', { conversationId: 'c1', messageId: 'm', status: 'seen' }).field).to.equal('detail.status');
  });

  it('checks every event type of the contract', () => {
    expect(validateChannelEvent('conversation-request-withdrawn', { requestId: 'r1', reason: 'left' })).to.deep.equal({ requestId: 'r1', reason: 'left' });
    expect(validateChannelEvent('conversation-ended', { conversationId: 'c1' })).to.deep.equal({ conversationId: 'c1' });
    expect(validateChannelEvent('connection-change', { state: 'open' })).to.deep.equal({ state: 'open' });
    expect(refusal('connection-change', { state: 'flaky' }).field).to.equal('detail.state');
    expect(refusal('conversation-request-withdrawn', {}).field).to.equal('detail.requestId');
  });

  it('refuses an event type outside the contract', () => {
    expect(refusal('reaction' as never, {}).field).to.equal('type');
  });

  it('checks what accept and sendMessage resolve with', () => {
    expect(() => validateConversation({ id: 'c1', channel: 'facebook', customer: { id: 'p', name: 'Ana' }, startedAt: 'now' }))
      .to.throw(MalformedEventError, 'adapter.accept() resolved with bad data: result.startedAt');
    expect(() => validateSentMessage({ ...message(), direction: undefined })).to.throw(MalformedEventError, 'result.direction');
  });
});

describe('validateCapabilities', () => {
  const good = { name: 'Web chat', textLimit: 4096, attachments: { maxBytes: 1000, accept: ['image/*', '.pdf'] }, typing: true, readReceipts: false, reactions: false };
  const problem = (change: Record<string, unknown>) => {
    try {
      validateCapabilities({ ...good, ...change });
    } catch (error) {
      expect(error).to.be.instanceOf(MalformedEventError);
      return (error as Error).message;
    }
    throw new Error(`expected ${JSON.stringify(change)} to be refused`);
  };

  it('accepts Messenger’s and a plain channel’s, keeping only the known fields', () => {
    expect(validateCapabilities(messengerCapabilities)).to.deep.equal(messengerCapabilities);
    expect(validateCapabilities(instagramCapabilities)).to.deep.equal(instagramCapabilities);
    expect(validateCapabilities({ ...good, extra: 1, icon: ' https://cdn.example.com/chat.svg' })).to.deep.equal({ ...good, icon: ' https://cdn.example.com/chat.svg' });
    expect(validateCapabilities({ ...good, icon: '<?xml version="1.0"?><svg viewBox="0 0 1 1"></svg>', replyWindowHours: 1.5 })).to.include({ replyWindowHours: 1.5 });
  });

  it('refuses bad capabilities, naming the field', () => {
    expect(problem({ name: ' ' })).to.equal('adapter.getCapabilities() resolved with bad data: result.name must be a non-empty string.');
    expect(problem({ textLimit: -1 })).to.equal('adapter.getCapabilities() resolved with bad data: result.textLimit must be a positive whole number (got -1).');
    expect(problem({ textLimit: 2.5 })).to.contain('result.textLimit must be a positive whole number');
    expect(problem({ icon: 'javascript:alert(1)' })).to.contain('result.icon must be SVG markup or an https: or data:image/ URL (got "javascript:alert(1)")');
    expect(problem({ icon: 'http://cdn.example.com/chat.png' })).to.contain('result.icon must be');
    expect(problem({ icon: '<img src=x onerror=alert(1)>' })).to.contain('result.icon must be');
    expect(problem({ typing: 'yes' })).to.contain('result.typing must be true or false');
    expect(problem({ readReceipts: undefined })).to.contain('result.readReceipts must be true or false');
    expect(problem({ replyWindowHours: 0 })).to.contain('result.replyWindowHours must be a positive number');
    expect(problem({ attachments: undefined })).to.contain('result.attachments must be an object');
    expect(problem({ attachments: { maxBytes: 0, accept: ['.pdf'] } })).to.contain('result.attachments.maxBytes must be a positive whole number');
    expect(problem({ attachments: { maxBytes: 10, accept: [] } })).to.contain('result.attachments.accept must list at least one file type');
    expect(problem({ attachments: { maxBytes: 10, accept: ['pdf'] } })).to.contain('result.attachments.accept[0] must be a MIME type or an .extension');
    expect(problem({ attachments: { maxBytes: 10, accept: ['.pdf'], filesPerMessage: 0 } })).to.contain('result.attachments.filesPerMessage');
    expect(problem({ unsupported: { poll: '' } })).to.contain('result.unsupported.poll must be a non-empty string');
    expect(problem({ unsupported: { poll: { da: 7 } } })).to.contain('result.unsupported.poll.da must be a string (got 7)');
    expect(problem({ unsupported: ['sticker'] })).to.contain('result.unsupported must be an object');
  });

  it('keeps a kind named __proto__ as a plain name', () => {
    const result = validateCapabilities({ ...good, unsupported: JSON.parse('{"__proto__": "odd", "poll": {"en": "poll"}}') });
    expect(Object.getPrototypeOf(result.unsupported)).to.equal(Object.prototype);
    expect(Object.keys(result.unsupported!)).to.deep.equal(['__proto__', 'poll']);
  });
});

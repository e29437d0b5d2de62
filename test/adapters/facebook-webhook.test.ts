import { expect } from '@open-wc/testing';
import { MessengerWebhookError, parseMessengerWebhook } from '../../src/adapters/facebook/webhook.js';
import type { MessengerWebhookOptions } from '../../src/adapters/facebook/webhook.js';
import type { ChannelEvent, Message } from '../../src/adapters/types.js';
import { validateChannelEvent } from '../../src/adapters/validate.js';

const fixture = async (name: string): Promise<unknown> => {
  const response = await fetch(new URL(`../fixtures/facebook/${name}`, import.meta.url));
  return JSON.parse(await response.text());
};

/** Parses, records what was skipped, and checks every event against the contract. */
const parse = (body: unknown, options: MessengerWebhookOptions = {}) => {
  const skipped: { item: unknown; reason: string }[] = [];
  const events = parseMessengerWebhook(body, { onSkipped: (item, reason) => skipped.push({ item, reason }), ...options });
  for (const event of events) expect(validateChannelEvent(event.type, event.detail), event.type).to.deep.equal(event.detail);
  return { events, skipped };
};

const message = (detail: Message): ChannelEvent => ({ type: 'message', detail });

// The courier fixtures: page 1234567890, customer 5678, one time for everything.
const courier = { conversationId: '1234567890:5678', sentAt: '2016-04-07T01:11:27.970Z' };
const courierInbound = { id: 'external_id', direction: 'inbound', ...courier } as const;
// The fbmq fixtures: page 1691462197845448, customer 1134343043305865.
const fbmq = '1691462197845448:1134343043305865';
// The messenger-bot fixtures: numeric ids.
const messengerBot = '1751036168465324:982337261802700';

const fixtures: Record<string, ChannelEvent[]> = {
  'courier_fba_hello_msg.json': [message({ ...courierInbound, text: 'Hello World' })],
  'courier_fba_attachment.json': [
    message({
      ...courierInbound,
      attachments: [{ id: 'external_id:0', kind: 'image', name: 'foo.png', mimeType: 'image/png', url: 'https://image-url/foo.png' }],
    }),
  ],
  'courier_fba_location_attachment.json': [message({ ...courierInbound, unsupported: { type: 'location' } })],
  'courier_fba_fallback.json': [message({ ...courierInbound, unsupported: { type: 'fallback' } })],
  'courier_fba_thumbs_up.json': [
    message({
      ...courierInbound,
      attachments: [
        {
          id: 'external_id:0',
          kind: 'image',
          name: 'sticker-369239263222822.png',
          mimeType: 'image/png',
          url: 'https://scontent.xx.fbcdn.net/v/arst',
          nameIsGenerated: true,
        },
      ],
    }),
  ],
  'courier_fba_dlr.json': [
    { type: 'message-status', detail: { conversationId: courier.conversationId, messageId: 'mid.1458668856218:ed81099e15d3f4f233', status: 'delivered' } },
  ],
  // The page is the recipient here although it is an echo: the customer is still 5678.
  'courier_fba_echo.json': [
    message({ id: 'qT7ywaK', direction: 'outbound', ...courier, unsupported: { type: 'unknown' }, status: 'sent' }),
  ],
  'courier_fba_postback_referral.json': [
    message({ id: 'postback:5678:1459991487970', direction: 'inbound', ...courier, text: 'postback title' }),
    message({
      id: 'referral:5678:1459991487970',
      direction: 'system',
      ...courier,
      referral: { source: 'postback source', ref: 'postback ref', adId: 'ad id' },
    }),
  ],
  // The sender has a PSID as well as a user_ref, so the referral has a conversation.
  'courier_fba_referral.json': [
    message({
      id: 'referral:5678:1459991487970',
      direction: 'system',
      ...courier,
      referral: { source: 'referral source', ref: 'referral id', adId: 'ad id' },
    }),
  ],
  'courier_fba_reel.json': [message({ ...courierInbound, unsupported: { type: 'ig_reel' } })],
  'courier_fba_duplicate_msg.json': [message({ ...courierInbound, text: 'Hello World' })],
  'fbmq_read.json': [{ type: 'message-status', detail: { conversationId: fbmq, before: '2016-08-24T08:21:08.763Z', status: 'read' } }],
  'fbmq_echo_text.json': [
    message({
      id: 'mid.1472026868734:832ecbdfc1ffc30139',
      conversationId: fbmq,
      direction: 'outbound',
      sentAt: '2016-08-24T08:21:08.763Z',
      text: 'hello',
      status: 'sent',
    }),
  ],
  'fbmq_quick_reply.json': [
    message({ id: 'mid.1472028637817:ae2763cc036a664b43', conversationId: fbmq, direction: 'inbound', sentAt: '2016-08-24T08:50:37.825Z', text: 'Action' }),
  ],
  'messengerbot_text_numeric_ids_unicode.json': [
    message({
      id: 'mid.1460923697625:5c96e8279b55505308',
      conversationId: messengerBot,
      direction: 'inbound',
      sentAt: '2016-04-17T20:08:17.635Z',
      text: 'Test äëï',
    }),
  ],
  'messengerbot_delivery_legacy_mid.json': [
    { type: 'message-status', detail: { conversationId: messengerBot, messageId: 'mid.1460923697625:5c96e8279b55505308', status: 'delivered' } },
  ],
};

// Hand-made bodies: page 111, customer 222.
const time = 1763719200000;
const sentAt = '2025-11-21T10:00:00.000Z';
const conversationId = '111:222';
const fromCustomer = (fields: object, timestamp = time) => ({
  sender: { id: '222' },
  recipient: { id: '111' },
  timestamp,
  ...fields,
});
const fromPage = (fields: object) => ({ sender: { id: '111' }, recipient: { id: '222' }, timestamp: time, ...fields });
const pageBody = (...messaging: unknown[]) => ({ object: 'page', entry: [{ id: '111', time: time - 100_000, messaging }] });
const inbound = (id: string, fields: Partial<Message>): Message => ({ id, conversationId, direction: 'inbound', sentAt, ...fields });
const withAttachments = (...attachments: unknown[]) => pageBody(fromCustomer({ message: { mid: 'm1', attachments } }));

describe('parseMessengerWebhook', () => {
  describe('the shared fixtures', () => {
    it('has an expectation for every fixture named in SOURCES.txt', async () => {
      const response = await fetch(new URL('../fixtures/facebook/SOURCES.txt', import.meta.url));
      const names = (await response.text())
        .split('\n')
        .map((line) => line.split('<-')[0].trim())
        .filter((name) => name.endsWith('.json') && !name.includes(' '));
      expect(names).to.have.length(16);
      expect(Object.keys(fixtures)).to.have.members(names);
    });

    for (const [name, expected] of Object.entries(fixtures)) {
      it(`maps ${name}`, async () => {
        const { events, skipped } = parse(await fixture(name));
        expect(events).to.deep.equal(expected);
        expect(skipped).to.deep.equal([]);
      });
    }
  });

  describe('messages', () => {
    it('keeps the first of two messages with one mid', () => {
      const body = pageBody(fromCustomer({ message: { mid: 'm1', text: 'first' } }), fromCustomer({ message: { mid: 'm1', text: 'again' } }));
      expect(parse(body).events).to.deep.equal([message(inbound('m1', { text: 'first' }))]);
    });

    it('turns ids that arrive as numbers into strings', () => {
      const body = {
        object: 'page',
        entry: [{ id: 111, messaging: [{ sender: { id: 222 }, recipient: { id: 111 }, timestamp: time, message: { mid: 7, text: 'hi' } }] }],
      };
      expect(parse(body).events).to.deep.equal([message(inbound('7', { text: 'hi' }))]);
    });

    it('passes hostile text through unchanged, as text', () => {
      const text = '<img src=x onerror=alert(1)>';
      expect(parse(pageBody(fromCustomer({ message: { mid: 'm1', text } }))).events).to.deep.equal([message(inbound('m1', { text }))]);
    });

    it('maps a postback without a mid to an id from the customer and the time, and one with a mid to that', () => {
      const body = pageBody(
        fromCustomer({ postback: { title: 'Track my order', payload: 'TRACK' } }),
        fromCustomer({ postback: { mid: 'm9', title: 'Talk to us', payload: 'HUMAN' } }),
      );
      expect(parse(body).events).to.deep.equal([
        message(inbound(`postback:222:${time}`, { text: 'Track my order' })),
        message(inbound('m9', { text: 'Talk to us' })),
      ]);
    });

    it('takes the time from the entry when the item has none, and skips an item with no time at all', () => {
      const { timestamp: _timestamp, ...untimed } = fromCustomer({ message: { mid: 'm1', text: 'hi' } });
      const body = { object: 'page', entry: [{ id: '111', time, messaging: [untimed] }] };
      expect(parse(body).events).to.deep.equal([message(inbound('m1', { text: 'hi' }))]);
      const timeless = { object: 'page', entry: [{ id: '111', messaging: [untimed] }] };
      const { events, skipped } = parse(timeless);
      expect(events).to.deep.equal([]);
      expect(skipped.map(({ reason }) => reason)).to.deep.equal(['item has no time: timestamp is missing and entry.time is missing']);
    });

    it('uses the conversation id the options make', () => {
      const options = { conversationId: (pageId: string, psid: string) => `fb-${psid}@${pageId}` };
      const { events } = parse(pageBody(fromCustomer({ message: { mid: 'm1', text: 'hi' } })), options);
      expect(events).to.deep.equal([message({ ...inbound('m1', { text: 'hi' }), conversationId: 'fb-222@111' })]);
    });
  });

  describe('attachments', () => {
    it('names a file from its URL, and marks Facebook CDN numbers as generated', () => {
      const cdn = 'https://scontent.xx.fbcdn.net/v/t1.15752-9/39817236_1856183827758958_4387329813062451200_n.jpg?_nc_cat=0&oh=abc#top';
      const { events } = parse(
        withAttachments(
          { type: 'image', payload: { url: cdn } },
          { type: 'image', payload: { url: 'https://cdn.fbsbx.com/v/123456789_987654321_o.png' } },
          { type: 'file', payload: { url: 'https://cdn.fbsbx.com/v/t59/Invoice%20M%C3%A4rz.pdf?dl=1' } },
          { type: 'video', payload: { url: 'https://video.xx.fbcdn.net/v/1234567890.mp4' } },
          { type: 'audio', payload: { url: 'https://cdn.fbsbx.com/v/audioclip-1763719200000-2310.mp4?x=1' } },
          { type: 'file', payload: { url: 'https://cdn.fbsbx.com/v/notes' } },
          { type: 'image', payload: { url: 'https://cdn.fbsbx.com/v/' } },
        ),
      );
      expect(events).to.deep.equal([
        message(
          inbound('m1', {
            attachments: [
              { id: 'm1:0', kind: 'image', name: '39817236_1856183827758958_4387329813062451200_n.jpg', mimeType: 'image/jpeg', url: cdn, nameIsGenerated: true },
              { id: 'm1:1', kind: 'image', name: '123456789_987654321_o.png', mimeType: 'image/png', url: 'https://cdn.fbsbx.com/v/123456789_987654321_o.png', nameIsGenerated: true },
              { id: 'm1:2', kind: 'file', name: 'Invoice März.pdf', mimeType: 'application/pdf', url: 'https://cdn.fbsbx.com/v/t59/Invoice%20M%C3%A4rz.pdf?dl=1' },
              { id: 'm1:3', kind: 'video', name: '1234567890.mp4', mimeType: 'video/mp4', url: 'https://video.xx.fbcdn.net/v/1234567890.mp4', nameIsGenerated: true },
              { id: 'm1:4', kind: 'audio', name: 'audioclip-1763719200000-2310.mp4', mimeType: 'audio/mp4', url: 'https://cdn.fbsbx.com/v/audioclip-1763719200000-2310.mp4?x=1' },
              { id: 'm1:5', kind: 'file', name: 'notes', mimeType: 'application/octet-stream', url: 'https://cdn.fbsbx.com/v/notes' },
              { id: 'm1:6', kind: 'image', name: 'image', mimeType: 'image/jpeg', url: 'https://cdn.fbsbx.com/v/', nameIsGenerated: true },
            ],
          }),
        ),
      ]);
    });

    it('keeps text and attachments in one message, and names the first unsupported type beside the supported ones', () => {
      const body = pageBody(
        fromCustomer({
          message: {
            mid: 'm1',
            text: 'Here you go',
            attachments: [
              { type: 'template', payload: { template_type: 'generic' } },
              { type: 'image', payload: { url: 'https://x.test/a.gif' } },
              { type: 'location', payload: { coordinates: { lat: 1, long: 2 } } },
            ],
          },
        }),
      );
      expect(parse(body).events).to.deep.equal([
        message(
          inbound('m1', {
            text: 'Here you go',
            attachments: [{ id: 'm1:1', kind: 'image', name: 'a.gif', mimeType: 'image/gif', url: 'https://x.test/a.gif' }],
            unsupported: { type: 'template' },
          }),
        ),
      ]);
    });

    it('marks post, reel, story mention and unknown types unsupported, keeping the text', () => {
      const types = ['post', 'share', 'reel', 'story_mention', 'hologram'];
      const body = pageBody(...types.map((type, i) => fromCustomer({ message: { mid: `m${i}`, text: `look ${i}`, attachments: [{ type, payload: { url: 'https://x.test/p' } }] } })));
      expect(parse(body).events).to.deep.equal(types.map((type, i) => message(inbound(`m${i}`, { text: `look ${i}`, unsupported: { type } }))));
    });

    it('shows a sticker sent under its old and new type once, as a PNG', () => {
      const payload = { url: 'https://scontent.xx.fbcdn.net/v/t39.1997-6/851557_369239266556155_759568595_n.png', sticker_id: 369239263222822 };
      const { events } = parse(withAttachments({ type: 'image', payload }, { type: 'sticker', payload }));
      expect(events).to.deep.equal([
        message(
          inbound('m1', {
            attachments: [{ id: 'm1:0', kind: 'image', name: 'sticker-369239263222822.png', mimeType: 'image/png', url: payload.url, nameIsGenerated: true }],
          }),
        ),
      ]);
    });

    it('marks a sticker unsupported when the policy refuses PNG', () => {
      const body = withAttachments({ type: 'image', payload: { url: 'https://x.test/s', sticker_id: 369239263222822 } });
      const { events } = parse(body, { policy: { accept: ['.jpg', 'application/pdf'] } });
      expect(events).to.deep.equal([message(inbound('m1', { unsupported: { type: 'sticker' } }))]);
      expect(parse(body, { policy: { accept: ['image/*'] } }).events[0].detail).to.have.property('attachments');
    });
  });

  describe('echoes', () => {
    it('maps an echo of our own send to an outbound message carrying the clientId from metadata', () => {
      const body = pageBody(fromPage({ message: { is_echo: true, app_id: 950864918368986, metadata: 'client-42', mid: 'm5', text: 'On its way!' } }));
      expect(parse(body).events).to.deep.equal([
        message({ id: 'm5', conversationId, clientId: 'client-42', direction: 'outbound', sentAt, text: 'On its way!', status: 'sent' }),
      ]);
    });

    it('maps an echo of a template to an unsupported outbound message', () => {
      const body = pageBody(fromPage({ message: { is_echo: true, mid: 'm6', attachments: [{ type: 'template', payload: { template_type: 'media' } }] } }));
      expect(parse(body).events).to.deep.equal([
        message({ id: 'm6', conversationId, direction: 'outbound', sentAt, unsupported: { type: 'template' }, status: 'sent' }),
      ]);
    });
  });

  describe('deliveries, reads, reactions, referrals', () => {
    it('maps each delivered mid, and a delivery with only a watermark to every message before it', () => {
      const body = pageBody(
        fromCustomer({ delivery: { mids: ['m1', 'm2'], watermark: time } }),
        fromCustomer({ delivery: { watermark: time - 1000 } }),
      );
      expect(parse(body).events).to.deep.equal([
        { type: 'message-status', detail: { conversationId, messageId: 'm1', status: 'delivered' } },
        { type: 'message-status', detail: { conversationId, messageId: 'm2', status: 'delivered' } },
        { type: 'message-status', detail: { conversationId, before: '2025-11-21T09:59:59.000Z', status: 'delivered' } },
      ]);
    });

    it('maps a read watermark to read for every message before it', () => {
      expect(parse(pageBody(fromCustomer({ read: { watermark: time } }))).events).to.deep.equal([
        { type: 'message-status', detail: { conversationId, before: sentAt, status: 'read' } },
      ]);
    });

    it('maps a reaction and taking it back to system messages', () => {
      const body = pageBody(
        fromCustomer({ reaction: { reaction: 'love', emoji: '❤️', action: 'react', mid: 'm1' } }),
        fromCustomer({ reaction: { action: 'unreact', mid: 'm1' } }, time + 60_000),
        fromCustomer({ reaction: { reaction: 'like', action: 'react', mid: 'm2' } }),
      );
      expect(parse(body).events).to.deep.equal([
        message({ id: `reaction:m1:react:${time}`, conversationId, direction: 'system', sentAt, reaction: { emoji: '❤️', action: 'react', messageId: 'm1' } }),
        message({
          id: `reaction:m1:unreact:${time + 60_000}`,
          conversationId,
          direction: 'system',
          sentAt: '2025-11-21T10:01:00.000Z',
          reaction: { emoji: '', action: 'unreact', messageId: 'm1' },
        }),
        message({ id: `reaction:m2:react:${time}`, conversationId, direction: 'system', sentAt, reaction: { emoji: 'like', action: 'react', messageId: 'm2' } }),
      ]);
    });

    it('keeps only the referral fields that are present, also on a message', () => {
      const body = pageBody(
        fromCustomer({ referral: { ref: 'spring-sale', source: 'SHORTLINK', type: 'OPEN_THREAD' } }),
        fromCustomer({ message: { mid: 'm1', text: 'Is this in stock?', referral: { ad_id: 6045246247433, source: 'ADS', type: 'OPEN_THREAD' } } }, time + 60_000),
      );
      expect(parse(body).events).to.deep.equal([
        message({ id: `referral:222:${time}`, conversationId, direction: 'system', sentAt, referral: { source: 'SHORTLINK', ref: 'spring-sale' } }),
        message({ ...inbound('m1', { text: 'Is this in stock?' }), sentAt: '2025-11-21T10:01:00.000Z' }),
        message({
          id: `referral:222:${time + 60_000}`,
          conversationId,
          direction: 'system',
          sentAt: '2025-11-21T10:01:00.000Z',
          referral: { source: 'ADS', adId: '6045246247433' },
        }),
      ]);
    });

    it('skips a referral from a chat-plugin visitor who has only a user_ref, saying why', () => {
      const item = { sender: { user_ref: 'visitor-1' }, recipient: { id: '111' }, timestamp: time, referral: { ref: 'pricing', source: 'CUSTOMER_CHAT_PLUGIN' } };
      const { events, skipped } = parse(pageBody(item));
      expect(events).to.deep.equal([]);
      expect(skipped).to.deep.equal([{ item, reason: 'sender has only a user_ref (a chat plugin visitor with no PSID yet), so there is no conversation to put it in' }]);
    });
  });

  describe('standby and skipped items', () => {
    it('reads standby items (handover protocol) like messaging items', () => {
      const body = {
        object: 'page',
        entry: [
          {
            id: '111',
            time,
            messaging: [fromCustomer({ message: { mid: 'm1', text: 'hello' } })],
            standby: [fromCustomer({ message: { mid: 'm2', text: 'while another app owns the thread' } }), fromCustomer({ message: { mid: 'm1', text: 'hello' } })],
          },
        ],
      };
      expect(parse(body).events).to.deep.equal([
        message(inbound('m1', { text: 'hello' })),
        message(inbound('m2', { text: 'while another app owns the thread' })),
      ]);
    });

    it('reports items it does not map, and keeps the good ones around a bad one', () => {
      const optin = fromCustomer({ optin: { ref: 'newsletter' } });
      const handover = fromCustomer({ pass_thread_control: { new_owner_app_id: '123', metadata: 'x' } });
      const enforcement = { recipient: { id: '111' }, timestamp: time, 'policy-enforcement': { action: 'block', reason: 'spam' } };
      const noSender = { recipient: { id: '111' }, timestamp: time, message: { mid: 'm2', text: 'who?' } };
      const stranger = { sender: { id: '333' }, recipient: { id: '444' }, timestamp: time, message: { mid: 'm3', text: 'lost' } };
      const badReaction = fromCustomer({ reaction: { action: 'love', mid: 'm1' } });
      const body = pageBody(fromCustomer({ message: { mid: 'm1', text: 'one' } }), optin, handover, enforcement, noSender, stranger, badReaction, 'junk', fromCustomer({ message: { mid: 'm4', text: 'two' } }));
      const { events, skipped } = parse(body);
      expect(events).to.deep.equal([message(inbound('m1', { text: 'one' })), message(inbound('m4', { text: 'two' }))]);
      expect(skipped).to.deep.equal([
        { item: optin, reason: 'nothing to show: not a message, postback, referral, reaction, delivery or read (has optin)' },
        { item: handover, reason: 'nothing to show: not a message, postback, referral, reaction, delivery or read (has pass_thread_control)' },
        { item: enforcement, reason: 'nothing to show: not a message, postback, referral, reaction, delivery or read (has policy-enforcement)' },
        { item: noSender, reason: 'item has no sender.id' },
        { item: stranger, reason: 'neither sender.id nor recipient.id is a customer of page 111 (sender 333, recipient 444)' },
        { item: badReaction, reason: 'reaction action is "love", not react or unreact' },
        { item: 'junk', reason: 'item is "junk", not an object' },
      ]);
    });

    it('reports entries that are not messaging entries', () => {
      const feed = { id: '111', time, changes: [{ field: 'feed' }] };
      const { events, skipped } = parse({ object: 'page', entry: [feed, null, { time, messaging: [] }] });
      expect(events).to.deep.equal([]);
      expect(skipped).to.deep.equal([
        { item: feed, reason: 'entry has no messaging or standby items (has id, time, changes)' },
        { item: null, reason: 'entry is null, not an object' },
        { item: { time, messaging: [] }, reason: 'entry has no page id (id is missing)' },
      ]);
    });

    it('skips an event the contract refuses instead of returning it', () => {
      const { events, skipped } = parse(pageBody(fromCustomer({ message: { mid: 'm1', text: 'hi' } })), { conversationId: () => ' ' });
      expect(events).to.deep.equal([]);
      expect(skipped.map(({ reason }) => reason)).to.deep.equal(['Adapter event "message" dropped: detail.conversationId must be a non-empty string.']);
    });
  });

  describe('bodies that are not page webhooks', () => {
    const refusal = (body: unknown): MessengerWebhookError => {
      try {
        parseMessengerWebhook(body);
      } catch (error) {
        expect(error).to.be.instanceOf(MessengerWebhookError);
        return error as MessengerWebhookError;
      }
      throw new Error(`expected ${JSON.stringify(body)} to be refused`);
    };

    it('refuses them with a message naming what is wrong', () => {
      const cases: [unknown, string][] = [
        [{ object: 'instagram', entry: [] }, 'Not a page webhook: object is "instagram"'],
        [null, 'Not a page webhook: the body is null, not an object'],
        ['text', 'Not a page webhook: the body is "text", not an object'],
        [[], 'Not a page webhook: the body is an array, not an object'],
        [{}, 'Not a page webhook: object is missing'],
        [{ object: 'page' }, 'Not a page webhook: entry is missing, not an array'],
        [{ object: 'page', entry: {} }, 'Not a page webhook: entry is an object, not an array'],
      ];
      for (const [body, text] of cases) {
        const error = refusal(body);
        expect(error.name).to.equal('MessengerWebhookError');
        expect(error.message, JSON.stringify(body)).to.equal(text);
      }
    });
  });
});

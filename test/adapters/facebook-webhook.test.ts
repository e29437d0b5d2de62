import { expect } from '@open-wc/testing';
import { MessengerWebhookError, parseMessengerWebhook } from '../../src/adapters/facebook/webhook.js';
import type { MessengerWebhookOptions } from '../../src/adapters/facebook/webhook.js';
import type { ChannelEvent, Message } from '../../src/adapters/types.js';
import { validateChannelEvent } from '../../src/adapters/validate.js';

const fixture = async (name: string, folder = 'facebook'): Promise<unknown> => {
  const response = await fetch(new URL(`../fixtures/${folder}/${name}`, import.meta.url));
  return JSON.parse(await response.text());
};

/** The fixture names a folder's SOURCES.txt lists, each on a line `name.json <- where it comes from`. */
const sourcesOf = async (folder: string): Promise<string[]> => {
  const response = await fetch(new URL(`../fixtures/${folder}/SOURCES.txt`, import.meta.url));
  return (await response.text())
    .split('\n')
    .map((line) => line.split('<-')[0].trim())
    .filter((name) => name.endsWith('.json') && !name.includes(' '));
};

/** Parses, records what was skipped, and checks every event against the contract. */
const parse = (body: unknown, options: MessengerWebhookOptions = {}) => {
  const skipped: { item: unknown; reason: string }[] = [];
  const events = parseMessengerWebhook(body, { onSkipped: (item, reason) => skipped.push({ item, reason }), ...options });
  for (const event of events) expect(validateChannelEvent(event.type, event.detail), event.type).to.deep.equal(event.detail);
  return { events, skipped };
};

const message = (detail: Message): ChannelEvent => ({ type: 'message', detail });
const iso = (milliseconds: number) => new Date(milliseconds).toISOString();

/** What a fixture maps to: its events, and the items skipped with their reasons (by index into entry[0]'s items). */
interface Expectation {
  options?: MessengerWebhookOptions;
  events: ChannelEvent[];
  skipped?: { item: number; reason: string }[];
}

// The courier fixtures: page 1234567890, customer 5678, one time for everything.
const courier = { conversationId: '1234567890:5678', sentAt: '2016-04-07T01:11:27.970Z' };
const courierInbound = { id: 'external_id', direction: 'inbound', ...courier } as const;
// The fbmq fixtures: page 1691462197845448, customer 1134343043305865.
const fbmq = '1691462197845448:1134343043305865';
// The messenger-bot fixtures: numeric ids.
const messengerBot = '1751036168465324:982337261802700';

// The Meta fixtures (shapes of Meta's webhook reference): page 104012345678901, customer 7311234567890123, and our app 1517776481860111.
const appId = '1517776481860111';
const pageInbox = '263902037430900';
const meta = '104012345678901:7311234567890123';
const metaInbound = (id: string, timestamp: number, fields: Partial<Message>): Message => ({ id, conversationId: meta, direction: 'inbound', sentAt: iso(timestamp), ...fields });

const fixtures: Record<string, ChannelEvent[] | Expectation> = {
  'courier_fba_hello_msg.json': [message({ ...courierInbound, text: 'Hello World' })],
  'courier_fba_attachment.json': [
    message({
      ...courierInbound,
      attachments: [{ id: 'external_id:0', kind: 'image', name: 'foo.png', mimeType: 'image/png', url: 'https://image-url/foo.png' }],
    }),
  ],
  'courier_fba_location_attachment.json': [message({ ...courierInbound, location: { latitude: 1.2, longitude: -1.3 } })],
  // Its URL is a relative path ("My Documents/foo.doc"), which no agent could open.
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
  // Its URL is a relative path too.
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
  'meta_echo_own_app.json': {
    options: { appId },
    events: [
      message({
        id: 'mid.1457764197618:41d102a3e1ae206a38',
        conversationId: meta,
        direction: 'outbound',
        sentAt: iso(1457764197627),
        clientId: 'c_4f1d2a',
        text: 'hello, world!',
        status: 'sent',
      }),
    ],
  },
  // Another app's metadata happens to look like one of our clientIds: it is not taken as one.
  'meta_echo_other_app_metadata.json': {
    options: { appId },
    events: [
      message({
        id: 'mid.1458696618141:b4ef9d19ec21086067',
        conversationId: meta,
        direction: 'outbound',
        sentAt: iso(1458696618268),
        author: { kind: 'other', appId: pageInbox },
        text: 'Hi, this is Maria from the shop.',
        status: 'sent',
      }),
    ],
  },
  'meta_echo_standby_template.json': {
    options: { appId },
    events: [
      message({
        id: 'qT7ywaKpO9kkQR7Gv-nM8LIfLZDamVrALniheUYEDdHJXjDXEAyaS1xxONzb2Iv-DFzmTihfWJV012P5pK0AhQ',
        conversationId: meta,
        direction: 'outbound',
        sentAt: iso(1570053170673),
        author: { kind: 'other', appId: pageInbox },
        link: { url: 'https://www.facebook.com/commerce/update/' },
        standby: true,
        status: 'sent',
      }),
    ],
  },
  'meta_standby_message_and_read.json': {
    events: [message(metaInbound('mid.1457764197618:41d102a3e1ae206a39', 1458692752478, { text: "I'd like to talk to a person, please", standby: true }))],
    skipped: [{ item: 1, reason: 'read in standby: another app holds the thread, so it is not shown' }],
  },
  'meta_message_edit.json': [
    {
      type: 'message-edited',
      detail: { conversationId: meta, messageId: 'm_1457764197618:41d102a3e1ae206a38', text: 'My order number is 4471, not 4417', editedAt: iso(1458668856463) },
    },
  ],
  'meta_reply.json': [
    message(metaInbound('m_1457764197618:41d102a3e1ae206a38', 1458692752478, { text: 'hello, world!', replyTo: { messageId: 'm_1fTq8oLumEyIp3Q2MR-aY7IfLZDamVrALniheU' } })),
  ],
  'meta_handovers.json': {
    options: { appId },
    events: [
      { type: 'thread-control', detail: { conversationId: meta, owner: 'console', appId } },
      { type: 'thread-control', detail: { conversationId: '104012345678901:7311234567890124', owner: 'other', appId: pageInbox } },
      // Older webhooks name only the app the thread was taken from: this one.
      { type: 'thread-control', detail: { conversationId: '104012345678901:7311234567890125', owner: 'other' } },
    ],
    skipped: [
      { item: 3, reason: 'request_thread_control: app 123456789 asks for the thread; the app holding it decides' },
      { item: 4, reason: "app_roles: the page's app roles changed (123456789: primary_receiver)" },
    ],
  },
  'meta_policy_enforcement.json': {
    events: [],
    skipped: [
      {
        item: 0,
        reason:
          'messaging_policy_enforcement: Meta\'s action on the page is "block", because: The bot violated our Platform Policies (https://developers.facebook.com/devpolicy/#messengerplatform). Common violations include sending out excessive spammy messages or being non-functional.',
      },
    ],
  },
  'meta_links_and_location.json': [
    message(
      metaInbound('mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c', 1518479195308, {
        text: 'Is this one still in stock? https://shop.example.com/p/4471',
        link: { url: 'https://shop.example.com/p/4471', title: 'Blue rain jacket – Example Shop' },
      }),
    ),
    message(
      metaInbound('mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_d', 1518479195309, {
        link: { url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17912345678901234&signature=abc', title: 'Unboxing the blue rain jacket' },
      }),
    ),
    message(metaInbound('mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_e', 1518479195310, { location: { latitude: 55.6761, longitude: 12.5683 } })),
    // A card without a URL cannot be shown.
    message(metaInbound('mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_f', 1518479195311, { unsupported: { type: 'template' } })),
  ],
};

// The courier Instagram fixtures: account 1234567890, customer 5678; the Meta one: account 17841400000000000, customer 6543210987654321.
const igCourier = { conversationId: '1234567890:5678', sentAt: '2016-04-07T01:11:27.970Z' };
const ig = '17841400000000000:6543210987654321';
const igInbound = (id: string, timestamp: number, fields: Partial<Message>): Message => ({ id, conversationId: ig, direction: 'inbound', sentAt: iso(timestamp), ...fields });

const instagramFixtures: Record<string, ChannelEvent[] | Expectation> = {
  'courier_ig_hello_msg.json': [message({ id: 'external_id', direction: 'inbound', ...igCourier, text: 'Hello World' })],
  'courier_ig_attachment.json': [
    message({
      id: 'external_id',
      direction: 'inbound',
      ...igCourier,
      attachments: [{ id: 'external_id:0', kind: 'image', name: 'foo.png', mimeType: 'image/png', url: 'https://image-url/foo.png' }],
    }),
  ],
  'courier_ig_story_mention.json': [message({ id: 'external_id', direction: 'inbound', ...igCourier, link: { url: 'https://story-url' } })],
  'courier_ig_unsent_msg.json': [{ type: 'message-deleted', detail: { conversationId: igCourier.conversationId, messageId: 'external_id' } }],
  'courier_ig_like_heart.json': [message({ id: 'external_id', direction: 'inbound', ...igCourier, unsupported: { type: 'like_heart' } })],
  // Instagram echoes carry no app_id: neither ours nor another sender's, as far as anyone can tell.
  'courier_ig_echo.json': {
    options: { appId },
    events: [message({ id: 'qT7ywaK', direction: 'outbound', ...igCourier, unsupported: { type: 'unknown' }, status: 'sent' })],
  },
  'meta_ig_story_reply_share_seen_reaction.json': [
    message(
      igInbound('aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx', 1569262485349, {
        text: 'Love this! Is it available in blue?',
        link: { url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17999999999999999&signature=def' },
      }),
    ),
    message(igInbound('aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQy', 1569262485350, { link: { url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17888888888888888&signature=ghi' } })),
    message(
      igInbound('aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQz', 1569262485351, {
        text: 'Sorry, I meant the green one',
        replyTo: { messageId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx' },
      }),
    ),
    message({
      id: 'reaction:aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQw:react:1569262485352',
      conversationId: ig,
      direction: 'system',
      sentAt: iso(1569262485352),
      reaction: { emoji: '❤️', action: 'react', messageId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQw' },
    }),
    { type: 'message-status', detail: { conversationId: ig, messageId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQw', status: 'read' } },
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
      const names = await sourcesOf('facebook');
      expect(names).to.have.length(25);
      expect(Object.keys(fixtures)).to.have.members(names);
      const instagram = await sourcesOf('instagram');
      expect(instagram).to.have.length(7);
      expect(Object.keys(instagramFixtures)).to.have.members(instagram);
    });

    for (const [folder, expectations] of [
      ['facebook', fixtures],
      ['instagram', instagramFixtures],
    ] as const) {
      for (const [name, expected] of Object.entries(expectations)) {
        it(`maps ${folder}/${name}`, async () => {
          const body = (await fixture(name, folder)) as { entry: { messaging?: unknown[]; standby?: unknown[] }[] };
          const expectation = Array.isArray(expected) ? { events: expected } : expected;
          const { events, skipped } = parse(body, expectation.options);
          expect(events).to.deep.equal(expectation.events);
          const items = body.entry[0].messaging ?? body.entry[0].standby ?? [];
          expect(skipped).to.deep.equal((expectation.skipped ?? []).map(({ item, reason }) => ({ item: items[item], reason })));
        });
      }
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

    it('keeps text, attachments and a location in one message, and names the first unsupported type beside the supported ones', () => {
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
            location: { latitude: 1, longitude: 2 },
            unsupported: { type: 'template' },
          }),
        ),
      ]);
    });

    it('shows a shared post, reel, story, fallback or template with a web URL as a link, keeping the text', () => {
      const types = ['post', 'ig_post', 'share', 'reel', 'ig_reel', 'story_mention', 'fallback', 'template'];
      const body = pageBody(...types.map((type, i) => fromCustomer({ message: { mid: `m${i}`, text: `look ${i}`, attachments: [{ type, payload: { url: `https://x.test/${type}` } }] } })));
      expect(parse(body).events).to.deep.equal(types.map((type, i) => message(inbound(`m${i}`, { text: `look ${i}`, link: { url: `https://x.test/${type}` } }))));
    });

    it('takes a link’s URL and title beside the payload too, and keeps a second link, a bad URL or an unknown type unsupported', () => {
      const body = pageBody(
        fromCustomer({ message: { mid: 'm1', attachments: [{ type: 'fallback', title: 'Spring sale', url: 'https://x.test/sale', payload: null }] } }),
        fromCustomer({
          message: {
            mid: 'm2',
            attachments: [
              { type: 'share', payload: { url: 'https://x.test/one', title: 'One' } },
              { type: 'share', payload: { url: 'https://x.test/two' } },
            ],
          },
        }),
        fromCustomer({ message: { mid: 'm3', text: 'see', attachments: [{ type: 'fallback', payload: { url: 'javascript:alert(1)' } }] } }),
        fromCustomer({ message: { mid: 'm4', attachments: [{ type: 'hologram', payload: { url: 'https://x.test/h' } }] } }),
        fromCustomer({ message: { mid: 'm5', attachments: [{ type: 'image', payload: { url: 'https://x.test/a.png' } }, { type: 'fallback' }] } }),
      );
      expect(parse(body).events).to.deep.equal([
        message(inbound('m1', { link: { url: 'https://x.test/sale', title: 'Spring sale' } })),
        message(inbound('m2', { link: { url: 'https://x.test/one', title: 'One' }, unsupported: { type: 'share' } })),
        message(inbound('m3', { text: 'see', unsupported: { type: 'fallback' } })),
        message(inbound('m4', { unsupported: { type: 'hologram' } })),
        message(
          inbound('m5', {
            attachments: [{ id: 'm5:0', kind: 'image', name: 'a.png', mimeType: 'image/png', url: 'https://x.test/a.png' }],
            unsupported: { type: 'fallback' },
          }),
        ),
      ]);
    });

    it('keeps a location whose coordinates are missing or out of range unsupported', () => {
      const coordinates = [undefined, { lat: 91, long: 0 }, { lat: 0, long: -180.5 }, { lat: '55.6', long: '12.5' }];
      const body = pageBody(...coordinates.map((point, i) => fromCustomer({ message: { mid: `m${i}`, attachments: [{ type: 'location', payload: { coordinates: point } }] } })));
      expect(parse(body).events).to.deep.equal(coordinates.map((_, i) => message(inbound(`m${i}`, { unsupported: { type: 'location' } }))));
      const edge = pageBody(fromCustomer({ message: { mid: 'm9', attachments: [{ type: 'location', payload: { coordinates: { lat: -90, long: 180 } } }] } }));
      expect(parse(edge).events).to.deep.equal([message(inbound('m9', { location: { latitude: -90, longitude: 180 } }))]);
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
    const ourEcho = pageBody(fromPage({ message: { is_echo: true, app_id: 950864918368986, metadata: 'client-42', mid: 'm5', text: 'On its way!' } }));

    it('maps an echo of our own send (its app_id is appId) to an outbound message carrying the clientId from metadata', () => {
      expect(parse(ourEcho, { appId: '950864918368986' }).events).to.deep.equal([
        message({ id: 'm5', conversationId, clientId: 'client-42', direction: 'outbound', sentAt, text: 'On its way!', status: 'sent' }),
      ]);
    });

    it('marks an echo from another app as another sender’s, and trusts no echo’s metadata without appId', () => {
      expect(parse(ourEcho, { appId: '1517776481860111' }).events).to.deep.equal([
        message({ id: 'm5', conversationId, direction: 'outbound', sentAt, author: { kind: 'other', appId: '950864918368986' }, text: 'On its way!', status: 'sent' }),
      ]);
      expect(parse(ourEcho).events).to.deep.equal([message({ id: 'm5', conversationId, direction: 'outbound', sentAt, text: 'On its way!', status: 'sent' })]);
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
    it('reads standby items (handover protocol) as messages shown as context, the first of a mid winning', () => {
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
        message(inbound('m2', { text: 'while another app owns the thread', standby: true })),
      ]);
    });

    it('marks every message of a standby item, maps its edits, and skips its deliveries beside a message', () => {
      const item = fromCustomer({ message: { mid: 'm1', text: 'hi bot' }, delivery: { mids: ['m0'] } });
      const body = {
        object: 'page',
        entry: [
          {
            id: '111',
            time,
            standby: [
              item,
              fromCustomer({ postback: { mid: 'm2', title: 'Menu' } }),
              fromCustomer({ reaction: { mid: 'm0', action: 'react', emoji: '👍' } }),
              fromCustomer({ message_edit: { mid: 'm1', text: 'hi there, bot', num_edit: 1 } }),
            ],
          },
        ],
      };
      const { events, skipped } = parse(body);
      expect(events).to.deep.equal([
        message(inbound('m1', { text: 'hi bot', standby: true })),
        message(inbound('m2', { text: 'Menu', standby: true })),
        message({ id: `reaction:m0:react:${time}`, conversationId, direction: 'system', sentAt, reaction: { emoji: '👍', action: 'react', messageId: 'm0' }, standby: true }),
        { type: 'message-edited', detail: { conversationId, messageId: 'm1', text: 'hi there, bot', editedAt: sentAt } },
      ]);
      expect(skipped).to.deep.equal([{ item, reason: 'delivery in standby: another app holds the thread, so it is not shown' }]);
    });

    it('skips handover notices without appId, and ones that name no new owner, saying why', () => {
      const pass = fromCustomer({ pass_thread_control: { new_owner_app_id: '123' } });
      expect(parse(pageBody(pass)).skipped).to.deep.equal([
        { item: pass, reason: "pass_thread_control: without the appId option it cannot be told whether the thread is this app's" },
      ]);
      const takeByOther = fromCustomer({ take_thread_control: { previous_owner_app_id: '456' } });
      const { events, skipped } = parse(pageBody(takeByOther, fromCustomer({ pass_thread_control: { new_owner_app_id: 123 } })), { appId: '123' });
      expect(events).to.deep.equal([{ type: 'thread-control', detail: { conversationId, owner: 'console', appId: '123' } }]);
      expect(skipped).to.deep.equal([{ item: takeByOther, reason: 'take_thread_control names no new owner (previous owner 456)' }]);
    });

    it('maps an edit and skips one without text', () => {
      const bad = fromCustomer({ message_edit: { mid: 'm1', num_edit: 2 } });
      const { events, skipped } = parse(pageBody(fromCustomer({ message_edit: { mid: 'm1', text: '', num_edit: 1 } }), bad));
      expect(events).to.deep.equal([{ type: 'message-edited', detail: { conversationId, messageId: 'm1', text: '', editedAt: sentAt } }]);
      expect(skipped).to.deep.equal([{ item: bad, reason: 'message_edit text is missing, not a string' }]);
    });

    it('reports items it does not map, and keeps the good ones around a bad one', () => {
      const optin = fromCustomer({ optin: { ref: 'newsletter' } });
      const handover = fromCustomer({ request_thread_control: { requested_owner_app_id: '123', metadata: 'x' } });
      const enforcement = { recipient: { id: '111' }, timestamp: time, 'policy-enforcement': { action: 'block', reason: 'spam' } };
      const noSender = { recipient: { id: '111' }, timestamp: time, message: { mid: 'm2', text: 'who?' } };
      const stranger = { sender: { id: '333' }, recipient: { id: '444' }, timestamp: time, message: { mid: 'm3', text: 'lost' } };
      const badReaction = fromCustomer({ reaction: { action: 'love', mid: 'm1' } });
      const body = pageBody(fromCustomer({ message: { mid: 'm1', text: 'one' } }), optin, handover, enforcement, noSender, stranger, badReaction, 'junk', fromCustomer({ message: { mid: 'm4', text: 'two' } }));
      const { events, skipped } = parse(body);
      expect(events).to.deep.equal([message(inbound('m1', { text: 'one' })), message(inbound('m4', { text: 'two' }))]);
      expect(skipped).to.deep.equal([
        { item: optin, reason: 'nothing to show: not a message, edit, postback, referral, reaction, delivery, read or handover (has optin)' },
        { item: handover, reason: 'request_thread_control: app 123 asks for the thread; the app holding it decides' },
        { item: enforcement, reason: 'messaging_policy_enforcement: Meta\'s action on the page is "block", because: spam' },
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

  describe('Instagram', () => {
    it('maps an Instagram body like a page one, telling the conversation id which channel it is', () => {
      const body = { object: 'instagram', entry: [{ id: '178', time, messaging: [{ sender: { id: '654' }, recipient: { id: '178' }, timestamp: time, message: { mid: 'ig1', text: 'hej' } }] }] };
      const options = { conversationId: (account: string, igsid: string, channel: string) => `${channel}:${account}:${igsid}` };
      expect(parse(body, options).events).to.deep.equal([message({ id: 'ig1', conversationId: 'instagram:178:654', direction: 'inbound', sentAt, text: 'hej' })]);
      expect(parse(pageBody(fromCustomer({ message: { mid: 'm1', text: 'hi' } })), options).events[0].detail).to.have.property('conversationId', 'facebook:111:222');
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
        [{ object: 'whatsapp_business_account', entry: [] }, 'Not a page or Instagram webhook: object is "whatsapp_business_account"'],
        [null, 'Not a page or Instagram webhook: the body is null, not an object'],
        ['text', 'Not a page or Instagram webhook: the body is "text", not an object'],
        [[], 'Not a page or Instagram webhook: the body is an array, not an object'],
        [{}, 'Not a page or Instagram webhook: object is missing'],
        [{ object: 'page' }, 'Not a page or Instagram webhook: entry is missing, not an array'],
        [{ object: 'instagram', entry: {} }, 'Not a page or Instagram webhook: entry is an object, not an array'],
      ];
      for (const [body, text] of cases) {
        const error = refusal(body);
        expect(error.name).to.equal('MessengerWebhookError');
        expect(error.message, JSON.stringify(body)).to.equal(text);
      }
    });
  });
});

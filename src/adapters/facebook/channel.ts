/**
 * Facebook Messenger and Instagram Messaging as the elements need to know
 * them: their names and icons, their limits, and what they send that the
 * console cannot show.
 */
import type { AttachmentPolicy, ChannelCapabilities } from '../types.js';

/** Messenger's attachment policy: 25 MB and the file types the Send API takes. */
export const messengerAttachmentPolicy: AttachmentPolicy = {
  maxBytes: 25 * 1024 * 1024,
  accept: ['.jpg', '.jpeg', '.png', '.gif', '.mp3', '.ogg', '.oga', '.amr', '.mp4', '.pdf', '.docx', '.xlsx', '.xls', '.txt'],
  filesPerMessage: 1,
};

const sharedPost = { en: 'shared post', da: 'delt opslag', vi: 'bài viết được chia sẻ' };
const reel = { en: 'reel', da: 'reel', vi: 'thước phim' };
const sharedLink = { en: 'shared link', da: 'delt link', vi: 'liên kết được chia sẻ' };
const buttonReply = { en: 'button reply', da: 'svar via knap', vi: 'trả lời bằng nút' };
const sticker = { en: 'sticker', da: 'klistermærke', vi: 'nhãn dán' };

/**
 * Messenger's capabilities ({@link ChannelCapabilities}): 2,000 characters a
 * message, {@link messengerAttachmentPolicy}, typing, read receipts and
 * reactions, and the 24-hour reply window. `unsupported` names, in English,
 * Danish and Vietnamese, what the webhook reports as `Message.unsupported`
 * (a share or reel comes as a `link` when Meta gives its URL, a location
 * with coordinates as a `location`; these names are for the rest).
 */
export const messengerCapabilities: ChannelCapabilities = {
  name: 'Facebook',
  icon: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="currentColor"><path d="M12 2a10 10 0 0 0-1.6 19.9v-7H7.9V12h2.5V9.8c0-2.5 1.5-3.9 3.8-3.9 1.1 0 2.2.2 2.2.2v2.5h-1.3c-1.2 0-1.6.8-1.6 1.6V12h2.8l-.4 2.9h-2.3v7A10 10 0 0 0 12 2Z"/></svg>',
  textLimit: 2000,
  attachments: messengerAttachmentPolicy,
  unsupported: {
    sticker,
    location: { en: 'location', da: 'placering', vi: 'vị trí' },
    template: { en: 'template', da: 'skabelon', vi: 'mẫu tin nhắn' },
    fallback: sharedLink,
    share: sharedPost,
    shared_post: sharedPost,
    post: sharedPost,
    ig_reel: reel,
    reel,
    postback: buttonReply,
  },
  typing: true,
  readReceipts: true,
  reactions: true,
  replyWindowHours: 24,
};

/**
 * Instagram's attachment policy: what the Instagram Send API takes. Images
 * (PNG, JPEG, GIF) up to 8 MB; video (MP4, MOV) and audio (AAC, M4A, WAV)
 * up to 25 MB; no other files.
 */
export const instagramAttachmentPolicy: AttachmentPolicy = {
  maxBytes: 25 * 1024 * 1024,
  maxBytesByKind: { image: 8 * 1024 * 1024 },
  accept: ['.png', '.jpg', '.jpeg', '.gif', '.mp4', '.mov', '.aac', '.m4a', '.wav'],
  filesPerMessage: 1,
};

/**
 * Instagram Messaging's capabilities ({@link ChannelCapabilities}): 1,000
 * characters a message, {@link instagramAttachmentPolicy}, typing, read
 * receipts (`messaging_seen`) and reactions, and the 24-hour reply window,
 * as on Messenger. `unsupported` names what the webhook reports as
 * `Message.unsupported` on Instagram (a heart, a story mention or share
 * without a URL).
 */
export const instagramCapabilities: ChannelCapabilities = {
  name: 'Instagram',
  icon: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><rect x="3" y="3" width="18" height="18" rx="5"/><circle cx="12" cy="12" r="4"/><circle cx="17.5" cy="6.5" r="1" fill="currentColor" stroke="none"/></svg>',
  textLimit: 1000,
  attachments: instagramAttachmentPolicy,
  unsupported: {
    like_heart: { en: 'heart', da: 'hjerte', vi: 'trái tim' },
    story_mention: { en: 'story mention', da: 'omtale i story', vi: 'lượt nhắc trong tin' },
    share: sharedPost,
    ig_post: sharedPost,
    ig_reel: reel,
    reel,
    sticker,
    fallback: sharedLink,
    postback: buttonReply,
  },
  typing: true,
  readReceipts: true,
  reactions: true,
  replyWindowHours: 24,
};

/**
 * Facebook Messenger as the elements need to know it: its name and icon, its
 * limits, and what it sends that the console cannot show.
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

/**
 * Messenger's capabilities ({@link ChannelCapabilities}): 2,000 characters a
 * message, {@link messengerAttachmentPolicy}, typing, read receipts and
 * reactions, and the 24-hour reply window. `unsupported` names, in English,
 * Danish and Vietnamese, what the webhook reports as `Message.unsupported`.
 */
export const messengerCapabilities: ChannelCapabilities = {
  name: 'Facebook',
  icon: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="currentColor"><path d="M12 2a10 10 0 0 0-1.6 19.9v-7H7.9V12h2.5V9.8c0-2.5 1.5-3.9 3.8-3.9 1.1 0 2.2.2 2.2.2v2.5h-1.3c-1.2 0-1.6.8-1.6 1.6V12h2.8l-.4 2.9h-2.3v7A10 10 0 0 0 12 2Z"/></svg>',
  textLimit: 2000,
  attachments: messengerAttachmentPolicy,
  unsupported: {
    sticker: { en: 'sticker', da: 'klistermærke', vi: 'nhãn dán' },
    location: { en: 'location', da: 'placering', vi: 'vị trí' },
    template: { en: 'template', da: 'skabelon', vi: 'mẫu tin nhắn' },
    fallback: { en: 'shared link', da: 'delt link', vi: 'liên kết được chia sẻ' },
    share: sharedPost,
    shared_post: sharedPost,
    post: sharedPost,
    ig_reel: reel,
    reel,
    postback: { en: 'button reply', da: 'svar via knap', vi: 'trả lời bằng nút' },
  },
  typing: true,
  readReceipts: true,
  reactions: true,
  replyWindowHours: 24,
};

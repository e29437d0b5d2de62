import type { Translation } from './translation.js';

export const en: Translation = {
  $code: 'en',
  $name: 'English',
  $dir: 'ltr',

  accept: 'Accept',
  reject: 'Reject',
  moreOptions: 'More options',
  attachFile: 'Attach file',
  typeMessage: 'Type a message',
  send: 'Send',
  save: (fileName) => `Save ${fileName}`,
  endConversation: 'End conversation',
  dismiss: 'Dismiss',
  unsupportedMessageType: 'Error: Customer sent an unsupported message type.',
};

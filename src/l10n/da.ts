import type { Translation } from './translation.js';

export const da: Translation = {
  $code: 'da',
  $name: 'Dansk',
  $dir: 'ltr',

  accept: 'Acceptér',
  reject: 'Afvis',
  moreOptions: 'Flere muligheder',
  attachFile: 'Vedhæft fil',
  typeMessage: 'Skriv en besked',
  send: 'Send',
  save: (fileName) => `Gem ${fileName}`,
  endConversation: 'Afslut samtale',
  dismiss: 'Luk',
  unsupportedMessageType: 'Fejl: Kunden sendte en meddelelsestype, der ikke understøttes.',
};

import type { Attachment } from './types.js';

/** Things a mock customer can send besides text. */
export type MockSample = 'image' | 'photo' | 'pdf' | 'audio' | 'sticker' | 'location';

// Two small real PNGs (120×80), so thumbnails and saved files are genuine images.
const landscapePng =
  'iVBORw0KGgoAAAANSUhEUgAAAHgAAABQCAIAAABd+SbeAAAEEUlEQVR42u3YZ3KURxSF4bMwfrMI78Fkxck5SIBtgjPBESSRc85pA97EXYTtssqNaJjWPd83fWeo7qr3LxzNUypN18W+DckZhP0bkjMIBzYlZxAObkrOIBzakpxBOLwlOYNw5JLkDMLCJckZhMXLkjMIS5clZxCWr0jOIKxckZxBWL0qOYNQuSqJ9/dfX0xqiiuoXpOUCyhvN60h1K5Jmu1KvLPyc6hflzSjoMvPoXFdEoxS3q7kIpo3JLUKKG9XZhStG5JahaHLjKJ9U1KrMHSZUXRuSmoVhi4ziu4tSa3C0GVG0bslqVUYuswo+rcltQpDlxnF4LakVmHoMqMY3pHUKgxdZhSjO5JgBZRLLmJ8V9KMUi4/h7W7kmYUdPk5rN+TlNuVeFpDOHpPEi+gPMUVHLsvOYNw/L7kDMJXDyRnEL5+IDmD8M1DyRmEEw8lZxBOPpKcQTj1SHIG4fRjyRmEbx9LziB890RyBuH7J5IzCD88lZxB+PGp5AzCT88kZxB+fiY5g3DmuXxe7Vnfq29+fmycfS6fRe/51pj+/1cz//lx7oXMeb7vmOlD8Rl+Cpx/IXPbB8TObsTkif/3H87ks+CXlzKHfYLY2Q2ZPPEd3MafCL++lLlqIrGzGzB54h9xm30u/PZK5qRdiJ1dn8kTn8Bt8Onw+yuZeSpiZ9dj8sQnc8f+jNie+eO1zCotsbPrMnniAe71uA7YOfPna7Hs/S+yhtjZdZg88QD3WlwHfDxz4Y3Ezv9boSF2dm0mTzzAPY7rgEkzF99IjD7951hD7OxaTJ54gHsU1wHhmY23Mq1C33gaYmfXZPLEA9zDuA7QzGy+lTLt/qjQEDu7BpMnHuAexHWAfubftt6JPv8MFPjG0xA7uzqTJx7g7sd1ADGztpc6UfpnoMA3nobY2dWYPPEAdy+uA4iZMXmiHKvfbRpiZ1dl8sQD3N24DiBmRuSJcqR+t2mInd0qkyce4G7FdQAxMyBPlAP1u01D7OxWmDzxAHcrrgOImT55ouyr320aYme3zOSJB7ibcR1AzPTIE2VP/W7TEDu7JSZPPMDdiOsAYqZLnii76nebhtjZLTJ54gHuelwHEDMd8kTZUb/bNMTOboHJEw9w1+I6gJhpkyfKtvrdpiF2dkeYPPEAdzWuA4iZFnmibKnfbRpiZ3eYyRMPcFfiOoCYaZInyqb63aYhdnaHmDzxAPdqXAcQMw3yRNlQv9s0xM7uIJMnHuBeiesAYqZOnijr6nebhtjZHWDyxAPcy3EdQMzUyBNlTf1u0xA7u/1MnniAeymuA4iZKnmirKrfbRpiZ7ePyRMPcC/GdQAxUyFPlBX1u01D7Oy+ZPLEA9wLcR3+QRaFxprdDRAfAAAAAElFTkSuQmCC';
const parcelPng =
  'iVBORw0KGgoAAAANSUhEUgAAAHgAAABQCAIAAABd+SbeAAAApUlEQVR42u3QsQ0AEBRAQSMazBAmURtGYQS1/hOJS179iktjTF0oIQANWqBBg6YAGrRAgwZNATRogQYNWqBBCzRo0MdqJcfW61b4HzRo0KBBgwYNGjRo0KBBgwYNGjRo0KBBgwYNGjRo0KBBgwYNGjRo0KBBgwYNGjRo0KBBgwYNGjRo0KBBgwYNGjRo0KA/gBZo0KAFGrRAgwYt0KAFGjRogX6+BQwodLUEdH0FAAAAAElFTkSuQmCC';

const pdf = [
  '%PDF-1.4',
  '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
  '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
  '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj',
  '4 0 obj << /Length 58 >> stream',
  'BT /F1 18 Tf 24 72 Td (Invoice 2291: 49.00 EUR) Tj ET',
  'endstream endobj',
  '5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj',
  'trailer << /Root 1 0 R >>',
  '%%EOF',
].join('\n');

/**
 * Three seconds of silence as MPEG-2 Layer III (8 kHz, 8 kbit/s, mono): a
 * real MP3, the kind of voice clip Messenger's policy takes.
 */
function silentMp3(): Uint8Array {
  const frameBytes = 72;
  const frames = 42;
  const bytes = new Uint8Array(frameBytes * frames);
  for (let i = 0; i < frames; i++) bytes.set([0xff, 0xf3, 0x18, 0xc4], i * frameBytes);
  return bytes;
}

const base64Bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** A URL for sample bytes: a blob: URL in browsers, a data: URL elsewhere. */
export function sampleUrl(bytes: Uint8Array, mimeType: string): { url: string; revoke?: () => void } {
  if (typeof URL.createObjectURL === 'function' && typeof Blob === 'function') {
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mimeType }));
    return { url, revoke: () => URL.revokeObjectURL(url) };
  }
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return { url: `data:${mimeType};base64,${btoa(binary)}` };
}

/**
 * Builds the attachment Messenger would deliver for a sample. Images get a
 * number for a name, as Messenger's CDN does, so `nameIsGenerated` is set.
 * `digits` supplies the random digits; `urls` collects blob: URLs to revoke.
 */
export function sampleAttachment(sample: Exclude<MockSample, 'sticker' | 'location'>, id: string, digits: () => string, revokers: (() => void)[]): Attachment {
  const make = (bytes: Uint8Array, mimeType: string, kind: Attachment['kind'], name: string, nameIsGenerated: boolean) => {
    const { url, revoke } = sampleUrl(bytes, mimeType);
    if (revoke) revokers.push(revoke);
    const attachment: Attachment = { id, kind, name, mimeType, size: bytes.byteLength, url };
    if (nameIsGenerated) attachment.nameIsGenerated = true;
    return attachment;
  };
  switch (sample) {
    case 'image':
      return make(base64Bytes(landscapePng), 'image/png', 'image', `${digits()}_${digits()}_n.png`, true);
    case 'photo':
      return make(base64Bytes(parcelPng), 'image/png', 'image', `${digits()}_${digits()}_n.png`, true);
    case 'audio':
      return make(silentMp3(), 'audio/mpeg', 'audio', `audioclip-${digits()}.mp3`, true);
    case 'pdf':
      return make(new TextEncoder().encode(pdf), 'application/pdf', 'file', 'invoice-2291.pdf', false);
  }
}

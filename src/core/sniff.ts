/**
 * Content sniffing for the attachment check: what a file's first bytes say it
 * is, and whether that agrees with its name and type. Loaded with the first
 * file the agent attaches, not with the page.
 */
const ascii = (bytes: Uint8Array, offset: number, text: string) =>
  [...text].every((c, i) => bytes[offset + i] === c.charCodeAt(0));
const startsWith = (bytes: Uint8Array, ...values: number[]) => values.every((value, i) => bytes[i] === value);

/**
 * What a file's first bytes say it is: a MIME type, `application/x-executable`
 * for programs, or undefined when the bytes match nothing we know.
 */
export function sniffContent(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (startsWith(bytes, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'image/gif';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WAVE')) return 'audio/wav';
  if (ascii(bytes, 0, '%PDF-')) return 'application/pdf';
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) {
    // Office files are ZIP containers; their first entries name the part folders.
    const head = new TextDecoder('latin1').decode(bytes);
    if (head.includes('word/')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    if (head.includes('xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    return 'application/zip';
  }
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'application/x-ole-storage';
  if (ascii(bytes, 4, 'ftyp')) return ascii(bytes, 8, 'qt  ') ? 'video/quicktime' : ascii(bytes, 8, 'M4A ') ? 'audio/mp4' : 'video/mp4';
  // UTF-16 text's byte-order mark would otherwise pass for an MPEG frame header.
  if (startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff)) return textKind(bytes);
  if (ascii(bytes, 0, 'ID3') || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0)) return 'audio/mpeg';
  if (ascii(bytes, 0, 'OggS')) return 'audio/ogg';
  if (ascii(bytes, 0, '#!AMR')) return 'audio/amr';
  const programs = [[0x7f, 0x45, 0x4c, 0x46], [0xcf, 0xfa, 0xed, 0xfe], [0xce, 0xfa, 0xed, 0xfe], [0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xca, 0xfe, 0xba, 0xbe]];
  if (ascii(bytes, 0, 'MZ') || programs.some((signature) => startsWith(bytes, ...signature))) return 'application/x-executable';
  return textKind(bytes);
}

/**
 * `text/plain` for UTF-8 without NUL bytes (a character cut at the end of the
 * sample is fine) or UTF-16 with its byte-order mark; `text/html` or
 * `image/svg+xml` when that text is markup a browser would run.
 */
function textKind(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    const utf16 = startsWith(bytes, 0xff, 0xfe) ? 'utf-16le' : startsWith(bytes, 0xfe, 0xff) ? 'utf-16be' : '';
    if (!utf16 && bytes.includes(0)) return undefined;
    text = new TextDecoder(utf16 || 'utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return undefined;
  }
  const start = text.replace(/^\uFEFF?\s*/, '').slice(0, 512).toLowerCase();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(start)) return 'image/svg+xml';
  if (/^(<!doctype html|<html[\s>]|<script[\s>]|<head[\s>]|<body[\s>]|<iframe[\s>])/.test(start)) return 'text/html';
  return 'text/plain';
}

/** The content types each extension may hold. */
const contentByExtension: Record<string, string[]> = {
  jpg: ['image/jpeg'],
  jpeg: ['image/jpeg'],
  png: ['image/png'],
  gif: ['image/gif'],
  webp: ['image/webp'],
  pdf: ['application/pdf'],
  // A container whose part folders lie past the first 64 KB still reads as a plain ZIP.
  docx: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/zip'],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/zip'],
  zip: ['application/zip', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  xls: ['application/x-ole-storage'],
  doc: ['application/x-ole-storage'],
  mp4: ['video/mp4', 'audio/mp4', 'video/quicktime'],
  m4a: ['audio/mp4', 'video/mp4'],
  mov: ['video/quicktime', 'video/mp4'],
  mp3: ['audio/mpeg'],
  ogg: ['audio/ogg'],
  oga: ['audio/ogg'],
  amr: ['audio/amr'],
  wav: ['audio/wav'],
  txt: ['text/plain'],
};

/**
 * What `sample` (a file's first bytes) is, and whether that agrees with the
 * file's `extensions` (its name's and its type's) and `mimeType`. It imports
 * nothing, so it loads as one small piece. A program, or markup a browser would run, is
 * never what the name says unless the type is exactly that; otherwise, when
 * we know what the name or type promises, the content must be one of those.
 */
export function contentAgrees(sample: Uint8Array, extensions: string[], mimeType: string): { agrees: boolean; detected?: string } {
  const detected = sniffContent(sample);
  const plausible = extensions.flatMap((extension) => contentByExtension[extension] ?? []);
  const active = detected === 'application/x-executable' || detected === 'text/html' || detected === 'image/svg+xml';
  return { agrees: active ? mimeType === detected : plausible.length === 0 || plausible.includes(detected ?? ''), detected };
}

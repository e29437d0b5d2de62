import type { AttachmentKind, AttachmentPolicy, NamedBlob } from '../adapters/types.js';
import { attachmentKindOf } from '../adapters/types.js';
import { extensionOf, extensionsFor, typeForExtension, typeIsAllowed } from '../adapters/file-types.js';

/** Why a file was refused. */
export type RefusalReason = 'too-large' | 'type-not-allowed' | 'content-mismatch' | 'empty' | 'too-many' | 'unreadable';

/**
 * The outcome of checking a file against the attachment policy: `ok: true`
 * with the `kind` and `mimeType` it will be sent as, or `ok: false` with the
 * `reason` and what applies.
 */
export type AttachmentCheck =
  | { ok: true; kind: AttachmentKind; mimeType: string }
  | {
      ok: false;
      reason: RefusalReason;
      /** For `too-large`: the limit that applies, in bytes. */
      limit?: number;
      /** For `content-mismatch`: what the content looks like, e.g. `application/x-msdownload`. */
      detected?: string;
    };

/** How much of a file the content check reads, whatever its size. */
export const sniffBytes = 64 * 1024;

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

/** The MIME type a file should be sent as: its own, or the usual one for its extension. */
const declaredType = (file: NamedBlob) => file.type || typeForExtension(extensionOf(file.name)) || 'application/octet-stream';

/**
 * Checks a file against the attachment policy before any byte is uploaded:
 * emptiness, how many files, the allowed types, the size limits (total and
 * per kind), and whether the content agrees with the name and type. Reads at
 * most the first 64 KiB, so a 2 GB file is judged as fast as a 2 KB one.
 * `alreadyAttached` counts the files already going with the same message.
 */
export async function checkAttachment(file: NamedBlob, policy: AttachmentPolicy, alreadyAttached = 0): Promise<AttachmentCheck> {
  if (file.size === 0) return { ok: false, reason: 'empty' };
  if (alreadyAttached >= (policy.filesPerMessage ?? 1)) return { ok: false, reason: 'too-many' };
  const mimeType = declaredType(file);
  if (!typeIsAllowed(policy, file.name, mimeType)) return { ok: false, reason: 'type-not-allowed' };
  const kind = attachmentKindOf(mimeType);
  const limit = Math.min(policy.maxBytes, policy.maxBytesByKind?.[kind] ?? Infinity);
  if (file.size > limit) return { ok: false, reason: 'too-large', limit };
  let sample: Uint8Array;
  try {
    sample = new Uint8Array(await file.slice(0, sniffBytes).arrayBuffer());
  } catch {
    return { ok: false, reason: 'unreadable' }; // moved, deleted or locked since it was chosen
  }
  const detected = sniffContent(sample);
  const expected = contentByExtension[extensionOf(file.name)] ?? [];
  const byType = extensionsFor(mimeType).flatMap((extension) => contentByExtension[extension] ?? []);
  const plausible = [...expected, ...byType];
  // A program, or markup a browser would run, is never what the name says
  // unless the type is exactly that; otherwise, when we know what the name or
  // type promises, the content must be one of those.
  const active = detected === 'application/x-executable' || detected === 'text/html' || detected === 'image/svg+xml';
  const agrees = active ? mimeType === detected : plausible.length === 0 || plausible.includes(detected ?? '');
  if (!agrees) return { ok: false, reason: 'content-mismatch', detected: detected ?? 'application/octet-stream' };
  return { ok: true, kind, mimeType };
}

/** The policy's allowed types as short labels for people: `JPG, PNG, PDF`. */
export const allowedTypeLabels = (policy: Pick<AttachmentPolicy, 'accept'>): string[] =>
  [...new Set(policy.accept.map((entry) => (entry.startsWith('.') ? entry.slice(1) : entry).toUpperCase()))];

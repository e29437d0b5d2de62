import type { AttachmentPolicy } from './types.js';

/** File extensions (lower case, no dot) that each MIME type may carry; the first is the usual one. */
const extensionsByType: Record<string, string[]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'video/mp4': ['mp4', 'm4v'],
  'video/quicktime': ['mov'],
  'audio/mpeg': ['mp3'],
  'audio/mp4': ['m4a', 'mp4'],
  'audio/ogg': ['ogg', 'oga'],
  'audio/aac': ['aac'],
  'audio/wav': ['wav'],
  'audio/x-wav': ['wav'],
  'audio/amr': ['amr'],
  'application/pdf': ['pdf'],
  'text/plain': ['txt'],
  'text/csv': ['csv'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.ms-excel': ['xls'],
  'application/msword': ['doc'],
  'application/zip': ['zip'],
  'application/x-zip-compressed': ['zip'],
};

/** Extensions that run or render as active content when opened; a file of unknown type gets `.bin` after them. */
const activeExtensions = new Set(['exe', 'com', 'bat', 'cmd', 'msi', 'scr', 'ps1', 'vbs', 'js', 'jar', 'hta', 'lnk', 'sh', 'app', 'html', 'htm', 'svg', 'xhtml']);

/** The extensions a MIME type may carry, usual one first; empty for types we do not know. */
export const extensionsFor = (mimeType: string): string[] => extensionsByType[mimeType.toLowerCase().split(';')[0].trim()] ?? [];

/** The usual MIME type for an extension (no dot), if we know one. */
export const typeForExtension = (extension: string): string | undefined =>
  Object.keys(extensionsByType).find((type) => extensionsByType[type].includes(extension.toLowerCase()));

/** A file name's extension, lower case, without the dot ('' when there is none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * Whether a file's type is on the policy's `accept` list: by MIME type, by
 * wildcard (`image/*`, or any type), or by extension, where an extension also matches a
 * file whose MIME type carries it (a Messenger image named by number is
 * still a `.jpg`).
 */
export function typeIsAllowed(policy: Pick<AttachmentPolicy, 'accept'>, name: string, mimeType: string): boolean {
  const type = mimeType.toLowerCase();
  const extensions = new Set([extensionOf(name), ...extensionsFor(type)].filter(Boolean));
  return policy.accept.some((entry) => {
    const rule = entry.trim().toLowerCase();
    if (rule === '*/*') return true;
    if (rule.startsWith('.')) return extensions.has(rule.slice(1));
    if (rule.endsWith('/*')) return type.startsWith(rule.slice(0, -1));
    return rule === type;
  });
}

// Path separators, characters Windows refuses, C0/C1 controls, and the
// invisible direction marks that can disguise "gpj.exe" as "exe.jpg".
// eslint-disable-next-line no-control-regex
const unsafeInName = /[\\/:*?"<>|\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A name that is safe to save a file under: no path, no control or bidi
 * characters, no leading dots, at most 120 characters, and an extension
 * that matches its MIME type (added when missing or wrong). A file of a type
 * we do not know keeps its name unless it would run when opened.
 */
export function safeFileName(name: string, mimeType: string, fallback = 'file'): string {
  const clean = (text: string) => text.replace(unsafeInName, '_').replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 120);
  let safe = clean(name) || clean(fallback) || 'file';
  const allowed = extensionsFor(mimeType);
  if (allowed.length && !allowed.includes(extensionOf(safe))) safe = `${safe}.${allowed[0]}`;
  else if (!allowed.length && activeExtensions.has(extensionOf(safe))) safe = `${safe}.bin`;
  return safe;
}

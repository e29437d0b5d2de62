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
  const { agrees, detected } = (await import('./sniff.js')).contentAgrees(sample, [extensionOf(file.name), ...extensionsFor(mimeType)], mimeType);
  if (!agrees) return { ok: false, reason: 'content-mismatch', detected: detected ?? 'application/octet-stream' };
  return { ok: true, kind, mimeType };
}

/** The policy's allowed types as short labels for people: `JPG, PNG, PDF`. */
export const allowedTypeLabels = (policy: Pick<AttachmentPolicy, 'accept'>): string[] =>
  [...new Set(policy.accept.map((entry) => (entry.startsWith('.') ? entry.slice(1) : entry).toUpperCase()))];

/**
 * Agents' uploads: read from the request as a stream, checked as the
 * console checks them (type, size and content, with the library's
 * `checkAttachment`), and spooled to a private temporary file until Graph has
 * them, so a 25 MB file costs the relay a few chunks of memory, not the file.
 *
 * @module
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { AttachmentPolicy, NamedBlob } from 'agent-console/adapters';
import { attachmentKindOf, extensionOf, typeForExtension } from 'agent-console/adapters';
import { checkAttachment, sniffBytes, type AttachmentCheck } from 'agent-console/policy.js';
import { HttpError } from './errors.js';
import { cleanFileName } from './files.js';
import type { Logger } from './logging.js';

/** A file on its way to Graph, waiting on disk. */
export interface SpooledFile {
  name: string;
  type: string;
  size: number;
  /** SHA-256 of the bytes, in hex. */
  sha256: string;
  path: string;
}

/** What an agent asked to send. */
export interface Draft {
  clientId: string;
  text?: string;
  file?: SpooledFile;
  /** The customer's message this one answers. */
  replyTo?: string;
  /** Sent by the console itself (the customer notice), not typed by the agent. */
  automatic?: boolean;
}

const unreadable = () => new HttpError(400, 'The upload could not be read.');

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** The sentence for a refused file, or `undefined` when the check passed. */
function refusalOf(check: AttachmentCheck, policy: AttachmentPolicy): HttpError | undefined {
  if (check.ok) return undefined;
  switch (check.reason) {
    case 'empty':
      return new HttpError(422, 'The file is empty.');
    case 'too-large':
      return new HttpError(422, `The file is too large: files up to ${formatBytes(check.limit ?? policy.maxBytes)} can be sent.`);
    case 'type-not-allowed':
      return new HttpError(422, `This file type can't be sent. Allowed: ${(policy.accept ?? []).join(', ')}.`);
    case 'content-mismatch':
      return new HttpError(422, `This file can't be sent: its content does not match its name and type${check.detected ? ` (it looks like ${check.detected})` : ''}.`);
    case 'too-many':
      return new HttpError(422, 'Only one file can be sent in a message.');
    default:
      return unreadable();
  }
}

/** The checks a file's first bytes (at most `sniffBytes`) and its size allow. */
function check(name: string, type: string, size: number, head: Uint8Array, policy: AttachmentPolicy): Promise<AttachmentCheck> {
  const sample = new Blob([head], { type });
  // checkAttachment reads the size and the first bytes; the rest stays on disk.
  const file = { name, type, size, slice: () => sample } as unknown as NamedBlob;
  return checkAttachment(file, policy);
}

/** What a channel takes: its files and its longest text. */
export interface ChannelRules {
  /** The channel's name for sentences, e.g. `Messenger`. */
  name: string;
  policy: AttachmentPolicy;
  textLimit: number;
}

export function createUploads({ uploadDir, log }: { uploadDir?: string | undefined; log: Logger }) {
  let directory: Promise<string> | undefined;
  /** The refusal for a failed check; a program dressed as a picture is worth a line in the log. */
  const refusal = (check: AttachmentCheck, policy: AttachmentPolicy) => {
    if (!check.ok && check.reason === 'content-mismatch') log.warn(`refused a file whose content is not its name or type (${check.detected ?? 'unknown content'})`);
    return refusalOf(check, policy);
  };
  const spoolDirectory = () => (directory ??= mkdtemp(path.join(uploadDir ?? os.tmpdir(), 'agent-console-relay-')));
  /** A spool that cannot be made is a set-up error: said at start-up, not as "could not be read" to every agent. */
  async function prepare(): Promise<void> {
    try {
      await spoolDirectory();
    } catch (error) {
      directory = undefined;
      throw new Error(`The upload directory ${uploadDir ?? os.tmpdir()} cannot be used: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Streams one file part to disk; refuses it as soon as its first bytes show it may not be sent. */
  async function spool(stream: Readable & { truncated?: boolean }, filename: string, mimetype: string, policy: AttachmentPolicy): Promise<SpooledFile> {
    // Browsers escape a quote and line breaks in a part's file name (HTML's multipart encoding); the parser leaves them so.
    const name = cleanFileName((filename || 'file').replace(/%(0D|0A|22)/gi, (escaped) => decodeURIComponent(escaped)));
    // A part without a type gets the usual one of its extension.
    const declared = mimetype && mimetype !== 'application/octet-stream' ? mimetype.split(';')[0]!.trim().toLowerCase() : typeForExtension(extensionOf(name));
    const type = declared ?? 'application/octet-stream';
    const target = path.join(await spoolDirectory(), crypto.randomUUID());
    const hash = crypto.createHash('sha256');
    const head: Buffer[] = [];
    let size = 0;
    let headChecked = false;
    const judgeHead = async () => {
      headChecked = true;
      // The size is not known yet: only type and content can refuse it here.
      const early = await check(name, type, size, Buffer.concat(head), policy);
      if (!early.ok && (early.reason === 'type-not-allowed' || early.reason === 'content-mismatch')) throw refusal(early, policy);
    };
    const inspect = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        if (size < sniffBytes) head.push(chunk.subarray(0, sniffBytes - size));
        size += chunk.length;
        if (headChecked || size < sniffBytes) return done(null, chunk);
        judgeHead().then(() => done(null, chunk), done);
      },
    });
    try {
      await pipeline(stream, inspect, fs.createWriteStream(target, { flags: 'wx', mode: 0o600 }));
      if (stream.truncated) {
        const limit = Math.min(policy.maxBytes, policy.maxBytesByKind?.[attachmentKindOf(type)] ?? Infinity);
        throw new HttpError(422, `The file is too large: files up to ${formatBytes(limit)} can be sent.`);
      }
      const refused = refusal(await check(name, type, size, Buffer.concat(head), policy), policy);
      if (refused) throw refused;
    } catch (error) {
      stream.resume(); // the rest of the body is read and dropped, so the answer gets through
      await rm(target, { force: true });
      if (error instanceof HttpError) throw error;
      log.warn(`an upload was cut off or could not be spooled (${(error as Error)?.message ?? error})`);
      throw unreadable();
    }
    return { name, type, size, sha256: hash.digest('hex'), path: target };
  }

  return {
    /**
     * The draft of a send: a JSON body, or a multipart form with `clientId`,
     * `text` and one `file`. A file that may not be sent is refused (422)
     * before anything is sent; its bytes never stay on disk.
     */
    async readDraft(request: FastifyRequest, rules: ChannelRules): Promise<Draft> {
      let clientId: unknown;
      let text: unknown;
      let replyTo: unknown;
      let automatic: unknown;
      let file: SpooledFile | undefined;
      try {
        if (request.isMultipart()) {
          for await (const part of request.parts()) {
            if (part.type === 'file') {
              if (part.fieldname !== 'file' || file) {
                part.file.resume();
                throw new HttpError(400, 'Only one file, in the field "file", can be sent.');
              }
              file = await spool(part.file, part.filename, part.mimetype, rules.policy);
            } else if (part.fieldname === 'clientId') clientId = part.value;
            else if (part.fieldname === 'text') text = part.value;
            else if (part.fieldname === 'replyTo') replyTo = part.value;
            else if (part.fieldname === 'automatic') automatic = part.value === 'true';
            else if (part.fieldname === 'file') throw new HttpError(400, 'The file field must be a file.');
          }
        } else {
          const body = (request.body ?? {}) as { clientId?: unknown; text?: unknown; replyTo?: unknown; automatic?: unknown };
          clientId = body.clientId;
          text = body.text ?? undefined;
          replyTo = body.replyTo ?? undefined;
          automatic = body.automatic ?? undefined;
        }
        if (typeof clientId !== 'string' || !clientId || clientId.length > 200) throw new HttpError(400, 'The message needs a clientId.');
        if (text !== undefined && typeof text !== 'string') throw new HttpError(400, 'The text must be a string.');
        if (replyTo !== undefined && (typeof replyTo !== 'string' || !replyTo || replyTo.length > 500)) throw new HttpError(400, 'replyTo must be a message id.');
        if (automatic !== undefined && typeof automatic !== 'boolean') throw new HttpError(400, 'automatic must be true or false.');
        const draft: Draft = { clientId };
        if (replyTo) draft.replyTo = replyTo;
        if (automatic) draft.automatic = true;
        if (typeof text === 'string' && text.trim()) draft.text = text;
        if (file) draft.file = file;
        if (draft.text === undefined && !file) throw new HttpError(400, 'The message has no text and no file.');
        const limit = rules.textLimit;
        if (draft.text !== undefined && draft.text.length > limit) throw new HttpError(422, `${rules.name} takes at most ${limit.toLocaleString('en')} characters in one message.`);
        return draft;
      } catch (error) {
        if (file) await discard(file);
        if (request.isMultipart()) {
          // Read and drop the rest of the body, so the client gets the answer rather than a reset.
          request.raw.unpipe();
          request.raw.resume();
        }
        if (error instanceof HttpError) throw error;
        const code = (error as { code?: string })?.code ?? '';
        if (/LIMIT/.test(code)) throw new HttpError(413, 'The upload has too many parts or too large a field.');
        log.error(`an upload failed: ${(error as Error)?.message ?? error}`);
        throw unreadable();
      }
    },

    discard,
    prepare,

    /** Removes the spool directory and what is left in it. */
    async close(): Promise<void> {
      if (directory) await rm(await directory, { recursive: true, force: true });
    },
  };
}

/** Deletes a spooled file once it has gone (or will not). */
export async function discard(file: SpooledFile): Promise<void> {
  await rm(file.path, { force: true });
}

/**
 * How many files, and bytes, each agent has on their way. `admit` makes room
 * for one upload or refuses it (429); what it answers frees the room again.
 */
export function uploadQuota({ perAgent, bytesPerAgent }: { perAgent: number; bytesPerAgent: number }) {
  const uploading = new Map<string, { count: number; bytes: number }>();
  return {
    admit(agentId: string, bytes: number): () => void {
      const mine = uploading.get(agentId) ?? { count: 0, bytes: 0 };
      if (mine.count >= perAgent || mine.bytes + bytes > bytesPerAgent) {
        throw new HttpError(429, 'Too many files are on their way from you; send this one once one of them has gone.', { 'Retry-After': '5' });
      }
      uploading.set(agentId, { count: mine.count + 1, bytes: mine.bytes + bytes });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const now = uploading.get(agentId)!;
        if (now.count === 1) uploading.delete(agentId);
        else uploading.set(agentId, { count: now.count - 1, bytes: now.bytes - bytes });
      };
    },
  };
}

/**
 * Customer media that lasts: Meta's CDN links expire, so the relay copies
 * each file a customer sends into a media store when it arrives, and serves
 * it from its own origin under a signed link, with a `Content-Disposition`
 * carrying the file's safe name (a cross-origin `download` attribute is
 * ignored by browsers; this header is not).
 *
 * The store is an interface: a directory by default ({@link createDirectoryMediaStore});
 * an S3-compatible one can implement the same three methods.
 *
 * @module
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Attachment, Message } from 'agent-console/adapters';
import type { Logger } from './logging.js';
import { sameSecret } from './secrets.js';

/** What is known about a kept file. */
export interface MediaInfo {
  name: string;
  type: string;
  size: number;
}

/** Where customer media is kept. */
export interface MediaStore {
  /** Keeps the bytes under `id` (replacing any). */
  put(id: string, body: Readable, info: Omit<MediaInfo, 'size'>, maxBytes: number): Promise<MediaInfo>;
  /** The file, or `undefined` when it is not kept. */
  get(id: string): Promise<{ info: MediaInfo; body: () => Readable } | undefined>;
  /** Forgets the file. */
  remove(id: string): Promise<void>;
}

/** A file larger than the store takes. */
class TooLarge extends Error {}

/** Keeps each file as two entries in `directory`: the bytes, and a small JSON with its name, type and size. */
export function createDirectoryMediaStore(directory: string): MediaStore {
  // Ids come from Meta; the file names are their digests, so no id can name a path.
  const fileOf = (id: string) => path.join(directory, crypto.createHash('sha256').update(id).digest('hex'));
  return {
    async put(id, body, { name, type }, maxBytes) {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      const target = fileOf(id);
      const partial = `${target}.${crypto.randomUUID()}.part`;
      let size = 0;
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(size > maxBytes ? new TooLarge(`larger than ${maxBytes} bytes`) : null, chunk);
        },
      });
      try {
        await pipeline(body, count, fs.createWriteStream(partial, { mode: 0o600 }));
        await writeFile(`${target}.json`, JSON.stringify({ name, type, size }), { mode: 0o600 });
        await fs.promises.rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { name, type, size };
    },
    async get(id) {
      const target = fileOf(id);
      try {
        const info = JSON.parse(await readFile(`${target}.json`, 'utf8')) as MediaInfo;
        await fs.promises.access(target);
        return { info, body: () => fs.createReadStream(target) };
      } catch {
        return undefined;
      }
    },
    async remove(id) {
      const target = fileOf(id);
      await rm(target, { force: true });
      await rm(`${target}.json`, { force: true });
    },
  };
}

/** Types a browser may show inline from the relay's origin; anything else is only downloaded. */
const inlineTypes = /^(image\/(png|jpeg|gif|webp)|video\/(mp4|webm|quicktime)|audio\/(mpeg|mp4|aac|ogg|wav|webm))$/;

/** `Content-Disposition` with the name in ASCII and in full (RFC 6266). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Copies customer media into the store and links it under the relay's own
 * origin (`publicUrl`), signed so only the links the relay gave out open.
 */
export function createMediaKeeper({
  store,
  publicUrl,
  secret,
  maxBytes,
  fetch = globalThis.fetch,
  log,
  timeoutMs = 30_000,
}: {
  store: MediaStore;
  publicUrl: string;
  secret: string;
  maxBytes: number;
  fetch?: typeof globalThis.fetch;
  log: Logger;
  timeoutMs?: number;
}) {
  const key = crypto.createHmac('sha256', secret).update('agent-console-relay media').digest();
  const sign = (id: string) => crypto.createHmac('sha256', key).update(id).digest('base64url');
  const base = publicUrl.replace(/\/+$/, '');

  async function keep(attachment: Attachment): Promise<Attachment> {
    if (!/^https?:\/\//i.test(attachment.url)) return attachment;
    const id = attachment.id;
    try {
      const response = await fetch(attachment.url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
      if (!response.ok || !response.body) throw new Error(`the CDN answered ${response.status}`);
      const declared = Number(response.headers.get('content-length'));
      if (declared > maxBytes) throw new Error(`it is ${declared} bytes`);
      const type = attachment.mimeType || response.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream';
      const info = await store.put(id, Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), { name: attachment.name, type }, maxBytes);
      return { ...attachment, size: info.size, url: `${base}/media/${encodeURIComponent(id)}?sig=${sign(id)}` };
    } catch (error) {
      // Shown from Meta's link meanwhile; it works until it expires.
      log.warn(`media: a customer file could not be kept (${(error as Error).message}); it is linked from Meta's CDN`);
      return attachment;
    }
  }

  return {
    /** The message with its customer files kept and linked from the relay. */
    async keep(message: Message): Promise<Message> {
      if (message.direction !== 'inbound' || !message.attachments?.length) return message;
      return { ...message, attachments: await Promise.all(message.attachments.map(keep)) };
    },

    /** Whether `sig` is the relay's signature of `id`. */
    verify(id: string, sig: unknown): boolean {
      return sameSecret(sig ?? '', sign(id));
    },

    store,

    /** The headers a kept file is served with: its type when safe to show inline, else a download; never run on the relay's origin. */
    headersFor(info: MediaInfo): Record<string, string> {
      const inline = inlineTypes.test(info.type);
      return {
        'Content-Type': inline ? info.type : 'application/octet-stream',
        'Content-Length': String(info.size),
        'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', info.name),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, max-age=86400',
        'Cross-Origin-Resource-Policy': 'cross-origin',
      };
    },
  };
}

export type MediaKeeper = ReturnType<typeof createMediaKeeper>;

/**
 * Signatures, secrets and digests.
 *
 * @module
 */
import crypto from 'node:crypto';

/** SHA-256 in hex of a string or bytes. */
export const digest = (data: string | Uint8Array): string => crypto.createHash('sha256').update(data).digest('hex');

/**
 * The `X-Hub-Signature-256` value Meta sends with a webhook body.
 * @param rawBody the exact bytes
 * @returns `sha256=<hex>`
 */
export function signWebhook(rawBody: string | Uint8Array, appSecret: string): string {
  return `sha256=${crypto.createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** Whether `header` is the app's signature of exactly these bytes (compared in constant time). */
export function checkSignature(raw: Uint8Array, header: unknown, appSecret: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(String(header ?? '').trim());
  if (!match) return false;
  const expected = crypto.createHmac('sha256', appSecret).update(raw).digest();
  const given = Buffer.from(match[1]!, 'hex');
  // Called through the module object, so that a test can watch it.
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** Compares two secrets in constant time, whatever their lengths. */
export function sameSecret(given: unknown, expected: string): boolean {
  const a = crypto.createHash('sha256').update(String(given)).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

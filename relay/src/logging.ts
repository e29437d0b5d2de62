/**
 * Structured logging: one JSON object per line (pino), with every secret
 * taken out before the line is written.
 *
 * @module
 */
import { pino, stdTimeFunctions, type Logger } from 'pino';
export type { Logger } from 'pino';

/** Where the relay's log lines go: a function given each line's message and its JSON, `false` for none; default stdout. */
export type LogOption = ((message: string, line: string) => void) | false;

/** Query parameters that carry a secret (Meta's handshake, Graph calls, tokens in links). */
const secretParameters = ['hub.verify_token', 'access_token', 'token', 'appsecret_proof'];

/** A request path with the values of secret query parameters replaced. */
export function cleanUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = new URLSearchParams(url.slice(at + 1));
  for (const name of secretParameters) if (query.has(name)) query.set(name, '[redacted]');
  return `${url.slice(0, at)}?${query}`;
}

/** Field paths whose values are never written, wherever a line carries them. */
const redactPaths = [
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'headers.authorization',
  'token',
  '*.token',
  'pageAccessToken',
  'appSecret',
  'verifyToken',
  'agentTokens',
  '*.pageAccessToken',
  '*.appSecret',
  '*.verifyToken',
  '*.agentTokens',
];

/** The relay's logger: to stdout by default, to a function, or nowhere (`false`). */
export function createLogger(log: LogOption, level: string): Logger {
  if (log === false) return pino({ level: 'silent' });
  return pino(
    {
      level,
      base: { name: 'relay' },
      timestamp: stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers: {
        // Never headers or bodies: the method, the path without secrets, and who asked.
        req: (req: { method?: string; url?: string; ip?: string }) => ({ method: req.method, url: cleanUrl(req.url ?? ''), remoteAddress: req.ip }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
    {
      write(line: string) {
        let message = '';
        try {
          message = String(JSON.parse(line).msg ?? '');
        } catch {
          // not JSON: pass the line on as it is
        }
        log(message, line);
      },
    },
  );
}

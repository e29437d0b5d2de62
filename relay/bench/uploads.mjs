// `node relay/bench/uploads.mjs` (after `npm run build:relay`): how much memory
// the Graph client needs to send files from disk.
//
// A child process sends N files of S MiB at once from one file on disk
// (fs.createReadStream each), to the fake Graph the tests use, which runs here,
// in another process, so that what it keeps is not counted. Printed: the
// sender's RSS before the uploads, its peak (the kernel's high-water mark,
// not a sample) and the difference. Options: --files=6 --mib=25.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createFakeGraph } from 'agent-console-relay/fake-graph';
import { createGraphClient } from '../dist/graph.js';

const option = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const files = option('files', 6);
const mib = option('mib', 25);
const MiB = 2 ** 20;

if (process.argv.includes('--sender')) {
  // The child: one small upload first, so that what a send loads is loaded before the baseline.
  const [graphApiUrl, file] = process.argv.slice(3, 5);
  const graph = createGraphClient({ pageId: '1234567890', pageAccessToken: 'bench-page-token', graphApiUrl });
  const send = (psid, upload) => graph.sendFile({ psid, kind: 'file', file: upload, messagingType: 'RESPONSE' });
  await send('warm-up', { name: 'warm-up.txt', type: 'text/plain', size: 2, open: () => Readable.from([Buffer.from('hi')]) });
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const { size } = fs.statSync(file);
  const started = performance.now();
  await Promise.all(Array.from({ length: files }, (_, i) => send(String(i), { name: `file-${i}.bin`, type: 'application/octet-stream', size, open: () => fs.createReadStream(file) })));
  process.send({ before, peak: process.resourceUsage().maxRSS * 1024, seconds: (performance.now() - started) / 1000 });
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-uploads-'));
  const file = path.join(dir, 'upload.bin');
  const out = fs.createWriteStream(file);
  const chunk = Buffer.alloc(MiB, 7);
  for (let i = 0; i < mib; i++) if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
  await new Promise((resolve) => out.end(resolve));

  const graph = createFakeGraph({ accessToken: 'bench-page-token' });
  const { url } = await graph.listen();
  const child = fork(new URL(import.meta.url).pathname, ['--sender', url, file, `--files=${files}`, `--mib=${mib}`], { execArgv: ['--expose-gc'] });
  const [result] = await Promise.race([
    new Promise((resolve) => child.once('message', (message) => resolve([message]))),
    new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`the sender exited (${code}) without a result`)))),
  ]);
  await new Promise((resolve) => child.once('exit', resolve));
  const uploads = graph.requests.filter((request) => request.kind === 'upload' && request.files.filedata.size === mib * MiB);
  await graph.close();
  fs.rmSync(dir, { recursive: true });
  if (uploads.length !== files) throw new Error(`fake Graph received ${uploads.length} of ${files} files whole`);
  const fmt = (bytes) => `${(bytes / MiB).toFixed(0)} MiB`;
  console.log(`upload benchmark · ${files} files × ${mib} MiB from disk at once · Node ${process.version}`);
  console.log(`sender:    ${result.seconds.toFixed(1)} s · RSS ${fmt(result.before)} before, ${fmt(result.peak)} at most: +${fmt(result.peak - result.before)}`);
  console.log(`received:  ${uploads.length} files whole, each with Content-Length ${uploads.every((request) => request.contentLength === request.bodySize && !request.chunked) ? 'exact' : 'WRONG'}`);
}

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createFakeGraph, graphErrors } from 'agent-console-relay/fake-graph';
import { createGraphClient, GraphError, reasons, UploadFileError } from '../dist/graph.js';
import { until } from 'agent-console-relay/testing';

/** A fetch that answers each call when the test lets it go, and records what was asked. */
function heldFetch() {
  const calls = [];
  let open = 0;
  let mostOpen = 0;
  const fetch = (url, init) =>
    new Promise((resolve) => {
      open++;
      mostOpen = Math.max(mostOpen, open);
      const path = new URL(url).pathname;
      calls.push({
        path,
        body: init.body,
        answer(status, body) {
          open--;
          resolve(new Response(JSON.stringify(body), { status }));
        },
      });
    });
  return { fetch, calls, mostOpen: () => mostOpen, open: () => open };
}

const client = (fetch, options = {}) => createGraphClient({ pageId: 'page-1', pageAccessToken: 'page-token', retries: 1, fetch, ...options });

describe('the Graph client', () => {
  test('never has more than maxConcurrent calls open; the others wait their turn, in order', async () => {
    const graph = heldFetch();
    const api = client(graph.fetch, { maxConcurrent: 3 });
    const sends = Array.from({ length: 10 }, (_, i) => api.sendText({ psid: `p${i}`, text: `Message ${i}`, messagingType: 'RESPONSE' }));
    await until(() => graph.calls.length === 3);
    assert.equal(graph.open(), 3);
    for (let answered = 0; answered < 10; answered++) {
      await until(() => graph.calls.length > answered);
      graph.calls[answered].answer(200, { message_id: `m${answered}` });
    }
    const results = await Promise.all(sends);
    assert.deepEqual(results.map((result) => result.message_id), Array.from({ length: 10 }, (_, i) => `m${i}`));
    assert.equal(graph.mostOpen(), 3);
    assert.deepEqual(graph.calls.map((call) => JSON.parse(call.body).recipient.id), Array.from({ length: 10 }, (_, i) => `p${i}`));
  });

  test('looks a customer up once while the profile is remembered, and again after a failure or once it is old', async () => {
    const graph = heldFetch();
    const api = client(graph.fetch);
    const lookups = Array.from({ length: 5 }, () => api.profile('psid-1'));
    await until(() => graph.calls.length === 1);
    graph.calls[0].answer(200, { first_name: 'Ana', last_name: 'Souza', profile_pic: 'https://cdn.example/ana.jpg' });
    for (const profile of await Promise.all(lookups)) assert.deepEqual(profile, { name: 'Ana Souza', firstName: 'Ana', lastName: 'Souza', avatarUrl: 'https://cdn.example/ana.jpg' });
    assert.equal((await api.profile('psid-1')).name, 'Ana Souza');
    assert.equal(graph.calls.length, 1, 'remembered');

    const failing = api.profile('psid-2');
    await until(() => graph.calls.length === 2);
    graph.calls[1].answer(400, { error: { code: 100, message: 'No such user' } });
    await assert.rejects(failing, GraphError);
    const retried = api.profile('psid-2');
    await until(() => graph.calls.length === 3);
    graph.calls[2].answer(200, { name: 'Bao Tran' });
    assert.equal((await retried).name, 'Bao Tran', 'a failed lookup is not remembered');

    const forgetful = client(graph.fetch, { profileCacheMs: 0 });
    for (const expected of [4, 5]) {
      const lookup = forgetful.profile('psid-1');
      await until(() => graph.calls.length === expected);
      graph.calls[expected - 1].answer(200, { name: 'Ana Souza' });
      await lookup;
    }
  });

  test('remembers at most profileCacheSize customers', async () => {
    const graph = heldFetch();
    const api = client(graph.fetch, { profileCacheSize: 2 });
    /** Looks `psid` up, answering the Graph call if one is made; the number of calls so far. */
    const lookUp = async (psid) => {
      const before = graph.calls.length;
      const lookup = api.profile(psid);
      await new Promise((resolve) => setImmediate(resolve));
      if (graph.calls.length > before) graph.calls.at(-1).answer(200, { name: psid });
      assert.equal((await lookup).name, psid);
      return graph.calls.length;
    };
    const calls = [];
    for (const psid of ['a', 'b', 'c', 'b', 'a']) calls.push(await lookUp(psid));
    assert.deepEqual(calls, [1, 2, 3, 3, 4], 'b is remembered; a was forgotten when c came');
  });
});

/** A file whose bytes come from a fresh stream, in chunks, each time it is opened; `opens` counts the openings. */
function streamedFile(bytes, { name = 'report.pdf', type = 'application/pdf', size = bytes.length, chunk = 64 * 1024 } = {}) {
  const file = {
    name,
    type,
    size,
    opens: 0,
    open() {
      file.opens++;
      return Readable.from(
        (function* () {
          for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
        })(),
      );
    },
  };
  return file;
}

describe('the Graph client: file uploads', () => {
  const graph = createFakeGraph({ accessToken: 'page-token' });
  let api;
  const logged = [];
  before(async () => {
    const { url } = await graph.listen();
    api = createGraphClient({ pageId: 'page-1', pageAccessToken: 'page-token', graphApiUrl: url, retries: 3, retryBaseDelay: 1, log: (line) => logged.push(line) });
  });
  beforeEach(() => {
    graph.reset();
    graph.delay = 0;
  });
  after(() => graph.close());
  const upload = (file, more = {}) => api.sendFile({ psid: 'psid-1', kind: 'file', file, messagingType: 'RESPONSE', ...more });

  test('a file sent from a stream arrives byte for byte, with its name, type and fields, and an exact Content-Length', async () => {
    const bytes = randomBytes(300_000);
    const file = streamedFile(bytes, { name: 'Báo cáo "quý" 3 – Ærø.pdf', chunk: 10_000 });
    const sent = await upload(file, { kind: 'image', metadata: 'client-7', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });

    const [request] = graph.requests;
    assert.equal(request.kind, 'upload');
    assert.equal(sent.message_id, request.answer.body.message_id);
    assert.equal(request.path, '/v25.0/page-1/messages');
    assert.equal(request.query.access_token, 'page-token');
    const received = request.files.filedata;
    assert.equal(received.name, 'Báo cáo "quý" 3 – Ærø.pdf');
    assert.equal(received.type, 'application/pdf');
    assert.equal(received.size, bytes.length);
    assert.ok(received.bytes.equals(bytes), 'the same bytes');
    assert.deepEqual(request.fields, {
      recipient: JSON.stringify({ id: 'psid-1' }),
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: JSON.stringify({ attachment: { type: 'image', payload: { is_reusable: false } }, metadata: 'client-7' }),
    });
    assert.equal(request.chunked, false);
    assert.equal(request.contentLength, request.bodySize);
    assert.equal(file.opens, 1);
  });

  test('a name with line breaks or a backslash cannot add a header, and a type that is no MIME type is sent as application/octet-stream', async () => {
    await upload(streamedFile(Buffer.from('<b>hi</b>'), { name: 'a.txt"\r\nContent-Type: text/html\r\n\r\nb\\', type: 'text/plain\r\nX-Evil: 1' }));
    const received = graph.requests[0].files.filedata;
    assert.equal(received.name, 'a.txt"\r\nContent-Type: text/html\r\n\r\nb%5C', 'CR, LF and " come back as they were; a backslash stays inert');
    assert.equal(received.type, 'application/octet-stream');
    assert.equal(received.bytes.toString(), '<b>hi</b>');
  });

  test('a transient Graph error is tried again, opening the file again and sending all of it', async () => {
    const bytes = randomBytes(200_000);
    const file = streamedFile(bytes);
    graph.fail(graphErrors.transient, { match: 'upload' });
    await upload(file);
    assert.equal(file.opens, 2);
    assert.deepEqual(graph.requests.map((request) => request.answer.status), [500, 200]);
    for (const request of graph.requests) assert.ok(request.files.filedata.bytes.equals(bytes), 'each try sends the whole file');
  });

  for (const [what, size, then] of [
    ['shorter', 200_000, []],
    ['longer', 100_000, [Buffer.alloc(64 * 1024, 2)]],
  ]) {
    // The timeout ends the test if a client never connects before it reads the whole file.
    test(`a stream ${what} than the file's size fails, is not tried again, and Graph never gets a complete request`, { timeout: 30_000 }, async () => {
      const incompleteBefore = graph.incomplete;
      let opens = 0;
      const file = {
        name: 'clip.mp4',
        type: 'video/mp4',
        size,
        open() {
          opens++;
          return Readable.from(
            (async function* () {
              yield Buffer.alloc(64 * 1024, 1);
              // Graph has the request open: what follows breaks off a request it is reading.
              await until(() => graph.open === 1);
              yield* then;
            })(),
          );
        },
      };
      await assert.rejects(upload(file), UploadFileError);
      await until(() => graph.incomplete === incompleteBefore + 1);
      assert.equal(graph.requests.length, 0);
      assert.equal(opens, 1);
    });
  }

  test('a file that cannot be read fails with UploadFileError, not as a Graph refusal', async () => {
    const failing = {
      name: 'gone.pdf',
      type: 'application/pdf',
      size: 10,
      open: () => new Readable({ read() { this.destroy(new Error('ENOENT: gone.pdf')); } }),
    };
    await assert.rejects(upload(failing), (error) => error instanceof UploadFileError && /ENOENT/.test(error.message));
    const unopenable = {
      name: 'gone.pdf',
      type: 'application/pdf',
      size: 10,
      open() {
        throw new Error('EACCES: gone.pdf');
      },
    };
    await assert.rejects(upload(unopenable), UploadFileError);
    assert.equal(graph.requests.length, 0);
  });

  test('uploads count against maxConcurrent with the other calls', async () => {
    const limitedApi = createGraphClient({ pageId: 'page-1', pageAccessToken: 'page-token', graphApiUrl: graph.url, maxConcurrent: 2 });
    graph.delay = 100;
    const bytes = randomBytes(100_000);
    const sends = [
      ...Array.from({ length: 4 }, (_, i) => limitedApi.sendFile({ psid: `p${i}`, kind: 'file', file: streamedFile(bytes), messagingType: 'RESPONSE' })),
      ...Array.from({ length: 2 }, (_, i) => limitedApi.sendText({ psid: `t${i}`, text: 'Hello', messagingType: 'RESPONSE' })),
    ];
    await Promise.all(sends);
    assert.equal(graph.requests.length, 6);
    assert.equal(graph.mostOpen, 2);
  });

  test('a refusal maps as before: a reason the agent can read, the token hidden; a network error is not tried again', async () => {
    graph.fail(graphErrors.windowClosed, { match: 'upload' });
    await assert.rejects(upload(streamedFile(Buffer.from('x'))), (error) => error instanceof GraphError && error.message === reasons.windowClosed && error.code === 10 && error.subcode === 2018278 && !error.transient);
    graph.fail(graphErrors.unavailable, { match: 'upload' });
    await assert.rejects(upload(streamedFile(Buffer.from('x'))), { message: reasons.unavailable, code: 551 });
    graph.fail({ message: 'The token page-token has expired', type: 'OAuthException', code: 190 }, { match: 'upload' });
    await assert.rejects(upload(streamedFile(Buffer.from('x'))), { message: reasons.unauthorized, status: 400, code: 190, reason: 'channel-unauthorized' });
    graph.fail({ message: '(#100) The token page-token is not valid for this', type: 'OAuthException', code: 100 }, { match: 'upload' });
    await assert.rejects(upload(streamedFile(Buffer.from('x'))), { message: '(#100) The token [page token] is not valid for this', status: 400, code: 100 });

    const closed = http.createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = createGraphClient({ pageId: 'page-1', pageAccessToken: 'page-token', graphApiUrl: `http://127.0.0.1:${port}`, retries: 3, retryBaseDelay: 1, log: (line) => logged.push(line) });
    const file = streamedFile(Buffer.from('x'));
    await assert.rejects(unreachable.sendFile({ psid: 'psid-1', kind: 'file', file, messagingType: 'RESPONSE' }), { message: reasons.unreachable, transient: false });
    assert.equal(file.opens, 1, 'it may have reached Meta');
    assert.ok(logged.length > 0);
    assert.ok(logged.every((line) => !line.includes('page-token')), logged.join('\n'));
  });

  test('a file is read only as fast as it is sent: four 64 MiB streams at once, never more than part of one read ahead', async (t) => {
    const size = 64 * 2 ** 20;
    const zeros = Buffer.alloc(64 * 1024);
    const pulled = new Map();
    /** A stream of `size` zero bytes made as they are asked for, counting what was read from it. */
    const zeroFile = (psid) => ({
      name: `${psid}.bin`,
      type: 'application/octet-stream',
      size,
      open() {
        let left = size;
        pulled.set(psid, 0);
        return new Readable({
          read() {
            const chunk = zeros.subarray(0, Math.min(zeros.length, left));
            left -= chunk.length;
            pulled.set(psid, pulled.get(psid) + chunk.length);
            this.push(chunk.length ? chunk : null);
          },
        });
      },
    });
    // A Graph that counts what arrives and keeps none of it; it sees how far each sender has read ahead of it.
    let mostAhead = 0;
    const lengths = [];
    const counting = http.createServer(async (req, res) => {
      let received = 0;
      let psid;
      let head = '';
      for await (const chunk of req) {
        received += chunk.length;
        if (!psid) psid = (head += chunk.toString('latin1', 0, 2048)).match(/"id":"(p\d)"/)?.[1];
        if (psid) mostAhead = Math.max(mostAhead, pulled.get(psid) - received);
      }
      lengths.push([Number(req.headers['content-length']), received]);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message_id: `m_${psid}` }));
    });
    await new Promise((resolve) => counting.listen(0, '127.0.0.1', resolve));
    try {
      const streaming = createGraphClient({ pageId: 'page-1', pageAccessToken: 'page-token', graphApiUrl: `http://127.0.0.1:${counting.address().port}` });
      const psids = ['p0', 'p1', 'p2', 'p3'];
      const sent = await Promise.all(psids.map((psid) => streaming.sendFile({ psid, kind: 'file', file: zeroFile(psid), messagingType: 'RESPONSE' })));
      assert.deepEqual(sent.map((answer) => answer.message_id).sort(), ['m_p0', 'm_p1', 'm_p2', 'm_p3']);
      for (const psid of psids) assert.equal(pulled.get(psid), size);
      for (const [length, received] of lengths) assert.equal(received, length);
      assert.ok(mostAhead < size / 2, `read ${(mostAhead / 2 ** 20).toFixed(1)} MiB ahead of what Graph had received`);
      t.diagnostic(`at most ${(mostAhead / 2 ** 20).toFixed(2)} MiB read ahead of Graph (socket buffers included)`);
    } finally {
      await new Promise((resolve) => counting.close(resolve));
    }
  });
});

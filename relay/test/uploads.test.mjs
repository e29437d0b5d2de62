import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createFakeGraph } from 'agent-console-relay/fake-graph';
import { callApi, connectAgent, messengerText, postWebhook, startRelay, testSettings, tokens } from 'agent-console-relay/testing';

const MiB = 1024 * 1024;
const conversationOf = (psid) => encodeURIComponent(`${testSettings.pageId}:${psid}`);

/** Puts `agent` in a session with customer `psid` on the relay at `url`. */
async function openSession(url, agent, token, psid) {
  await postWebhook(url, messengerText({ psid, text: 'Here is my receipt' }));
  const request = await agent.waitForEvent('conversation-request', { where: (detail) => detail.customer.id === psid });
  assert.equal((await callApi(url, token, 'POST', `requests/${request.id}/accept`)).status, 200);
}

/** A form with a PDF of `size` bytes (a real signature, then zeros). */
function pdfForm(clientId, size) {
  const bytes = new Uint8Array(size);
  bytes.set(new TextEncoder().encode('%PDF-1.4\n'));
  const form = new FormData();
  form.set('clientId', clientId);
  form.set('file', new Blob([bytes], { type: 'application/pdf' }), `${clientId}.pdf`);
  return form;
}

describe('uploads', () => {
  const spools = [];
  after(() => Promise.all(spools.map((dir) => rm(dir, { recursive: true, force: true }))));

  test('a file waits on disk only while it is on its way: sent or refused, nothing is left, and close() removes the spool', async () => {
    const uploadDir = await mkdtemp(path.join(os.tmpdir(), 'relay-uploads-test-'));
    spools.push(uploadDir);
    const ctx = await startRelay({ uploadDir });
    const alice = connectAgent(ctx.url, tokens.alice);
    try {
      await alice.ready();
      await openSession(ctx.url, alice, tokens.alice, '5550009001');
      const messages = `conversations/${conversationOf('5550009001')}/messages`;
      const spooled = async () => (await Promise.all((await readdir(uploadDir)).map((dir) => readdir(path.join(uploadDir, dir))))).flat();

      assert.equal((await callApi(ctx.url, tokens.alice, 'POST', messages, pdfForm('c_sent', 300 * 1024))).status, 200);
      const [upload] = ctx.graph.sends().filter((call) => call.kind === 'upload');
      assert.equal(upload.files.filedata.size, 300 * 1024);
      assert.deepEqual(await spooled(), []);

      const program = new FormData();
      program.set('clientId', 'c_program');
      program.set('file', new Blob([new Uint8Array([0x4d, 0x5a, 0x90, 0x00, ...new Array(200_000).fill(0)])], { type: 'image/jpeg' }), 'holiday.jpg');
      const refused = await callApi(ctx.url, tokens.alice, 'POST', messages, program);
      assert.equal(refused.status, 422);
      assert.match(refused.body.error, /content does not match/);
      assert.deepEqual(await spooled(), []);
      assert.equal(ctx.graph.sends().filter((call) => call.kind === 'upload').length, 1);
    } finally {
      alice.ws.terminate();
      await ctx.close();
    }
    assert.deepEqual(await readdir(uploadDir), [], 'the spool directory is removed on close');
  });

  test('a program dressed as a picture is refused from its first bytes, before the rest of a 20 MB upload is sent', async () => {
    const ctx = await startRelay();
    const alice = connectAgent(ctx.url, tokens.alice);
    try {
      await alice.ready();
      await openSession(ctx.url, alice, tokens.alice, '5550009002');
      const boundary = 'relay-test-boundary';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="clientId"\r\n\r\nc_early\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="holiday.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      );
      const program = Buffer.alloc(128 * 1024);
      program.set([0x4d, 0x5a, 0x90, 0x00]);
      // The request declares 20 MB but sends only its head; the answer must come without the rest.
      const answer = await new Promise((resolve, reject) => {
        const request = http.request(`${ctx.url}/api/conversations/${conversationOf('5550009002')}/messages`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${tokens.alice}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(20 * MiB) },
        });
        request.on('response', (response) => {
          let body = '';
          response.on('data', (chunk) => (body += chunk)).on('end', () => {
            resolve({ status: response.statusCode, body: JSON.parse(body) });
            request.destroy();
          });
        });
        request.on('error', reject);
        request.write(head);
        request.write(program);
      });
      assert.equal(answer.status, 422);
      assert.match(answer.body.error, /content does not match/);
      assert.equal(ctx.graph.sends().length, 0);
    } finally {
      alice.ws.terminate();
      await ctx.close();
    }
  });

  test('a refused upload is answered with its sentence while the client is still sending, not cut off', async () => {
    const ctx = await startRelay();
    const alice = connectAgent(ctx.url, tokens.alice);
    try {
      await alice.ready();
      await openSession(ctx.url, alice, tokens.alice, '5550009003');
      const program = new Uint8Array(8 * MiB);
      program.set([0x4d, 0x5a, 0x90, 0x00]);
      const form = new FormData();
      form.set('clientId', 'c_big_program');
      form.set('file', new Blob([program], { type: 'image/jpeg' }), 'holiday.jpg');
      const answer = await callApi(ctx.url, tokens.alice, 'POST', `conversations/${conversationOf('5550009003')}/messages`, form);
      assert.equal(answer.status, 422);
      assert.match(answer.body.error, /content does not match/);
    } finally {
      alice.ws.terminate();
      await ctx.close();
    }
  });

  test('an upload directory that cannot be used stops the relay at listen, with a sentence naming it', async () => {
    const missing = path.join(os.tmpdir(), 'relay-no-such-dir', 'deeper');
    await assert.rejects(startRelay({ uploadDir: missing }), (error) => error.message.startsWith(`The upload directory ${missing} cannot be used`));
  });

  test(
    'six 25 MB uploads at once cost the relay less memory than the six files together',
    { skip: process.platform !== 'linux' && 'reads /proc', timeout: 120_000 },
    async (t) => {
      // The relay runs in a process of its own, so that its peak memory is its own; Graph and the agents are here.
      const graph = createFakeGraph({ accessToken: testSettings.pageAccessToken });
      const { url: graphApiUrl } = await graph.listen();
      const options = { ...testSettings, agentTokens: tokens, graphApiUrl, log: false, uploadsPerAgent: 6 };
      const child = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { createRelay } from 'agent-console-relay';
           const relay = createRelay(JSON.parse(process.env.RELAY_OPTIONS));
           const { url } = await relay.listen(0, '127.0.0.1');
           process.stdout.write(url + '\\n');
           process.stdin.on('end', () => relay.close().then(() => process.exit(0))).resume();`,
        ],
        { cwd: fileURLToPath(new URL('..', import.meta.url)), env: { ...process.env, RELAY_OPTIONS: JSON.stringify(options) }, stdio: ['pipe', 'pipe', 'inherit'] },
      );
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const memory = async (field) => Number(/(\d+) kB/.exec((await readFile(`/proc/${child.pid}/status`, 'utf8')).split('\n').find((line) => line.startsWith(field)))[1]) * 1024;
      try {
        const url = await new Promise((resolve, reject) => {
          child.stdout.once('data', (data) => resolve(String(data).trim()));
          child.once('exit', (code) => reject(new Error(`the relay exited with ${code}`)));
        });
        const agents = [];
        for (const [agentId, token] of Object.entries({ alice: tokens.alice, bob: tokens.bob, carol: tokens.carol })) {
          const socket = connectAgent(url, token);
          await socket.ready();
          agents.push({ agentId, token, socket });
        }
        // Two customers per agent, so that no two uploads share a conversation.
        const sessions = [];
        for (const [index, agent] of agents.entries()) {
          for (const psid of [`555001${index}01`, `555001${index}02`]) {
            await openSession(url, agent.socket, agent.token, psid);
            sessions.push({ ...agent, psid });
          }
        }
        const before = await memory('VmRSS:');
        const size = 25 * MiB - 64 * 1024;
        const answers = await Promise.all(
          sessions.map(({ token, psid }, index) => callApi(url, token, 'POST', `conversations/${conversationOf(psid)}/messages`, pdfForm(`c_big_${index}`, size))),
        );
        assert.deepEqual(
          answers.map((answer) => answer.status),
          [200, 200, 200, 200, 200, 200],
        );
        assert.deepEqual(
          graph.sends().filter((call) => call.kind === 'upload').map((upload) => upload.files.filedata.size),
          new Array(6).fill(size),
        );
        const grew = (await memory('VmHWM:')) - before;
        t.diagnostic(`peak RSS grew by ${Math.round(grew / MiB)} MiB for ${Math.round((6 * size) / MiB)} MiB of files`);
        assert.ok(grew < 6 * size, `the relay's peak memory grew by ${Math.round(grew / MiB)} MiB for ${Math.round((6 * size) / MiB)} MiB of files`);
        for (const { socket } of agents) socket.ws.terminate();
      } finally {
        child.stdin.end();
        await exited;
        await graph.close();
      }
    },
  );
});

/**
 * A throwaway `redis-server` for tests and benchmarks: on a free 127.0.0.1
 * port, with an append-only file synced on every write (so `kill()` then
 * `restart()` brings every acknowledged write back), in a temporary folder.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A running Redis started by {@link startRedisServer}. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Shuts Redis down and removes the folder it made. */
  stop(): Promise<void>;
  /** Kills Redis at once (SIGKILL), as a crash would; `restart()` brings it back. */
  kill(): void;
  /** Stops Redis (unless killed) and starts it again on the same port and folder; its append-only file restores the data. */
  restart(): Promise<void>;
}

const running = new Set<ChildProcess>();
// Do not leave servers behind when a test run ends without stopping them.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once Redis answers PING on the port. */
function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      answer += data;
      if (!answer.includes('\r\n')) return;
      socket.destroy();
      if (answer.startsWith('+PONG')) resolve();
      else reject(new Error(`redis-server answered PING with ${JSON.stringify(answer.trim())}`));
    });
    socket.on('error', reject);
  });
}

/**
 * Starts `redis-server` (the `REDIS_SERVER` environment variable, or
 * `redis-server` on the PATH) and resolves once it answers PING.
 *
 * @param options `dir`: the folder for its append-only file (default: a new temporary folder, removed by `stop()`)
 */
export async function startRedisServer({ dir }: { dir?: string } = {}): Promise<RedisServer> {
  const command = process.env.REDIS_SERVER || 'redis-server';
  const folder = dir ?? (await mkdtemp(path.join(os.tmpdir(), 'relay-redis-')));
  const port = await freePort();
  let child: ChildProcess | undefined;

  async function launch(): Promise<void> {
    const args = ['--port', String(port), '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', folder, '--bind', '127.0.0.1', '--protected-mode', 'no'];
    const started = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    running.add(started);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const fail = (reason: string) => {
        started.kill('SIGKILL');
        reject(new Error(`${reason}\n${output}`.trim()));
      };
      started.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'ENOENT'
            ? new Error(`Cannot start ${command}: it is not installed. Install Redis (Debian: apt-get install redis-server) or set REDIS_SERVER to its path.`)
            : error,
        ),
      );
      started.once('exit', (code, signal) => fail(`${command} exited (${signal ?? `code ${code}`}) before it accepted connections.`));
      const onOutput = (data: Buffer) => {
        output += data;
        // Redis says so once it has loaded its data and listens; PING confirms.
        if (output.includes('Ready to accept connections')) {
          started.stdout?.off('data', onOutput);
          ping(port).then(resolve, (error: Error) => fail(error.message));
        }
      };
      started.stdout?.on('data', onOutput);
      started.stderr?.on('data', (data: Buffer) => (output += data));
    });
    started.removeAllListeners('exit');
    started.once('exit', () => running.delete(started));
    started.stdout?.resume();
  }

  async function halt(): Promise<void> {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      current.once('exit', () => resolve());
      current.kill('SIGTERM');
    });
  }

  try {
    await launch();
  } catch (error) {
    if (!dir) await rm(folder, { recursive: true, force: true });
    throw error;
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await halt();
      if (!dir) await rm(folder, { recursive: true, force: true });
    },
    kill() {
      child?.kill('SIGKILL');
    },
    async restart() {
      await halt();
      await launch();
    },
  };
}

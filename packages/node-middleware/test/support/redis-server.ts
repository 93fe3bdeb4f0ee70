// A copy of @genmeta/redis's test helper. A real redis-server for the tests: started on a free port in a scratch folder with nothing
// persisted, killed and restarted on the same port when a test needs an outage.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const executable = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

// A test worker that ends early (a timeout, a crash) must not leave a redis-server behind.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` (with the password when one was set). */
  readonly url: string;
  /** Starts it again on the same port (after kill or stop). */
  start(): Promise<void>;
  /** SIGKILL: a crash, nothing flushed. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: the connection stays open and nothing answers. */
  pause(): void;
  resume(): void;
  /** Kills it and removes its folder. */
  close(): Promise<void>;
}

export interface RedisServerOptions {
  password?: string;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'genmeta-redis-'));
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    args.push('--dir', dir, '--daemonize', 'no', '--loglevel', 'warning');
    args.push('--enable-debug-command', 'local');
    if (options.password !== undefined) args.push('--requirepass', options.password);
    // Redis logs "Ready to accept connections" at notice level only: wait for the port instead.
    const spawned = spawn(executable, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child = spawned;
    running.add(spawned);
    spawned.once('exit', () => running.delete(spawned));
    let onEarlyExit: ((code: number | null) => void) | undefined;
    const exited = new Promise<never>((_, reject) => {
      onEarlyExit = (code) => reject(new Error(`redis-server exited (${code}) on start`));
      spawned.once('exit', onEarlyExit);
      spawned.once('error', reject);
    });
    exited.catch(() => {});
    await Promise.race([waitForPort(port), exited]);
    if (onEarlyExit) spawned.off('exit', onEarlyExit);
  };

  const kill = async (): Promise<void> => {
    const current = child;
    child = undefined;
    if (current === undefined || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((resolve) => current.once('exit', resolve));
    current.kill('SIGCONT');
    current.kill('SIGKILL');
    await exited;
  };

  await start();
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    start,
    kill,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    async close() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server did not listen on port ${port}`);
}

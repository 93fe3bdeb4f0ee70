// A real redis-server for the spend-limit tests (the pattern of packages/redis/test): started on
// a free port in a scratch folder with nothing persisted.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const executable = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

// A test worker that ends early must not leave a redis-server behind.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function waitForPort(port: number, exited: Promise<never>): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const ok = await Promise.race([
      new Promise<boolean>((resolve) => {
        const socket = new Socket();
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
        socket.connect(port, '127.0.0.1');
      }),
      exited,
    ]);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server did not listen on port ${port}`);
}

export async function startRedisServer(): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'genmeta-mw-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--dir', dir, '--daemonize', 'no', '--loglevel', 'warning');
  const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  running.add(child);
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
    child.once('error', reject);
  });
  exited.catch(() => {});
  child.once('exit', () => running.delete(child));
  await waitForPort(port, exited);
  return {
    url: `redis://127.0.0.1:${port}`,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

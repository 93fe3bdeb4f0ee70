// An app instance in its own process (test/fixtures/redis-instance.mjs, on the built packages):
// what it prints on stdout (records, warnings, infos) is collected here, line by line.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseCostRecordLine } from '@genmeta/core/rules';
import type { CostRecord } from '../../src/index.js';

const script = fileURLToPath(new URL('../fixtures/redis-instance.mjs', import.meta.url));

export type RedisClientKind = 'url' | 'node-redis' | 'ioredis';

export interface LogLine {
  event: 'warn' | 'info';
  /** `client`: the core client's own lines (a skipped cache read, a retry). */
  source: 'redis' | 'genmeta' | 'client';
  message?: string;
  details?: unknown;
}

export interface Instance {
  readonly url: string;
  readonly records: CostRecord[];
  readonly logs: LogLine[];
  /** Output that was not a JSON line (stderr included), for failure messages. */
  readonly stray: string[];
  /** POST /api/chat: a chat completion answered through this instance. */
  chat(): Promise<{ status: number; body: { id: string; reply: string } }>;
  /** GET of the proxy for one id, as the browser's client does. */
  proxy(id: string): Promise<{ status: number; body: Record<string, unknown> }>;
  warnings(source: LogLine['source']): LogLine[];
  stop(): Promise<void>;
}

export interface InstanceOptions {
  fakeUrl: string;
  fakeKey: string;
  redisUrl: string;
  client: RedisClientKind;
  /** Sent upstream as `x-instance`, so the fake's calls tell the instances apart. */
  name?: string;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function startInstance(options: InstanceOptions): Promise<Instance> {
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      FAKE_URL: options.fakeUrl,
      FAKE_KEY: options.fakeKey,
      REDIS_URL: options.redisUrl,
      REDIS_CLIENT: options.client,
      INSTANCE_NAME: options.name ?? 'app',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));
  const records: CostRecord[] = [];
  const logs: LogLine[] = [];
  const stray: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => stray.push(line));

  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`instance exited (${code}) before listening:\n${stray.join('\n')}`)),
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      const record = parseCostRecordLine(line);
      if (typeof record === 'object') {
        records.push(record as CostRecord);
        return;
      }
      let parsed: { event?: string; url?: string };
      try {
        parsed = JSON.parse(line);
      } catch {
        stray.push(line);
        return;
      }
      if (parsed.event === 'listening' && parsed.url) resolve(parsed.url);
      else logs.push(parsed as unknown as LogLine);
    });
  });

  return {
    url,
    records,
    logs,
    stray,
    async chat() {
      const response = await fetch(`${url}/api/chat`, { method: 'POST' });
      return { status: response.status, body: await response.json() };
    },
    async proxy(id) {
      const response = await fetch(`${url}/api/genmeta/generation?id=${encodeURIComponent(id)}`);
      return { status: response.status, body: await response.json() };
    },
    warnings: (source) => logs.filter((line) => line.event === 'warn' && line.source === source),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

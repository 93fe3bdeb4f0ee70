// The parts the alert tests share: a real webhook receiver (node:http) that can fail or hang on
// demand, and app instances (test/fixtures/alerts-instance.mjs) in their own processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface Delivery {
  body: Record<string, unknown>;
  raw: string;
  headers: IncomingHttpHeaders;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  /** Bodies answered 200, in arrival order. */
  readonly received: Delivery[];
  /** Every attempt, answered or not. */
  readonly attempts: Delivery[];
  /** Answer the next `count` attempts with `status` (or never answer them: `hang`). */
  failNext(count: number, how: number | 'hang'): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Delivery[] = [];
  const attempts: Delivery[] = [];
  let failing = 0;
  let how: number | 'hang' = 500;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const delivery = { body: JSON.parse(raw), raw, headers: request.headers, at: Date.now() };
      attempts.push(delivery);
      if (failing > 0) {
        failing -= 1;
        if (how === 'hang') return; // never answered: the sender's timeout must end it
        response.writeHead(how).end('{"error":"down"}');
        return;
      }
      received.push(delivery);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/B000/secret-path`,
    received,
    attempts,
    failNext(count, failure) {
      failing = count;
      how = failure;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const script = fileURLToPath(new URL('../fixtures/alerts-instance.mjs', import.meta.url));
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface LogLine {
  event: string;
  source?: string;
  message?: string;
  details?: unknown;
  alert?: Record<string, unknown>;
}

export interface AlertsInstance {
  readonly url: string;
  readonly logs: LogLine[];
  readonly stray: string[];
  spend(id: string, user?: string): Promise<number>;
  flush(): Promise<{ raised: number; delivered: number; failed: number; dropped: number }>;
  setClock(ms: number): Promise<void>;
  warnings(source: string): LogLine[];
  stop(): Promise<void>;
}

export interface InstanceOptions {
  fakeUrl: string;
  fakeKey: string;
  redisUrl?: string;
  alerts: Record<string, unknown>;
  clockMs: number;
}

export async function startAlertsInstance(options: InstanceOptions): Promise<AlertsInstance> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FAKE_URL: options.fakeUrl,
    FAKE_KEY: options.fakeKey,
    ALERTS_OPTIONS: JSON.stringify(options.alerts),
    CLOCK_MS: String(options.clockMs),
  };
  if (options.redisUrl !== undefined) env.REDIS_URL = options.redisUrl;
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));
  const logs: LogLine[] = [];
  const stray: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => stray.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`instance exited (${code}) before listening:\n${stray.join('\n')}`)),
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      let parsed: LogLine & { url?: string };
      try {
        parsed = JSON.parse(line);
      } catch {
        stray.push(line);
        return;
      }
      if (parsed.event === 'listening' && parsed.url) resolve(parsed.url);
      else logs.push(parsed);
    });
  });
  const post = async (path: string) => {
    const response = await fetch(`${url}${path}`, { method: 'POST' });
    return { status: response.status, body: await response.json() };
  };
  return {
    url,
    logs,
    stray,
    async spend(id, user = 'u-1') {
      return (await post(`/spend?id=${encodeURIComponent(id)}&user=${encodeURIComponent(user)}`))
        .status;
    },
    async flush() {
      return (await post('/flush')).body;
    },
    async setClock(ms) {
      await post(`/clock?ms=${ms}`);
    },
    warnings: (source) => logs.filter((line) => line.event === 'warn' && line.source === source),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

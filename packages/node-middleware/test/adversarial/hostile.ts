import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import express from 'express';
import {
  type CostLogger,
  type CostLoggerOptions,
  type CostRecord,
  costLogger,
  createTrackingFetch,
} from '../../src/index.js';
import { closeServer, listen, waitUntil } from '../helpers.js';

export const TEST_KEY = 'sk-or-v1-adversarial-0123456789abcdef0123456789abcdef';

export interface Hostile {
  /** base URL, `<origin>/api/v1` */
  url: string;
  /** chat completion requests received so far */
  readonly chats: number;
  /** generation lookups received so far */
  readonly lookups: number;
  close(): Promise<void>;
}

export interface HostileOptions {
  /**
   * Status of every generation lookup: 404 (not ready, the client waits it out) or, to fail a
   * lookup at once, 401.
   * @default 404
   */
  lookupStatus?: number;
}

/**
 * A hostile OpenRouter written for the test: `chat` answers POST /api/v1/chat/completions any
 * way it likes; GET /api/v1/generation answers 404 (stats never ready) at once.
 */
export async function startHostile(
  chat: (request: IncomingMessage, response: ServerResponse, index: number) => void,
  options: HostileOptions = {},
): Promise<Hostile> {
  let chats = 0;
  let lookups = 0;
  const status = options.lookupStatus ?? 404;
  const server: Server = createServer((request, response) => {
    if (request.url?.startsWith('/api/v1/generation')) {
      lookups += 1;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(`{"error":{"code":${status},"message":"Generation not found"}}`);
      return;
    }
    chats += 1;
    chat(request, response, chats);
  });
  const origin = await listen(server);
  return {
    url: `${origin}/api/v1`,
    get chats() {
      return chats;
    },
    get lookups() {
      return lookups;
    },
    close: () => closeServer(server),
  };
}

let sequence = 0;
/** A fresh valid generation id. */
export function newId(): string {
  sequence += 1;
  return `gen-${1_795_000_000 + sequence}-${'a'.repeat(12)}${String(sequence).padStart(8, '0')}`;
}

export function completion(id: string, cost = 0.01): string {
  return JSON.stringify({
    id,
    choices: [{ message: { role: 'assistant', content: 'hi' } }],
    usage: { cost, is_byok: false },
  });
}

export interface LoggedApp {
  url: string;
  records: CostRecord[];
  warnings: Array<[object, string | undefined]>;
  logger: CostLogger;
  trackingFetch: typeof fetch;
  waitForRecords(count: number): Promise<CostRecord[]>;
  close(): Promise<void>;
}

/** A real Express 5 app under costLogger whose handler gets a tracking fetch. */
export async function startLoggedApp(
  upstream: string,
  handler: (trackingFetch: typeof fetch, response: express.Response) => Promise<void>,
  options: CostLoggerOptions = {},
): Promise<LoggedApp> {
  const records: CostRecord[] = [];
  const warnings: Array<[object, string | undefined]> = [];
  const logger = costLogger({
    clientOptions: { baseUrl: upstream, apiKey: TEST_KEY, deadlineMs: 300, maxRetries: 0 },
    logger: { info: () => undefined, warn: (object, message) => warnings.push([object, message]) },
    onRecord: (record) => {
      records.push(record);
    },
    ...options,
  });
  const trackingFetch = createTrackingFetch({ baseUrl: upstream });
  const app = express();
  app.use(logger);
  app.all('/', (_request, response, next) => {
    handler(trackingFetch, response).catch(next);
  });
  const server = createServer(app);
  const url = await listen(server);
  return {
    url,
    records,
    warnings,
    logger,
    trackingFetch,
    async waitForRecords(count) {
      await waitUntil(() => records.length >= count, 15_000);
      await logger.flush();
      return records;
    },
    async close() {
      await closeServer(server);
      await logger.close({ timeoutMs: 300 });
    },
  };
}

/** Calls `chat/completions` the way an SDK does. */
export function chatAt(trackingFetch: typeof fetch, upstream: string, stream = false) {
  return trackingFetch(`${upstream}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [], stream }),
  });
}

export interface PeerServer {
  /** origin, `http://127.0.0.1:<port>` */
  url: string;
  /** bytes the server managed to hand to its sockets (the kernel took them) */
  readonly bytesSent: number;
  close(): Promise<void>;
}

/** Any other host on the network (a page, a tool's API): `answer` writes what it likes. */
export async function startPeer(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<PeerServer> {
  const sockets = new Set<import('node:net').Socket>();
  let closedBytes = 0;
  const server = createServer(answer);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      closedBytes += socket.bytesWritten;
      sockets.delete(socket);
    });
  });
  const url = await listen(server);
  return {
    url,
    get bytesSent() {
      let open = 0;
      for (const socket of sockets) open += socket.bytesWritten;
      return closedBytes + open;
    },
    close: () => closeServer(server),
  };
}

/**
 * Writes `piece` again and again (respecting backpressure) until `total` bytes were written
 * or the connection closed; then ends the response with `last`.
 */
export function pour(
  response: ServerResponse,
  piece: Buffer | string,
  total = Infinity,
  last = '',
): void {
  let written = 0;
  const bytes = Buffer.byteLength(piece);
  const more = (): void => {
    while (written < total && !response.destroyed) {
      written += bytes;
      if (!response.write(piece)) {
        response.once('drain', more);
        return;
      }
    }
    if (!response.destroyed) response.end(last);
  };
  response.on('error', () => undefined);
  more();
}

/** Memory in use now, after a GC when the process exposes one. */
export function memoryNow(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return usage.rss;
}

export const MB = 1024 * 1024;

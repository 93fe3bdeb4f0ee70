import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  chunkBody,
  chunksOf,
  completionBody,
  finishGeneration,
  parseChatRequest,
  replyTo,
  startGeneration,
  usageChunkBody,
} from './internal/chat-completions.js';
import { FaultScripts } from './internal/fault-scripts.js';
import { GenerationStore } from './internal/generation-store.js';
import { buildGeneration } from './internal/generations.js';
import {
  BodyTooLargeError,
  corsHeaders,
  defaultMessage,
  errorBody,
  htmlErrorPage,
  isJsonObject,
  preflightHeaders,
  readBody,
  redactedHeaders,
} from './internal/http.js';
import type {
  AddGenerationOptions,
  FakeCall,
  FakeGeneration,
  FakeOpenRouter,
  FakeOpenRouterOptions,
  FaultStep,
  ResetOptions,
  ScriptOptions,
} from './types.js';

const bodyLimit = 5 * 1024 * 1024;
const adminMaxCount = 100_000;

/** One request in flight: its response and its entry in `calls`. */
interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  call: FakeCall;
  url: URL;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number, got ${String(value)}`);
  }
  return value;
}

/**
 * Start a fake OpenRouter: a real `node:http` server answering `GET /api/v1/generation`,
 * `POST /api/v1/chat/completions` (JSON and SSE), scripted faults per generation id, and
 * `POST /__fake/generations` to create generations from another process.
 *
 * @example
 * const fake = await startFakeOpenRouter({ statsDelayMs: 200 });
 * const { id } = fake.addGeneration({ model: 'openai/gpt-4o', total_cost: 0.0021 });
 * fake.script(id, [{ type: 'status', status: 429, headers: { 'Retry-After': '1' } }]);
 * // point a client at fake.url with fake.apiKey, then:
 * await fake.close();
 */
export async function startFakeOpenRouter(
  options: FakeOpenRouterOptions = {},
): Promise<FakeOpenRouter> {
  const host = options.host ?? '127.0.0.1';
  const port = nonNegative('port', options.port, 0);
  const statsDelayMs = nonNegative('statsDelayMs', options.statsDelayMs, 0);
  const latencyMs = nonNegative('latencyMs', options.latencyMs, 0);
  const chunkDelayMs = nonNegative('chunkDelayMs', options.chunkDelayMs, 5);
  const apiKey = options.apiKey ?? `sk-or-v1-fake-${randomBytes(24).toString('hex')}`;
  if (typeof apiKey !== 'string' || apiKey.trim() === '' || /\s/.test(apiKey)) {
    throw new TypeError('apiKey must be a non-empty string without whitespace');
  }
  const byokByDefault = options.byok === true;
  const verbose = options.verbose === true;

  const calls: FakeCall[] = [];
  const store = new GenerationStore();
  const scripts = new FaultScripts();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  /** Resolves after `ms`, or never once the server is closed (the request is gone by then). */
  function sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  function log(call: FakeCall): void {
    if (verbose) {
      process.stderr.write(
        `[fake-openrouter] ${call.method} ${call.path}${call.id === undefined ? '' : ` id=${call.id}`} -> ${call.status || 'dropped'}\n`,
      );
    }
  }

  function send(
    exchange: Exchange,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): void {
    const { response, call } = exchange;
    if (response.headersSent || response.destroyed) return;
    call.status = status;
    // 204 and 304 answers cannot carry a body.
    const payload = status === 204 || status === 304 ? '' : body;
    const contentLength = String(Buffer.byteLength(payload));
    response.writeHead(status, { ...corsHeaders, 'content-length': contentLength, ...headers });
    response.end(payload);
    log(call);
  }

  function sendJson(
    exchange: Exchange,
    status: number,
    value: unknown,
    headers: Record<string, string> = {},
  ): void {
    send(exchange, status, JSON.stringify(value), {
      'content-type': 'application/json',
      ...headers,
    });
  }

  function sendError(
    exchange: Exchange,
    status: number,
    message = defaultMessage(status),
    headers: Record<string, string> = {},
  ): void {
    send(exchange, status, errorBody(status, message), {
      'content-type': 'application/json',
      ...headers,
    });
  }

  function drop(exchange: Exchange): void {
    exchange.call.status = 0;
    log(exchange.call);
    exchange.request.socket.destroy();
  }

  /** 401 unless the request carries `Authorization: Bearer <apiKey>`. */
  function authorize(exchange: Exchange): boolean {
    if (exchange.call.authorized) return true;
    const header = exchange.request.headers.authorization;
    const message =
      header === undefined || header.trim() === ''
        ? 'No auth credentials found'
        : 'User not found.';
    sendError(exchange, 401, message);
    return false;
  }

  async function readJson(
    exchange: Exchange,
    emptyAs?: unknown,
  ): Promise<{ value: unknown } | undefined> {
    let text: string;
    try {
      text = await readBody(exchange.request, bodyLimit);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendError(exchange, 413, 'Request body too large');
      } else {
        drop(exchange);
      }
      return undefined;
    }
    if (emptyAs !== undefined && text.trim() === '') return { value: emptyAs };
    try {
      return { value: JSON.parse(text) as unknown };
    } catch {
      sendError(exchange, 400, 'Invalid JSON in request body');
      return undefined;
    }
  }

  function serveGeneration(exchange: Exchange, id: string): void {
    const generation = store.ready(id);
    if (!generation) {
      sendError(exchange, 404, 'Generation not found');
      return;
    }
    sendJson(exchange, 200, { data: generation });
  }

  async function answerStep(exchange: Exchange, id: string, step: FaultStep): Promise<void> {
    switch (step.type) {
      case 'status':
        sendError(exchange, step.status, step.message ?? defaultMessage(step.status), step.headers);
        return;
      case 'html':
        send(exchange, step.status, htmlErrorPage(step.status), {
          'content-type': 'text/html; charset=UTF-8',
        });
        return;
      case 'empty':
        send(exchange, step.status, '');
        return;
      case 'malformed':
        send(exchange, step.status ?? 200, '{"data": {"id": "gen-', {
          'content-type': 'application/json',
        });
        return;
      case 'body':
        send(exchange, step.status, step.body, step.headers);
        return;
      case 'drop':
        drop(exchange);
        return;
      case 'slow':
        await sleep(step.delayMs);
        serveGeneration(exchange, id);
        return;
    }
  }

  async function handleGeneration(exchange: Exchange): Promise<void> {
    if (!authorize(exchange)) return;
    const id = exchange.url.searchParams.get('id');
    if (id === null || id === '') {
      sendError(exchange, 400, 'Missing required query parameter: id');
      return;
    }
    const step = scripts.take(id);
    if (step) await answerStep(exchange, id, step);
    else serveGeneration(exchange, id);
  }

  async function handleChatCompletion(exchange: Exchange): Promise<void> {
    if (!authorize(exchange)) return;
    const parsed = await readJson(exchange);
    if (!parsed) return;
    const chat = parseChatRequest(parsed.value, exchange.request, byokByDefault);
    if (typeof chat === 'string') {
      sendError(exchange, 400, chat);
      return;
    }
    const startedAt = Date.now();
    const generation = startGeneration(chat, exchange.request, startedAt);
    store.put(generation, Number.POSITIVE_INFINITY);
    const reply = replyTo(chat.prompt);

    if (!chat.stream) {
      finishGeneration(generation, reply, startedAt, false);
      store.markReady(generation.id, Date.now() + statsDelayMs);
      sendJson(exchange, 200, completionBody(generation, reply, startedAt), {
        'x-generation-id': generation.id,
      });
      return;
    }

    const { response, call } = exchange;
    let sent = '';
    let done = false;
    response.on('close', () => {
      if (done) return;
      // The client went away mid-stream: OpenRouter records a cancelled generation.
      done = true;
      finishGeneration(generation, sent, startedAt, true);
      store.markReady(generation.id, Date.now() + statsDelayMs);
    });
    call.status = 200;
    response.writeHead(200, {
      ...corsHeaders,
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-generation-id': generation.id,
    });
    log(call);
    const write = (text: string) => {
      if (!response.destroyed) response.write(text);
    };
    const event = (value: unknown) => write(`data: ${JSON.stringify(value)}\n\n`);

    write(': OPENROUTER PROCESSING\n\n');
    event(chunkBody(generation, startedAt, { role: 'assistant', content: '' }, null));
    for (const piece of chunksOf(reply)) {
      await sleep(chunkDelayMs);
      if (done || response.destroyed) return;
      sent += piece;
      event(chunkBody(generation, startedAt, { role: 'assistant', content: piece }, null));
    }
    await sleep(chunkDelayMs);
    if (done || response.destroyed) return;
    done = true;
    finishGeneration(generation, sent, startedAt, false);
    store.markReady(generation.id, Date.now() + statsDelayMs);
    event(chunkBody(generation, startedAt, { role: 'assistant', content: '' }, 'stop'));
    event(usageChunkBody(generation, startedAt));
    write('data: [DONE]\n\n');
    response.end();
  }

  async function handleAdminGenerations(exchange: Exchange): Promise<void> {
    if (!authorize(exchange)) return;
    const parsed = await readJson(exchange, {});
    if (!parsed) return;
    const body = parsed.value;
    if (!isJsonObject(body)) {
      sendError(exchange, 400, 'Request body must be a JSON object');
      return;
    }
    const count = body.count ?? 1;
    if (
      typeof count !== 'number' ||
      !Number.isInteger(count) ||
      count < 1 ||
      count > adminMaxCount
    ) {
      sendError(exchange, 400, `count must be an integer from 1 to ${adminMaxCount}`);
      return;
    }
    const fields = body.fields ?? {};
    if (!isJsonObject(fields)) {
      sendError(exchange, 400, 'fields must be a JSON object');
      return;
    }
    const readyInMs = body.readyInMs;
    if (
      readyInMs !== undefined &&
      (typeof readyInMs !== 'number' || !Number.isFinite(readyInMs) || readyInMs < 0)
    ) {
      sendError(exchange, 400, 'readyInMs must be a non-negative number');
      return;
    }
    if (count > 1 && typeof fields.id === 'string') {
      sendError(exchange, 400, 'fields.id can only be given with count 1');
      return;
    }
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      ids.push(addGeneration(fields as Partial<FakeGeneration>, { readyInMs }).id);
    }
    sendJson(exchange, 200, { ids });
  }

  async function route(exchange: Exchange): Promise<void> {
    const { request, url } = exchange;
    const method = request.method ?? 'GET';
    if (method === 'OPTIONS') {
      exchange.call.status = 204;
      request.resume();
      exchange.response.writeHead(204, { ...preflightHeaders(request), 'content-length': '0' });
      exchange.response.end();
      log(exchange.call);
      return;
    }
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/__fake/generations') {
      if (method !== 'POST')
        return sendError(exchange, 405, 'Use POST', { allow: 'POST, OPTIONS' });
      return handleAdminGenerations(exchange);
    }
    if (path.startsWith('/api/')) await sleep(latencyMs);
    if (path === '/api/v1/generation') {
      if (method !== 'GET') return sendError(exchange, 405, 'Use GET', { allow: 'GET, OPTIONS' });
      return handleGeneration(exchange);
    }
    if (path === '/api/v1/chat/completions') {
      if (method !== 'POST')
        return sendError(exchange, 405, 'Use POST', { allow: 'POST, OPTIONS' });
      return handleChatCompletion(exchange);
    }
    request.resume();
    sendError(exchange, 404, 'Not Found');
  }

  const server = createServer((request, response) => {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://fake.invalid');
    } catch {
      url = new URL('http://fake.invalid/');
    }
    const authorization = request.headers.authorization;
    const id =
      url.pathname.replace(/\/+$/, '') === '/api/v1/generation' ? url.searchParams.get('id') : null;
    const call: FakeCall = {
      method: request.method ?? 'GET',
      path: url.pathname,
      ...(id === null ? {} : { id }),
      status: 0,
      authorized: authorization === `Bearer ${apiKey}`,
      at: Date.now(),
      headers: redactedHeaders(request, apiKey),
    };
    calls.push(call);
    const exchange: Exchange = { request, response, call, url };
    route(exchange).catch((error: unknown) => {
      // Never crash the host: an unexpected failure becomes a 500 for this one request.
      if (verbose) process.stderr.write(`[fake-openrouter] internal error: ${String(error)}\n`);
      if (!response.headersSent) sendError(exchange, 500, 'Internal Server Error');
      else response.destroy();
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    } else {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${hostForUrl}:${address.port}`;

  function addGeneration(
    fields: Partial<FakeGeneration> = {},
    addOptions: AddGenerationOptions = {},
  ): FakeGeneration {
    if (!isJsonObject(fields)) throw new TypeError('addGeneration fields must be an object');
    if (fields.id !== undefined && (typeof fields.id !== 'string' || fields.id === '')) {
      throw new TypeError('addGeneration: id must be a non-empty string');
    }
    const readyInMs = nonNegative('readyInMs', addOptions.readyInMs, statsDelayMs);
    const generation = buildGeneration(fields);
    store.put(generation, Date.now() + readyInMs);
    return generation;
  }

  return {
    url: `${origin}/api/v1`,
    origin,
    port: address.port,
    apiKey,
    calls,
    addGeneration,
    generation: (id) => store.get(id),
    script(id: string, steps: FaultStep[], scriptOptions: ScriptOptions = {}) {
      scripts.set(id, steps, scriptOptions.repeat === true);
    },
    reset(resetOptions: ResetOptions = {}) {
      calls.length = 0;
      if (resetOptions.all === true) {
        store.clear();
        scripts.clear();
      }
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

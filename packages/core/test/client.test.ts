import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  ForbiddenError,
  type Generation,
  type GenerationCache,
  InsufficientCreditsError,
  InvalidIdError,
  InvalidResponseError,
  isGenmetaError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  type WaitingInfo,
} from '../src/index.js';
import {
  clientOf,
  lookupsOf,
  recordingLogger,
  rejectionOf,
  settlesBeforeNextTurn,
  until,
} from './helpers.js';

let fake: FakeOpenRouter;

beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterEach(() => {
  fake.reset({ all: true });
});
afterAll(async () => {
  await fake.close();
});

describe('getGeneration', () => {
  it('returns the data object with wire names and unknown fields kept', async () => {
    const created = fake.addGeneration({ total_cost: 0.0000954, future_field: { nested: true } });
    const generation = await clientOf(fake).getGeneration(created.id);
    expect(generation.id).toBe(created.id);
    expect(generation.total_cost).toBe(0.0000954);
    expect(generation.future_field).toEqual({ nested: true });
    expect(generation.provider_responses?.[0]?.status).toBe(200);
    expect(lookupsOf(fake, created.id)).toBe(1);
  });

  it('sends the id URL-encoded as the id query parameter', async () => {
    const id = 'gen-ä+=%20;x';
    fake.addGeneration({ id });
    const generation = await clientOf(fake).getGeneration(id);
    expect(generation.id).toBe(id);
    expect(fake.calls[0]?.id).toBe(id);
  });

  it.each([
    ['', 'empty'],
    ['gen 1', 'whitespace'],
    ['gen-1\n', 'newline'],
    ['gen\u00a01', 'no-break space'],
    ['gen\u00001', 'control'],
    ['gen/1', 'slash'],
    ['gen?1', 'question mark'],
    ['gen#1', 'hash'],
    ['gen&1', 'ampersand'],
    ['g'.repeat(257), 'too long'],
  ])('rejects the invalid id %j (%s) before any request', async (id) => {
    const error = await rejectionOf(clientOf(fake).getGeneration(id));
    expect(error).toBeInstanceOf(InvalidIdError);
    expect((error as InvalidIdError).code).toBe('invalid_id');
    expect(fake.calls).toHaveLength(0);
  });

  it('rejects a non-string id with InvalidIdError', async () => {
    const error = await rejectionOf(clientOf(fake).getGeneration(42 as unknown as string));
    expect(error).toBeInstanceOf(InvalidIdError);
    expect((error as Error).message).toContain('must be a string');
  });

  it('accepts a 256-character id', async () => {
    const id = `gen-${'a'.repeat(252)}`;
    fake.addGeneration({ id });
    await expect(clientOf(fake).getGeneration(id)).resolves.toMatchObject({ id });
  });
});

describe('not-ready waiting', () => {
  it('waits out 404s until the stats are ready, reporting each wait', async () => {
    const created = fake.addGeneration({}, { readyInMs: 250 });
    const waits: WaitingInfo[] = [];
    const generation = await clientOf(fake, { retryDelayMs: 20 }).getGeneration(created.id, {
      onWaiting: (info) => waits.push(info),
    });
    expect(generation.id).toBe(created.id);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits[0]).toMatchObject({ id: created.id, attempt: 1 });
    expect(lookupsOf(fake)).toBe(waits.length + 1);
  });

  it('fails with NotFoundError saying it may still be processing once the deadline passes', async () => {
    const started = Date.now();
    const error = await rejectionOf(
      clientOf(fake, { retryDelayMs: 20 }).getGeneration('gen-unknown', { deadlineMs: 300 }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toMatch(/may still be processing/);
    expect((error as NotFoundError).status).toBe(404);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(lookupsOf(fake)).toBeGreaterThan(1);
  });

  it('fails at once with wait: false', async () => {
    const error = await rejectionOf(clientOf(fake).getGeneration('gen-unknown', { wait: false }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toMatch(/may still be processing/);
    expect(lookupsOf(fake)).toBe(1);
  });
});

describe('transient failures', () => {
  it.each([
    [408, TimeoutError],
    [429, RateLimitedError],
    [500, ServerError],
    [502, ServerError],
    [503, ServerError],
    [504, ServerError],
    [524, ServerError],
    [529, ServerError],
  ])('retries %i, then succeeds', async (status, ErrorClass) => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status }]);
    await expect(clientOf(fake).getGeneration(created.id)).resolves.toMatchObject({
      id: created.id,
    });
    expect(lookupsOf(fake)).toBe(2);

    fake.script(created.id, [{ type: 'status', status, message: 'try later' }]);
    const error = await rejectionOf(clientOf(fake, { maxRetries: 0 }).getGeneration(created.id));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status, isRetryable: true, generationId: created.id });
    expect((error as Error).message).toBe(`OpenRouter answered ${status}: try later`);
  });

  it('gives up after maxRetries retries with the last error', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status: 500 }], { repeat: true });
    const error = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect(error).toBeInstanceOf(ServerError);
    expect(lookupsOf(fake)).toBe(4);
    fake.reset();
    await rejectionOf(clientOf(fake, { maxRetries: 1 }).getGeneration(created.id));
    expect(lookupsOf(fake)).toBe(2);
  });

  it.each([
    [400, InvalidIdError, 'invalid_id'],
    [401, UnauthorizedError, 'unauthorized'],
    [402, InsufficientCreditsError, 'insufficient_credits'],
    [403, ForbiddenError, 'forbidden'],
  ])('never retries %i', async (status, ErrorClass, code) => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status }], { repeat: true });
    const error = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ code, status, isRetryable: false });
    expect(lookupsOf(fake)).toBe(1);
  });

  it('maps an unexpected status to a non-retried ServerError', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status: 418 }], { repeat: true });
    const error = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 418, isRetryable: false });
    expect(lookupsOf(fake)).toBe(1);
  });

  it('answers a wrong key with UnauthorizedError from the real auth check', async () => {
    const created = fake.addGeneration();
    const error = await rejectionOf(
      clientOf(fake, { apiKey: 'sk-or-v1-wrong' }).getGeneration(created.id),
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(fake.calls[0]?.authorized).toBe(false);
  });

  it('honours Retry-After in seconds', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status: 429, headers: { 'Retry-After': '1' } }]);
    const logger = recordingLogger();
    const started = Date.now();
    await clientOf(fake, { logger }).getGeneration(created.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const retry = logger.entries.find((entry) => entry.message === 'genmeta: retrying');
    expect(retry?.details).toMatchObject({ delayMs: 1000, status: 429, code: 'rate_limited' });
  });

  it('honours Retry-After as an HTTP date', async () => {
    const created = fake.addGeneration();
    const date = new Date(Date.now() + 2_000).toUTCString();
    fake.script(created.id, [{ type: 'status', status: 503, headers: { 'Retry-After': date } }]);
    const logger = recordingLogger();
    await clientOf(fake, { logger }).getGeneration(created.id);
    const retry = logger.entries.find((entry) => entry.message === 'genmeta: retrying');
    const delayMs = retry?.details?.delayMs as number;
    expect(delayMs).toBeGreaterThan(500);
    expect(delayMs).toBeLessThanOrEqual(2_000);
  });

  it('caps Retry-After at 60 s', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status: 429, headers: { 'Retry-After': '120' } }]);
    const logger = recordingLogger();
    const controller = new AbortController();
    const pending = rejectionOf(
      clientOf(fake, { logger, deadlineMs: 100_000 }).getGeneration(created.id, {
        signal: controller.signal,
      }),
    );
    await until(() => logger.entries.some((entry) => entry.message === 'genmeta: retrying'));
    const retry = logger.entries.find((entry) => entry.message === 'genmeta: retrying');
    expect(retry?.details?.delayMs).toBe(60_000);
    const reason = new Error('stop');
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });

  it('does not wait past the deadline for a Retry-After', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status: 429, headers: { 'Retry-After': '10' } }]);
    const started = Date.now();
    const error = await rejectionOf(
      clientOf(fake, { deadlineMs: 2_000 }).getGeneration(created.id),
    );
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 10_000, status: 429 });
    expect(lookupsOf(fake)).toBe(1);
  });
});

describe('error bodies', () => {
  it('reduces a CDN HTML page to its title', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'html', status: 502 }], { repeat: true });
    const error = await rejectionOf(clientOf(fake, { maxRetries: 0 }).getGeneration(created.id));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toMatch(/^OpenRouter answered 502: .*502/);
    expect((error as Error).message).not.toContain('<');
    expect((error as Error).message.length).toBeLessThan(300);
  });

  it('describes an empty error body', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'empty', status: 503 }], { repeat: true });
    const error = await rejectionOf(clientOf(fake, { maxRetries: 0 }).getGeneration(created.id));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toBe('OpenRouter answered 503 with an empty body');
  });

  it('describes an invalid JSON error body as text', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'malformed', status: 500 }], { repeat: true });
    const error = await rejectionOf(clientOf(fake, { maxRetries: 0 }).getGeneration(created.id));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toMatch(/^OpenRouter answered 500: \S/);
  });

  it('turns a 200 with invalid JSON into InvalidResponseError, not SyntaxError', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'malformed' }], { repeat: true });
    const error = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).not.toBeInstanceOf(SyntaxError);
    expect((error as Error).message).toMatch(/not JSON/);
    expect(lookupsOf(fake)).toBe(1);
  });

  it('turns a 200 with an empty body into InvalidResponseError', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'empty', status: 200 }], { repeat: true });
    const error = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/empty body/);
  });

  it('names the first failing field of a 200 that fails the schema', async () => {
    const created = fake.addGeneration();
    const body = JSON.stringify({ data: { ...created, total_cost: '0.01' } });
    fake.script(created.id, [{ type: 'body', status: 200, body }], { repeat: true });
    const error = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/data\.total_cost expected number, got string/);

    const nested = JSON.stringify({
      data: { ...created, provider_responses: [{ status: 200 }, { status: 'x' }] },
    });
    fake.script(created.id, [{ type: 'body', status: 200, body: nested }], { repeat: true });
    const nestedError = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect((nestedError as Error).message).toMatch(/data\.provider_responses\[1\]\.status/);

    fake.script(created.id, [{ type: 'body', status: 200, body: '{"nope":1}' }], { repeat: true });
    const missing = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect((missing as Error).message).toMatch(/data is missing/);
  });
});

describe('connections and timeouts', () => {
  it('turns a dropped connection into NetworkError, and retries it', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'drop' }], { repeat: true });
    const error = await rejectionOf(clientOf(fake, { maxRetries: 0 }).getGeneration(created.id));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'network', isRetryable: true, status: undefined });

    fake.script(created.id, [{ type: 'drop' }]);
    await expect(clientOf(fake).getGeneration(created.id)).resolves.toMatchObject({
      id: created.id,
    });
  });

  it('turns a closed server into NetworkError', async () => {
    const closed = await startFakeOpenRouter();
    await closed.close();
    const error = await rejectionOf(clientOf(closed, { maxRetries: 1 }).getGeneration('gen-1'));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(
      /Could not reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/,
    );
  });

  it('times out one attempt after timeoutMs and retries it', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'slow', delayMs: 4_000 }]);
    const generation = await clientOf(fake, { timeoutMs: 500 }).getGeneration(created.id);
    expect(generation.id).toBe(created.id);
    expect(lookupsOf(fake)).toBe(2);

    fake.script(created.id, [{ type: 'slow', delayMs: 4_000 }]);
    const error = await rejectionOf(
      clientOf(fake, { timeoutMs: 500, maxRetries: 0 }).getGeneration(created.id),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/within 500 ms/);
    expect((error as TimeoutError).isRetryable).toBe(true);
  });

  it('stops at the deadline even inside a slow attempt', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'slow', delayMs: 3_000 }]);
    const started = Date.now();
    const error = await rejectionOf(
      clientOf(fake, { timeoutMs: 10_000 }).getGeneration(created.id, { deadlineMs: 200 }),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/200 ms deadline/);
  });
});

describe('abort', () => {
  it('rejects at once with the reason of an already aborted signal, without a request', async () => {
    const reason = new Error('gone');
    const error = await rejectionOf(
      clientOf(fake).getGeneration('gen-1', { signal: AbortSignal.abort(reason) }),
    );
    expect(error).toBe(reason);
    expect(fake.calls).toHaveLength(0);
  });

  it('rejects at once (well within 50 ms) when aborted during a backoff sleep', async () => {
    const controller = new AbortController();
    const client = clientOf(fake, { retryDelayMs: 10_000 });
    let waited = false;
    const pending = rejectionOf(
      client.getGeneration('gen-missing', {
        signal: controller.signal,
        deadlineMs: 60_000,
        onWaiting: () => {
          waited = true;
        },
      }),
    );
    await until(() => waited);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const reason = new Error('user left');
    controller.abort(reason);
    expect(await settlesBeforeNextTurn(pending)).toBe(true);
    expect(await pending).toBe(reason);
  });

  it('rejects at once (well within 50 ms) when aborted during a request, and aborts that request', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'slow', delayMs: 5_000 }]);
    const signals: AbortSignal[] = [];
    const client = clientOf(fake, {
      fetch: (input, init) => {
        if (input instanceof Request) signals.push(input.signal);
        return fetch(input, init);
      },
    });
    const controller = new AbortController();
    const pending = rejectionOf(client.getGeneration(created.id, { signal: controller.signal }));
    await until(() => lookupsOf(fake) === 1);
    controller.abort();
    expect(await settlesBeforeNextTurn(pending)).toBe(true);
    const error = await pending;
    expect(error).toBe(controller.signal.reason);
    expect((error as DOMException).name).toBe('AbortError');
    await until(() => signals[0]?.aborted === true);
  });
});

describe('with the global fetch', () => {
  // The default fetch gets the abort signal in its init rather than on ky's Request: prove on a
  // real socket that an abort and an attempt timeout both close the connection.
  async function silentServer(): Promise<{
    url: string;
    closed: () => number;
    close: () => Promise<void>;
  }> {
    let closed = 0;
    const sockets = new Set<Socket>();
    const server = createServer((request) => {
      request.on('close', () => {
        closed++;
      });
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/api/v1`,
      closed: () => closed,
      close: async () => {
        for (const socket of sockets) socket.destroy();
        server.close();
        await once(server, 'close');
      },
    };
  }

  it('closes the connection when the last caller aborts', async () => {
    const server = await silentServer();
    try {
      const client = createClient({ apiKey: 'sk-or-v1-test', baseUrl: server.url });
      const controller = new AbortController();
      const pending = rejectionOf(client.getGeneration('gen-1', { signal: controller.signal }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.closed()).toBe(0);
      controller.abort(new Error('left'));
      expect(((await pending) as Error).message).toBe('left');
      await until(() => server.closed() === 1);
    } finally {
      await server.close();
    }
  });

  it('closes the connection of an attempt that times out', async () => {
    const server = await silentServer();
    try {
      const client = createClient({
        apiKey: 'sk-or-v1-test',
        baseUrl: server.url,
        timeoutMs: 100,
        maxRetries: 0,
      });
      const error = await rejectionOf(client.getGeneration('gen-1'));
      expect(error).toBeInstanceOf(TimeoutError);
      await until(() => server.closed() === 1);
    } finally {
      await server.close();
    }
  });
});

describe('single-flight and cache', () => {
  it('shares one request among concurrent lookups of one id', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'slow', delayMs: 100 }]);
    const client = clientOf(fake, { cache: false });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => client.getGeneration(created.id)),
    );
    expect(lookupsOf(fake)).toBe(1);
    for (const result of results) expect(result.id).toBe(created.id);
  });

  it('keeps the shared request alive while one waiter remains, aborts it when all have left', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'slow', delayMs: 300 }]);
    const signals: AbortSignal[] = [];
    const client = clientOf(fake, {
      cache: false,
      fetch: (input, init) => {
        if (input instanceof Request) signals.push(input.signal);
        return fetch(input, init);
      },
    });
    const first = new AbortController();
    const leaving = rejectionOf(client.getGeneration(created.id, { signal: first.signal }));
    const staying = client.getGeneration(created.id);
    await until(() => lookupsOf(fake) === 1);
    first.abort(new Error('first left'));
    expect(((await leaving) as Error).message).toBe('first left');
    expect(signals[0]?.aborted).toBe(false);
    await expect(staying).resolves.toMatchObject({ id: created.id });
    expect(lookupsOf(fake)).toBe(1);

    fake.script(created.id, [{ type: 'slow', delayMs: 2_000 }]);
    const a = new AbortController();
    const b = new AbortController();
    const pendingA = rejectionOf(client.getGeneration(created.id, { signal: a.signal }));
    const pendingB = rejectionOf(client.getGeneration(created.id, { signal: b.signal }));
    await until(() => lookupsOf(fake) === 2);
    a.abort();
    await pendingA;
    expect(signals[1]?.aborted).toBe(false);
    b.abort();
    await pendingB;
    await until(() => signals[1]?.aborted === true);
  });

  it('answers a repeat lookup from the cache without a request', async () => {
    const created = fake.addGeneration();
    const client = clientOf(fake);
    const first = await client.getGeneration(created.id);
    const second = await client.getGeneration(created.id);
    expect(second).toEqual(first);
    expect(lookupsOf(fake)).toBe(1);
  });

  it('looks up every time with cache: false', async () => {
    const created = fake.addGeneration();
    const client = clientOf(fake, { cache: false });
    await client.getGeneration(created.id);
    await client.getGeneration(created.id);
    expect(lookupsOf(fake)).toBe(2);
  });

  it('uses an async custom cache', async () => {
    const store = new Map<string, string>();
    const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
    const cache: GenerationCache = {
      async get(id) {
        await tick();
        const text = store.get(id);
        return text === undefined ? undefined : (JSON.parse(text) as Generation);
      },
      async set(id, generation) {
        await tick();
        store.set(id, JSON.stringify(generation));
      },
    };
    const created = fake.addGeneration({ extra: 'kept' });
    await clientOf(fake, { cache }).getGeneration(created.id);
    expect(store.has(created.id)).toBe(true);
    const fromCache = await clientOf(fake, { cache }).getGeneration(created.id);
    expect(fromCache).toMatchObject({ id: created.id, extra: 'kept' });
    expect(lookupsOf(fake)).toBe(1);
  });

  it('keeps working when the cache fails', async () => {
    const logger = recordingLogger();
    const cache: GenerationCache = {
      get: () => Promise.reject(new Error('cache down')),
      set: () => {
        throw new Error('cache down');
      },
    };
    const created = fake.addGeneration();
    await expect(
      clientOf(fake, { cache, logger }).getGeneration(created.id),
    ).resolves.toMatchObject({ id: created.id });
    expect(logger.entries.filter((entry) => entry.level === 'warn')).toHaveLength(2);
  });

  it('caches only successes', async () => {
    const created = fake.addGeneration({}, { readyInMs: 60_000 });
    const client = clientOf(fake);
    await rejectionOf(client.getGeneration(created.id, { wait: false }));
    fake.reset({ all: true });
    const ready = fake.addGeneration({ id: created.id });
    await expect(client.getGeneration(created.id, { wait: false })).resolves.toMatchObject({
      id: ready.id,
    });
    expect(lookupsOf(fake)).toBe(1);
  });
});

describe('getGenerations', () => {
  it('answers in input order, one failure not failing the batch', async () => {
    const a = fake.addGeneration();
    const b = fake.addGeneration();
    fake.script(a.id, [{ type: 'slow', delayMs: 80 }]);
    const seen: [string, number][] = [];
    const results = await clientOf(fake).getGenerations([a.id, 'gen-missing', 'bad id', b.id], {
      wait: false,
      onResult: (result, index) => seen.push([result.id, index]),
    });
    expect(results.map((result) => [result.id, result.ok])).toEqual([
      [a.id, true],
      ['gen-missing', false],
      ['bad id', false],
      [b.id, true],
    ]);
    const [first, missing, invalid] = results;
    expect(first?.ok && first.generation.id).toBe(a.id);
    expect(!missing?.ok && missing?.error.code).toBe('not_found');
    expect(!invalid?.ok && invalid?.error.code).toBe('invalid_id');
    expect(seen).toHaveLength(4);
    expect(seen).toContainEqual([a.id, 0]);
    expect(seen).toContainEqual(['bad id', 2]);
    expect(lookupsOf(fake)).toBe(3);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const ids = Array.from({ length: 12 }, () => fake.addGeneration().id);
    fake.script('*', [{ type: 'slow', delayMs: 40 }], { repeat: true });
    let inFlight = 0;
    let maxInFlight = 0;
    const client = clientOf(fake, {
      fetch: async (input, init) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await fetch(input, init);
        } finally {
          inFlight--;
        }
      },
    });
    const results = await client.getGenerations(ids, { concurrency: 3 });
    expect(results.every((result) => result.ok)).toBe(true);
    expect(maxInFlight).toBe(3);

    maxInFlight = 0;
    const more = Array.from({ length: 20 }, () => fake.addGeneration().id);
    const defaultClient = clientOf(fake, {
      fetch: async (input, init) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await fetch(input, init);
        } finally {
          inFlight--;
        }
      },
    });
    await defaultClient.getGenerations(more);
    expect(maxInFlight).toBe(8);
  });

  it('rejects the whole call with the reason on abort', async () => {
    const ids = Array.from({ length: 6 }, () => fake.addGeneration().id);
    fake.script('*', [{ type: 'slow', delayMs: 2_000 }], { repeat: true });
    const controller = new AbortController();
    const pending = rejectionOf(
      clientOf(fake).getGenerations(ids, { signal: controller.signal, concurrency: 2 }),
    );
    await until(() => lookupsOf(fake) === 2);
    const reason = new Error('batch cancelled');
    controller.abort(reason);
    expect(await settlesBeforeNextTurn(pending)).toBe(true);
    expect(await pending).toBe(reason);
    expect(lookupsOf(fake)).toBe(2);
  });

  it('adds one abort listener to the caller signal however many lookups are in flight', async () => {
    const ids = Array.from({ length: 24 }, () => fake.addGeneration().id);
    fake.script('*', [{ type: 'slow', delayMs: 50 }], { repeat: true });
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const results = await clientOf(fake).getGenerations(ids, {
        signal: controller.signal,
        concurrency: 16,
      });
      expect(results.every((result) => result.ok)).toBe(true);
      // Warnings are emitted on a later tick.
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual(
      [],
    );
  });

  it('returns an empty array for no ids and rejects a bad concurrency', async () => {
    await expect(clientOf(fake).getGenerations([])).resolves.toEqual([]);
    await expect(clientOf(fake).getGenerations(['x'], { concurrency: 0 })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('options', () => {
  it('sends extra headers and resolves an async apiKey function per attempt', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status: 500 }]);
    let calls = 0;
    const client = createClient({
      baseUrl: fake.url,
      retryDelayMs: 5,
      apiKey: async () => {
        calls++;
        return fake.apiKey;
      },
      headers: { 'HTTP-Referer': 'https://example.test', 'X-OpenRouter-Title': 'genmeta tests' },
    });
    await client.getGeneration(created.id);
    expect(calls).toBe(2);
    expect(fake.calls[1]?.authorized).toBe(true);
    expect(fake.calls[1]?.headers['http-referer']).toBe('https://example.test');
    expect(fake.calls[1]?.headers['x-openrouter-title']).toBe('genmeta tests');
  });

  it('uses a synchronous apiKey function, and turns a failing one into UnauthorizedError', async () => {
    const created = fake.addGeneration();
    const client = clientOf(fake, { apiKey: () => fake.apiKey });
    await expect(client.getGeneration(created.id)).resolves.toMatchObject({ id: created.id });
    expect(fake.calls[0]?.authorized).toBe(true);
    const failures = [
      () => {
        throw new Error('vault down');
      },
      () => Promise.reject(new Error('vault down')),
    ];
    for (const apiKey of failures) {
      const error = await rejectionOf(
        clientOf(fake, { apiKey, cache: false }).getGeneration(created.id),
      );
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect((error as UnauthorizedError).message).toBe('The apiKey function failed');
      expect((error as UnauthorizedError).isRetryable).toBe(false);
    }
    expect(fake.calls).toHaveLength(1);
  });

  it('lets the apiKey win over an Authorization header given in headers', async () => {
    const created = fake.addGeneration();
    const client = clientOf(fake, { headers: { Authorization: 'Bearer sk-or-v1-stale' } });
    await expect(client.getGeneration(created.id)).resolves.toMatchObject({ id: created.id });
    expect(fake.calls[0]?.authorized).toBe(true);
  });

  it('sends no Authorization header without a key', async () => {
    const created = fake.addGeneration();
    const previous = process.env.OPENROUTER_API_KEY;
    delete process.env.OPENROUTER_API_KEY;
    try {
      const error = await rejectionOf(
        createClient({ baseUrl: fake.url }).getGeneration(created.id),
      );
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect(fake.calls[0]?.headers.authorization).toBeUndefined();
    } finally {
      if (previous !== undefined) process.env.OPENROUTER_API_KEY = previous;
    }
  });

  it('reads OPENROUTER_API_KEY and OPENROUTER_BASE_URL from the environment', async () => {
    const created = fake.addGeneration();
    const saved = { key: process.env.OPENROUTER_API_KEY, url: process.env.OPENROUTER_BASE_URL };
    process.env.OPENROUTER_API_KEY = fake.apiKey;
    process.env.OPENROUTER_BASE_URL = `${fake.url}/`;
    try {
      const client = createClient();
      expect(client.baseUrl).toBe(fake.url);
      await expect(client.getGeneration(created.id)).resolves.toMatchObject({ id: created.id });
    } finally {
      for (const [name, value] of [
        ['OPENROUTER_API_KEY', saved.key],
        ['OPENROUTER_BASE_URL', saved.url],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('defaults to OpenRouter and rejects nonsense options', () => {
    const previous = process.env.OPENROUTER_BASE_URL;
    delete process.env.OPENROUTER_BASE_URL;
    try {
      expect(createClient({ apiKey: 'k' }).baseUrl).toBe('https://openrouter.ai/api/v1');
    } finally {
      if (previous !== undefined) process.env.OPENROUTER_BASE_URL = previous;
    }
    expect(() => createClient({ timeoutMs: 0 })).toThrow(RangeError);
    expect(() => createClient({ deadlineMs: -1 })).toThrow(RangeError);
    expect(() => createClient({ maxRetries: 1.5 })).toThrow(RangeError);
    expect(() => createClient({ baseUrl: '/relative' })).toThrow(/not an absolute URL/);
  });

  it('reports attempts, waits and retries to the logger with credentials redacted', async () => {
    const created = fake.addGeneration({}, { readyInMs: 100 });
    fake.script(created.id, [{ type: 'status', status: 502 }]);
    const logger = recordingLogger();
    await clientOf(fake, { logger, retryDelayMs: 20 }).getGeneration(created.id);
    const levels = new Set(logger.entries.map((entry) => entry.level));
    expect(levels).toEqual(new Set(['debug', 'warn', 'info']));
    const request = logger.entries.find((entry) => entry.message === 'genmeta: request');
    expect(request?.details?.headers).toMatchObject({ authorization: '[REDACTED]' });
    expect(JSON.stringify(logger.entries)).not.toContain(fake.apiKey);
  });

  it('works with console as the logger', async () => {
    const created = fake.addGeneration();
    const client = clientOf(fake, { logger: { ...console, debug: () => undefined } });
    await expect(client.getGeneration(created.id)).resolves.toMatchObject({ id: created.id });
  });

  it('every failure is a GenmetaError', async () => {
    const error = await rejectionOf(
      clientOf(fake, { maxRetries: 0 }).getGeneration('gen-x', { wait: false }),
    );
    expect(isGenmetaError(error)).toBe(true);
  });
});

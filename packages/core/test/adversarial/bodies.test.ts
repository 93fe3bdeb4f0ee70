import { createGzip } from 'node:zlib';
import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import {
  createClient,
  createMemoryCache,
  type Generation,
  type GenerationCache,
  InvalidResponseError,
  ServerError,
} from '../../src/index.js';
import { rejectionOf } from '../helpers.js';
import {
  generationBody,
  type HostileHandler,
  setupHostileUpstream,
  textLogger,
} from './hostile-upstream.js';

const upstream = setupHostileUpstream();
const fake = setupFakeOpenRouter({ resetAfterEach: true });

const clientOfUpstream = (options: Parameters<typeof createClient>[0] = {}) =>
  createClient({
    apiKey: 'sk-test',
    baseUrl: upstream.url,
    retryDelayMs: 5,
    cache: false,
    ...options,
  });

const MB = 1_000_000;

/**
 * Answers 200 (or `status`) with an endless body, chunk after chunk, honouring backpressure,
 * until the client goes away or `limitBytes` were produced; `produced()` says how many were.
 */
function endless(options: { gzip?: boolean; status?: number; limitBytes: number }): {
  handler: HostileHandler;
  produced(): number;
  finished: Promise<void>;
} {
  let produced = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const handler: HostileHandler = (_request, response) => {
    response.writeHead(options.status ?? 200, {
      'content-type': 'application/json',
      ...(options.gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    const sink = options.gzip ? createGzip() : response;
    if (options.gzip) (sink as ReturnType<typeof createGzip>).pipe(response);
    let stopped = false;
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      finish();
    };
    response.on('close', stop);
    const pump = (): void => {
      while (!stopped && produced < options.limitBytes) {
        produced += chunk.length;
        if (!sink.write(chunk)) {
          sink.once('drain', pump);
          return;
        }
      }
      if (!stopped) {
        sink.end();
        stop();
      }
    };
    sink.write('{"data":');
    pump();
  };
  return { handler, produced: () => produced, finished };
}

describe('response size', () => {
  it('stops reading an endless body past the 1 MB cap: invalid_response, not retried, memory bounded', async () => {
    const body = endless({ limitBytes: 256 * MB });
    upstream.answer(body.handler);
    const rssBefore = process.memoryUsage().rss;
    const error = await rejectionOf(clientOfUpstream().getGeneration('gen-endless'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ code: 'invalid_response', isRetryable: false });
    expect((error as Error).message).toMatch(/over the 1000000-byte cap \(maxResponseBytes\)/);
    expect(upstream.requests).toHaveLength(1);
    await body.finished;
    // The client hung up soon after the cap (socket buffers aside), long before the 256 MB.
    expect(body.produced()).toBeLessThan(32 * MB);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * MB);
  });

  it('stops a gzip bomb at the cap on the decompressed bytes', async () => {
    const bomb = endless({ gzip: true, limitBytes: 512 * MB });
    upstream.answer(bomb.handler);
    const rssBefore = process.memoryUsage().rss;
    const error = await rejectionOf(clientOfUpstream().getGeneration('gen-bomb'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ isRetryable: false });
    expect(upstream.requests).toHaveLength(1);
    await bomb.finished;
    expect(bomb.produced()).toBeLessThan(64 * MB);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * MB);
  });

  it('refuses a declared Content-Length over the cap without reading it, and honours maxResponseBytes', async () => {
    upstream.answer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': 5 * MB });
      response.write('{"data":');
    });
    const error = await rejectionOf(clientOfUpstream().getGeneration('gen-declared'));
    expect(error).toBeInstanceOf(InvalidResponseError);

    const created = fake.addGeneration();
    const small = createClient({ apiKey: fake.apiKey, baseUrl: fake.url, maxResponseBytes: 100 });
    await expect(small.getGeneration(created.id)).rejects.toThrow(/over the 100-byte cap/);
  });

  it('describes an endless error body by the cap instead of reading it all', async () => {
    const body = endless({ status: 500, limitBytes: 256 * MB });
    upstream.answer(body.handler);
    const error = await rejectionOf(clientOfUpstream({ maxRetries: 0 }).getGeneration('gen-e500'));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toBe(
      'OpenRouter answered 500: a body over the 1000000-byte cap',
    );
    await body.finished;
    expect(body.produced()).toBeLessThan(32 * MB);
  });
});

/** `{"a":{"a":…1…}}`, `depth` levels deep. */
const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('absurd shapes', () => {
  it('rejects a deeply nested unknown field as invalid_response at the boundary', async () => {
    upstream.answer((_request, response) => {
      const body = generationBody('gen-deep').replace(
        '"is_byok":false',
        `"is_byok":false,"extra":${nested(5_000)}`,
      );
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const error = await rejectionOf(clientOfUpstream().getGeneration('gen-deep'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/nests deeper than 64 levels/);
    expect(upstream.requests).toHaveLength(1);
  });

  it('keeps a moderately nested unknown field, and what it caches can always be written as JSON', async () => {
    upstream.answer((_request, response) => {
      const body = generationBody('gen-nested').replace(
        '"is_byok":false',
        `"is_byok":false,"extra":${nested(40)}`,
      );
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const entries = new Map<string, string>();
    const jsonCache: GenerationCache = {
      get: () => undefined,
      set: (id, generation) => {
        entries.set(id, JSON.stringify(generation));
      },
    };
    const generation = await clientOfUpstream({ cache: jsonCache }).getGeneration('gen-nested');
    expect(JSON.stringify(generation)).toContain('"extra"');
    expect(entries.has('gen-nested')).toBe(true);
  });

  it("rejects a 200 carrying another generation's id", async () => {
    upstream.answer((_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(generationBody('gen-other'));
    });
    const error = await rejectionOf(clientOfUpstream().getGeneration('gen-asked'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ generationId: 'gen-asked', isRetryable: false });
    expect((error as Error).message).toBe(
      'OpenRouter answered with another generation than gen-asked (data.id differs)',
    );
  });
});

describe('a cache handing back something else', () => {
  it.each([
    ['a non-generation', () => ({ not: 'a generation' })],
    ['another generation', (asked: Generation) => ({ ...asked, id: 'gen-someone-else' })],
    ['a string', () => 'cached text'],
    [
      'an absurdly deep object',
      (asked: Generation) => ({ ...asked, extra: JSON.parse(nested(5_000)) }),
    ],
  ])('treats %s as a miss (logged) and looks the generation up', async (_what, corrupt) => {
    const created = fake.addGeneration();
    const logger = textLogger();
    const stored = new Map<string, unknown>();
    const cache: GenerationCache = {
      get: async () => corrupt(created as unknown as Generation) as Generation,
      set: async (id, generation) => {
        stored.set(id, generation);
      },
    };
    const client = createClient({ apiKey: fake.apiKey, baseUrl: fake.url, cache, logger });
    const generation = await client.getGeneration(created.id);
    expect(generation.id).toBe(created.id);
    expect(fake.generationCalls(created.id)).toHaveLength(1);
    expect(stored.get(created.id)).toBe(generation);
    expect(
      logger.lines.some((line) =>
        line.includes('cache returned something that is not the generation'),
      ),
    ).toBe(true);
  });
});

describe('the memory cache', () => {
  const sized = (id: string, bytes: number): Generation =>
    ({ ...JSON.parse(generationBody(id)).data, padding: 'x'.repeat(bytes) }) as Generation;

  it('is bounded by size too: the least recently used go first, a too large one is not kept', async () => {
    const cache = createMemoryCache({ maxBytes: 10_000 });
    cache.set('a', sized('a', 4_000));
    cache.set('b', sized('b', 4_000));
    expect(await cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('c', sized('c', 4_000));
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    expect(await cache.get('c')).toBeDefined();
    cache.set('huge', sized('huge', 20_000));
    expect(await cache.get('huge')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
  });

  it('keeps at most about 50 MB by default', async () => {
    const cache = createMemoryCache();
    for (const id of ['g1', 'g2', 'g3']) cache.set(id, sized(id, 20 * MB));
    expect(await cache.get('g1')).toBeUndefined();
    expect(await cache.get('g2')).toBeDefined();
    expect(await cache.get('g3')).toBeDefined();
  });
});

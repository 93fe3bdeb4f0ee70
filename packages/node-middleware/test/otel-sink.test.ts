import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import {
  type Context,
  type ContextManager,
  context,
  ROOT_CONTEXT,
  type Span,
  trace,
} from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { costLogger, otelSink, type RecordSink, trackGeneration } from '../src/index.js';
import {
  type ChatResult,
  closeServer,
  expressVersions,
  listen,
  postJson,
  startTestApp,
  type TestAppHandle,
  waitUntil,
} from './helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter({ chunkDelayMs: 1 });
});
afterAll(async () => {
  await fake.close();
});

/** The smallest real context manager: the active OTel context follows the async flow. */
class StorageContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    active: Context,
    callback: F,
    thisArgument?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(active, () => callback.apply(thisArgument, args));
  }
  bind<T>(_active: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

function hrTimeToMs([seconds, nanoseconds]: [number, number]): number {
  return seconds * 1000 + nanoseconds / 1e6;
}

describe.each(expressVersions)('otelSink on %s', (_name, express) => {
  let app: TestAppHandle | undefined;
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    exporter.reset();
    trace.disable();
    context.disable();
  });

  it.each([
    ['given as the sink', (sink: RecordSink): RecordSink => sink],
    [
      'behind a wrapper that copies the record',
      (sink: RecordSink): RecordSink =>
        (record, meta) =>
          sink({ ...record, path: '/redacted' }, meta),
    ],
  ])(
    'parents generation spans to the span active when the request started (%s)',
    async (_name, wrap) => {
      context.setGlobalContextManager(new StorageContextManager());
      const tracer = provider.getTracer('test');
      const logger = costLogger({
        clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey, deadlineMs: 300 },
        concurrency: 1,
        onRecord: wrap(otelSink({ tracer })),
      });
      const requestSpans = new Map<string, Span>();
      const application = express();
      // what an HTTP instrumentation does: a server span active around the whole request
      application.use((request: IncomingMessage, response: ServerResponse, next: () => void) => {
        const span = tracer.startSpan(`GET ${request.url}`);
        requestSpans.set(request.url ?? '', span);
        response.on('finish', () => span.end());
        context.with(trace.setSpan(context.active(), span), next);
      });
      application.use(logger);
      application.get('/track/:id', (request, response) => {
        trackGeneration(request.params.id ?? '');
        response.json({ ok: true });
      });
      const server = createServer(
        application as unknown as (request: IncomingMessage, response: ServerResponse) => void,
      );
      const url = await listen(server);
      try {
        const found = Array.from({ length: 3 }, () => fake.addGeneration().id);
        const missing = 'gen-1795600000-missingmissingmissi';
        // several requests at once, lookups one after another: each record keeps its own trace
        const ids = [...found, missing];
        await Promise.all(ids.map((id) => fetch(`${url}/track/${id}`)));
        await waitUntil(() => exporter.getFinishedSpans().length >= ids.length * 2);
        await logger.flush();
        const spans = exporter.getFinishedSpans();
        for (const id of ids) {
          const span = spans.find((candidate) => candidate.attributes['gen_ai.response.id'] === id);
          const parent = requestSpans.get(`/track/${id}`)!.spanContext();
          expect(span?.spanContext().traceId).toBe(parent.traceId);
          expect(span?.parentSpanContext?.spanId).toBe(parent.spanId);
        }
        const missingSpan = spans.find((span) => span.attributes['gen_ai.response.id'] === missing);
        expect(missingSpan?.attributes['error.type']).toBe('not_found');
        expect(
          new Set(ids.map((id) => requestSpans.get(`/track/${id}`)!.spanContext().traceId)).size,
        ).toBe(4);
      } finally {
        await closeServer(server);
        await logger.close({ timeoutMs: 300 });
      }
    },
  );

  it('turns each generation into a GenAI span with cost attributes', async () => {
    app = await startTestApp(express, {
      fake,
      logger: { onRecord: otelSink({ tracer: provider.getTracer('test') }) },
    });
    const response = await postJson(`${app.url}/api/chat/sequential`, { count: 2, stream: true });
    const ids = (response.body as { results: ChatResult[] }).results.map((result) => result.id!);
    await waitUntil(() => exporter.getFinishedSpans().length === 2);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.attributes['gen_ai.response.id'])).toEqual(ids);
    for (const span of spans) {
      const stored = fake.generation(span.attributes['gen_ai.response.id'] as string)!;
      expect(span.name).toBe(`chat ${stored.model}`);
      expect(span.kind).toBe(2);
      expect(span.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openrouter',
        'gen_ai.response.model': stored.model,
        'gen_ai.usage.input_tokens': stored.tokens_prompt,
        'gen_ai.usage.output_tokens': stored.tokens_completion,
        'gen_ai.usage.cache_read.input_tokens': stored.native_tokens_cached,
        'gen_ai.usage.reasoning.output_tokens': stored.native_tokens_reasoning,
        'gen_ai.response.finish_reasons': [stored.finish_reason],
        'genmeta.cost.usd': stored.total_cost,
        'genmeta.cost.total_cost': stored.total_cost,
        'genmeta.cost.byok': false,
        'genmeta.provider': stored.provider_name,
        'genmeta.request.route': '/api/chat/:mode',
        'genmeta.request.method': 'POST',
        'genmeta.request.path': '/api/chat/sequential',
        'genmeta.request.id': response.headers.get('x-request-id'),
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(fake.url).port),
      });
      // the model of the request's body (helpers' chat asks for it by name)
      expect(span.attributes['gen_ai.request.model']).toBe('openai/gpt-4o-mini');
      // the incoming request's HTTP facts are not the CLIENT span's own
      expect(span.attributes).not.toHaveProperty('http.request.method');
      expect(span.attributes).not.toHaveProperty('http.route');
      const start = hrTimeToMs(span.startTime);
      expect(start).toBe(Date.parse(stored.created_at as string));
      expect(hrTimeToMs(span.endTime) - start).toBeCloseTo(stored.latency as number, 3);
    }
  });

  it('marks unresolved ids as error spans, through the global tracer provider', async () => {
    trace.setGlobalTracerProvider(provider);
    app = await startTestApp(express, {
      fake,
      logger: {
        onRecord: otelSink(),
        clientOptions: { baseUrl: fake.url, apiKey: 'sk-or-v1-wrong' },
      },
    });
    const { id } = fake.addGeneration();
    await fetch(`${app.url}/api/track/${id}`);
    await waitUntil(() => exporter.getFinishedSpans().length === 1);
    const [span] = exporter.getFinishedSpans();
    expect(span?.instrumentationScope.name).toBe('@genmeta/node-middleware');
    expect(span?.status).toEqual({
      code: 2,
      message: 'generation stats unavailable: unauthorized',
    });
    expect(span?.attributes).toMatchObject({
      'gen_ai.response.id': id,
      'error.type': 'unauthorized',
      'gen_ai.provider.name': 'openrouter',
    });
  });
});

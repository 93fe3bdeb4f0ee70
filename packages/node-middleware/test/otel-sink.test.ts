import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { otelSink } from '../src/index.js';
import {
  type ChatResult,
  expressVersions,
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
  });

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
        'gen_ai.request.model': stored.model,
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
        'http.route': '/api/chat/:mode',
        'genmeta.request.id': response.headers.get('x-request-id'),
      });
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

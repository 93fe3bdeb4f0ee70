// The generation span's parent under real auto-instrumentation: @opentelemetry/instrumentation-http
// and -express, a NodeTracerProvider with the AsyncLocalStorage context manager, in-memory export.
// First: the instrumentations must be registered before express (and its router) load.
import './otel-setup.js';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CostLogger, costLogger, createTrackingFetch, otelSink } from '../src/index.js';
import { chat, closeServer, type ExpressModule, listen, waitUntil } from './helpers.js';
import { exporter, provider, unregister } from './otel-setup.js';

const SPAN_KIND_SERVER = 1;
const SPAN_KIND_CLIENT = 2;
// Required (not imported), as instrumentation hooks `require` to patch express.
const express = createRequire(import.meta.url)('express') as ExpressModule;

let fake: FakeOpenRouter;
let server: Server;
let url: string;
let genmeta: CostLogger;

beforeAll(async () => {
  fake = await startFakeOpenRouter();
  genmeta = costLogger({
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    onRecord: otelSink(),
  });
  const trackingFetch = createTrackingFetch();
  const app = express();
  app.use(genmeta);
  app.use(express.json());
  // no `model` in the body: OpenRouter (the fake) answers with its default model
  app.post('/api/default-model', (_request, response, next) => {
    trackingFetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    })
      .then((answer) => answer.json())
      .then((body) => response.json(body))
      .catch(next);
  });
  app.post('/api/chat/:mode', (_request, response, next) => {
    chat(trackingFetch, fake, 'hello', { stream: true })
      .then((result) => response.json(result))
      .catch(next);
  });
  server = app.listen(0, '127.0.0.1');
  url = await listen(server);
});
afterAll(async () => {
  await closeServer(server);
  await genmeta.close();
  await fake.close();
  unregister();
  await provider.shutdown();
});

describe('otelSink under http + express instrumentation', () => {
  it("parents the generation span to the request's SERVER span, not an express middleware span", async () => {
    const response = await fetch(`${url}/api/chat/plain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { id } = (await response.json()) as { id: string };
    await waitUntil(() =>
      exporter.getFinishedSpans().some((span) => span.attributes['gen_ai.response.id'] === id),
    );
    const spans = exporter.getFinishedSpans();
    const generation = spans.find((span) => span.attributes['gen_ai.response.id'] === id)!;
    const serverSpan = spans.find(
      (span) =>
        span.kind === SPAN_KIND_SERVER &&
        span.spanContext().traceId === generation.spanContext().traceId,
    );
    // the instrumentations were really active: express made its middleware spans
    expect(spans.some((span) => span.attributes['express.type'] === 'middleware')).toBe(true);
    expect(serverSpan).toBeDefined();
    expect(generation.kind).toBe(SPAN_KIND_CLIENT);
    expect(generation.parentSpanContext?.spanId).toBe(serverSpan!.spanContext().spanId);
    expect(generation.attributes).toMatchObject({
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(fake.url).port),
      'genmeta.request.route': '/api/chat/:mode',
      'genmeta.request.method': 'POST',
    });
    expect(generation.attributes).not.toHaveProperty('http.request.method');
    expect(generation.attributes).not.toHaveProperty('http.route');
    expect(generation.attributes['gen_ai.request.model']).toBe('openai/gpt-4o-mini');
  });

  it('sets gen_ai.request.model only when the request named a model', async () => {
    const response = await fetch(`${url}/api/default-model`, { method: 'POST' });
    const { id, model } = (await response.json()) as { id: string; model: string };
    await waitUntil(() =>
      exporter.getFinishedSpans().some((span) => span.attributes['gen_ai.response.id'] === id),
    );
    const generation = exporter
      .getFinishedSpans()
      .find((span) => span.attributes['gen_ai.response.id'] === id)!;
    expect(generation.attributes['gen_ai.response.model']).toBe(model);
    expect(generation.attributes).not.toHaveProperty('gen_ai.request.model');
  });
});

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CostRecord,
  costLogger,
  createTrackingFetch,
  otelMetrics,
  setCostAttributes,
  trackGeneration,
} from '../src/index.js';
import { closeServer, listen, waitUntil } from './helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

/** A real Prometheus scrape endpoint over HTTP, fed by a MeterProvider. */
async function startPrometheus() {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  const server = createServer((request, response) => {
    exporter.getMetricsRequestHandler(request, response);
  });
  const url = await listen(server);
  return {
    provider,
    scrape: async () => {
      const response = await fetch(`${url}/metrics`);
      expect(response.status).toBe(200);
      return response.text();
    },
    async close() {
      await closeServer(server);
      await provider.shutdown();
    },
  };
}

/** `name{labels} value` lines of a scrape whose name starts with `prefix`, labels parsed. */
function series(
  text: string,
  name: string,
): Array<{ labels: Record<string, string>; value: number }> {
  const found: Array<{ labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (match === null || match[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]!] = pair[2]!;
    }
    found.push({ labels, value: Number(match[3]) });
  }
  return found;
}

async function startApp(sink: ReturnType<typeof otelMetrics>) {
  const records: CostRecord[] = [];
  const logger = costLogger({
    // Only the missing ids wait their deadline out (404 until it); the fake answers the others
    // at once, but a loaded machine can take seconds: 300 ms recorded some as `timeout`.
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey, deadlineMs: 5_000 },
    attributes: (request) => ({ user: String(request.headers['x-user']) }),
    onRecord: [sink, (record) => void records.push(record)],
  });
  const trackingFetch = createTrackingFetch(undefined, { baseUrl: fake.url });
  const app = express();
  app.use(logger);
  app.post('/api/chat/:feature', async (request, response) => {
    setCostAttributes({ feature: request.params.feature });
    const answer = await trackingFetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'count to five please' }],
      }),
    });
    response.json(await answer.json());
  });
  app.get('/api/missing', (_request, response) => {
    trackGeneration('gen-1795600000-missingmissingmissi', { costUsd: 0.002, isByok: false });
    trackGeneration('gen-1795600000-missingnoinlinecost');
    response.json({ ok: true });
  });
  const server = createServer(
    app as unknown as (request: IncomingMessage, response: ServerResponse) => void,
  );
  const url = await listen(server);
  return {
    url,
    records,
    async waitForRecords(count: number) {
      await waitUntil(() => records.length >= count);
      await logger.flush();
      return records;
    },
    async close() {
      await closeServer(server);
      await logger.close({ timeoutMs: 300 });
    },
  };
}

describe('otelMetrics', () => {
  it('uses the global meter provider by default, under the package scope name', async () => {
    const prometheus = await startPrometheus();
    metrics.setGlobalMeterProvider(prometheus.provider);
    const app = await startApp(otelMetrics());
    try {
      await fetch(`${app.url}/api/chat/search`, { method: 'POST', headers: { 'x-user': 'carol' } });
      const [record] = await app.waitForRecords(1);
      const text = await prometheus.scrape();
      const [cost] = series(text, 'genmeta_cost_total');
      expect(cost?.labels.otel_scope_name).toBe('@genmeta/node-middleware');
      expect(cost?.value).toBeCloseTo(record!.spendUsd!, 12);
      // no attribute keys listed: none on the series
      expect(text).not.toContain('genmeta_attribute_');
    } finally {
      metrics.disable();
      await app.close();
      await prometheus.close();
    }
  });

  it('shows cost, generations and token series in a Prometheus scrape', async () => {
    const prometheus = await startPrometheus();
    const app = await startApp(
      otelMetrics({ meter: prometheus.provider.getMeter('test'), attributeKeys: ['feature'] }),
    );
    try {
      const post = (feature: string, user: string) =>
        fetch(`${app.url}/api/chat/${feature}`, { method: 'POST', headers: { 'x-user': user } });
      for (const [feature, user] of [
        ['search', 'alice'],
        ['search', 'bob'],
        ['summary', 'alice'],
      ]) {
        expect((await post(feature!, user!)).status).toBe(200);
      }
      expect((await fetch(`${app.url}/api/missing`)).status).toBe(200);
      const records = await app.waitForRecords(4);
      const text = await prometheus.scrape();
      const ofFeature = (feature: string) =>
        records.filter((record) => record.attributes.feature === feature);
      const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
      for (const feature of ['search', 'summary']) {
        const mine = ofFeature(feature);
        const generations = mine.flatMap((record) => record.generations);
        const labels = {
          gen_ai_provider_name: 'openrouter',
          gen_ai_operation_name: 'chat',
          gen_ai_response_model: 'openai/gpt-4o-mini',
          openrouter_provider_name: generations[0]!.provider!,
          http_route: '/api/chat/:feature',
          http_response_status_code: '200',
          genmeta_attribute_feature: feature,
        };
        const [cost] = series(text, 'genmeta_cost_total').filter(
          (entry) => entry.labels.genmeta_attribute_feature === feature,
        );
        expect(cost?.labels).toMatchObject(labels);
        expect(cost?.value).toBeCloseTo(sum(mine.map((record) => record.spendUsd!)), 12);
        const resolved = series(text, 'genmeta_generations_total').find(
          (entry) => entry.labels.genmeta_attribute_feature === feature,
        );
        expect(resolved?.labels.genmeta_outcome).toBe('resolved');
        expect(resolved?.value).toBe(mine.length);
        for (const [type, field] of [
          ['input', 'prompt'],
          ['output', 'completion'],
        ] as const) {
          const of = (name: string) =>
            series(text, name).find(
              (entry) =>
                entry.labels.genmeta_attribute_feature === feature &&
                entry.labels.gen_ai_token_type === type,
            );
          expect(of('gen_ai_client_token_usage_sum')?.labels).toMatchObject(labels);
          expect(of('gen_ai_client_token_usage_sum')?.value).toBe(
            sum(generations.map((generation) => generation.tokens[field]!)),
          );
          expect(of('gen_ai_client_token_usage_count')?.value).toBe(generations.length);
        }
      }
      // unresolved ids: counted by reason; the inline spend is known, the other is not
      const unresolved = series(text, 'genmeta_generations_total').find(
        (entry) => entry.labels.genmeta_outcome === 'unresolved',
      );
      expect(unresolved?.labels).toMatchObject({
        genmeta_unresolved_reason: 'not_found',
        http_route: '/api/missing',
      });
      expect(unresolved?.value).toBe(2);
      const missingCost = series(text, 'genmeta_cost_total').find(
        (entry) => entry.labels.http_route === '/api/missing',
      );
      expect(missingCost?.value).toBe(0.002);
      expect(series(text, 'genmeta_cost_unknown_total').map((entry) => entry.value)).toEqual([1]);
      expect(text).toMatch(/^# UNIT genmeta_cost_total USD$/m);
      // attributes not listed in attributeKeys are not on any series
      expect(text).not.toContain('genmeta_attribute_user');
      expect(text).not.toContain('alice');
    } finally {
      await app.close();
      await prometheus.close();
    }
  });

  it('keeps at most maxSeries label sets per table, then adds to one overflow series', async () => {
    const prometheus = await startPrometheus();
    const app = await startApp(
      otelMetrics({
        meter: prometheus.provider.getMeter('test'),
        attributeKeys: ['feature'],
        maxSeries: 1,
      }),
    );
    try {
      // Records reach the sink as their lookups finish, in any order: each is waited for
      // before the next request, so 'first' is the label set the table keeps.
      for (const [index, feature] of ['first', 'second', 'third'].entries()) {
        await fetch(`${app.url}/api/chat/${feature}`, {
          method: 'POST',
          headers: { 'x-user': 'dan' },
        });
        await app.waitForRecords(index + 1);
      }
      const records = await app.waitForRecords(3);
      const text = await prometheus.scrape();
      const costs = series(text, 'genmeta_cost_total');
      expect(costs).toHaveLength(2);
      expect(costs[0]?.labels.genmeta_attribute_feature).toBe('first');
      expect(costs[1]?.labels).toMatchObject({ otel_metric_overflow: 'true' });
      const spendOf = (feature: string) =>
        records.find((record) => record.attributes.feature === feature)!.spendUsd!;
      expect(costs[1]?.value).toBeCloseTo(spendOf('second') + spendOf('third'), 12);
      expect(() => otelMetrics({ maxSeries: 0 })).toThrow(/"maxSeries" must be an integer/);
    } finally {
      await app.close();
      await prometheus.close();
    }
  });
});

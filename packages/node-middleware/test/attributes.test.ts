import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CostLoggerOptions,
  type CostRecord,
  costLogger,
  createTrackingFetch,
  type GenmetaLocals,
  otelSink,
  setCostAttributes,
  trackGeneration,
} from '../src/index.js';
import { closeServer, type ExpressModule, expressVersions, listen, waitUntil } from './helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

interface Warning {
  details: object;
  message: string | undefined;
}

/** An Express app whose routes attribute their spend in each supported way. */
async function startApp(express: ExpressModule, options: CostLoggerOptions = {}) {
  const records: CostRecord[] = [];
  const warnings: Warning[] = [];
  const logger = costLogger({
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    logger: {
      info: (record) => records.push(record as CostRecord),
      warn: (details, message) => warnings.push({ details, message }),
    },
    ...options,
  });
  const trackingFetch = createTrackingFetch(undefined, { baseUrl: fake.url });
  const app = express();
  app.use(logger);
  app.use(express.json());
  // service code deep in the flow, which never sees `req`
  const summarize = async (user: string | undefined, session: string | undefined) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    setCostAttributes({ feature: 'summarize', tier: 2, beta: true });
    const response = await trackingFetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: [{ role: 'user', content: 'hi' }],
        ...(user === undefined ? {} : { user }),
        ...(session === undefined ? {} : { session_id: session }),
      }),
    });
    return ((await response.json()) as { id: string }).id;
  };
  app.post('/api/summarize', (request, response, next) => {
    const body = request.body ?? {};
    const locals = response.locals.genmeta as GenmetaLocals;
    locals.setAttributes({ team: 'search', feature: 'overridden below' });
    summarize(body.user as string | undefined, body.session as string | undefined)
      .then((id) => response.json({ id }))
      .catch(next);
  });
  app.post('/api/bad', (request, response) => {
    const attributes = request.body as Record<string, never>;
    const accepted = setCostAttributes(attributes);
    trackGeneration(fake.addGeneration().id);
    response.json({ accepted });
  });
  app.get('/api/plain', (_request, response) => {
    trackGeneration(fake.addGeneration().id);
    response.json({ ok: true });
  });
  const server = createServer(
    app as unknown as (request: IncomingMessage, response: ServerResponse) => void,
  );
  const url = await listen(server);
  return {
    url,
    records,
    warnings,
    post: (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
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

describe.each(expressVersions)('cost attributes on %s', (_name, express) => {
  it('merges the option, res.locals.genmeta.setAttributes and setCostAttributes into the record', async () => {
    const app = await startApp(express, {
      attributes: (request, response) => ({
        user: String(request.headers['x-user']),
        status: response.statusCode,
        team: 'from the option',
      }),
    });
    try {
      const response = await app.post(
        '/api/summarize',
        { user: 'alice', session: 'sess-1' },
        { 'x-user': 'alice' },
      );
      const { id } = (await response.json()) as { id: string };
      const [record] = await app.waitForRecords(1);
      expect(record?.generationIds).toEqual([id]);
      // set in the flow wins over the option, key by key; a later call replaces an earlier one
      expect(record?.attributes).toEqual({
        user: 'alice',
        status: 200,
        team: 'search',
        feature: 'summarize',
        tier: 2,
        beta: true,
      });
      expect(record?.generations[0]).toMatchObject({
        id,
        external_user: 'alice',
        session_id: 'sess-1',
      });
      expect(app.warnings).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('gives an empty object and no external_user or session_id when there are none', async () => {
    const app = await startApp(express);
    try {
      await app.post('/api/summarize', {});
      await fetch(`${app.url}/api/plain`);
      const records = await app.waitForRecords(2);
      const plain = records.find((record) => record.path === '/api/plain');
      expect(plain?.attributes).toEqual({});
      const summarized = records.find((record) => record.path === '/api/summarize');
      expect(summarized?.attributes).toEqual({
        team: 'search',
        feature: 'summarize',
        tier: 2,
        beta: true,
      });
      expect(summarized?.generations[0]).not.toHaveProperty('external_user');
      expect(summarized?.generations[0]).not.toHaveProperty('session_id');
    } finally {
      await app.close();
    }
  });

  it('drops invalid attributes, keeps the valid ones, and reports once without throwing', async () => {
    const app = await startApp(express);
    try {
      const many = Object.fromEntries(
        Array.from({ length: 40 }, (_, index) => [`k${index}`, index]),
      );
      const bad = {
        ok: 'kept',
        'has space': 'x',
        ['a'.repeat(65)]: 'x',
        long: 'v'.repeat(257),
        nested: { no: true },
        list: [1],
        nothing: null,
      };
      // an own `__proto__` key (as JSON.parse makes one) stays a plain attribute
      Object.defineProperty(bad, '__proto__', { value: 'plain key', enumerable: true });
      const first = await app.post('/api/bad', bad);
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ accepted: true });
      const second = await app.post('/api/bad', many);
      expect(second.status).toBe(200);
      const records = await app.waitForRecords(2);
      const bySize = [...records].sort(
        (a, b) => Object.keys(a.attributes).length - Object.keys(b.attributes).length,
      );
      const withBad = bySize[0]!;
      const withMany = bySize[1]!;
      expect(Object.entries(withBad.attributes)).toEqual([
        ['ok', 'kept'],
        ['__proto__', 'plain key'],
      ]);
      expect(Object.getPrototypeOf(withBad.attributes)).toBe(Object.prototype);
      expect(Object.keys(withMany.attributes)).toHaveLength(32);
      expect(withMany.attributes.k31).toBe(31);
      expect(withMany.attributes).not.toHaveProperty('k32');
      const attributeWarnings = app.warnings.filter((warning) =>
        warning.message?.includes('cost attribute'),
      );
      expect(attributeWarnings).toHaveLength(1);
      expect(attributeWarnings[0]?.message).toMatch(/"has space" dropped: keys are 1 to 64/);
    } finally {
      await app.close();
    }
  });

  it('contains an attributes option that throws or returns junk: the record is still emitted', async () => {
    for (const attributes of [
      () => {
        throw new Error('boom');
      },
      () => 'not an object' as never,
    ]) {
      const app = await startApp(express, { attributes });
      try {
        const response = await fetch(`${app.url}/api/plain`);
        expect(response.status).toBe(200);
        const [record] = await app.waitForRecords(1);
        expect(record?.attributes).toEqual({});
        expect(app.warnings).toHaveLength(1);
        expect(app.warnings[0]?.message).toMatch(/attributes option threw|must be a plain object/);
      } finally {
        await app.close();
      }
    }
  });

  it('puts attributes on otelSink spans as genmeta.attribute.<key>', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const app = await startApp(express, {
      attributes: (request) => ({ user: String(request.headers['x-user']) }),
      onRecord: otelSink({ tracer: provider.getTracer('test') }),
    });
    try {
      await app.post('/api/summarize', {}, { 'x-user': 'bob' });
      await app.waitForRecords(1);
      await waitUntil(() => exporter.getFinishedSpans().length === 1);
      expect(exporter.getFinishedSpans()[0]?.attributes).toMatchObject({
        'genmeta.attribute.user': 'bob',
        'genmeta.attribute.feature': 'summarize',
        'genmeta.attribute.tier': 2,
        'genmeta.attribute.beta': true,
      });
    } finally {
      await app.close();
    }
  });
});

it('setCostAttributes outside a request returns false and never throws', () => {
  expect(setCostAttributes({ user: 'nobody' })).toBe(false);
  expect(setCostAttributes(null as never)).toBe(false);
});

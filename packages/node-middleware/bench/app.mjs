// The app under test, in its own process. MODE=plain: a bare Express app. MODE=genmeta: the same
// app with costLogger. MODE=floor: the same app with the least any cost logger must do per
// request, hand-rolled (an AsyncLocalStorage context, a close listener, a Map lookup of the
// cached generation, one JSON line batched per turn of the event loop): the bar for costLogger. HANDLER=trivial (default): each request answers at once and, under
// genmeta, tracks the next id of IDS_FILE (a JSON array) unless TRACK=0. HANDLER=chat: each
// request makes a non-streaming chat completion at the fake, like an LLM app, through plain
// fetch (plain) or createTrackingFetch (genmeta), so every request tracks the new generation.
// SINK=none replaces the stdout sink by a no-op callback; CONCURRENCY sets the lookups at once;
// LOOKUP sets costLogger's `lookup` option (`missing`: priced from the answer, no lookup).
// ATTRIBUTES=1 (genmeta): records carry attributes (the `attributes` option and
// setCostAttributes in the handler) and go to otelMetrics too, on a real MeterProvider whose
// Prometheus reader aggregates them (never scraped); METRICS=0 leaves the metrics sink out;
// ALERTS=1 puts costAlerts (two budget rules, one anomaly rule, per process) before stdout.
// Prints `listening <port>` on stderr. Records go to stdout (the bench discards it).
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import express from 'express';
import {
  costAlerts,
  costLogger,
  createTrackingFetch,
  otelMetrics,
  setCostAttributes,
  trackGeneration,
} from '../dist/index.js';

const mode = process.env.MODE ?? 'plain';
const handler = process.env.HANDLER ?? 'trivial';
const ids = process.env.IDS_FILE ? JSON.parse(readFileSync(process.env.IDS_FILE, 'utf8')) : [];
let next = 0;
const withAttributes = process.env.ATTRIBUTES === '1';

/** The sinks and options ATTRIBUTES=1 adds: attributes on each record, and the metrics sink. */
async function attributeOptions() {
  if (!withAttributes) return {};
  const { PrometheusExporter } = await import('@opentelemetry/exporter-prometheus');
  const { MeterProvider } = await import('@opentelemetry/sdk-metrics');
  const provider = new MeterProvider({
    readers: [new PrometheusExporter({ preventServerStart: true })],
  });
  const metrics = otelMetrics({ meter: provider.getMeter('bench'), attributeKeys: ['feature'] });
  const plans = ['free', 'pro', 'team'];
  // the same JSON lines as the default stdout sink (batched per event-loop turn), plus metrics
  let lines = '';
  let scheduled = false;
  const write = () => {
    scheduled = false;
    process.stdout.write(lines);
    lines = '';
  };
  const stdout = (record) => {
    lines += `${JSON.stringify(record)}\n`;
    if (!scheduled) {
      scheduled = true;
      setImmediate(write);
    }
  };
  return {
    attributes: (request) => ({
      user: `user-${next % 50}`,
      plan: plans[next % 3],
      method: request.method,
    }),
    onRecord:
      process.env.ALERTS === '1'
        ? [benchAlerts(), stdout]
        : process.env.METRICS === '0'
          ? stdout
          : [metrics, stdout],
  };
}

/** costAlerts as an app would set it up: budgets per user and per plan, anomalies per user. */
function benchAlerts() {
  return costAlerts({
    budgets: [
      { group: 'user', limitUsd: 5, window: 'day' },
      { group: 'plan', limitUsd: 100, window: 'month' },
    ],
    anomalies: [{ group: 'user', intervalMs: 60_000 }],
    onAlert: () => undefined,
  });
}

const app = express();
const logger =
  mode === 'genmeta'
    ? costLogger({
        clientOptions: { baseUrl: process.env.FAKE_URL, apiKey: process.env.FAKE_KEY },
        ...(await attributeOptions()),
        ...(process.env.SINK === 'none' ? { onRecord: () => undefined } : {}),
        ...(process.env.CONCURRENCY ? { concurrency: Number(process.env.CONCURRENCY) } : {}),
        ...(process.env.LOOKUP ? { lookup: process.env.LOOKUP } : {}),
      })
    : undefined;
if (logger) app.use(logger);

/** The hand-rolled floor: what costLogger does for a cached generation, and nothing else. */
function floorLogger(generations) {
  const storage = new AsyncLocalStorage();
  let lines = '';
  let scheduled = false;
  const write = () => {
    scheduled = false;
    process.stdout.write(lines);
    lines = '';
  };
  const middleware = (_request, response, nextStep) => {
    const context = { ids: [], startedAt: Date.now() };
    response.on('close', () => {
      if (context.ids.length === 0) return;
      const found = context.ids.map((id) => generations.get(id));
      lines += `${JSON.stringify({ path: '/', statusCode: response.statusCode, startedAt: context.startedAt, generations: found })}\n`;
      if (!scheduled) {
        scheduled = true;
        setImmediate(write);
      }
    });
    storage.run(context, nextStep);
  };
  middleware.track = (id) => storage.getStore()?.ids.push(id);
  return middleware;
}

let floor;
if (mode === 'floor') {
  // the generations as core's cache would hold them, fetched once at start
  const generations = new Map();
  await Promise.all(
    ids.slice(0, 200).map(async (id) => {
      const answer = await fetch(`${process.env.FAKE_URL}/generation?id=${id}`, {
        headers: { authorization: `Bearer ${process.env.FAKE_KEY}` },
      });
      generations.set(id, (await answer.json()).data);
    }),
  );
  floor = floorLogger(generations);
  app.use(floor);
}

if (handler === 'chat') {
  const chatFetch = logger
    ? createTrackingFetch(fetch, { baseUrl: process.env.FAKE_URL })
    : globalThis.fetch;
  const chatUrl = `${process.env.FAKE_URL}/chat/completions`;
  const headers = {
    authorization: `Bearer ${process.env.FAKE_KEY}`,
    'content-type': 'application/json',
  };
  app.get('/', async (_request, response, fail) => {
    try {
      const answer = await chatFetch(chatUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model: 'openai/gpt-4o-mini',
          messages: [{ role: 'user', content: `question ${next}` }],
        }),
      });
      const completion = await answer.json();
      next += 1;
      response.json({ answer: completion.choices[0].message.content });
    } catch (error) {
      fail(error);
    }
  });
} else {
  app.get('/', (_request, response) => {
    if (logger && process.env.TRACK !== '0') {
      if (withAttributes) setCostAttributes({ feature: 'bench', tier: next % 4 });
      trackGeneration(ids[next % ids.length]);
      next += 1;
    } else if (floor) {
      floor.track(ids[next % ids.length]);
      next += 1;
    }
    response.json({ ok: true, at: Date.now() });
  });
}

// Control routes for the bench (not measured).
app.get('/__settle', async (_request, response) => {
  await logger?.flush();
  for (let round = 0; round < 3; round += 1) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const cpu = process.cpuUsage();
  response.json({
    heapUsed: process.memoryUsage().heapUsed,
    tracked: next,
    cpuMicroseconds: cpu.user + cpu.system,
    lookups: logger?.stats.lookups ?? 0,
  });
});

const server = app.listen(0, '127.0.0.1', () => {
  process.stderr.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));

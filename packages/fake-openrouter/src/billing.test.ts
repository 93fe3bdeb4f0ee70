import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenRouter } from './fake-openrouter.js';
import type { FakeOpenRouter, FakeOpenRouterOptions } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON answers
type Json = any;

let fake: FakeOpenRouter | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeOpenRouterOptions = {}): Promise<FakeOpenRouter> {
  fake = await startFakeOpenRouter(options);
  return fake;
}

async function call(
  server: FakeOpenRouter,
  path: string,
  key: string,
  body?: unknown,
): Promise<{ status: number; json: Json; headers: Headers }> {
  const response = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

const hour = 3_600_000;
const range = (from: number, to: number) => ({
  start: new Date(from).toISOString(),
  end: new Date(to).toISOString(),
});

describe('billing endpoints', () => {
  it('bills every generation, per generation_id, with BYOK on its own metric and adjustments after the fact', async () => {
    const server = await start();
    const plain = server.addGeneration({ total_cost: 0.002 });
    const byok = server.addGeneration({
      is_byok: true,
      total_cost: 0.0001,
      upstream_inference_cost: 0.002,
    });
    const adjusted = server.addGeneration({ total_cost: 0.003 });
    server.adjustBilled(adjusted.id, { total_cost: 0.0035 });
    const now = Date.now();
    const { status, json } = await call(server, '/analytics/query', server.managementKey, {
      metrics: ['total_usage', 'credits_usage', 'byok_usage'],
      dimensions: ['generation_id'],
      time_range: range(now - hour, now + hour),
    });
    expect(status).toBe(200);
    const byId = Object.fromEntries(json.data.data.map((row: Json) => [row.generation_id, row]));
    expect(byId[plain.id]).toEqual({
      generation_id: plain.id,
      total_usage: 0.002,
      credits_usage: 0.002,
      byok_usage: 0,
    });
    expect(byId[byok.id]).toMatchObject({
      total_usage: 0.0021,
      credits_usage: 0.0001,
      byok_usage: 0.002,
    });
    expect(byId[adjusted.id]).toMatchObject({ credits_usage: 0.0035 });
    expect(json.data.metadata).toMatchObject({ row_count: 3, truncated: false });
  });

  it('refuses an inference key on management endpoints with 403, and tells the kinds apart on /key', async () => {
    const server = await start();
    for (const path of ['/credits', '/activity', '/analytics/meta']) {
      const { status, json } = await call(server, path, server.apiKey);
      expect(status).toBe(403);
      expect(json.error.message).toMatch(/management keys/);
    }
    expect((await call(server, '/credits', 'sk-or-v1-wrong')).status).toBe(401);
    expect((await call(server, '/key', server.apiKey)).json.data.is_management_key).toBe(false);
    expect((await call(server, '/key', server.managementKey)).json.data.is_management_key).toBe(
      true,
    );
    expect((await call(server, '/credits', server.managementKey)).json.data).toMatchObject({
      total_credits: 100,
    });
  });

  it('cuts answers at the row cap with truncated, limits generation_id to 31 days, and rate-limits with Retry-After', async () => {
    const server = await start({
      analyticsMaxRows: 2,
      analyticsRateLimit: { requests: 2, windowMs: 5_000 },
    });
    for (let index = 0; index < 3; index++) server.addGeneration();
    const now = Date.now();
    const query = { metrics: ['total_usage'], dimensions: ['generation_id'], limit: 10_000 };
    const cut = await call(server, '/analytics/query', server.managementKey, {
      ...query,
      time_range: range(now - hour, now + hour),
    });
    expect(cut.json.data.metadata).toMatchObject({ row_count: 2, truncated: true });
    const long = await call(server, '/analytics/query', server.managementKey, {
      ...query,
      time_range: range(now - 32 * 24 * hour, now),
    });
    expect(long.status).toBe(400);
    expect(long.json.error.message).toMatch(/31 days/);
    const limited = await call(server, '/analytics/query', server.managementKey, query);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const tooMany = await start({});
    const overLimit = await call(tooMany, '/analytics/query', tooMany.managementKey, {
      ...query,
      limit: 10_001,
    });
    expect(overLimit.status).toBe(400);
    await tooMany.close();
  });

  it('answers /activity per completed UTC day and model, and lists the metrics in /analytics/meta', async () => {
    const server = await start();
    const yesterday = new Date(Date.now() - 24 * hour);
    const created = `${yesterday.toISOString().slice(0, 10)}T12:00:00.000000+00:00`;
    server.addGeneration({ created_at: created, model: 'openai/gpt-4o', total_cost: 0.01 });
    server.addGeneration({ created_at: created, model: 'openai/gpt-4o', total_cost: 0.02 });
    server.addGeneration({ total_cost: 5 }); // today: not a completed day
    const { json } = await call(server, '/activity', server.managementKey);
    expect(json.data).toHaveLength(1);
    expect(json.data[0]).toMatchObject({
      date: created.slice(0, 10),
      model: 'openai/gpt-4o',
      usage: 0.03,
      requests: 2,
    });
    const meta = await call(server, '/analytics/meta', server.managementKey);
    expect(meta.json.data.metrics.map((metric: Json) => metric.name)).toContain('byok_usage');
    const bad = await call(server, '/activity?date=2001-01-01', server.managementKey);
    expect(bad.status).toBe(400);
  });
});

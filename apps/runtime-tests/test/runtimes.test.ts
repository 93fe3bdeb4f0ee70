import { setupFakeOpenRouter, until } from '@genmeta/fake-openrouter/vitest';
import type { CostRecord } from '@genmeta/node-middleware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateReadme } from '../scripts/runtimes-table.mjs';
import { check, resultOf, writeResults } from './results.js';
import { type RunningApp, targets } from './runtimes.js';

const fake = setupFakeOpenRouter({ chunkDelayMs: 0 });

// The README's table of verified runtimes shows this run; under CI a stale README fails here.
afterAll(() => {
  writeResults(targets);
  updateReadme({ check: process.env.CI === 'true' });
});

describe.each(targets)('$name', (target) => {
  const runtime = target.name;
  let app: RunningApp;
  const suffix = target.explicitRequest ? '?explicit' : '';

  beforeAll(async () => {
    try {
      app = await target.start({ url: fake.url, apiKey: fake.apiKey });
    } catch (error) {
      resultOf(runtime).error = error instanceof Error ? error.message : String(error);
      throw error;
    }
    resultOf(runtime).version = app.version;
  }, 90_000);

  afterAll(async () => {
    await app?.close();
  }, 30_000);

  async function core(name: string, id: string): Promise<Record<string, unknown>> {
    const response = await app.fetch(`/core/${name}?id=${encodeURIComponent(id)}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  async function records(): Promise<CostRecord[]> {
    return (await (await app.fetch('/records')).json()) as CostRecord[];
  }

  async function chat(path: string, requestId: string, text: string): Promise<string> {
    const response = await app.fetch(`${path}${suffix}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ text }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { id: string }).id;
  }

  /** Concurrent requests, each with exactly one record carrying its own generation's cost. */
  async function concurrentRecords(path: string, label: string, rounds: number, perRound: number) {
    const seen: Array<{ requestId: string; id: string }> = [];
    for (let round = 0; round < rounds; round += 1) {
      const sent = await Promise.all(
        Array.from({ length: perRound }, async (_, index) => {
          const requestId = `${label}-${round}-${index}`;
          // different lengths: different token counts, so different costs
          const id = await chat(path, requestId, `hello ${'word '.repeat(index * 7 + round)}`);
          return { requestId, id };
        }),
      );
      seen.push(...sent);
      await until(
        async () => {
          const got = await records();
          return sent.every(({ requestId }) => got.some((r) => r.requestId === requestId));
        },
        { timeoutMs: 45_000, intervalMs: 50 },
      );
    }
    const got = await records();
    for (const { requestId, id } of seen) {
      const mine = got.filter((record) => record.requestId === requestId);
      expect(mine, requestId).toHaveLength(1);
      expect(mine[0]!.generationIds).toEqual([id]);
      expect(mine[0]!.spendComplete).toBe(true);
      expect(mine[0]!.spendUsd).toBe(fake.generation(id)!.total_cost);
    }
    const costs = new Set(seen.map(({ id }) => fake.generation(id)!.total_cost));
    expect(costs.size).toBeGreaterThan(1);
    return seen;
  }

  it('core: waits out a not-ready generation and reads its cost', async () => {
    await check(runtime, 'core', async () => {
      const generation = fake.addGeneration({}, { readyInMs: 300 });
      const answer = await core('not-ready', generation.id);
      expect(answer.id).toBe(generation.id);
      expect(answer.totalCost).toBe(generation.total_cost);
      expect(answer.waits).toBeGreaterThanOrEqual(1);
    });
  });

  it('core: an error answer is a typed GenmetaError', async () => {
    await check(runtime, 'core', async () => {
      const generation = fake.addGeneration();
      fake.script(generation.id, [{ type: 'status', status: 402 }]);
      const answer = await core('typed-error', generation.id);
      expect(answer).toMatchObject({
        rejected: true,
        isGenmetaError: true,
        code: 'insufficient_credits',
        status: 402,
      });
    });
  });

  it('core: an aborted lookup rejects with the signal reason', async () => {
    await check(runtime, 'core', async () => {
      const generation = fake.addGeneration({}, { readyInMs: 60_000 });
      expect(await core('abort', generation.id)).toEqual({ rejectedWithReason: true });
    });
  });

  it('core: a second lookup of an id is served from the cache', async () => {
    await check(runtime, 'core', async () => {
      const generation = fake.addGeneration();
      const answer = await core('cache', generation.id);
      expect(answer).toEqual({ sameCost: true, totalCost: generation.total_cost });
      expect(fake.generationCalls(generation.id)).toHaveLength(1);
    });
  });

  it('costLogger().handle: concurrent requests, one record each with its cost (3 rounds)', async () => {
    await check(runtime, 'handle', async () => {
      await concurrentRecords('/chat', 'handle', 3, 4);
    });
  }, 120_000);

  it('Hono adapter: concurrent requests, one record each with its route and cost', async () => {
    await check(runtime, 'hono', async () => {
      const seen = await concurrentRecords('/hono/chat', 'hono', 1, 3);
      const got = await records();
      const first = got.find((record) => record.requestId === seen[0]!.requestId);
      expect(first?.route).toBe('/hono/chat');
    });
  }, 120_000);

  it('generationProxy().fetch: serves a tracked id, refuses an untracked one', async () => {
    await check(runtime, 'proxy', async () => {
      const tracked = await chat('/chat', 'proxy-0', 'for the proxy');
      const served = await app.fetch(`/api/genmeta/generation?id=${tracked}`);
      expect(served.status).toBe(200);
      expect(((await served.json()) as { data: { id: string } }).data.id).toBe(tracked);
      const untracked = fake.addGeneration();
      const refused = await app.fetch(`/api/genmeta/generation?id=${untracked.id}`);
      expect(refused.status).toBe(403);
    });
  });

  it('no environment access: a client without apiKey fails typed, naming the option', async () => {
    await check(runtime, 'environment', async () => {
      const answer = await core('environment', '');
      expect(answer).toMatchObject({ rejected: true, isGenmetaError: true, code: 'unauthorized' });
      if (target.envUnreadable) {
        expect(answer.message).toContain('apiKey');
        expect(answer.message).toContain('OPENROUTER_API_KEY');
      } else {
        expect(answer.status).toBe(401);
      }
    });
  });
});

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CostLoggerOptions,
  type CostRecord,
  costLogger,
  createMemoryRegistry,
  type GenerationProxyOptions,
  type GenerationRegistry,
  generationProxy,
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

interface Instance {
  url: string;
  records: CostRecord[];
  warnings: unknown[];
  close(): Promise<void>;
}

/** A node:http app: `/track?id=` tracks, `/api/genmeta/generation` is the proxy. */
async function startInstance(
  logger: CostLoggerOptions,
  proxy: GenerationProxyOptions,
): Promise<Instance> {
  const records: CostRecord[] = [];
  const warnings: unknown[] = [];
  const middleware = costLogger({
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    logger: { info: (record) => records.push(record as CostRecord), warn: (o) => warnings.push(o) },
    ...logger,
  });
  const handler = generationProxy({
    basePath: '/api/genmeta',
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    ...proxy,
  });
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    middleware(request, response, () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname === '/track') {
        response.end(String(trackGeneration(url.searchParams.get('id') ?? '')));
        return;
      }
      handler(request, response);
    });
  });
  const url = await listen(server);
  return {
    url,
    records,
    warnings,
    async close() {
      await closeServer(server);
      await middleware.close({ timeoutMs: 300 });
    },
  };
}

const successfulLookups = (id: string) =>
  fake.calls.filter(
    (call) => call.path === '/api/v1/generation' && call.id === id && call.status === 200,
  );

/** A registry on "another machine": every call answers after `delayMs`. */
function slowRegistry(delayMs: number, writeDelayMs = delayMs) {
  const ids = new Set<string>();
  const later = <T>(ms: number, work: () => T) =>
    new Promise<T>((resolve) => setTimeout(() => resolve(work()), ms));
  const registry: GenerationRegistry = {
    add: (id) => later(writeDelayMs, () => void ids.add(id)),
    has: (id) => later(delayMs, () => ids.has(id)),
  };
  return { registry, ids };
}

describe('registry option', () => {
  it('is written the moment an id is tracked, before its lookup ends', async () => {
    const registry = createMemoryRegistry();
    const instance = await startInstance({ registry }, { registry });
    try {
      const { id } = fake.addGeneration({}, { readyInMs: 400 });
      expect(await (await fetch(`${instance.url}/track?id=${id}`)).text()).toBe('true');
      // the lookup is still waiting for the stats
      expect(instance.records).toHaveLength(0);
      expect(registry.has(id)).toBe(true);
    } finally {
      await instance.close();
    }
  });

  it('is the only source of the proxy: ids another registry holds are refused', async () => {
    const mine = createMemoryRegistry();
    const instance = await startInstance({}, { registry: mine });
    try {
      const { id } = fake.addGeneration();
      await fetch(`${instance.url}/track?id=${id}`); // written to the default registry
      const refused = await fetch(`${instance.url}/api/genmeta/generation?id=${id}`);
      expect(refused.status).toBe(403);
      mine.add(id);
      const served = await fetch(`${instance.url}/api/genmeta/generation?id=${id}`);
      expect(served.status).toBe(200);
    } finally {
      await instance.close();
    }
  });

  it('serves an id tracked on instance A from instance B through an async shared registry', async () => {
    const shared = slowRegistry(20, 150);
    const a = await startInstance({ registry: shared.registry }, { registry: shared.registry });
    const b = await startInstance({ registry: shared.registry }, { registry: shared.registry });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 5; index += 1) {
        const { id } = fake.addGeneration();
        expect(await (await fetch(`${a.url}/track?id=${id}`)).text()).toBe('true');
        // asked at once: the write has not landed yet, the re-check finds it
        const answer = await fetch(`${b.url}/api/genmeta/generation?id=${id}`);
        statuses.push(answer.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      const never = fake.addGeneration().id;
      const refused = await fetch(`${b.url}/api/genmeta/generation?id=${never}`);
      expect(refused.status).toBe(403);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('reports registry write failures once and never fails the app or loses the record', async () => {
    let writes = 0;
    const registry: GenerationRegistry = {
      add: () => {
        writes += 1;
        if (writes % 2 === 0) return Promise.reject(new Error('registry down (async)'));
        throw new Error('registry down');
      },
      has: () => false,
    };
    const instance = await startInstance({ registry }, { registry });
    try {
      const ids = [fake.addGeneration().id, fake.addGeneration().id, fake.addGeneration().id];
      for (const id of ids) {
        const answer = await fetch(`${instance.url}/track?id=${id}`);
        expect(answer.status).toBe(200);
        expect(await answer.text()).toBe('true');
      }
      await waitUntil(() => instance.records.length === 3);
      // one record per request, each with its generation (records finish in any order)
      const emitted = instance.records.flatMap((record) => record.generations.map((g) => g.id));
      expect(emitted.sort()).toEqual([...ids].sort());
      expect(writes).toBe(3);
      const registryWarnings = JSON.stringify(instance.warnings);
      expect(instance.warnings).toHaveLength(1);
      expect(registryWarnings).toContain('registry down');
    } finally {
      await instance.close();
    }
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('redis gone');
      },
    ],
    ['rejects', () => Promise.reject(new Error('redis gone'))],
  ])(
    'answers 503 in OpenRouter shape when has() %s, and calls nobody upstream',
    async (_name, has) => {
      const registry: GenerationRegistry = { add: () => undefined, has };
      const instance = await startInstance({ registry }, { registry });
      try {
        const { id } = fake.addGeneration();
        const before = fake.calls.length;
        const answer = await fetch(`${instance.url}/api/genmeta/generation?id=${id}`);
        expect(answer.status).toBe(503);
        expect(answer.headers.get('cache-control')).toBe('no-store');
        const body = (await answer.json()) as { error: { code: number; message: string } };
        expect(body.error.code).toBe(503);
        expect(body.error.message).toMatch(/registry/i);
        expect(fake.calls.length).toBe(before);
      } finally {
        await instance.close();
      }
    },
  );
});

describe('one default client', () => {
  it('one viewed generation costs one successful upstream lookup (logger and proxy share it)', async () => {
    const instance = await startInstance({}, {});
    try {
      const { id } = fake.addGeneration({}, { readyInMs: 300 });
      await fetch(`${instance.url}/track?id=${id}`);
      await waitUntil(() => instance.records.length === 1);
      expect(instance.records[0]!.generations[0]!.id).toBe(id);
      const answers = await Promise.all(
        [1, 2, 3].map(() => fetch(`${instance.url}/api/genmeta/generation?id=${id}`)),
      );
      for (const answer of answers) expect(answer.status).toBe(200);
      expect(successfulLookups(id)).toHaveLength(1);
    } finally {
      await instance.close();
    }
  });

  it('keeps clients apart when their options differ', async () => {
    const instance = await startInstance(
      {},
      { clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey, headers: { 'x-other': '1' } } },
    );
    try {
      const { id } = fake.addGeneration();
      await fetch(`${instance.url}/track?id=${id}`);
      await waitUntil(() => instance.records.length === 1);
      expect((await fetch(`${instance.url}/api/genmeta/generation?id=${id}`)).status).toBe(200);
      expect(successfulLookups(id)).toHaveLength(2);
    } finally {
      await instance.close();
    }
  });
});

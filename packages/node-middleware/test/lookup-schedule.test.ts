// costLogger knows when a request's completions ended: its lookups do not spend their first
// request on stats that cannot be ready yet.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CostRecord, costLogger, trackGeneration } from '../src/index.js';
import { waitUntil } from './helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

it('looks a generation up once when its stats are ready within the first wait after the response', async () => {
  const records: CostRecord[] = [];
  const genmeta = costLogger({
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    onRecord: (record) => {
      records.push(record);
    },
  });
  // Stats ready 300 ms after the completion, as OpenRouter's often are: within the schedule's
  // first aim (about 0.55 s after the response ended), so one request is enough.
  const ids = Array.from({ length: 5 }, () => fake.addGeneration({}, { readyInMs: 300 }).id);
  let next = 0;
  const server: Server = createServer((request, response) => {
    genmeta(request, response);
    trackGeneration(ids[next++] as string);
    response.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    for (const _ of ids) await (await fetch(`http://127.0.0.1:${port}/`)).text();
    await waitUntil(() => records.length === ids.length, 15_000);
    expect(records.every((record) => record.unresolved.length === 0)).toBe(true);
    for (const id of ids) {
      const calls = fake.calls.filter((call) => call.id === id);
      expect(calls.map((call) => call.status)).toEqual([200]);
    }
  } finally {
    server.close();
    await genmeta.close();
  }
});

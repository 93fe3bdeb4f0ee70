// Issue 19 item 3: one SSE answer offering 20,000 ids.
import { createServer } from 'node:http';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CostRecord,
  costLogger,
  createMemoryRegistry,
  createTrackingFetch,
  generationProxy,
} from '../../src/index.js';
import { closeServer, listen, waitUntil } from '../helpers.js';
import { chatAt, type Hostile, newId, startHostile, TEST_KEY } from './hostile.js';

let fake: FakeOpenRouter | undefined;
let hostile: Hostile | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await hostile?.close();
  await fake?.close();
  hostile = undefined;
  fake = undefined;
});

const OFFERED = 20_000;

describe('an SSE answer with 20,000 different ids', () => {
  it('tracks 1,000, counts the rest as dropped, looks none of them up, and evicts nobody', async () => {
    fake = await startFakeOpenRouter();
    const victimGeneration = fake.addGeneration().id;
    // a trusted upstream (the client's base URL) gone wrong; lookups fail at once
    hostile = await startHostile(
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        let events = '';
        for (let index = 0; index < OFFERED; index += 1) {
          const chunk = { id: newId(), choices: [], usage: { cost: 0.001, is_byok: false } };
          events += `data: ${JSON.stringify(chunk)}\n\n`;
        }
        response.end(`${events}data: [DONE]\n\n`);
      },
      { lookupStatus: 401 },
    );
    const upstream = hostile.url;
    const registry = createMemoryRegistry();
    const records: CostRecord[] = [];
    const logger = costLogger({
      clientOptions: { baseUrl: upstream, apiKey: TEST_KEY, maxRetries: 0 },
      registry,
      onRecord: (record) => {
        records.push(record);
      },
      logger: { info: () => undefined, warn: () => undefined },
    });
    const open = fake;
    const proxy = generationProxy({
      clientOptions: { baseUrl: open.url, apiKey: open.apiKey },
      registry,
    });
    const trackingFetch = createTrackingFetch();
    const app = express();
    app.use(logger);
    app.use('/api/genmeta', proxy);
    app.post('/own', (_request, response) => {
      response.json({ tracked: response.locals.genmeta.track(victimGeneration) });
    });
    app.post('/chat', async (_request, response) => {
      response.json({
        length: (await (await chatAt(trackingFetch, upstream, true)).text()).length,
      });
    });
    const server = createServer(app);
    const url = await listen(server);
    cleanups.push(async () => {
      await closeServer(server);
      await logger.close({ timeoutMs: 300 });
    });

    expect(await (await fetch(`${url}/own`, { method: 'POST' })).json()).toEqual({ tracked: true });
    const served = async () =>
      (await fetch(`${url}/api/genmeta/generation?id=${victimGeneration}`)).status;
    expect(await served()).toBe(200);

    expect((await fetch(`${url}/chat`, { method: 'POST' })).status).toBe(200);
    await waitUntil(() => records.length === 2, 30_000);
    await logger.flush();
    const record = records.find((entry) => entry.path === '/chat')!;
    expect(record.generationIds).toHaveLength(1_000);
    expect(record.droppedIds).toBe(OFFERED - 1_000);
    expect(record.spendUsd).toBeNull();
    // the other user's id, tracked before, is still served
    expect(await served()).toBe(200);
    // one lookup per tracked id at most (the other user's included)
    expect(hostile.lookups).toBeLessThanOrEqual(1_001);
  });
});

// Issue 18: `instrument: true` over undici's diagnostics_channel, and the "tracked nothing" warning.
import diagnosticsChannel from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import express from 'express';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CostLoggerOptions,
  type CostRecord,
  costLogger,
  createTrackingFetch,
} from '../../src/index.js';
import { closeServer, listen, waitUntil } from '../helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const subscribed = () => diagnosticsChannel.channel('undici:request:create').hasSubscribers;

/** A real Express app whose chat route calls the fake with the openai SDK. */
async function startSdkApp(
  options: CostLoggerOptions,
  withTrackingFetch = false,
  target: FakeOpenRouter = fake,
) {
  const records: CostRecord[] = [];
  const warnings: string[] = [];
  const logger = costLogger({
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    onRecord: (record) => {
      records.push(record);
    },
    logger: {
      info: () => undefined,
      warn: (details, message) => warnings.push(`${message} ${JSON.stringify(details)}`),
    },
    ...options,
  });
  const openai = new OpenAI({
    baseURL: target.url,
    apiKey: target.apiKey,
    maxRetries: 0,
    ...(withTrackingFetch ? { fetch: createTrackingFetch() } : {}),
  });
  const app = express();
  app.use(logger);
  app.post('/chat', async (_request, response) => {
    const completion = await openai.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    response.json({ id: completion.id });
  });
  const server = createServer(app);
  const url = await listen(server);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await closeServer(server);
    await logger.close({ timeoutMs: 300 });
  };
  cleanups.push(close);
  const chat = async () =>
    ((await (await fetch(`${url}/chat`, { method: 'POST' })).json()) as { id: string }).id;
  return { records, warnings, logger, chat, close };
}

describe('costLogger({ instrument: true })', () => {
  it('records the ids of an SDK given no fetch option, each with its cost', async () => {
    const app = await startSdkApp({ instrument: true });
    const ids = [await app.chat(), await app.chat()];
    await waitUntil(() => app.records.length === 2);
    await app.logger.flush();
    // one record per chat, with its own id (emitted as lookups finish: in any order)
    const byId = (a: string[], b: string[]) => a[0]!.localeCompare(b[0]!);
    expect(app.records.map((record) => record.generationIds).sort(byId)).toEqual(
      ids.map((id) => [id]).sort(byId),
    );
    for (const record of app.records) {
      expect(record.generations).toHaveLength(1);
      expect(record.spendComplete).toBe(true);
    }
    expect(app.warnings).toEqual([]);
  });

  it('counts an id once when the tracking fetch saw it too', async () => {
    const app = await startSdkApp({ instrument: true }, true);
    const id = await app.chat();
    await waitUntil(() => app.records.length === 1);
    await app.logger.flush();
    const [record] = app.records;
    expect(record!.generationIds).toEqual([id]);
    expect(record!.generations).toHaveLength(1);
    expect(record!.spendUsd).toBe(record!.generations[0]!.spendUsd);
  });

  it('ignores answers from origins that are not trusted (and requests without an OpenRouter key)', async () => {
    // another host, called with a key that is not OpenRouter's: not an OpenRouter answer
    const elsewhere = await startFakeOpenRouter({ apiKey: 'plain-test-key' });
    cleanups.push(() => elsewhere.close());
    const app = await startSdkApp({ instrument: true, emitEmpty: true }, false, elsewhere);
    await app.chat();
    await waitUntil(() => app.records.length === 1);
    expect(app.records[0]!.generationIds).toEqual([]);
  });

  it('subscribes on the first request, not before, and unsubscribes on close()', async () => {
    expect(subscribed()).toBe(false);
    const app = await startSdkApp({ instrument: true });
    expect(subscribed()).toBe(false);
    await app.chat();
    expect(subscribed()).toBe(true);
    await app.close();
    expect(subscribed()).toBe(false);
  });
});

describe('a request that called OpenRouter and tracked nothing', () => {
  it('earns one warning per logger that says how to track it', async () => {
    const app = await startSdkApp({});
    await app.chat();
    await waitUntil(() => app.warnings.length === 1);
    await app.chat();
    await app.chat();
    await app.logger.flush();
    expect(app.records).toEqual([]);
    expect(app.warnings).toHaveLength(1);
    expect(app.warnings[0]).toContain('createTrackingFetch()');
    expect(app.warnings[0]).toContain('instrument: true');
    expect(app.warnings[0]).not.toContain(fake.apiKey);

    const second = await startSdkApp({});
    await second.chat();
    await waitUntil(() => second.warnings.length === 1);
  });

  it('is not reported when the tracking fetch tracked it', async () => {
    const app = await startSdkApp({}, true);
    await app.chat();
    await waitUntil(() => app.records.length === 1);
    await app.logger.flush();
    expect(app.warnings).toEqual([]);
  });
});

import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CostLogger,
  type CostLoggerOptions,
  type CostRecord,
  costLogger,
  createTrackingFetch,
} from '../src/index.js';
import { type Served, serveFetch, startGateway } from './fetch-host.js';
import { chat, fetchWithoutGenerationHeader, waitUntil } from './helpers.js';

// The fake accepts only this key, which is not of OpenRouter's `sk-or-` form: neither the key
// rule nor (with the header stripped) the header rule can track by accident.
const PLAIN_KEY = 'plain-test-key';
let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter({ apiKey: PLAIN_KEY });
});
afterAll(async () => {
  await fake.close();
});

const started: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of started.splice(0)) await item.close();
});

interface Warning {
  details: object;
  message: string | undefined;
}

/** A fetch-style app whose chat route calls `url` through `trackingFetch` with `key`. */
async function appCalling(
  url: string,
  key: string,
  trackingFetch: typeof fetch,
  loggerOptions: CostLoggerOptions,
) {
  const records: CostRecord[] = [];
  const warnings: Warning[] = [];
  const genmeta: CostLogger = costLogger({
    onRecord: (record) => {
      records.push(record);
    },
    logger: {
      info: () => undefined,
      warn: (details, message) => warnings.push({ details, message }),
    },
    ...loggerOptions,
  });
  const served: Served = await serveFetch(
    genmeta.handle(async () => {
      const result = await chat(trackingFetch, { url, apiKey: key } as FakeOpenRouter, 'hi');
      return Response.json(result);
    }),
  );
  started.push(served, { close: () => genmeta.close() });
  const call = async () => {
    const response = await fetch(`${served.url}/api/chat`, { method: 'POST' });
    return (await response.json()) as { id: string };
  };
  return { records, warnings, call, genmeta };
}

describe('zero-config tracking', () => {
  it("tracks under the costLogger client's base URL with a tracking fetch given no options", async () => {
    const app = await appCalling(
      fake.url,
      PLAIN_KEY,
      createTrackingFetch(fetchWithoutGenerationHeader),
      {
        clientOptions: { baseUrl: fake.url, apiKey: PLAIN_KEY },
      },
    );
    const { id } = await app.call();
    await waitUntil(() => app.records.length === 1);
    expect(app.records[0]?.generationIds).toEqual([id]);
    expect(app.records[0]?.generations[0]?.id).toBe(id);
    expect(app.warnings).toEqual([]);
  });

  it('tracks a gateway URL when the request carries an OpenRouter key (sk-or-)', async () => {
    const gateway = await startGateway(fake.url, {
      apiKey: PLAIN_KEY,
      stripGenerationHeader: true,
    });
    started.push(gateway);
    const app = await appCalling(gateway.url, 'sk-or-v1-app-key', createTrackingFetch(), {
      clientOptions: { baseUrl: fake.url, apiKey: PLAIN_KEY },
    });
    const { id } = await app.call();
    await waitUntil(() => app.records.length === 1);
    expect(app.records[0]?.generationIds).toEqual([id]);
  });

  it('tracks a gateway URL when its answer carries a valid X-Generation-Id', async () => {
    const gateway = await startGateway(fake.url, { apiKey: PLAIN_KEY });
    started.push(gateway);
    const app = await appCalling(gateway.url, 'gateway-token', createTrackingFetch(), {
      clientOptions: { baseUrl: fake.url, apiKey: PLAIN_KEY },
    });
    const { id } = await app.call();
    await waitUntil(() => app.records.length === 1);
    expect(app.records[0]?.generationIds).toEqual([id]);
  });

  it('warns once, with the fix, when an OpenRouter-style answer was not tracked', async () => {
    const gateway = await startGateway(fake.url, {
      apiKey: PLAIN_KEY,
      stripGenerationHeader: true,
    });
    started.push(gateway);
    const app = await appCalling(gateway.url, 'gateway-token', createTrackingFetch(), {
      clientOptions: { baseUrl: fake.url, apiKey: PLAIN_KEY },
      emitEmpty: true,
    });
    await app.call();
    await waitUntil(() => app.warnings.length === 1);
    await app.call();
    await waitUntil(() => app.records.length === 2);
    await app.genmeta.flush();
    expect(app.records.map((record) => record.generationIds)).toEqual([[], []]);
    expect(app.warnings).toHaveLength(1);
    const [warning] = app.warnings;
    expect(warning?.message).toContain(new URL(gateway.url).host);
    expect(warning?.message).toContain('baseUrl');
    expect(warning?.message).toContain('OPENROUTER_BASE_URL');
    expect(JSON.stringify(app.warnings)).not.toContain('gateway-token');
  });
});

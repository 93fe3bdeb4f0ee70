import { createServer } from 'node:http';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterEach, describe, expect, it } from 'vitest';
import type { CostLoggerOptions, UnresolvedReason } from '../src/index.js';
import {
  type ChatResult,
  closeServer,
  expressVersions,
  listen,
  postJson,
  roundUsd,
  startTestApp,
  type TestAppHandle,
} from './helpers.js';

const WRONG_KEY = 'sk-or-v1-wrong-key-0123456789abcdef';

async function deadUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await closeServer(server);
  return `${url}/api/v1`;
}

interface Fault {
  name: string;
  reasons: UnresolvedReason[];
  setup(fake: FakeOpenRouter): Promise<CostLoggerOptions['clientOptions']>;
}

const faults: Fault[] = [
  {
    name: 'OpenRouter down',
    reasons: ['network'],
    setup: async () => ({ baseUrl: await deadUrl(), maxRetries: 1 }),
  },
  {
    name: 'a wrong key (401)',
    reasons: ['unauthorized'],
    setup: async (fake) => ({ baseUrl: fake.url, apiKey: WRONG_KEY }),
  },
  {
    name: 'a 429 storm',
    reasons: ['rate_limited'],
    setup: async (fake) => {
      fake.script('*', [{ type: 'status', status: 429, headers: { 'retry-after': '0' } }], {
        repeat: true,
      });
      return { baseUrl: fake.url, apiKey: fake.apiKey, maxRetries: 2 };
    },
  },
  {
    name: 'answers slower than the deadline',
    reasons: ['timeout'],
    setup: async (fake) => {
      fake.script('*', [{ type: 'slow', delayMs: 3_000 }], { repeat: true });
      return { baseUrl: fake.url, apiKey: fake.apiKey, deadlineMs: 500, timeoutMs: 300 };
    },
  },
  {
    name: 'malformed JSON',
    reasons: ['invalid_response'],
    setup: async (fake) => {
      fake.script('*', [{ type: 'malformed' }], { repeat: true });
      return { baseUrl: fake.url, apiKey: fake.apiKey, maxRetries: 0 };
    },
  },
  {
    name: 'HTML error pages',
    reasons: ['server_error'],
    setup: async (fake) => {
      fake.script('*', [{ type: 'html', status: 502 }], { repeat: true });
      return { baseUrl: fake.url, apiKey: fake.apiKey, maxRetries: 0 };
    },
  },
];

describe.each(expressVersions)('failure isolation on %s', (_name, express) => {
  let fake: FakeOpenRouter | undefined;
  let app: TestAppHandle | undefined;
  afterEach(async () => {
    await app?.close();
    await fake?.close();
    app = undefined;
    fake = undefined;
  });

  it.each(faults)('with $name the app answers unchanged and the record says why', async (fault) => {
    fake = await startFakeOpenRouter({ chunkDelayMs: 1 });
    const clientOptions = await fault.setup(fake);
    const lines: string[] = [];
    app = await startTestApp(express, {
      fake,
      logger: {
        clientOptions,
        logger: {
          info: (object, message) => lines.push(JSON.stringify([object, message])),
          warn: (object, message) => lines.push(JSON.stringify([object, message])),
        },
      },
    });
    const response = await postJson(`${app.url}/api/chat/parallel`, {
      count: 2,
      stream: true,
      prompt: 'fault',
    });
    expect(response.status).toBe(200);
    const results = (response.body as { results: ChatResult[] }).results;
    expect(results.map((result) => result.text)).toEqual([
      'You said: fault 0',
      'You said: fault 1',
    ]);

    const [record] = await app.waitForRecords(1, 15_000);
    expect(record!.generations).toEqual([]);
    expect(record!.unresolved).toHaveLength(2);
    let inlineTotal = 0;
    for (const entry of record!.unresolved) {
      expect(fault.reasons).toContain(entry.reason);
      // the inline usage the stream carried still prices the request
      const stored = fake.generation(entry.id)!;
      expect(entry.inlineSpendUsd).toBe(stored.total_cost);
      inlineTotal += stored.total_cost as number;
    }
    expect(record!.spendUsd).toBe(roundUsd(inlineTotal));
    const everything = JSON.stringify(app.records) + lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toContain('"genmeta cost"');
    expect(everything).not.toContain(fake.apiKey);
    expect(everything).not.toContain(WRONG_KEY);
  });

  it('reports unknown cost as null, never 0, when no inline usage was seen', async () => {
    fake = await startFakeOpenRouter();
    app = await startTestApp(express, {
      fake,
      logger: { clientOptions: { baseUrl: fake.url, apiKey: WRONG_KEY } },
    });
    const known = fake.addGeneration();
    const response = await fetch(`${app.url}/api/track/${known.id}`);
    expect(response.status).toBe(200);
    const [record] = await app.waitForRecords(1);
    expect(record).toMatchObject({
      spendUsd: null,
      knownSpendUsd: 0,
      spendComplete: false,
      unresolved: [{ id: known.id, reason: 'unauthorized', status: 401 }],
    });
  });

  it('prices unresolved ids with inline usage; a missing isByok given by the app means not BYOK', async () => {
    fake = await startFakeOpenRouter();
    app = await startTestApp(express, {
      fake,
      logger: { clientOptions: { baseUrl: fake.url, apiKey: WRONG_KEY } },
    });
    const byok = fake.addGeneration().id;
    const plain = fake.addGeneration().id;
    const unknown = fake.addGeneration().id;
    const ask = (id: string, query: string) =>
      fetch(`${app!.url}/api/track-inline/${id}?${query}`, { headers: { 'x-request-id': id } });
    await ask(byok, 'cost=0.01&byok=true&upstream=0.2');
    await ask(plain, 'cost=0.03&byok=false');
    await ask(unknown, 'cost=0.05');
    const records = await app.waitForRecords(3);
    const byId = new Map(records.map((record) => [record.requestId, record]));
    expect(byId.get(byok)).toMatchObject({
      spendUsd: 0.21,
      spendComplete: true,
      unresolved: [{ id: byok, reason: 'unauthorized', inlineSpendUsd: 0.21 }],
    });
    expect(byId.get(plain)).toMatchObject({ spendUsd: 0.03, spendComplete: true });
    // trackGeneration(id, { costUsd }) without isByok: documented as not BYOK, never lost
    expect(byId.get(unknown)).toMatchObject({
      spendUsd: 0.05,
      spendComplete: true,
      unresolved: [{ id: unknown, reason: 'unauthorized', inlineSpendUsd: 0.05 }],
    });
  });

  it('never delays the response for a lookup (stats not ready yet)', async () => {
    fake = await startFakeOpenRouter({ statsDelayMs: 60_000 });
    app = await startTestApp(express, {
      fake,
      logger: { clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey, deadlineMs: 1_500 } },
    });
    const response = await postJson(`${app.url}/api/chat/sequential`, { count: 1 });
    expect(response.status).toBe(200);
    // the answer arrived while the lookup is still waiting for the stats
    expect(app.records).toHaveLength(0);
    expect(app.logger.pending).toBe(1);
    const [record] = await app.waitForRecords(1, 15_000);
    expect(['not_found', 'timeout']).toContain(record!.unresolved[0]?.reason);
  });

  it('contains failing sinks and reports them once', async () => {
    fake = await startFakeOpenRouter();
    const warnings: unknown[] = [];
    let calls = 0;
    app = await startTestApp(express, {
      fake,
      logger: {
        onRecord: [
          () => {
            calls += 1;
            throw new Error('sink exploded');
          },
          async () => {
            calls += 1;
            throw new Error('async sink exploded');
          },
        ],
        logger: { info: () => undefined, warn: (object) => warnings.push(object) },
      },
    });
    for (let index = 0; index < 3; index += 1) {
      const id = fake.addGeneration().id;
      const response = await fetch(`${app.url}/api/track/${id}`);
      expect(response.status).toBe(200);
    }
    await app.logger.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await app.logger.flush();
    expect(calls).toBe(6);
    expect(warnings).toHaveLength(2);
  });

  it('contains option callbacks that throw or return unusable ids', async () => {
    fake = await startFakeOpenRouter();
    const warnings: unknown[] = [];
    let calls = 0;
    app = await startTestApp(express, {
      fake,
      logger: {
        skip: () => {
          throw new Error('skip exploded');
        },
        requestId: () => {
          calls += 1;
          if (calls === 1) throw new Error('requestId exploded');
          return 'line\nbreak';
        },
        logger: { info: () => undefined, warn: (object) => warnings.push(object) },
      },
    });
    const first = fake.addGeneration().id;
    const second = fake.addGeneration().id;
    const answers = [
      await fetch(`${app.url}/api/track/${first}`),
      await fetch(`${app.url}/api/track/${second}`),
    ];
    for (const answer of answers) expect(await answer.json()).toEqual({ tracked: true });
    expect(answers[0]!.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(answers[1]!.headers.get('x-request-id')).toBeNull();
    const records = await app.waitForRecords(2);
    expect(records.map((record) => record.generations[0]?.id).sort()).toEqual(
      [first, second].sort(),
    );
    expect(records.map((record) => record.requestId)).toContain('line\nbreak');
    expect(warnings).toHaveLength(3);
  });

  it('ignores invalid ids and survives a tracking fetch fed garbage', async () => {
    fake = await startFakeOpenRouter();
    app = await startTestApp(express, { fake });
    const response = await fetch(`${app.url}/api/track/${encodeURIComponent('not an id')}`);
    expect(await response.json()).toEqual({ tracked: false });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await app.logger.flush();
    expect(app.records).toHaveLength(0);
  });
});

import { request as httpRequest } from 'node:http';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closeServer,
  expressVersions,
  listen,
  postJson,
  startTestApp,
  type TestAppHandle,
  waitUntil,
} from './helpers.js';

describe.each(expressVersions)('queue and lifecycle on %s', (_name, express) => {
  let fake: FakeOpenRouter | undefined;
  let app: TestAppHandle | undefined;
  afterEach(async () => {
    await app?.close();
    await fake?.close();
    app = undefined;
    fake = undefined;
  });

  it('past maxPending emits records at once as overloaded, dropping nothing', async () => {
    fake = await startFakeOpenRouter();
    fake.script('*', [{ type: 'slow', delayMs: 400 }], { repeat: true });
    app = await startTestApp(express, { fake, logger: { concurrency: 1, maxPending: 2 } });
    const ids = Array.from({ length: 8 }, () => fake!.addGeneration().id);
    const responses = await Promise.all(ids.map((id) => fetch(`${app!.url}/api/track/${id}`)));
    for (const response of responses) expect(response.status).toBe(200);
    const records = await app.waitForRecords(8, 15_000);
    expect(records).toHaveLength(8);
    expect(records.flatMap((record) => record.generationIds).sort()).toEqual([...ids].sort());
    const overloaded = records.filter((record) => record.unresolved[0]?.reason === 'overloaded');
    const resolved = records.filter((record) => record.generations.length === 1);
    expect(overloaded.length).toBeGreaterThanOrEqual(8 - 2);
    expect(resolved.length).toBeGreaterThanOrEqual(1);
    expect(overloaded.length + resolved.length).toBe(8);
    for (const record of overloaded) expect(record.spendUsd).toBeNull();
  });

  it('flush waits for pending records; close stops lookups and marks later ids closed', async () => {
    fake = await startFakeOpenRouter();
    fake.script('*', [{ type: 'slow', delayMs: 300 }], { repeat: true });
    app = await startTestApp(express, { fake });
    const first = fake.addGeneration().id;
    await fetch(`${app.url}/api/track/${first}`);
    await waitUntil(() => app!.logger.pending === 1);
    expect(app.records).toHaveLength(0);
    await app.logger.flush();
    expect(app.records).toHaveLength(1);
    expect(app.records[0]!.generations[0]!.id).toBe(first);

    const second = fake.addGeneration().id;
    await fetch(`${app.url}/api/track/${second}`);
    await waitUntil(() => app!.logger.pending === 1);
    await app.logger.close();
    expect(app.records).toHaveLength(2);
    expect(app.records[1]!.generations[0]!.id).toBe(second);

    const callsBefore = fake.calls.length;
    const third = fake.addGeneration().id;
    const late = await fetch(`${app.url}/api/track/${third}`);
    expect(late.status).toBe(200);
    await app.waitForRecords(3);
    expect(app.records[2]!.unresolved).toEqual([{ id: third, reason: 'closed' }]);
    expect(fake.calls.length).toBe(callsBefore);
  });

  it('close with a timeout abandons slow lookups as closed', async () => {
    fake = await startFakeOpenRouter();
    fake.script('*', [{ type: 'slow', delayMs: 5_000 }], { repeat: true });
    app = await startTestApp(express, { fake });
    const id = fake.addGeneration().id;
    await fetch(`${app.url}/api/track/${id}`);
    await waitUntil(() => app!.logger.pending === 1);
    await app.logger.close({ timeoutMs: 100 });
    expect(app.records).toHaveLength(1);
    expect(app.records[0]!.unresolved).toEqual([{ id, reason: 'closed' }]);
  });

  it('emits an aborted record when the client goes away before the answer', async () => {
    fake = await startFakeOpenRouter({ chunkDelayMs: 50 });
    app = await startTestApp(express, { fake });
    const url = new URL(`${app.url}/api/chat/sequential`);
    await new Promise<void>((resolve) => {
      const request = httpRequest(
        { method: 'POST', host: url.hostname, port: url.port, path: url.pathname },
        () => undefined,
      );
      request.on('error', () => resolve());
      request.setHeader('content-type', 'application/json');
      request.end(JSON.stringify({ count: 3, stream: true }));
      // leave once the app is streaming its first completion
      waitUntil(() => fake!.calls.some((call) => call.path === '/api/v1/chat/completions'))
        .then(() => new Promise((wait) => setTimeout(wait, 60)))
        .then(() => {
          request.destroy();
          resolve();
        }, resolve);
    });
    const [record] = await app.waitForRecords(1, 15_000);
    expect(record!.aborted).toBe(true);
    expect(record!.generationIds.length).toBeGreaterThanOrEqual(1);
  });

  it('keeps the request context across a body that arrives in pieces', async () => {
    fake = await startFakeOpenRouter({ chunkDelayMs: 1 });
    app = await startTestApp(express, { fake });
    const url = new URL(`${app.url}/api/chat/parallel`);
    const body = JSON.stringify({ count: 2, prompt: 'slow body' });
    const answer = await new Promise<string>((resolve, reject) => {
      const request = httpRequest(
        {
          method: 'POST',
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk) => {
            text += chunk;
          });
          response.on('end', () => resolve(text));
        },
      );
      request.on('error', reject);
      request.write(body.slice(0, 10));
      setTimeout(() => request.end(body.slice(10)), 100);
    });
    const ids = (JSON.parse(answer) as { results: Array<{ id: string }> }).results.map(
      (result) => result.id,
    );
    const [record] = await app.waitForRecords(1);
    expect([...record!.generationIds].sort()).toEqual([...ids].sort());
  });

  it('still answers when the sink is slow', async () => {
    fake = await startFakeOpenRouter();
    app = await startTestApp(express, {
      fake,
      logger: { onRecord: () => new Promise((resolve) => setTimeout(resolve, 200)) },
    });
    const response = await postJson(`${app.url}/api/chat/sequential`, { count: 1 });
    expect(response.status).toBe(200);
    await app.logger.flush();
  });
});

describe('costLogger on plain node:http', () => {
  it('wraps a handler through next, and joins the flow without next', async () => {
    const { costLogger, trackGeneration } = await import('../src/index.js');
    const { createServer } = await import('node:http');
    const fake = await startFakeOpenRouter();
    const records: Array<{ generationIds: string[]; path: string; route: string | null }> = [];
    const logger = costLogger({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      onRecord: (record) => {
        records.push(record);
      },
    });
    const first = fake.addGeneration().id;
    const second = fake.addGeneration().id;
    const server = createServer((request, response) => {
      if (request.url === '/with-next') {
        logger(request, response, () => {
          setTimeout(() => {
            trackGeneration(first);
            response.end('ok');
          }, 5);
        });
        return;
      }
      logger(request, response);
      setTimeout(() => {
        trackGeneration(second);
        response.end('ok');
      }, 5);
    });
    const url = await listen(server);
    try {
      expect(await (await fetch(`${url}/with-next`)).text()).toBe('ok');
      expect(await (await fetch(`${url}/without-next?q=1`)).text()).toBe('ok');
      await waitUntil(() => records.length === 2);
      await logger.flush();
      const byPath = Object.fromEntries(records.map((record) => [record.path, record]));
      expect(byPath['/with-next']?.generationIds).toEqual([first]);
      expect(byPath['/without-next']?.generationIds).toEqual([second]);
      expect(byPath['/without-next']?.route).toBeNull();
    } finally {
      await closeServer(server);
      await logger.close();
      await fake.close();
    }
  });
});

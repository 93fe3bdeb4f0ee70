import { createServer } from 'node:net';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server/index.ts';
import type { RequestLog } from '../src/shared/protocol.ts';
import { recordOf } from './support/records.ts';

// The server in-process, against a fake OpenRouter started here: what the page gets when
// OpenRouter refuses, is away, or the request is wrong.
describe('the example server', () => {
  let fake: FakeOpenRouter;
  const servers: RunningServer[] = [];
  const lines: string[] = [];
  const records: string[] = [];

  beforeAll(async () => {
    fake = await startFakeOpenRouter({
      apiKey: 'sk-or-v1-right-key-0123456789',
      statsDelayMs: 100,
    });
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    lines.length = 0;
    records.length = 0;
  });
  afterAll(async () => {
    await fake.close();
  });

  async function start(apiKey: string, baseUrl = fake.url): Promise<RunningServer> {
    const server = await startServer({
      port: 0,
      apiKey,
      baseUrl,
      app: { log: (line) => lines.push(line), writeRecord: (line) => records.push(line) },
    });
    servers.push(server);
    return server;
  }

  function chat(server: RunningServer, body: string): Promise<Response> {
    return fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  }

  it('answers 502 with OpenRouter’s reason, not the key, when the key is refused', async () => {
    const wrongKey = 'sk-or-v1-wrong-key-9876543210';
    const server = await start(wrongKey);
    const response = await chat(server, JSON.stringify({ prompt: 'hi' }));
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(JSON.parse(text).error.message).toMatch(/^OpenRouter answered 401/);
    expect(text).not.toContain(wrongKey);
    expect(lines.join('\n')).not.toContain(wrongKey);
  });

  it('answers 502 when OpenRouter cannot be reached', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const server = await start('sk-or-v1-any', `http://127.0.0.1:${closedPort}/api/v1`);
    const response = await chat(server, JSON.stringify({ prompt: 'hi' }));
    expect(response.status).toBe(502);
    expect((await response.json()).error.message).toMatch(/^Could not reach OpenRouter/);
  });

  it('answers 400 to a body that is not JSON or has no usable prompt', async () => {
    const server = await start(fake.apiKey);
    const chatCalls = () => fake.calls.filter((call) => call.path.endsWith('/chat/completions'));
    const before = chatCalls().length;
    expect((await chat(server, '{not json')).status).toBe(400);
    const missing = await chat(server, JSON.stringify({ text: 'hi' }));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: { message: 'Send JSON {"prompt": "..."}.' } });
    const long = await chat(server, JSON.stringify({ prompt: 'x'.repeat(4001) }));
    expect(long.status).toBe(400);
    // Refused before any upstream call.
    expect(chatCalls()).toHaveLength(before);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const server = await start(fake.apiKey);
    const response = await fetch(`${server.url}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { message: 'No such API route' } });
  });

  it('serves the built page, its hashed assets cached for good', async () => {
    const server = await start(fake.apiKey);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${server.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    await asset.arrayBuffer();
  });

  it('pushes each cost record to the live request log', async () => {
    const server = await start(fake.apiKey);
    const controller = new AbortController();
    const events = await fetch(`${server.url}/api/records/events`, { signal: controller.signal });
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
    const snapshots: RequestLog[] = [];
    const nextSnapshot = async (): Promise<RequestLog> => {
      let buffered = '';
      for (;;) {
        const { value } = await reader.read();
        buffered += value ?? '';
        const match = /event: records\ndata: (.*)\n\n/.exec(buffered);
        if (match) return JSON.parse(match[1]!) as RequestLog;
      }
    };
    snapshots.push(await nextSnapshot());
    expect(snapshots[0]).toEqual({
      entries: [],
      totalUsd: 0,
      count: 0,
      unknownCount: 0,
      users: [],
    });

    const response = await chat(server, JSON.stringify({ prompt: 'log me' }));
    const generationId = response.headers.get('x-generation-id');
    await response.text();
    const log = await nextSnapshot();
    controller.abort();
    expect(log.count).toBe(1);
    expect(log.entries[0]?.generations[0]?.id).toBe(generationId);
    expect(log.entries[0]?.spendUsd).toBe(fake.generation(generationId!)?.total_cost);
    expect(log.totalUsd).toBe(log.entries[0]?.spendUsd);
    expect(records).toHaveLength(1);
    expect(recordOf(records[0]!)?.generationIds).toEqual([generationId]);
  });
});

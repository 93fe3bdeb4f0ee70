import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  generationFields,
  getGeneration,
  integerFields,
  postChat,
  startsFakePerTest,
  waitForGeneration,
} from '../test/support.js';
import { type FakeOpenRouter, startFakeOpenRouter } from './index.js';

const start = startsFakePerTest();

const errorShape = (code: number, message: string) => ({ error: { code, message }, user_id: null });

describe('startFakeOpenRouter', () => {
  it('listens on 127.0.0.1 with a random port and a fake key by default', async () => {
    const server = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.url).toBe(`${server.origin}/api/v1`);
    expect(server.apiKey).toMatch(/^sk-or-v1-fake-[0-9a-f]{48}$/);
  });

  it('uses the given key', async () => {
    const server = await start({ apiKey: 'sk-or-v1-given' });
    expect(server.apiKey).toBe('sk-or-v1-given');
    const { id } = server.addGeneration();
    expect((await getGeneration(server, id, 'Bearer sk-or-v1-given')).status).toBe(200);
  });

  it('rejects invalid options', async () => {
    await expect(startFakeOpenRouter({ statsDelayMs: -1 })).rejects.toThrow(RangeError);
    await expect(startFakeOpenRouter({ apiKey: 'has space' })).rejects.toThrow(TypeError);
  });

  it('rejects when the port is taken', async () => {
    const server = await start();
    await expect(startFakeOpenRouter({ port: server.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('GET /api/v1/generation', () => {
  it('serves a default generation with all 45 fields, realistic and typed', async () => {
    const server = await start();
    const added = server.addGeneration();
    const response = await getGeneration(server, added.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const { data } = (await response.json()) as { data: Record<string, unknown> };
    expect(Object.keys(data).sort()).toEqual([...generationFields].sort());
    expect(data).toEqual(added);
    expect(data.id).toMatch(/^gen-\d{10}-[A-Za-z0-9]{20}$/);
    expect(data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    expect(Date.parse(String(data.created_at))).toBeGreaterThan(Date.now() - 60_000);
    expect(data.model).toBe('openai/gpt-4o-mini');
    expect(data.provider_name).toBe('OpenAI');
    expect(data.usage).toBe(data.total_cost);
    expect(data.total_cost).toBeGreaterThan(0);
    expect(data.is_byok).toBe(false);
    expect(data.data_region).toBe('global');
    expect(data.api_type).toBe('completions');
    expect(data.finish_reason).toBe('stop');
    expect(data.cancelled).toBe(false);
    expect(data.streamed).toBe(false);
    expect(data.external_user).toBeNull();
    for (const field of integerFields) {
      const value = data[field];
      if (value !== null) expect(Number.isInteger(value), field).toBe(true);
    }
    expect(data.provider_responses).toEqual([
      expect.objectContaining({ status: 200, provider_name: 'OpenAI', id: data.upstream_id }),
    ]);
  });

  it('derives costs from the model and tokens, and BYOK costs as the 5% fee', async () => {
    const server = await start();
    const listed = server.addGeneration({
      model: 'openai/gpt-4o',
      tokens_prompt: 1000,
      tokens_completion: 100,
    });
    // 1000 × $2.50/M + 100 × $10/M
    expect(listed.total_cost).toBeCloseTo(0.0035, 12);
    const byok = server.addGeneration({
      model: 'openai/gpt-4o',
      tokens_prompt: 1000,
      tokens_completion: 100,
      is_byok: true,
    });
    expect(byok.upstream_inference_cost).toBeCloseTo(0.0035, 12);
    expect(byok.total_cost).toBeCloseTo(0.000175, 12);
    expect(byok.usage).toBe(byok.total_cost);
  });

  it('serves overridden and extra fields, and any opaque id', async () => {
    const server = await start();
    const added = server.addGeneration({
      id: 'gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG',
      total_cost: 0.25,
      provider_name: 'Google AI Studio',
      brand_new_field: { nested: [1, 2] },
    });
    expect(added.usage).toBe(0.25);
    expect(server.generation('gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG')).toBe(added);
    const response = await getGeneration(server, 'gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG');
    const { data } = (await response.json()) as { data: Record<string, unknown> };
    expect(data).toMatchObject({
      id: 'gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG',
      total_cost: 0.25,
      usage: 0.25,
      provider_name: 'Google AI Studio',
      brand_new_field: { nested: [1, 2] },
    });
  });

  it('answers 401 without a key or with a wrong key', async () => {
    const server = await start();
    const { id } = server.addGeneration();
    const missing = await getGeneration(server, id, null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toBe('application/json');
    expect(await missing.json()).toEqual(errorShape(401, 'No auth credentials found'));
    const wrong = await getGeneration(server, id, 'Bearer sk-or-v1-wrong');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual(errorShape(401, 'User not found.'));
    const notBearer = await getGeneration(server, id, server.apiKey);
    expect(notBearer.status).toBe(401);
  });

  it('answers 400 without an id and 404 for an unknown id', async () => {
    const server = await start();
    const noId = await fetch(`${server.url}/generation`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    expect(noId.status).toBe(400);
    expect(await noId.json()).toEqual(errorShape(400, 'Missing required query parameter: id'));
    const unknown = await getGeneration(server, 'gen-unknown');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual(errorShape(404, 'Generation not found'));
  });

  it('answers 404 until statsDelayMs has passed, then 200', async () => {
    const server = await start({ statsDelayMs: 300 });
    const before = Date.now();
    const { id } = server.addGeneration();
    expect((await getGeneration(server, id)).status).toBe(404);
    await waitForGeneration(server, id);
    expect(Date.now() - before).toBeGreaterThanOrEqual(300);
  });

  it('honours readyInMs per generation', async () => {
    const server = await start({ statsDelayMs: 60_000 });
    const now = server.addGeneration({}, { readyInMs: 0 });
    expect((await getGeneration(server, now.id)).status).toBe(200);
    const later = server.addGeneration({}, { readyInMs: 250 });
    const before = Date.now();
    expect((await getGeneration(server, later.id)).status).toBe(404);
    await waitForGeneration(server, later.id);
    expect(Date.now() - before).toBeGreaterThanOrEqual(200);
    expect(server.generation(later.id)).toBeDefined();
  });

  it('waits latencyMs before answering', async () => {
    const server = await start({ latencyMs: 200 });
    const { id } = server.addGeneration();
    const before = Date.now();
    expect((await getGeneration(server, id)).status).toBe(200);
    expect(Date.now() - before).toBeGreaterThanOrEqual(200);
  });

  it('rejects other methods with 405', async () => {
    const server = await start();
    const response = await fetch(`${server.url}/generation?id=x`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, OPTIONS');
  });

  it('answers 404 JSON for unknown paths', async () => {
    const server = await start();
    const response = await fetch(`${server.origin}/api/v1/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual(errorShape(404, 'Not Found'));
  });
});

describe('script', () => {
  it('status steps: OpenRouter error bodies, Retry-After only from the step headers', async () => {
    const server = await start();
    const { id } = server.addGeneration();
    server.script(id, [
      { type: 'status', status: 429, headers: { 'Retry-After': '2', 'X-RateLimit-Limit': '10' } },
      { type: 'status', status: 529, message: 'Provider overloaded' },
      { type: 'status', status: 524 },
    ]);
    const limited = await getGeneration(server, id);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.headers.get('x-ratelimit-limit')).toBe('10');
    expect(limited.headers.get('content-type')).toBe('application/json');
    expect(await limited.json()).toEqual(errorShape(429, 'Rate limit exceeded'));
    const overloaded = await getGeneration(server, id);
    expect(overloaded.status).toBe(529);
    expect(overloaded.headers.get('retry-after')).toBeNull();
    expect(await overloaded.json()).toEqual(errorShape(529, 'Provider overloaded'));
    const timeout = await getGeneration(server, id);
    expect(timeout.status).toBe(524);
    expect(((await timeout.json()) as { error: { code: number } }).error.code).toBe(524);
    // consumed: normal answers again
    expect((await getGeneration(server, id)).status).toBe(200);
  });

  it('html steps answer a CDN-style page as text/html', async () => {
    const server = await start();
    server.script('gen-x', [{ type: 'html', status: 502 }]);
    const response = await getGeneration(server, 'gen-x');
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await response.text();
    expect(text).toMatch(/^<!DOCTYPE html>/);
    expect(text).toContain('502');
  });

  it('status steps without a body status answer no body', async () => {
    const server = await start();
    server.script('gen-x', [{ type: 'status', status: 204 }]);
    const response = await getGeneration(server, 'gen-x');
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect((await getGeneration(server, 'gen-x')).status).toBe(404);
  });

  it('empty steps answer no body', async () => {
    const server = await start();
    server.script('gen-x', [{ type: 'empty', status: 503 }]);
    const response = await getGeneration(server, 'gen-x');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-length')).toBe('0');
    expect(await response.text()).toBe('');
  });

  it('malformed steps answer invalid JSON labelled as JSON (200 by default)', async () => {
    const server = await start();
    server.script('gen-x', [{ type: 'malformed' }, { type: 'malformed', status: 500 }]);
    const first = await getGeneration(server, 'gen-x');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    const text = await first.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect((await getGeneration(server, 'gen-x')).status).toBe(500);
  });

  it('body steps answer anything raw with the given headers', async () => {
    const server = await start();
    server.script('gen-x', [
      {
        type: 'body',
        status: 200,
        body: '{"data":{"id":"gen-x","total_cost":"oops"}}',
        headers: { 'content-type': 'application/json', 'x-extra': 'yes' },
      },
    ]);
    const response = await getGeneration(server, 'gen-x');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-extra')).toBe('yes');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual({ data: { id: 'gen-x', total_cost: 'oops' } });
  });

  it('drop steps destroy the socket without answering', async () => {
    const server = await start();
    const { id } = server.addGeneration();
    server.script(id, [{ type: 'drop' }]);
    await expect(getGeneration(server, id)).rejects.toThrow(TypeError);
    expect(server.calls.at(-1)).toMatchObject({ path: '/api/v1/generation', id, status: 0 });
    expect((await getGeneration(server, id)).status).toBe(200);
  });

  it('slow steps wait, then answer normally (404 when not ready)', async () => {
    const server = await start();
    const { id } = server.addGeneration();
    server.script(id, [{ type: 'slow', delayMs: 250 }]);
    const before = Date.now();
    const response = await getGeneration(server, id);
    expect(Date.now() - before).toBeGreaterThanOrEqual(250);
    expect(response.status).toBe(200);
    server.script('gen-missing', [{ type: 'slow', delayMs: 10 }]);
    expect((await getGeneration(server, 'gen-missing')).status).toBe(404);
  });

  it("'*' applies to every id without its own script, once unless repeated", async () => {
    const server = await start();
    const first = server.addGeneration();
    const second = server.addGeneration();
    server.script('*', [{ type: 'status', status: 500 }]);
    server.script(second.id, [{ type: 'status', status: 502 }]);
    expect((await getGeneration(server, second.id)).status).toBe(502);
    expect((await getGeneration(server, first.id)).status).toBe(500);
    expect((await getGeneration(server, first.id)).status).toBe(200);

    server.script('*', [{ type: 'status', status: 503 }], { repeat: true });
    for (const id of [first.id, second.id, 'gen-other', first.id]) {
      expect((await getGeneration(server, id)).status).toBe(503);
    }
  });

  it('repeat cycles through the steps forever', async () => {
    const server = await start();
    const { id } = server.addGeneration();
    server.script(
      id,
      [
        { type: 'status', status: 404 },
        { type: 'empty', status: 200 },
      ],
      {
        repeat: true,
      },
    );
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      const response = await getGeneration(server, id);
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([404, 200, 404, 200, 404]);
  });

  it('scripts are checked after auth and the id', async () => {
    const server = await start();
    server.script('*', [{ type: 'status', status: 500 }]);
    expect((await getGeneration(server, 'gen-x', null)).status).toBe(401);
    expect((await getGeneration(server, 'gen-x')).status).toBe(500);
  });

  it('an empty step list removes a script; invalid steps throw', async () => {
    const server = await start();
    const { id } = server.addGeneration();
    server.script(id, [{ type: 'status', status: 500 }]);
    server.script(id, []);
    expect((await getGeneration(server, id)).status).toBe(200);
    expect(() => server.script(id, [{ type: 'status', status: 42 }])).toThrow(RangeError);
    expect(() => server.script(id, [{ type: 'html', status: 101 }])).toThrow(RangeError);
    expect(() => server.script(id, [{ type: 'slow', delayMs: -1 }])).toThrow(RangeError);
    expect(() => server.script(id, [{ type: 'nope' } as never])).toThrow(TypeError);
    expect(() => server.script('', [])).toThrow(TypeError);
  });
});

describe('calls', () => {
  it('records every request in order with the key redacted', async () => {
    const server = await start();
    const { id } = server.addGeneration();
    await getGeneration(server, id);
    await getGeneration(server, id, 'Bearer sk-or-v1-wrong');
    await fetch(`${server.url}/generation`, { method: 'OPTIONS' });
    await fetch(`${server.origin}/__fake/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.apiKey}` },
      body: '{}',
    });
    expect(
      server.calls.map((call) => [call.method, call.path, call.status, call.authorized]),
    ).toEqual([
      ['GET', '/api/v1/generation', 200, true],
      ['GET', '/api/v1/generation', 401, false],
      ['OPTIONS', '/api/v1/generation', 204, false],
      ['POST', '/__fake/generations', 200, true],
    ]);
    expect(server.calls[0]?.id).toBe(id);
    expect(server.calls[0]?.headers.authorization).toBe('[redacted]');
    expect(server.calls[1]?.headers.authorization).toBe('[redacted]');
    expect(server.calls[0]?.at).toBeLessThanOrEqual(server.calls[1]?.at ?? 0);
    expect(JSON.stringify(server.calls)).not.toContain(server.apiKey);
    expect(JSON.stringify(server.calls)).not.toContain('sk-or-v1-wrong');
  });

  it('never shows the key, wherever a client put it', async () => {
    const server = await start();
    await fetch(`${server.url}/generation?id=x`, { headers: { 'x-api-key': server.apiKey } });
    await postChat(server, { messages: [{ role: 'user', content: 'hi' }] });
    expect(JSON.stringify(server.calls)).not.toContain(server.apiKey);
  });

  it('reset forgets calls, and with all: generations and scripts', async () => {
    const server = await start();
    const calls = server.calls;
    const { id } = server.addGeneration();
    server.script('*', [{ type: 'status', status: 500 }], { repeat: true });
    await getGeneration(server, id);
    server.reset();
    expect(server.calls).toBe(calls);
    expect(calls).toHaveLength(0);
    expect((await getGeneration(server, id)).status).toBe(500);
    server.reset({ all: true });
    expect(server.generation(id)).toBeUndefined();
    expect((await getGeneration(server, id)).status).toBe(404);
    expect(server.calls).toHaveLength(1);
  });
});

describe('CORS', () => {
  it('answers preflights, echoing the requested headers (Authorization included)', async () => {
    const server = await start();
    const response = await fetch(`${server.url}/generation?id=x`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization,x-openrouter-title',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'authorization,x-openrouter-title',
    );
    expect(response.headers.get('access-control-allow-methods')).toContain('GET');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('lists Authorization when the preflight names no headers', async () => {
    const server = await start();
    const response = await fetch(`${server.url}/chat/completions`, { method: 'OPTIONS' });
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(response.headers.get('access-control-allow-headers')).not.toBe('*');
  });

  it('puts Access-Control-Allow-Origin on every answer and exposes X-Generation-Id', async () => {
    const server = await start();
    const { id } = server.addGeneration();
    server.script('gen-html', [{ type: 'html', status: 503 }]);
    const responses = [
      await getGeneration(server, id),
      await getGeneration(server, id, null),
      await getGeneration(server, 'gen-nope'),
      await getGeneration(server, 'gen-html'),
      await postChat(server, { messages: [{ role: 'user', content: 'hi' }] }),
    ];
    for (const response of responses) {
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-expose-headers')).toContain('X-Generation-Id');
    }
  });
});

describe('POST /__fake/generations', () => {
  const admin = (server: FakeOpenRouter, body: string, key = server.apiKey) =>
    fetch(`${server.origin}/__fake/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    });

  it('creates generations and answers their ids', async () => {
    const server = await start();
    const response = await admin(
      server,
      JSON.stringify({ count: 3, fields: { model: 'openai/gpt-4o' } }),
    );
    expect(response.status).toBe(200);
    const { ids } = (await response.json()) as { ids: string[] };
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) {
      const data = await waitForGeneration(server, id);
      expect(data.model).toBe('openai/gpt-4o');
    }
    const single = (await (await admin(server, '')).json()) as { ids: string[] };
    expect(single.ids).toHaveLength(1);
  });

  it('honours readyInMs', async () => {
    const server = await start();
    const response = await admin(server, JSON.stringify({ readyInMs: 60_000 }));
    const { ids } = (await response.json()) as { ids: string[] };
    expect((await getGeneration(server, ids[0] ?? '')).status).toBe(404);
  });

  it('checks the key and the body', async () => {
    const server = await start();
    expect((await admin(server, '{}', 'sk-or-v1-wrong')).status).toBe(401);
    for (const body of [
      '{"count":0}',
      '{"count":100001}',
      '{"count":1.5}',
      '{"fields":[]}',
      '{"readyInMs":-5}',
      '{"count":2,"fields":{"id":"gen-same"}}',
      '[1]',
      '{not json',
    ]) {
      const response = await admin(server, body);
      expect(response.status, body).toBe(400);
      expect(((await response.json()) as { error: { code: number } }).error.code).toBe(400);
    }
    const get = await fetch(`${server.origin}/__fake/generations`);
    expect(get.status).toBe(405);
  });
});

describe('robustness', () => {
  it('survives malformed HTTP and keeps serving', async () => {
    const server = await start();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write('THIS IS NOT HTTP\r\n\r\n');
      });
      let text = '';
      socket.on('data', (chunk) => {
        text += String(chunk);
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    const { id } = server.addGeneration();
    expect((await getGeneration(server, id)).status).toBe(200);
  });

  it('close() resolves promptly with keep-alive and streaming connections open', async () => {
    const server = await start({ chunkDelayMs: 60_000 });
    const { id } = server.addGeneration();
    expect((await getGeneration(server, id)).status).toBe(200); // leaves a keep-alive socket
    const stream = await postChat(server, {
      stream: true,
      messages: [{ role: 'user', content: 'a long answer please' }],
    });
    expect(stream.status).toBe(200);
    const reading = stream.text().catch((error: unknown) => error);
    const before = Date.now();
    await server.close();
    expect(Date.now() - before).toBeLessThan(5_000);
    await reading;
    await server.close(); // idempotent
    await expect(getGeneration(server, id)).rejects.toThrow(TypeError);
  });

  it('forgets a request whose client leaves mid-body', async () => {
    const server = await start();
    await new Promise<void>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(
          `POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.apiKey}\r\nContent-Length: 1000\r\n\r\n{"mess`,
          () => setTimeout(() => socket.destroy(), 50),
        );
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    const { id } = server.addGeneration();
    expect((await getGeneration(server, id)).status).toBe(200);
    expect(server.calls[0]).toMatchObject({ path: '/api/v1/chat/completions', status: 0 });
  });

  it('refuses bodies over 5 MB with a 413 JSON error', async () => {
    const server = await start();
    const response = await postChat(server, 'x'.repeat(6 * 1024 * 1024));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: number } }).error.code).toBe(413);
    const { id } = server.addGeneration();
    expect((await getGeneration(server, id)).status).toBe(200);
  });

  it('validates addGeneration input', async () => {
    const server = await start();
    expect(() => server.addGeneration({ id: '' })).toThrow(TypeError);
    expect(() => server.addGeneration({}, { readyInMs: -1 })).toThrow(RangeError);
    expect(() => server.addGeneration(null as never)).toThrow(TypeError);
  });
});

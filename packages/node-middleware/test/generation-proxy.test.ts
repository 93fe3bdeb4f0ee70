import { createServer } from 'node:http';
import { createClient } from '@genmeta/core';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { costLogger, generationProxy, trackGeneration } from '../src/index.js';
import {
  closeServer,
  expressVersions,
  listen,
  startTestApp,
  type TestAppHandle,
} from './helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

const proxyCalls = (id: string) =>
  fake.calls.filter((call) => call.path === '/api/v1/generation' && call.id === id);

async function trackedId(app: TestAppHandle, fields = {}, options = {}): Promise<string> {
  const { id } = fake.addGeneration(fields, options);
  const response = await fetch(`${app.url}/api/track/${id}`);
  expect(await response.json()).toEqual({ tracked: true });
  return id;
}

describe.each(expressVersions)('generationProxy on %s', (_name, express) => {
  let app: TestAppHandle;
  afterEach(async () => {
    await app?.close();
  });

  it("answers tracked ids in OpenRouter's exact shape, cacheable for good", async () => {
    app = await startTestApp(express, { fake });
    const id = await trackedId(app);
    const response = await fetch(`${app.url}/api/genmeta/generation?id=${id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ data: fake.generation(id) });
  });

  it("serves core's client unchanged", async () => {
    app = await startTestApp(express, { fake });
    const id = await trackedId(app);
    const browserClient = createClient({ baseUrl: `${app.url}/api/genmeta`, apiKey: 'ignored' });
    const generation = await browserClient.getGeneration(id);
    expect(generation.id).toBe(id);
    expect(generation.total_cost).toBe(fake.generation(id)!.total_cost);
  });

  it('refuses untracked ids with 403 and invalid ids with 400, before any upstream call', async () => {
    app = await startTestApp(express, { fake });
    const { id } = fake.addGeneration();
    const before = fake.calls.length;
    const forbidden = await fetch(`${app.url}/api/genmeta/generation?id=${id}`);
    expect(forbidden.status).toBe(403);
    const forbiddenBody = (await forbidden.json()) as { error: { code: number; message: string } };
    expect(forbiddenBody.error.code).toBe(403);
    expect(forbiddenBody.error.message).toContain('not served here');
    for (const query of [
      '',
      '?id=',
      `?id=${encodeURIComponent('gen 1')}`,
      `?id=${'x'.repeat(300)}`,
    ]) {
      const invalid = await fetch(`${app.url}/api/genmeta/generation${query}`);
      expect(invalid.status).toBe(400);
      const body = (await invalid.json()) as { error: { code: number; message: string } };
      expect(body.error.code).toBe(400);
    }
    expect(fake.calls.length).toBe(before);
  });

  it('lets authorize widen or narrow the policy', async () => {
    const seen: Array<[string, boolean]> = [];
    app = await startTestApp(express, {
      fake,
      proxy: {
        authorize: async (request, id, { tracked }) => {
          seen.push([id, tracked]);
          return request.headers['x-admin'] === 'yes';
        },
      },
    });
    const untracked = fake.addGeneration().id;
    const tracked = await trackedId(app);
    expect((await fetch(`${app.url}/api/genmeta/generation?id=${untracked}`)).status).toBe(403);
    const allowed = await fetch(`${app.url}/api/genmeta/generation?id=${untracked}`, {
      headers: { 'x-admin': 'yes' },
    });
    expect(allowed.status).toBe(200);
    expect((await fetch(`${app.url}/api/genmeta/generation?id=${tracked}`)).status).toBe(403);
    expect(seen).toEqual([
      [untracked, false],
      [untracked, false],
      [tracked, true],
    ]);
  });

  it('passes a not-ready 404 through without waiting or caching', async () => {
    app = await startTestApp(express, { fake });
    const id = await trackedId(app, {}, { readyInMs: 60_000 });
    const response = await fetch(`${app.url}/api/genmeta/generation?id=${id}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(404);
  });

  it('mirrors upstream failures with their status and never leaks the key', async () => {
    const wrongKey = 'sk-or-v1-proxy-wrong-key-987654321';
    app = await startTestApp(express, {
      fake,
      proxy: { clientOptions: { baseUrl: fake.url, apiKey: wrongKey } },
    });
    const id = await trackedId(app);
    const response = await fetch(`${app.url}/api/genmeta/generation?id=${id}`);
    expect(response.status).toBe(401);
    const text = await response.text();
    const headers = JSON.stringify([...response.headers]);
    for (const secret of [wrongKey, fake.apiKey]) {
      expect(text).not.toContain(secret);
      expect(headers).not.toContain(secret);
    }
    expect(JSON.parse(text)).toMatchObject({ error: { code: 401 } });
  });

  it('makes one upstream request for many browsers asking for one id', async () => {
    app = await startTestApp(express, { fake });
    const id = await trackedId(app);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${app.url}/api/genmeta/generation?id=${id}`)),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { data: { id: string } }).data.id).toBe(id);
    }
    const again = await fetch(`${app.url}/api/genmeta/generation?id=${id}`);
    expect(again.status).toBe(200);
    // the costLogger's own lookup of this id uses its own client: count only the proxy's
    const proxyOnly = proxyCalls(id).filter((call) => call.headers['x-genmeta-test'] === 'proxy');
    expect(proxyOnly).toHaveLength(1);
  });

  it('answers HEAD with the headers only', async () => {
    app = await startTestApp(express, { fake });
    const id = await trackedId(app);
    const head = await fetch(`${app.url}/api/genmeta/generation?id=${id}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(await head.text()).toBe('');
  });

  it('answers other methods with 405 and leaves other paths to the app', async () => {
    app = await startTestApp(express, { fake });
    const post = await fetch(`${app.url}/api/genmeta/generation?id=gen-1`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const other = await fetch(`${app.url}/api/genmeta/other`);
    expect(other.status).toBe(404);
  });
});

describe('generationProxy on node:http', () => {
  it('works as a plain handler with a basePath', async () => {
    const logger = costLogger({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      onRecord: () => undefined,
    });
    const proxy = generationProxy({
      basePath: '/api/genmeta',
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    });
    const { id } = fake.addGeneration();
    const server = createServer((request, response) => {
      logger(request, response, () => {
        if (request.url === '/track') {
          trackGeneration(id);
          response.end('ok');
          return;
        }
        proxy(request, response);
      });
    });
    const url = await listen(server);
    try {
      expect((await fetch(`${url}/track`)).status).toBe(200);
      const answer = await fetch(`${url}/api/genmeta/generation?id=${id}`);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ data: fake.generation(id) });
      const missing = await fetch(`${url}/elsewhere`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: { code: 404, message: 'Not found' } });
    } finally {
      await closeServer(server);
      await logger.close();
    }
  });
});

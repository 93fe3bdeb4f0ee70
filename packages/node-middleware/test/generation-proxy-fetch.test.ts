import { createServer } from 'node:http';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryRegistry, generationProxy } from '../src/index.js';
import { type Served, serveFetch } from './fetch-host.js';
import { closeServer, listen } from './helpers.js';

let fake: FakeOpenRouter;
const registry = createMemoryRegistry();
const options = () => ({
  clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
  registry,
});
let nodeUrl: string;
let fetchHost: Served;
let closeNode: () => Promise<void>;

beforeAll(async () => {
  fake = await startFakeOpenRouter();
  const proxy = generationProxy({ ...options(), basePath: '/api/genmeta' });
  const server = createServer((request, response) => proxy(request, response));
  nodeUrl = await listen(server);
  closeNode = () => closeServer(server);
  fetchHost = await serveFetch(generationProxy(options()).fetch);
});
afterAll(async () => {
  await fetchHost.close();
  await closeNode();
  await fake.close();
});

const COMPARED_HEADERS = [
  'content-type',
  'content-length',
  'cache-control',
  'vary',
  'allow',
  'retry-after',
  'x-content-type-options',
];

async function answerOf(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  const headers = Object.fromEntries(
    COMPARED_HEADERS.map((name) => [name, response.headers.get(name)]),
  );
  return { status: response.status, headers, body: await response.text() };
}

describe('generationProxy().fetch', () => {
  const cases: Array<[string, () => { query: string; init?: RequestInit }]> = [
    [
      'a tracked id',
      () => {
        const { id } = fake.addGeneration();
        registry.add(id);
        return { query: `id=${id}` };
      },
    ],
    [
      'a tracked id by HEAD',
      () => {
        const { id } = fake.addGeneration();
        registry.add(id);
        return { query: `id=${id}`, init: { method: 'HEAD' } };
      },
    ],
    ['an untracked id', () => ({ query: `id=${fake.addGeneration().id}` })],
    ['an invalid id', () => ({ query: 'id=not%20valid' })],
    ['no id', () => ({ query: '' })],
    ['a POST', () => ({ query: 'id=gen-1', init: { method: 'POST' } })],
    [
      'an id OpenRouter refuses',
      () => {
        const { id } = fake.addGeneration();
        registry.add(id);
        fake.script(id, [{ type: 'status', status: 403 }], { repeat: true });
        return { query: `id=${id}` };
      },
    ],
  ];

  it.each(cases)('answers %s exactly as the node handler does', async (_name, make) => {
    const { query, init } = make();
    const fromNode = await answerOf(`${nodeUrl}/api/genmeta/generation?${query}`, init);
    const fromFetch = await answerOf(`${fetchHost.url}/api/genmeta/generation?${query}`, init);
    expect(fromFetch).toEqual(fromNode);
    expect(fromFetch.status).toBeGreaterThanOrEqual(200);
  });

  it('answers 404 on a path that does not end with /generation', async () => {
    const answer = await answerOf(`${fetchHost.url}/api/genmeta/other`);
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: 404, message: 'Not found' } });
  });

  it('applies authorizeFetch with the Web Request, and refuses a node-only authorize', async () => {
    const { id } = fake.addGeneration();
    const seen: string[] = [];
    const allowing = generationProxy({
      ...options(),
      authorizeFetch: (request, requested, { tracked }) => {
        seen.push(`${request.headers.get('x-admin')} ${requested} ${tracked}`);
        return request.headers.get('x-admin') === 'yes';
      },
    });
    const allowed = await allowing.fetch(
      new Request(`http://app.local/api/genmeta/generation?id=${id}`, {
        headers: { 'x-admin': 'yes' },
      }),
    );
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as { data: { id: string } }).data.id).toBe(id);
    expect(seen).toEqual([`yes ${id} false`]);

    const nodeOnly = generationProxy({ ...options(), authorize: () => true });
    const refused = await nodeOnly.fetch(
      new Request(`http://app.local/api/genmeta/generation?id=${id}`),
    );
    expect(refused.status).toBe(500);
    expect(await refused.json()).toEqual({
      error: { code: 500, message: 'Authorization check failed' },
    });
  });
});

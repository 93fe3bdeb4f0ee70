import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createClient } from '../client/create-client.js';
import { isGenmetaError } from '../errors.js';
import { apiRequest } from './request.js';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

let server: Server | undefined;
afterEach(async () => {
  const open = server;
  server = undefined;
  if (!open) return;
  open.closeAllConnections();
  await new Promise((resolve) => open.close(resolve));
});

/** A real HTTP server answering with `handler`; returns its base URL. */
async function serve(handler: Handler): Promise<string> {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => handler(request, body, response));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
}

const json = (response: ServerResponse, status: number, value: unknown, headers = {}): void => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(value));
};

const key = `sk-or-v1-${'a1b2c3d4'.repeat(8)}`;
const schema = z.looseObject({ data: z.looseObject({ total_credits: z.number() }) });

describe('apiRequest', () => {
  it('sends the client key, query and JSON body; parses with the schema and keeps unknown keys', async () => {
    const seen: { url?: string; auth?: string; body?: string; method?: string; extra?: string } =
      {};
    const baseUrl = await serve((request, body, response) => {
      Object.assign(seen, {
        url: request.url,
        auth: request.headers.authorization,
        body,
        method: request.method,
        extra: request.headers['x-title'],
      });
      json(response, 200, { data: { total_credits: 5, later_field: 'kept' } });
    });
    const client = createClient({ apiKey: key, baseUrl, headers: { 'x-title': 'demo' } });
    const data = await apiRequest(client, {
      method: 'POST',
      path: '/analytics/query',
      query: { date: '2026-01-02', left: undefined },
      body: { metrics: ['total_usage'] },
      schema,
    });
    expect(data).toEqual({ data: { total_credits: 5, later_field: 'kept' } });
    expect(seen).toEqual({
      url: '/api/v1/analytics/query?date=2026-01-02',
      auth: `Bearer ${key}`,
      body: '{"metrics":["total_usage"]}',
      method: 'POST',
      extra: 'demo',
    });
  });

  it('says a management key is needed on 401/403 of a management endpoint, and never names the key', async () => {
    const baseUrl = await serve((_request, _body, response) =>
      json(response, 403, { error: { code: 403, message: `Forbidden for ${key}` } }),
    );
    const client = createClient({ apiKey: key, baseUrl, retryDelayMs: 1 });
    const error = await apiRequest(client, {
      method: 'GET',
      path: '/credits',
      schema,
      management: true,
    }).catch((caught: unknown) => caught);
    expect(isGenmetaError(error) && error.code).toBe('forbidden');
    expect((error as Error).message).toMatch(/GET \/credits needs a management key/);
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain(key);
  });

  it('waits out a 429 with Retry-After, on the client retry policy', async () => {
    let calls = 0;
    const times: number[] = [];
    const baseUrl = await serve((_request, _body, response) => {
      times.push(Date.now());
      calls++;
      if (calls === 1) {
        json(response, 429, { error: { code: 429, message: 'slow down' } }, { 'retry-after': '1' });
      } else {
        json(response, 200, { data: { total_credits: 1 } });
      }
    });
    const client = createClient({ apiKey: key, baseUrl, retryDelayMs: 1 });
    const data = await apiRequest(client, { method: 'GET', path: '/credits', schema });
    expect(data.data.total_credits).toBe(1);
    expect(calls).toBe(2);
    // Retry-After: 1 second, not the 1 ms backoff.
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(950);
  });

  it('rejects an answer of the wrong shape with invalid_response naming the field', async () => {
    const baseUrl = await serve((_request, _body, response) =>
      json(response, 200, { data: { total_credits: 'lots' } }),
    );
    const client = createClient({ apiKey: key, baseUrl });
    const error = await apiRequest(client, { method: 'GET', path: '/credits', schema }).catch(
      (caught: unknown) => caught,
    );
    expect(isGenmetaError(error) && error.code).toBe('invalid_response');
    expect((error as Error).message).toMatch(/data\.total_credits/);
  });

  it('rejects with the signal reason when aborted, and refuses a client not made by createClient', async () => {
    const baseUrl = await serve(() => {
      // never answers
    });
    const client = createClient({ apiKey: key, baseUrl });
    const controller = new AbortController();
    const pending = apiRequest(client, {
      method: 'GET',
      path: '/credits',
      schema,
      signal: controller.signal,
    });
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
    await expect(
      apiRequest({ ...client }, { method: 'GET', path: '/credits', schema }),
    ).rejects.toThrow(/made by createClient/);
  });

  it('fails an unreachable upstream with a network error whose cause chain holds no key', async () => {
    // A port that was just listening and is now closed: the connection is refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const baseUrl = `http://127.0.0.1:${port}/api/v1`;
    const client = createClient({ apiKey: key, baseUrl, maxRetries: 0 });
    const error = await apiRequest(client, { method: 'GET', path: '/credits', schema }).catch(
      (thrown: unknown) => thrown,
    );
    expect(isGenmetaError(error) && error.code).toBe('network');
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(key.slice(9, 25));
    expect(JSON.stringify(error)).not.toContain(key.slice(9, 25));
  });
});

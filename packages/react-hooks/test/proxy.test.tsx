// @vitest-environment happy-dom

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, isGenmetaError } from '@genmeta/core';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { generationProxy } from '@genmeta/node-middleware';
import { cleanup, render, renderHook, screen } from '@testing-library/react';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BASE_URL, GenmetaProvider, useGenmetaClient } from '../src/index.js';
import { Probe, type Render } from './harness.js';

interface HappyDomWindow {
  happyDOM: { setURL(url: string): void };
}

// The app's server: generationProxy mounted on Express, holding the only key, in front of the
// fake OpenRouter. The page (happy-dom) is served from the same origin.
let fake: FakeOpenRouter;
let server: Server;
let origin: string;
const seenByProxy: { path: string; authorization: string | undefined }[] = [];
const forbidden = new Set<string>();
const browserKey = 'sk-or-v1-in-the-browser-environment';
const savedKey = process.env.OPENROUTER_API_KEY;

beforeAll(async () => {
  fake = await startFakeOpenRouter();
  const app = express();
  const proxyClient = createClient({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    // This server runs inside the test's emulated browser globals.
    dangerouslyAllowBrowser: true,
  });
  const proxy = generationProxy({
    client: proxyClient,
    authorize: (_request, id) => !forbidden.has(id),
  });
  for (const mount of [DEFAULT_BASE_URL, '/custom/genmeta']) {
    app.use(
      mount,
      (request, _response, next) => {
        seenByProxy.push({
          path: request.originalUrl,
          authorization: request.headers.authorization,
        });
        next();
      },
      proxy,
    );
  }
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  (window as unknown as HappyDomWindow).happyDOM.setURL(`${origin}/chat`);
  // A key in the page's environment must never be picked up nor sent.
  process.env.OPENROUTER_API_KEY = browserKey;
});
afterEach(() => {
  cleanup();
  seenByProxy.length = 0;
  fake.reset();
});
afterAll(async () => {
  if (savedKey === undefined) delete process.env.OPENROUTER_API_KEY;
  else process.env.OPENROUTER_API_KEY = savedKey;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await fake.close();
});

const getsFor = (id: string) =>
  fake.calls.filter((call) => call.method === 'GET' && call.id === id);

describe('through generationProxy', () => {
  it('works with no provider at all, on the default route, sending no key', async () => {
    const { id, model } = fake.addGeneration();
    render(<Probe id={id} />);
    await screen.findByText(`success ${id} ${model}`, undefined, { timeout: 10_000 });
    expect(seenByProxy).toEqual([
      { path: `/api/genmeta/generation?id=${encodeURIComponent(id)}`, authorization: undefined },
    ]);
    expect(getsFor(id)).toHaveLength(1);
    expect(getsFor(id)[0]?.authorized).toBe(true);
  });

  it('useGenmetaClient gives the default client, or the provider one', () => {
    const { result } = renderHook(() => useGenmetaClient());
    expect(result.current.baseUrl).toBe(`${origin}/api/genmeta`);
    const { result: custom } = renderHook(() => useGenmetaClient(), {
      wrapper: ({ children }) => (
        <GenmetaProvider baseUrl="/custom/genmeta">{children}</GenmetaProvider>
      ),
    });
    expect(custom.current.baseUrl).toBe(`${origin}/custom/genmeta`);
    // One shared client per base URL, so the page keeps one cache.
    const { result: again } = renderHook(() => useGenmetaClient());
    expect(again.current).toBe(result.current);
  });

  it('uses the provider baseUrl', async () => {
    const { id } = fake.addGeneration();
    render(
      <GenmetaProvider baseUrl="/custom/genmeta">
        <Probe id={id} />
      </GenmetaProvider>,
    );
    await screen.findByText(new RegExp(`success ${id}`), undefined, { timeout: 10_000 });
    expect(seenByProxy.map((seen) => seen.path)).toEqual([
      `/custom/genmeta/generation?id=${encodeURIComponent(id)}`,
    ]);
    expect(seenByProxy.every((seen) => seen.authorization === undefined)).toBe(true);
  });

  it('waits through the proxy while the generation is not ready', async () => {
    const { id } = fake.addGeneration({}, { readyInMs: 600 });
    const renders: Render[] = [];
    render(<Probe id={id} renders={renders} />);
    await screen.findByText(new RegExp(`success ${id}`), undefined, { timeout: 10_000 });
    expect(renders.some(({ state }) => state.status === 'pending' && state.isWaiting)).toBe(true);
    expect(seenByProxy.length).toBeGreaterThan(1);
  });

  it("surfaces the proxy's refusal as a typed forbidden error, without retrying", async () => {
    const { id } = fake.addGeneration();
    forbidden.add(id);
    const renders: Render[] = [];
    render(<Probe id={id} renders={renders} />);
    await screen.findByText('error forbidden', undefined, { timeout: 10_000 });
    const error = renders.at(-1)?.state.error;
    expect(isGenmetaError(error)).toBe(true);
    expect(error?.status).toBe(403);
    expect(seenByProxy).toHaveLength(1);
    expect(getsFor(id)).toHaveLength(0);
    expect(JSON.stringify(error)).not.toContain(fake.apiKey);
    expect(String(error?.message)).not.toContain(fake.apiKey);
  });
});

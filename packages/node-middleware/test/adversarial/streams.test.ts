// Issue 10 items 4, 5 and 7: what a tracking fetch must still recognise.
import { afterEach, describe, expect, it } from 'vitest';
import { createTrackingFetch } from '../../src/index.js';
import {
  chatAt,
  type Hostile,
  type LoggedApp,
  newId,
  startHostile,
  startLoggedApp,
} from './hostile.js';

let hostile: Hostile | undefined;
let app: LoggedApp | undefined;
afterEach(async () => {
  await app?.close();
  await hostile?.close();
  app = undefined;
  hostile = undefined;
});

const chunk = (id: string, content: string) =>
  JSON.stringify({ id, choices: [{ delta: { content } }] });
const lastChunk = (id: string, cost: number) =>
  JSON.stringify({ id, choices: [{ delta: {} }], usage: { cost, is_byok: false } });

/** An app whose handler streams one completion from the hostile upstream and reads it all. */
async function streamThrough(send: (id: string) => string[], header = false) {
  const id = newId();
  hostile = await startHostile((_request, response) => {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      ...(header ? { 'x-generation-id': id } : {}),
    });
    for (const piece of send(id)) response.write(piece);
    response.end();
  });
  const upstream = hostile.url;
  let length = 0;
  app = await startLoggedApp(upstream, async (trackingFetch, response) => {
    const answer = await chatAt(trackingFetch, upstream, true);
    length = (await answer.text()).length;
    response.json({ length });
  });
  expect((await fetch(app.url, { method: 'POST' })).status).toBe(200);
  const [record] = await app.waitForRecords(1);
  return { id, record: record!, length };
}

describe('SSE streams a tracking fetch must read', () => {
  it('tracks the id of a first event over 1,000,000 characters', async () => {
    const big = 'x'.repeat(1_200_000);
    const { id, record, length } = await streamThrough((id) => [
      `data: ${chunk(id, big)}\n\n`,
      `data: ${lastChunk(id, 0.03)}\n\n`,
      'data: [DONE]\n\n',
    ]);
    expect(length).toBeGreaterThan(1_200_000);
    expect(record.generationIds).toEqual([id]);
    expect(record.unresolved[0]?.inlineSpendUsd).toBe(0.03);
  });

  it('tracks the id and usage of a stream with CR-only line endings', async () => {
    const { id, record } = await streamThrough((id) => [
      `data: ${chunk(id, 'a')}\r\r`,
      `: keep-alive\r\rdata: ${lastChunk(id, 0.04)}\r`,
      '\rdata: [DONE]\r\r',
    ]);
    expect(record.generationIds).toEqual([id]);
    expect(record.unresolved[0]?.inlineSpendUsd).toBe(0.04);
  });

  it('joins the usage of a CR-only stream to the X-Generation-Id header', async () => {
    const { id, record } = await streamThrough(
      (id) => [`data: ${chunk(id, 'x'.repeat(1_100_000))}\r\r`, `data: ${lastChunk(id, 0.05)}\r\r`],
      true,
    );
    expect(record.generationIds).toEqual([id]);
    expect(record.spendUsd).toBe(0.05);
  });
});

describe('URL matching', () => {
  it('tracks a URL written with another case, slash or explicit port than the base URL', async () => {
    hostile = await startHostile((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'x-generation-id': newId() });
      response.end('{}');
    });
    const { port } = new URL(hostile.url);
    const upstream = `http://127.0.0.1:${port}/api/v1/`;
    app = await startLoggedApp(upstream, async (trackingFetch, response) => {
      const answer = await trackingFetch(`HTTP://127.0.0.1:${port}/api/v1//chat/completions`, {
        method: 'POST',
      });
      await answer.text();
      response.json({ ok: true });
    });
    await fetch(app.url, { method: 'POST' });
    const [record] = await app.waitForRecords(1);
    expect(record!.generationIds).toHaveLength(1);
  });

  it('treats a default port and host case as the same origin', async () => {
    const ids: string[] = [];
    const canned = async () => {
      const id = newId();
      ids.push(id);
      // the id in the body only: a valid X-Generation-Id would be tracked from any URL
      return new Response(JSON.stringify({ id }), {
        headers: { 'content-type': 'application/json' },
      });
    };
    const trackingFetch = createTrackingFetch({
      fetch: canned,
      baseUrl: 'https://openrouter.test:443/api/v1',
    });
    hostile = await startHostile(() => undefined);
    app = await startLoggedApp(hostile.url, async (_unused, response) => {
      await trackingFetch('https://OpenRouter.TEST/api/v1/chat/completions');
      await trackingFetch('https://openrouter.test:443/api/v1/embeddings/');
      // not OpenRouter: another port, another path, the stats endpoint itself
      await trackingFetch('https://openrouter.test:8443/api/v1/chat/completions');
      await trackingFetch('https://openrouter.test/api/v2/chat/completions');
      await trackingFetch('https://openrouter.test/api/v1/generation?id=gen-1');
      response.json({ ok: true });
    });
    await fetch(app.url, { method: 'POST' });
    const [record] = await app.waitForRecords(1);
    expect(record!.generationIds).toEqual(ids.slice(0, 2));
  });
});

describe('inline cost without is_byok', () => {
  it('keeps a completion body without is_byok unknown (only the app may say it is not BYOK)', async () => {
    const id = newId();
    hostile = await startHostile((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id, choices: [], usage: { cost: 0.07 } }));
    });
    const upstream = hostile.url;
    app = await startLoggedApp(upstream, async (trackingFetch, response) => {
      await (await chatAt(trackingFetch, upstream)).json();
      response.json({ ok: true });
    });
    await fetch(app.url, { method: 'POST' });
    const [record] = await app.waitForRecords(1);
    expect(record!.generationIds).toEqual([id]);
    expect(record!.spendUsd).toBeNull();
    expect(record!.unresolved[0]!.inlineSpendUsd).toBeUndefined();
  });
});

// Issue 10 item 1: ids from tracked fetches that finish after the response closed.
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../helpers.js';
import {
  chatAt,
  completion,
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

/** Sends a request and goes away once `gone()` holds, without reading any answer. */
async function leaveWhen(url: string, gone: () => boolean): Promise<void> {
  const request = httpRequest(url, { method: 'POST' });
  request.on('error', () => undefined);
  request.end();
  await waitUntil(gone);
  request.destroy();
}

describe('tracked fetches still running when the response is over', () => {
  it.each([
    ['the id in the JSON body', false],
    ['the X-Generation-Id header', true],
  ])('keeps ids of completions answered after the client went away (%s)', async (_name, header) => {
    const ids: string[] = [];
    hostile = await startHostile((_request, response) => {
      const id = newId();
      ids.push(id);
      // answers once the browser has gone
      setTimeout(() => {
        response.writeHead(200, {
          'content-type': 'application/json',
          ...(header ? { 'x-generation-id': id } : {}),
        });
        response.end(completion(id));
      }, 300);
    });
    const upstream = hostile.url;
    app = await startLoggedApp(upstream, async (trackingFetch, response) => {
      const answer = await chatAt(trackingFetch, upstream);
      response.json(await answer.json());
    });
    await Promise.all(
      [1, 2, 3, 4, 5].map((count) => leaveWhen(app!.url, () => hostile!.chats >= count)),
    );
    const records = await app.waitForRecords(5);
    expect(records.every((record) => record.aborted)).toBe(true);
    expect(records.flatMap((record) => record.generationIds).sort()).toEqual([...ids].sort());
    for (const record of records) {
      // the lookups fail here (stats never ready within the 300 ms deadline: the last answer was
      // a 404, or, on a loaded machine, the deadline ran out mid-attempt): the inline cost still
      // prices each one
      expect(record.unresolved[0]).toMatchObject({ inlineSpendUsd: 0.01 });
      expect(['not_found', 'timeout']).toContain(record.unresolved[0]?.reason);
      expect(record.spendUsd).toBe(0.01);
    }
  });

  it('keeps the id of a slow JSON body the handler never read', async () => {
    const id = newId();
    hostile = await startHostile((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.flushHeaders();
      setTimeout(() => response.end(completion(id, 0.02)), 200);
    });
    const upstream = hostile.url;
    app = await startLoggedApp(upstream, async (trackingFetch, response) => {
      await chatAt(trackingFetch, upstream); // headers only: the body is never read
      response.json({ answered: true });
    });
    const answer = await fetch(app.url, { method: 'POST' });
    expect(await answer.json()).toEqual({ answered: true });
    const [record] = await app.waitForRecords(1);
    expect(record!.generationIds).toEqual([id]);
    expect(record!.spendUsd).toBe(0.02);
    expect(record!.aborted).toBe(false);
  });

  it('reads a stream nobody reads up to its first id', async () => {
    const id = newId();
    hostile = await startHostile((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.flushHeaders();
      setTimeout(() => {
        response.write(`data: {"id":"${id}","choices":[{"delta":{"content":"a"}}]}\n\n`);
      }, 150);
      // the rest of the stream never comes
    });
    const upstream = hostile.url;
    app = await startLoggedApp(upstream, async (trackingFetch, response) => {
      await chatAt(trackingFetch, upstream, true);
      response.json({ answered: true });
    });
    expect((await fetch(app.url, { method: 'POST' })).status).toBe(200);
    const [record] = await app.waitForRecords(1);
    expect(record!.generationIds).toEqual([id]);
    expect(record!.unresolvedFetches).toBeUndefined();
  });

  it('lists a fetch still running after inflightWaitMs as unresolved, cost unknown', async () => {
    hostile = await startHostile(() => {
      // never answers
    });
    const upstream = hostile.url;
    app = await startLoggedApp(
      upstream,
      async (trackingFetch, response) => {
        const answer = await chatAt(trackingFetch, upstream);
        response.json(await answer.json());
      },
      { inflightWaitMs: 200 },
    );
    await leaveWhen(app.url, () => hostile!.chats >= 1);
    const [record] = await app.waitForRecords(1);
    expect(record).toMatchObject({
      generationIds: [],
      unresolvedFetches: [{ url: `${upstream}/chat/completions`, reason: 'in_flight' }],
      spendUsd: null,
      spendComplete: false,
    });
  });
});

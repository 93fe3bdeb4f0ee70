// @genmeta/node-middleware in an app's own Express 5 and Express 4.17 (the peer range's floor): a
// request that calls the model through createTrackingFetch emits one cost record, and
// generationProxy serves that id and refuses an untracked one. The fetch-style surface
// (handle, proxy.fetch) and the /hono and /fastify subpaths load without their frameworks.
// app-dependencies: express@^5.0.0
// app-dependencies: express@~4.17.0
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { costLogger, createTrackingFetch, generationProxy } from '@genmeta/node-middleware';
import express from 'express';

const baseUrl = process.env.OPENROUTER_BASE_URL;
const apiKey = process.env.OPENROUTER_API_KEY;
const records = [];
const logger = costLogger({ onRecord: (record) => records.push(record) });
const trackingFetch = createTrackingFetch(); // tracks ids under OPENROUTER_BASE_URL

const app = express();
app.use(logger);
app.post('/api/chat', async (_request, response) => {
  const completion = await trackingFetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hello from the rehearsal' }] }),
  });
  response.json({ id: (await completion.json()).id });
});
app.use('/api/genmeta', generationProxy());

const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
const origin = `http://127.0.0.1:${server.address().port}`;
try {
  const chat = await fetch(`${origin}/api/chat`, { method: 'POST' });
  assert.equal(chat.status, 200);
  const { id } = await chat.json();

  await logger.flush(); // the record is emitted once the stats are in
  assert.equal(records.length, 1, 'one record for the one request');
  const [record] = records;
  assert.deepEqual(record.generationIds, [id]);
  assert.equal(record.unresolved.length, 0);
  assert.equal(typeof record.spendUsd, 'number');

  const proxied = await fetch(`${origin}/api/genmeta/generation?id=${id}`);
  assert.equal(proxied.status, 200);
  assert.equal((await proxied.json()).data.id, id);
  const untracked = await fetch(`${origin}/api/genmeta/generation?id=gen-0-untracked`);
  assert.equal(untracked.status, 403);

  // fetch-style: a Web Request in, a Response out, one record once the body was read
  const handled = logger.handle(async () => {
    const answer = await trackingFetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hello from a handler' }] }),
    });
    return Response.json({ id: (await answer.json()).id });
  });
  const handledResponse = await handled(
    new Request('http://app.local/api/chat', { method: 'POST' }),
  );
  const handledId = (await handledResponse.json()).id;
  await logger.flush();
  assert.deepEqual(records[1]?.generationIds, [handledId]);
  const viaFetch = await generationProxy().fetch(
    new Request(`http://app.local/api/genmeta/generation?id=${handledId}`),
  );
  assert.equal(viaFetch.status, 200);
  const hono = await import('@genmeta/node-middleware/hono');
  const fastify = await import('@genmeta/node-middleware/fastify');
  assert.equal(typeof hono.costLogger, 'function');
  assert.equal(typeof fastify.generationProxy, 'function');

  const { version } = createRequire(import.meta.url)('express/package.json');
  console.log(`express ${version}: record for ${id}, spend ${record.spendUsd}`);
} finally {
  server.close();
  await logger.close();
}

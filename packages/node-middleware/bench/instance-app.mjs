// One app instance for bench/instances.mjs, in its own process: costLogger + generationProxy on
// STORES=memory (the process's default registry and client) or STORES=redis (@genmeta/redis at
// REDIS_URL: cache and registry). GET / tracks the next id of IDS_FILE and answers at once (the
// trivial tracked app); with AWAIT_ADD=1 it first awaits the registry write itself (to measure
// what awaiting the write before the response costs). POST /api/chat makes a chat completion at
// the fake through createTrackingFetch and answers its id. Prints `listening <port>` on stderr.
import { readFileSync } from 'node:fs';
import { createRedisStores } from '@genmeta/redis';
import express from 'express';
import {
  costLogger,
  createMemoryRegistry,
  createTrackingFetch,
  generationProxy,
  trackGeneration,
} from '../dist/index.js';

const { FAKE_URL: baseUrl, FAKE_KEY: apiKey } = process.env;
const ids = process.env.IDS_FILE ? JSON.parse(readFileSync(process.env.IDS_FILE, 'utf8')) : [];
const stores =
  process.env.STORES === 'redis'
    ? createRedisStores(
        { url: process.env.REDIS_URL },
        // LOCAL_CACHE=0: every read goes to Redis (the stores' process-local copy off).
        {
          prefix: process.env.PREFIX,
          ...(process.env.LOCAL_CACHE === '0' && { localCacheEntries: 0 }),
        },
      )
    : undefined;
// The memory registry is the default's kind; named here so AWAIT_ADD can write to it too.
const registry = stores?.registry ?? createMemoryRegistry();
const cache = stores?.cache;
const clientOptions = { baseUrl, apiKey, ...(cache && { cache }) };
const logger = costLogger({ registry, clientOptions, onRecord: () => undefined });
const trackingFetch = createTrackingFetch({ baseUrl });
const awaitAdd = process.env.AWAIT_ADD === '1';
let next = 0;

const app = express();
app.use(logger);
app.get('/', async (_request, response) => {
  const id = ids[next % ids.length];
  next += 1;
  trackGeneration(id);
  if (awaitAdd) await registry.add(id);
  response.json({ ok: true, at: Date.now() });
});
app.post('/api/chat', async (_request, response) => {
  const completion = await trackingFetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: `question ${next++}` }] }),
  });
  response.json({ id: (await completion.json()).id });
});
// The proxy's reads, counted: each `false` is a re-check (or, the third time, a refusal).
const reads = { has: 0, no: 0 };
const countedRegistry = {
  add: (id) => registry.add(id),
  async has(id) {
    reads.has += 1;
    const held = await registry.has(id);
    if (!held) reads.no += 1;
    return held;
  },
};
app.use('/api/genmeta', generationProxy({ registry: countedRegistry, clientOptions }));

// Control route (not measured): records emitted, then the process's CPU so far.
app.get('/__settle', async (_request, response) => {
  await logger.flush();
  const cpu = process.cpuUsage();
  response.json({ cpuMicroseconds: cpu.user + cpu.system, reads });
});

const server = app.listen(0, '127.0.0.1', () => {
  process.stderr.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', async () => {
  await logger.close({ timeoutMs: 2_000 });
  await stores?.close();
  process.exit(0);
});

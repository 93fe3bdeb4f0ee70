// Benchmark of several instances on @genmeta/redis (built dist), loopback only, bounded in time.
//   1. throughput: the trivial tracked app (one id per request from a pool of 200, res.json)
//      on the memory stores, on the Redis stores without and with (the default) their
//      process-local copy of finished generations (what the Redis cache read costs), and on the Redis stores
//      with the handler awaiting the registry write before it answers; alternating rounds under autocannon;
//      medians of requests/s ratio, mean and p99 latency and CPU per request (the app's
//      process.cpuUsage, background work included) against the memory stores.
//   2. upstream requests per viewed generation: chats answered by instance A, each then viewed
//      the way useGeneration does (core's client against the proxy, waiting out not-ready
//      404s) on A itself (one instance) or on instance B (two instances), against a fake whose
//      stats are ready 1 s after each completion; the fake's generation calls per generation.
// Environment: BENCH_SECONDS (default 10), BENCH_ROUNDS (3), BENCH_CONNECTIONS (10),
// BENCH_VIEWS (100), BENCH_ONLY (comma-separated; this file runs when it names `instances` or
// is unset). Needs redis-server (REDIS_SERVER_PATH, default /usr/bin/redis-server).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@genmeta/core';
import { startFakeOpenRouter } from '@genmeta/fake-openrouter';
import autocannon from 'autocannon';

if (process.env.BENCH_ONLY && !process.env.BENCH_ONLY.split(',').includes('instances')) {
  process.exit(0);
}
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const views = Number(process.env.BENCH_VIEWS ?? 100);
const appScript = fileURLToPath(new URL('./instance-app.mjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'genmeta-bench-instances-'));
const children = [];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const signed = (value, digits = 0) => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis() {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', scratch];
  args.push('--save', '', '--appendonly', 'no', '--loglevel', 'warning');
  children.push(spawn(process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server', args));
  for (let attempt = 0; attempt < 250; attempt += 1) {
    const up = await new Promise((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => resolve(Boolean(socket.destroy())));
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (up) return `redis://127.0.0.1:${port}`;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('redis-server did not start');
}

async function startApp(env) {
  const child = spawn(process.execPath, [appScript], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  const port = await new Promise((resolve, reject) => {
    let text = '';
    child.stderr.on('data', (chunk) => {
      text += chunk;
      const match = /listening (\d+)/.exec(text);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`app exited (${code}): ${text}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

const settle = async (app) => (await fetch(`${app.url}/__settle`)).json();

async function throughput(fake, redisUrl) {
  const added = await Promise.all(Array.from({ length: 200 }, () => fake.addGeneration().id));
  const idsFile = join(scratch, 'ids.json');
  writeFileSync(idsFile, JSON.stringify(added));
  const base = {
    FAKE_URL: fake.url,
    FAKE_KEY: fake.apiKey,
    IDS_FILE: idsFile,
    REDIS_URL: redisUrl,
  };
  const apps = [
    { name: 'memory stores', app: await startApp({ ...base, STORES: 'memory' }) },
    {
      name: 'Redis stores, no local copy',
      app: await startApp({ ...base, STORES: 'redis', PREFIX: 't1:', LOCAL_CACHE: '0' }),
    },
    {
      name: 'Redis stores (local copy, the default)',
      app: await startApp({ ...base, STORES: 'redis', PREFIX: 't3:' }),
    },
    {
      name: 'Redis stores, add awaited',
      app: await startApp({ ...base, STORES: 'redis', PREFIX: 't2:', AWAIT_ADD: '1' }),
    },
  ];
  console.log('trivial tracked app (costLogger + trackGeneration of a cached id, res.json):');
  for (const { app } of apps) {
    await autocannon({ url: app.url, connections, duration: 2 }); // warm up, fill the caches
    await settle(app);
  }
  const results = apps.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, { name, app }] of apps.entries()) {
      const before = await settle(app);
      const result = await autocannon({ url: app.url, connections, duration: seconds });
      if (result.errors || result.non2xx) throw new Error(`${name}: failed requests`);
      const after = await settle(app);
      const cpu = (after.cpuMicroseconds - before.cpuMicroseconds) / result.requests.total;
      const entry = {
        rps: result.requests.average,
        mean: result.latency.average,
        p99: result.latency.p99,
        cpu,
      };
      results[index].push(entry);
      console.log(
        `  round ${round + 1} ${name.padEnd(26)} ${entry.rps.toFixed(0).padStart(6)} req/s  mean ${entry.mean.toFixed(2)} ms  p99 ${entry.p99} ms  ${cpu.toFixed(0).padStart(4)} µs CPU/request`,
      );
    }
  }
  // Against the memory stores of the same round (rounds next to each other share the noise).
  for (let index = 1; index < apps.length; index += 1) {
    const pairs = results[index].map((entry, round) => [entry, results[0][round]]);
    const ratio = median(pairs.map(([entry, bar]) => entry.rps / bar.rps));
    const cpu = median(pairs.map(([entry, bar]) => entry.cpu - bar.cpu));
    const mean = median(pairs.map(([entry, bar]) => entry.mean - bar.mean));
    const p99 = median(pairs.map(([entry, bar]) => entry.p99 - bar.p99));
    console.log(
      `  = ${apps[index].name} against memory stores (median of rounds): ${ratio.toFixed(3)}x req/s, ${signed(cpu, 1)} µs CPU/request, mean latency ${signed(mean, 2)} ms, p99 ${signed(p99)} ms`,
    );
  }
  console.log('');
  for (const { app } of apps) app.child.kill();
}

/** Chats on `chatOn`, each viewed on `viewOn` as useGeneration would; the fake's calls per id. */
async function viewed(fake, name, chatOn, viewOn) {
  const ids = [];
  let refused = 0;
  const inParallel = 10;
  for (let batch = 0; batch < views / inParallel; batch += 1) {
    await Promise.all(
      Array.from({ length: inParallel }, async () => {
        const chat = await fetch(`${chatOn.url}/api/chat`, { method: 'POST' });
        const { id } = await chat.json();
        const browser = createClient({ baseUrl: `${viewOn.url}/api/genmeta`, apiKey: null });
        // waits out the proxy's not-ready 404s; a 403 fails at once (code forbidden)
        await browser.getGeneration(id).catch((error) => {
          if (error?.code !== 'forbidden') throw error;
          refused += 1;
        });
        ids.push(id);
      }),
    );
  }
  const settled = await Promise.all([settle(chatOn), settle(viewOn)]); // every record emitted
  const reads = settled[1].reads;
  const calls = ids.map((id) =>
    fake.calls.filter((call) => call.path === '/api/v1/generation' && call.id === id),
  );
  const all = calls.reduce((sum, list) => sum + list.length, 0) / ids.length;
  const ok = calls.map((list) => list.filter((call) => call.status === 200).length);
  const twice = ok.filter((count) => count > 1).length;
  const rechecks = `${reads.no} registry re-checks in ${reads.has} reads, ${refused} refused (403)`;
  console.log(
    `  ${name.padEnd(40)} ${all.toFixed(2)} upstream requests per generation (404s included), ${(ok.reduce((a, b) => a + b, 0) / ids.length).toFixed(2)} successful; ${twice} of ${ids.length} looked up successfully more than once; ${rechecks}`,
  );
}

async function upstreamPerView(redisUrl) {
  const fake = await startFakeOpenRouter({ statsDelayMs: 1_000 });
  try {
    const base = { FAKE_URL: fake.url, FAKE_KEY: fake.apiKey, REDIS_URL: redisUrl };
    console.log(
      `upstream requests per viewed generation (${views} chats, 10 at once; stats ready 1 s after each; viewed through the proxy like useGeneration):`,
    );
    const single = await startApp({ ...base, STORES: 'memory' });
    await viewed(fake, 'one instance, memory stores', single, single);
    const singleRedis = await startApp({ ...base, STORES: 'redis', PREFIX: 'v1:' });
    await viewed(fake, 'one instance, Redis stores', singleRedis, singleRedis);
    const [a, b] = await Promise.all([
      startApp({ ...base, STORES: 'redis', PREFIX: 'v2:' }),
      startApp({ ...base, STORES: 'redis', PREFIX: 'v2:' }),
    ]);
    await viewed(fake, 'two instances, Redis stores (chat A, view B)', a, b);
    for (const app of [single, singleRedis, a, b]) app.child.kill();
  } finally {
    await fake.close();
  }
}

try {
  console.log(
    `@genmeta/node-middleware bench, several instances: ${rounds} rounds of ${seconds} s, ${connections} connections, Node ${process.version}\n`,
  );
  const redisUrl = await startRedis();
  const fake = await startFakeOpenRouter();
  try {
    await throughput(fake, redisUrl);
  } finally {
    await fake.close();
  }
  await upstreamPerView(redisUrl);
} finally {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill();
  await Promise.all(running.map((child) => once(child, 'exit')));
  rmSync(scratch, { recursive: true, force: true });
}

// Benchmark of @genmeta/node-middleware (built dist), loopback only, bounded in time.
//   1. throughput, trivial handler: the same Express app without and with costLogger +
//      trackGeneration (one pre-created generation id per request, from a pool of 200 that
//      core's cache keeps), and with costLogger but no tracked id (the request path alone);
//      beside them the hand-rolled floor (the least any cost logger must do per request:
//      an AsyncLocalStorage context, a close listener, a Map lookup of the cached generation,
//      one JSON line batched per event-loop turn), and costLogger's ratio to that floor.
//   2. throughput, LLM handler: each request makes a non-streaming chat completion at the fake
//      through plain fetch, or through createTrackingFetch under costLogger (a new generation,
//      so a real lookup, per request), and the same with `lookup: 'missing'` (priced from the
//      answer's inline cost: no lookup; target <= 1.4x the CPU per request of plain fetch).
//      Both in alternating rounds under autocannon; medians of requests/s ratio, p99 latency
//      difference and CPU per request (process.cpuUsage of the app, background work included).
//   3. attributes: costLogger + trackGeneration against the same with attributes on every record
//      (the `attributes` option, setCostAttributes) and the otelMetrics sink on a real
//      MeterProvider; target at most +5 µs CPU per request.
//   3b. alerts: the same records (attributes, stdout) with and without costAlerts (two budget
//      rules, one anomaly rule); target at most +5 µs CPU per request. Memory per alert group:
//      bench/alerts-memory.mjs.
//   4. memory: 20,000 requests with distinct tracked ids; heap after settling (flush + gc)
//      against the heap before.
//   5. spend: a spend check of a key with 300,000 past requests against an empty key
//      (bench/spend-check.mjs).
// Environment: BENCH_SECONDS (default 10), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (10),
// BENCH_MEMORY_REQUESTS (20000), BENCH_ONLY (comma-separated: trivial, chat, attributes, alerts,
// memory, spend; default all).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { spendCheckBench } from './spend-check.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const memoryRequests = Number(process.env.BENCH_MEMORY_REQUESTS ?? 20_000);
const only = new Set(
  (process.env.BENCH_ONLY ?? 'trivial,chat,attributes,alerts,memory,spend').split(','),
);
const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const fakeBin = fileURLToPath(new URL('../../fake-openrouter/dist/bin.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'genmeta-bench-'));
const children = [];

function start(args, env = {}) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', env.KEEP_STDOUT ? 'pipe' : 'ignore', 'pipe'],
  });
  children.push(child);
  return child;
}

function waitForLine(stream, pattern) {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk) => {
      text += chunk;
      const match = pattern.exec(text);
      if (match) {
        stream.off('data', onData);
        resolve(match);
      }
    };
    stream.on('data', onData);
    stream.once('end', () => reject(new Error(`stream ended before ${pattern}: ${text}`)));
  });
}

async function startFake(extraArgs = []) {
  const child = start([fakeBin, '--port', '0', ...extraArgs], { KEEP_STDOUT: '1' });
  const [, url, key] = await waitForLine(
    child.stdout,
    /OPENROUTER_BASE_URL=(\S+)\s+OPENROUTER_API_KEY=(\S+)/,
  );
  return { url, key, origin: new URL(url).origin, child };
}

async function createIds(fake, count) {
  const response = await fetch(`${fake.origin}/__fake/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fake.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ count }),
  });
  if (!response.ok) throw new Error(`admin endpoint answered ${response.status}`);
  return (await response.json()).ids;
}

async function startApp(mode, fake, idsFile, nodeArgs = [], env = {}) {
  const child = start([...nodeArgs, here('./app.mjs')], {
    ...env,
    MODE: mode,
    FAKE_URL: fake.url,
    FAKE_KEY: fake.key,
    IDS_FILE: idsFile,
  });
  const [, port] = await waitForLine(child.stderr, /listening (\d+)/);
  return { url: `http://127.0.0.1:${port}`, child };
}

function load(url, options) {
  return autocannon({ url, connections, ...options });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function settle(app) {
  return (await fetch(`${app.url}/__settle`)).json();
}

const signed = (value, digits = 0) => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;

/**
 * Alternating rounds of the given apps (the first is the baseline) under the same load; prints
 * each round, then one labeled row per app against the baseline (medians).
 */
async function compare(title, apps, duration = seconds) {
  console.log(`${title}`);
  for (const { app } of apps) {
    await load(app.url, { duration: 2 }); // warm up (JIT, connection pools, core's cache)
    await settle(app);
  }
  const results = apps.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, { name, app }] of apps.entries()) {
      const before = await settle(app);
      const result = await load(app.url, { duration });
      if (result.errors || result.non2xx) {
        throw new Error(`${name}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
      }
      // CPU the app spent per request, background lookups and records included (after settling)
      const after = await settle(app);
      const cpu = (after.cpuMicroseconds - before.cpuMicroseconds) / result.requests.total;
      const lookups = after.lookups - before.lookups;
      results[index].push({ rps: result.requests.average, p99: result.latency.p99, cpu, lookups });
      console.log(
        `  round ${round + 1} ${name.padEnd(34)} ${result.requests.average.toFixed(0).padStart(6)} req/s  p99 ${String(result.latency.p99).padStart(3)} ms  ${cpu.toFixed(0).padStart(4)} µs CPU/request`,
      );
    }
  }
  const summary = results.map((entries) => ({
    rps: median(entries.map((entry) => entry.rps)),
    p99: median(entries.map((entry) => entry.p99)),
    cpu: median(entries.map((entry) => entry.cpu)),
  }));
  const [base] = summary;
  console.log(
    `  = ${apps[0].name}: ${base.rps.toFixed(0)} req/s, p99 ${base.p99} ms, ${base.cpu.toFixed(0)} µs CPU/request`,
  );
  for (let index = 1; index < apps.length; index += 1) {
    const row = summary[index];
    const ratio = row.rps / base.rps;
    const p99 = row.p99 - base.p99;
    const verdict = apps[index].target
      ? `  [targets >= 0.95x, <= +1 ms: ${ratio >= 0.95 ? 'OK' : 'MISSED'}, ${p99 <= 1 ? 'OK' : 'MISSED'}]`
      : '';
    console.log(
      `  = ${apps[index].name}: ${row.rps.toFixed(0)} req/s = ${ratio.toFixed(3)}x, p99 ${row.p99} ms = ${signed(p99)} ms, ${row.cpu.toFixed(0)} µs CPU/request = ${signed(row.cpu - base.cpu)} µs${verdict}`,
    );
  }
  // Rows with a CPU target against the baseline: the median of the per-round CPU ratios, and
  // the lookups the app made in all measured rounds.
  for (const [index, app] of apps.entries()) {
    if (app.cpuRatioTarget === undefined) continue;
    const ratio = median(results[index].map((entry, round) => entry.cpu / results[0][round].cpu));
    const lookups = results[index].reduce((sum, entry) => sum + entry.lookups, 0);
    console.log(
      `  = ${app.name} against ${apps[0].name} (median of rounds): ${ratio.toFixed(2)}x CPU/request, ${lookups} lookups  [targets <= ${app.cpuRatioTarget}x, 0 lookups: ${ratio <= app.cpuRatioTarget ? 'OK' : 'MISSED'}, ${lookups === 0 ? 'OK' : 'MISSED'}]`,
    );
  }
  // Rows measured against another row than the baseline (costLogger against the floor): the
  // median of the per-round ratios and differences, as rounds next to each other share the
  // machine's noise.
  for (const [index, app] of apps.entries()) {
    if (app.against === undefined) continue;
    const reference = apps.findIndex((candidate) => candidate.name === app.against);
    const pairs = results[index].map((entry, round) => [entry, results[reference][round]]);
    const ratio = median(pairs.map(([entry, bar]) => entry.rps / bar.rps));
    const cpu = median(pairs.map(([entry, bar]) => entry.cpu - bar.cpu));
    console.log(
      `  = ${app.name} against ${app.against} (median of rounds): ${ratio.toFixed(3)}x req/s, ${signed(cpu, 1)} µs CPU/request  [targets >= 0.97x, <= +5 µs: ${ratio >= 0.97 ? 'OK' : 'MISSED'}, ${cpu <= 5 ? 'OK' : 'MISSED'}]`,
    );
  }
  console.log('');
  for (const { app } of apps) app.child.kill();
}

async function throughput(fake) {
  const idsFile = join(scratch, 'ids.json');
  writeFileSync(idsFile, JSON.stringify(await createIds(fake, 200)));
  if (!only.has('trivial')) {
    await attributeCost(fake, idsFile);
    await alertCost(fake, idsFile);
    return chatThroughput(fake, idsFile);
  }
  const trivial = [
    { name: 'plain', app: await startApp('plain', fake, idsFile) },
    { name: 'hand-rolled floor', app: await startApp('floor', fake, idsFile) },
    {
      name: 'costLogger + trackGeneration',
      app: await startApp('genmeta', fake, idsFile),
      against: 'hand-rolled floor',
    },
    {
      name: 'costLogger, no id (request path)',
      app: await startApp('genmeta', fake, idsFile, [], { TRACK: '0' }),
    },
  ];
  await compare(
    'trivial handler (res.json, no upstream call; worst case: tracking competes with nothing):',
    trivial,
  );
  await attributeCost(fake, idsFile);
  await alertCost(fake, idsFile);
  await chatThroughput(fake, idsFile);
}

async function alertCost(fake, idsFile) {
  if (!only.has('alerts')) return;
  const withRecords = { ATTRIBUTES: '1', METRICS: '0' };
  await compare(
    'costAlerts (two budget rules, one anomaly rule, 50 users) over costLogger alone (trivial handler):',
    [
      {
        name: 'costLogger + attributes',
        app: await startApp('genmeta', fake, idsFile, [], withRecords),
      },
      {
        name: '+ costAlerts',
        app: await startApp('genmeta', fake, idsFile, [], { ...withRecords, ALERTS: '1' }),
        against: 'costLogger + attributes',
      },
    ],
  );
}

async function attributeCost(fake, idsFile) {
  if (!only.has('attributes')) return;
  const apps = [
    { name: 'costLogger + trackGeneration', app: await startApp('genmeta', fake, idsFile) },
    {
      name: '+ attributes',
      app: await startApp('genmeta', fake, idsFile, [], { ATTRIBUTES: '1', METRICS: '0' }),
    },
    {
      name: '+ attributes + otelMetrics',
      app: await startApp('genmeta', fake, idsFile, [], { ATTRIBUTES: '1' }),
      against: 'costLogger + trackGeneration',
    },
  ];
  await compare(
    'records with attributes and the otelMetrics sink (trivial handler, one cached id per request):',
    apps,
  );
}

async function chatThroughput(fake, idsFile) {
  if (!only.has('chat')) return;
  const chat = [
    { name: 'plain fetch', app: await startApp('plain', fake, idsFile, [], { HANDLER: 'chat' }) },
    {
      name: 'costLogger + createTrackingFetch',
      app: await startApp('genmeta', fake, idsFile, [], { HANDLER: 'chat' }),
      target: true,
    },
    {
      name: "the same, lookup: 'missing'",
      app: await startApp('genmeta', fake, idsFile, [], { HANDLER: 'chat', LOOKUP: 'missing' }),
      cpuRatioTarget: 1.4,
    },
  ];
  await compare(
    'LLM handler (one non-streaming chat completion at the fake per request, new id each time; the fake answers at once, so the app is CPU-bound):',
    chat,
    Math.max(2, Math.round(seconds * 0.6)),
  );
  // The same with a model that takes 100 ms to answer, as real ones do (and longer): the app
  // waits on I/O, so throughput is set by the latency and the cost shows as CPU per request.
  // Lookups take 100 ms too: at the default concurrency of 4 they would keep up with 40
  // requests/s only, so this app runs them 16 at once.
  const slowFake = await startFake(['--latency-ms', '100']);
  const slowChat = [
    {
      name: 'plain fetch',
      app: await startApp('plain', slowFake, idsFile, [], { HANDLER: 'chat' }),
    },
    {
      name: 'costLogger + createTrackingFetch',
      app: await startApp('genmeta', slowFake, idsFile, [], { HANDLER: 'chat', CONCURRENCY: '16' }),
      target: true,
    },
  ];
  await compare(
    'LLM handler, model and lookups answering in 100 ms (I/O-bound; lookup concurrency 16):',
    slowChat,
    Math.max(2, Math.round(seconds * 0.4)),
  );
  slowFake.child.kill();
}

async function memory(fake) {
  const idsFile = join(scratch, 'memory-ids.json');
  const ids = [];
  while (ids.length < memoryRequests) {
    ids.push(...(await createIds(fake, Math.min(10_000, memoryRequests - ids.length))));
  }
  writeFileSync(idsFile, JSON.stringify(ids));
  const app = await startApp('genmeta', fake, idsFile, ['--expose-gc']);
  // one request to load every code path before the baseline
  await load(app.url, { amount: 10, connections: 1 });
  const before = await settle(app);
  const result = await load(app.url, { amount: memoryRequests - 10 });
  const after = await settle(app);
  const growth = (after.heapUsed - before.heapUsed) / 1024 / 1024;
  console.log(
    `\nmemory: ${after.tracked} requests with distinct tracked ids (${result.non2xx + result.errors} failed); heap ${(before.heapUsed / 1024 / 1024).toFixed(1)} MB before, ${(after.heapUsed / 1024 / 1024).toFixed(1)} MB after settling: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB (target within 20 MB) ${Math.abs(growth) <= 20 ? 'OK' : 'MISSED'}`,
  );
  app.child.kill();
}

try {
  const fake = await startFake();
  console.log(
    `@genmeta/node-middleware bench: ${rounds} A/B rounds of ${seconds} s, ${connections} connections, Node ${process.version}\n`,
  );
  await throughput(fake);
  if (only.has('memory')) await memory(fake);
  if (only.has('spend')) await spendCheckBench();
} finally {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill();
  await Promise.all(running.map((child) => once(child, 'exit')));
  rmSync(scratch, { recursive: true, force: true });
}

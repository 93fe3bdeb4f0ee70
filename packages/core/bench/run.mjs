// Lookup throughput of @genmeta/core vs plain fetch + JSON.parse vs @openrouter/sdk against the
// fake OpenRouter in its own process, then gzipped browser bundle sizes, then the not-ready
// schedule (requests and overshoot past readiness, before and now). Loopback only.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { OpenRouterCore } from '@openrouter/sdk/core.js';
import { generationsGetGeneration } from '@openrouter/sdk/funcs/generationsGetGeneration.js';
import ky from 'ky';
import { createClient } from '../dist/index.js';
import { bundleSize, coreEntry, sdkEntry } from './bundle-size.mjs';
import { runColdStartBench } from './cold-start.mjs';
import { runLearnedScheduleBench, runNotReadyBench } from './not-ready.mjs';

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
const perRound = Number(process.env.BENCH_LOOKUPS ?? 1500);
const warmup = 200;
// An earlier build's dist/index.js to run side by side with this one, e.g. before a change:
// `git stash; pnpm build; cp -r dist /tmp/before; git stash pop; pnpm build;
// BENCH_BEFORE=/tmp/before/index.js pnpm bench` (it resolves ky from this package).
const before = process.env.BENCH_BEFORE
  ? await import(new URL(process.env.BENCH_BEFORE, `file://${process.cwd()}/`).href)
  : undefined;

async function startFake() {
  const bin = fileURLToPath(import.meta.resolve('@genmeta/fake-openrouter/package.json'));
  const child = spawn(
    process.execPath,
    [new URL('dist/bin.js', `file://${bin}`).pathname, '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const settings = {};
  const lines = createInterface({ input: child.stdout });
  const timer = setTimeout(() => child.kill(), 10_000);
  for await (const line of lines) {
    const [name, ...rest] = line.split('=');
    settings[name] = rest.join('=');
    if (settings.OPENROUTER_BASE_URL && settings.OPENROUTER_API_KEY) break;
  }
  clearTimeout(timer);
  if (!settings.OPENROUTER_BASE_URL) throw new Error('the fake did not print its URL');
  return { child, url: settings.OPENROUTER_BASE_URL, apiKey: settings.OPENROUTER_API_KEY };
}

async function createGenerations(fake, count) {
  const origin = new URL(fake.url).origin;
  const response = await fetch(`${origin}/__fake/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ count }),
  });
  if (!response.ok) throw new Error(`admin endpoint answered ${response.status}`);
  const { ids } = await response.json();
  return ids;
}

/**
 * Runs `lookup` over `ids` with `concurrency` in flight; returns elapsed wall ms and the CPU ms
 * this process spent (the fake runs in its own process, so that is the client side alone, and it
 * is far less sensitive than wall time to other load on the machine).
 */
async function timed(ids, lookup) {
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const generation = await lookup(id);
        if (generation.id !== id) throw new Error(`wrong generation for ${id}`);
      }
    }),
  );
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const fake = await startFake();
try {
  const client = createClient({ apiKey: fake.apiKey, baseUrl: fake.url, cache: false });
  const sdk = new OpenRouterCore({ apiKey: fake.apiKey, serverURL: fake.url });
  const generationUrl = `${fake.url}/generation?id=`;
  const authorization = `Bearer ${fake.apiKey}`;
  const http = ky.create({
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
    headers: { authorization },
  });
  const beforeClient = before?.createClient({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    cache: false,
  });
  const contestants = {
    'genmeta core': (id) => client.getGeneration(id),
    ...(beforeClient ? { 'core (before)': (id) => beforeClient.getGeneration(id) } : {}),
    'plain fetch': async (id) => {
      const response = await fetch(generationUrl + encodeURIComponent(id), {
        headers: { authorization },
      });
      const body = JSON.parse(await response.text());
      if (!response.ok) throw new Error(`status ${response.status}`);
      return body.data;
    },
    // Reference, not a target: what cancellation costs. Any AbortSignal given to Node's fetch
    // adds listener and finalizer bookkeeping per request; core needs one for its per-attempt
    // timeout and for abort.
    'fetch + signal': async (id) => {
      const controller = new AbortController();
      const response = await fetch(generationUrl + encodeURIComponent(id), {
        headers: { authorization },
        signal: controller.signal,
      });
      const body = JSON.parse(await response.text());
      if (!response.ok) throw new Error(`status ${response.status}`);
      return body.data;
    },
    // Reference, not a target: the HTTP layer core is built on, with no retries or validation.
    'ky + JSON.parse': async (id) => {
      const response = await http.get(generationUrl + encodeURIComponent(id));
      const body = JSON.parse(await response.text());
      if (!response.ok) throw new Error(`status ${response.status}`);
      return body.data;
    },
    '@openrouter/sdk': async (id) => {
      const result = await generationsGetGeneration(sdk, { id });
      if (!result.ok) throw result.error;
      return result.value.data;
    },
  };
  const names = Object.keys(contestants);
  const needed = warmup * names.length + rounds * perRound * names.length;
  const ids = await createGenerations(fake, needed);
  let cursor = 0;
  const take = (count) => {
    const slice = ids.slice(cursor, cursor + count);
    cursor += count;
    return slice;
  };

  for (const name of names) await timed(take(warmup), contestants[name]);
  const samples = Object.fromEntries(names.map((name) => [name, { wall: [], cpu: [] }]));
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round so no contestant always runs first or last.
    for (let offset = 0; offset < names.length; offset++) {
      const name = names[(round + offset) % names.length];
      const { wall, cpu } = await timed(take(perRound), contestants[name]);
      samples[name].wall.push(wall / perRound);
      samples[name].cpu.push(cpu / perRound);
    }
  }

  console.log(
    `lookups of distinct ids, concurrency ${concurrency}, ${rounds} rounds x ${perRound} per contestant (median of rounds)`,
  );
  console.log('  (wall: time per lookup; cpu: client-process CPU per lookup, the steadier figure)');
  const baseline = median(samples['plain fetch'].wall);
  const cpuBaseline = median(samples['plain fetch'].cpu);
  for (const name of names) {
    const perLookup = median(samples[name].wall);
    const cpu = median(samples[name].cpu);
    console.log(
      `  ${name.padEnd(16)} ${(perLookup * 1000).toFixed(1).padStart(7)} µs/lookup  ${Math.round(
        1000 / perLookup,
      )
        .toString()
        .padStart(6)} lookups/s  ${(perLookup / baseline).toFixed(2)}x plain fetch   cpu ${(
        cpu * 1000
      )
        .toFixed(1)
        .padStart(7)} µs  ${(cpu / cpuBaseline).toFixed(2)}x`,
    );
  }
  const core = median(samples['genmeta core'].wall);
  const official = median(samples['@openrouter/sdk'].wall);
  const kyFloor = median(samples['ky + JSON.parse'].wall);
  const signalFloor = median(samples['fetch + signal'].cpu);
  const coreCpu = median(samples['genmeta core'].cpu);
  const kyCpu = median(samples['ky + JSON.parse'].cpu);
  const sdkCpu = median(samples['@openrouter/sdk'].cpu);
  if (beforeClient) {
    const beforeCpu = median(samples['core (before)'].cpu);
    console.log(
      `  client CPU before: ${(beforeCpu / kyCpu).toFixed(2)}x ky + JSON.parse; now ${(coreCpu / beforeCpu).toFixed(2)}x of before`,
    );
  }
  console.log(
    `  client CPU: core ${(coreCpu / kyCpu).toFixed(2)}x ky + JSON.parse (target <= 1.05x: ${coreCpu / kyCpu <= 1.05 ? 'met' : 'MISSED'}), ${(coreCpu / sdkCpu).toFixed(2)}x @openrouter/sdk (target < 1: ${coreCpu < sdkCpu ? 'met' : 'MISSED'})`,
  );
  console.log(
    `  targets: core within 1.2x of plain fetch: ${core / baseline <= 1.2 ? 'met' : 'MISSED'} (ky alone, the mandated HTTP layer: ${(kyFloor / baseline).toFixed(2)}x; an AbortSignal alone: ${(signalFloor / cpuBaseline).toFixed(2)}x CPU); faster than the SDK: ${core < official ? 'met' : 'MISSED'}`,
  );
} finally {
  fake.child.kill('SIGTERM');
  await once(fake.child, 'exit');
}

const coreSize = await bundleSize(coreEntry);
const sdkSize = await bundleSize(sdkEntry);
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
console.log('browser bundle, minified + gzip (esbuild)');
console.log(
  `  genmeta core createClient + getGeneration: ${kb(coreSize.gzipped)} (${kb(coreSize.minified)} minified)`,
);
console.log(
  `  @openrouter/sdk generationsGetGeneration:  ${kb(sdkSize.gzipped)} (${kb(sdkSize.minified)} minified)`,
);
console.log(
  `  ratio core/sdk: ${(coreSize.gzipped / sdkSize.gzipped).toFixed(2)}; target <= 12 kB: ${coreSize.gzipped <= 12_000 ? 'met' : 'MISSED'}`,
);

runColdStartBench();
await runNotReadyBench();
await runLearnedScheduleBench();

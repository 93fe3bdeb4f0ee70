// `genmeta explain` over N ids (default 1,000) against the fake in its own process, beside
// `genmeta get --json` over the same ids in the same run (alternate rounds, medians): its time,
// the ratio, and how many pricing requests it made (target: one per model, not per id).
// Usage: node bench/explain.mjs [ids] [rounds]   (run `pnpm build` first)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const bin = fileURLToPath(new URL(`../${packageJson.bin.genmeta}`, import.meta.url));
const fakeBin = createRequire(import.meta.url)
  .resolve('@genmeta/fake-openrouter/package.json')
  .replace(/package\.json$/, 'dist/bin.js');
if (!existsSync(bin) || !existsSync(fakeBin)) {
  console.error('the CLI or the fake is not built: run `pnpm build` first');
  process.exit(1);
}
const count = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 3);
const models = [
  'openai/gpt-4o-mini',
  'openai/gpt-4o',
  'anthropic/claude-sonnet-4',
  'google/gemini-2.5-flash',
];

/** The fake, in its own process, logging one line per request (to count pricing requests). */
async function startFake() {
  const child = spawn(process.execPath, [fakeBin, '--port', '0', '--verbose'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  child.stderr
    .setEncoding('utf8')
    .on('data', (chunk) => log.push(...chunk.split('\n').filter(Boolean)));
  let out = '';
  const env = await new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the fake exited with ${code}`)));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const url = /OPENROUTER_BASE_URL=(\S+)/.exec(out)?.[1];
      const key = /OPENROUTER_API_KEY=(\S+)/.exec(out)?.[1];
      if (url && key) resolve({ OPENROUTER_BASE_URL: url, OPENROUTER_API_KEY: key });
    });
  });
  return { env, log, stop: () => child.kill('SIGTERM') };
}

async function addGenerations(env, spec, howMany) {
  const response = await fetch(
    `${env.OPENROUTER_BASE_URL.replace(/\/api\/v1$/, '')}/__fake/generations`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${env.OPENROUTER_API_KEY}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ count: howMany, priced: spec }),
    },
  );
  if (!response.ok)
    throw new Error(`creating generations: ${response.status} ${await response.text()}`);
  return (await response.json()).ids;
}

function runCli(args, env, stdin) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    let lines = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      for (const character of chunk) if (character === '\n') lines += 1;
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0)
        reject(new Error(`genmeta ${args[0]} exited with ${code}: ${stderr.slice(-300)}`));
      else resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, lines });
    });
    child.stdin.end(stdin);
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const fake = await startFake();
try {
  const ids = [];
  const perModel = Math.ceil(count / models.length);
  const kinds = [
    {},
    { cachedTokens: 300 },
    { reasoningTokens: 50 },
    { searchResults: 2 },
    { byok: true },
  ];
  for (const [index, model] of models.entries()) {
    for (const [kindIndex, kind] of kinds.entries()) {
      const howMany = Math.ceil(perModel / kinds.length);
      ids.push(...(await addGenerations(fake.env, { model, ...kind }, howMany)));
      if (index === 0 && kindIndex === 0)
        ids.push(...(await addGenerations(fake.env, { model, provider: 'Azure' }, 5)));
    }
  }
  ids.length = Math.min(ids.length, count);
  const stdin = `${ids.join('\n')}\n`;
  const timings = { get: [], explain: [] };
  let pricingRequests = 0;
  for (let round = 0; round < rounds; round += 1) {
    const get = await runCli(['get', '--json', '--concurrency', '16', '-'], fake.env, stdin);
    timings.get.push(get.ms);
    const before = fake.log.filter((line) => line.includes('/endpoints')).length;
    const explain = await runCli(
      ['explain', '--json', '--concurrency', '16', '-'],
      fake.env,
      stdin,
    );
    if (explain.lines !== ids.length)
      throw new Error(`explain printed ${explain.lines} lines for ${ids.length} ids`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    pricingRequests = fake.log.filter((line) => line.includes('/endpoints')).length - before;
    timings.explain.push(explain.ms);
  }
  const get = median(timings.get);
  const explain = median(timings.explain);
  console.log(
    `explain, node ${process.version}: ${ids.length} ids of ${models.length} models, fake in its own process, ${rounds} alternating rounds`,
  );
  console.log(
    `  get --json      ${get.toFixed(0)} ms (${Math.round((ids.length / get) * 1000)} ids/s)`,
  );
  console.log(
    `  explain --json  ${explain.toFixed(0)} ms (${Math.round((ids.length / explain) * 1000)} ids/s), ${(explain / get).toFixed(2)}x the time of get`,
  );
  console.log(
    `  pricing requests per run: ${pricingRequests} (target: one per model, ${models.length}): ${pricingRequests === models.length ? 'met' : 'MISSED'}`,
  );
} finally {
  fake.stop();
}

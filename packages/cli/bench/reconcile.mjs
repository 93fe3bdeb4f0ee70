// `genmeta reconcile` at scale: 100,000 recorded generations against 100,000 billed rows
// (10,000 per analytics query), the fake OpenRouter in its own process, so the CPU measured in the
// CLI's process is the CPU beyond the fake's answers. Baseline of the same run: `genmeta report`
// over the same records file (the reading alone). Alternate rounds, medians.
// Targets: under 10 s of CPU, under 300 MB, queries within 10% of ceil(rows / 10,000).
// Usage: node bench/reconcile.mjs [generations] [rounds]   (run `pnpm build` first)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const bin = fileURLToPath(new URL(`../${packageJson.bin.genmeta}`, import.meta.url));
const fakeBin = fileURLToPath(new URL('../../fake-openrouter/dist/bin.js', import.meta.url));
const preload = fileURLToPath(new URL('./max-rss.mjs', import.meta.url));
for (const path of [bin, fakeBin]) {
  if (!existsSync(path)) {
    console.error(`${path} is missing: run \`pnpm build\` first`);
    process.exit(1);
  }
}
const count = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);
const perBatch = 250;
const rowsPerQuery = 10_000;
const timeBinary = '/usr/bin/time';

/** Starts the fake's bin; resolves with its environment lines and the child. */
function startFake() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fakeBin], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      text += chunk;
      const env = Object.fromEntries(
        text
          .split('\n')
          .filter((line) => line.includes('='))
          .map((line) => line.split('=', 2)),
      );
      if (env.OPENROUTER_MANAGEMENT_KEY) resolve({ child, env });
    });
    child.on('error', reject);
  });
}

function run(args, env) {
  const withTime = existsSync(timeBinary);
  const [command, commandArgs, extraEnv] = withTime
    ? [timeBinary, ['-v', process.execPath, bin, ...args], {}]
    : [process.execPath, ['--import', preload, bin, ...args], { GENMETA_BENCH_MAX_RSS: '1' }];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, commandArgs, { env: { ...process.env, ...env, ...extraEnv } });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const rssKb = withTime
        ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1])
        : Number(/genmeta-bench max-rss-kb (\d+)/.exec(stderr)?.[1]);
      const cpuSeconds = withTime
        ? Number(/User time \(seconds\): ([\d.]+)/.exec(stderr)?.[1]) +
          Number(/System time \(seconds\): ([\d.]+)/.exec(stderr)?.[1])
        : Number.NaN;
      const queries = Number(/(\d+) analytics quer/.exec(stderr)?.[1] ?? Number.NaN);
      resolve({ code, stdout, stderr, seconds, rssMb: rssKb / 1024, cpuSeconds, queries });
    });
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fixed = (value, digits = 2) => value.toFixed(digits);

const directory = await mkdtemp(join(tmpdir(), 'genmeta-bench-reconcile-'));
const { child: fake, env } = await startFake();
try {
  // Spread over the last 24 hours, a batch every few minutes, like a day of traffic.
  const end = Date.now() - 60_000;
  const batches = Math.ceil(count / perBatch);
  const stepMs = Math.floor((24 * 3_600_000) / batches);
  const lines = [];
  for (let batch = 0; batch < batches; batch++) {
    const at = new Date(end - (batches - batch) * stepMs);
    const createdAt = at.toISOString().replace('Z', '000+00:00');
    const totalCost = 0.0001 + (batch % 97) * 0.0000013;
    const response = await fetch(
      `${env.OPENROUTER_BASE_URL.replace('/api/v1', '')}/__fake/generations`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${env.OPENROUTER_API_KEY}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          count: Math.min(perBatch, count - batch * perBatch),
          fields: { created_at: createdAt, model: 'openai/gpt-4o-mini', total_cost: totalCost },
        }),
      },
    );
    const { ids } = await response.json();
    for (const id of ids) {
      lines.push(
        JSON.stringify({
          requestId: `req-${id}`,
          method: 'POST',
          path: '/api/chat',
          route: '/api/chat',
          statusCode: 200,
          startedAt: at.toISOString(),
          durationMs: 120,
          generationIds: [id],
          generations: [
            {
              id,
              model: 'openai/gpt-4o-mini',
              provider: 'OpenAI',
              created_at: createdAt,
              spendUsd: totalCost,
              total_cost: totalCost,
              upstream_inference_cost: totalCost,
              is_byok: false,
            },
          ],
          unresolved: [],
          spendUsd: totalCost,
          knownSpendUsd: totalCost,
          spendComplete: true,
          attributes: {},
        }),
      );
    }
  }
  const records = join(directory, 'records.ndjson');
  await writeFile(records, `${lines.join('\n')}\n`);
  lines.length = 0;
  const from = new Date(end - 25 * 3_600_000).toISOString();
  const to = new Date(end + 30_000).toISOString();
  const cliEnv = {
    OPENROUTER_BASE_URL: env.OPENROUTER_BASE_URL,
    OPENROUTER_MANAGEMENT_KEY: env.OPENROUTER_MANAGEMENT_KEY,
  };

  const reconcileRuns = [];
  const reportRuns = [];
  for (let round = 0; round < rounds; round++) {
    const reconciled = await run(
      ['reconcile', '--from', from, '--to', to, '--json', records],
      cliEnv,
    );
    if (reconciled.code !== 0)
      throw new Error(`reconcile exited ${reconciled.code}: ${reconciled.stderr.slice(0, 500)}`);
    const verdict = JSON.parse(reconciled.stdout);
    if (verdict.matched !== count) throw new Error(`matched ${verdict.matched}, not ${count}`);
    reconcileRuns.push(reconciled);
    const reported = await run(['report', '--json', records], {});
    if (reported.code !== 0) throw new Error(`report exited ${reported.code}`);
    reportRuns.push(reported);
  }
  const minimum = Math.ceil(count / rowsPerQuery);
  const queries = median(reconcileRuns.map((result) => result.queries));
  const cpu = median(reconcileRuns.map((result) => result.cpuSeconds));
  const rss = Math.max(...reconcileRuns.map((result) => result.rssMb));
  const wall = median(reconcileRuns.map((result) => result.seconds));
  const baseWall = median(reportRuns.map((result) => result.seconds));
  const baseCpu = median(reportRuns.map((result) => result.cpuSeconds));
  const baseRss = Math.max(...reportRuns.map((result) => result.rssMb));
  console.log(
    `genmeta reconcile: ${count.toLocaleString('en-US')} recorded vs ${count.toLocaleString('en-US')} billed, ${rounds} rounds (medians; baseline: genmeta report over the same records)`,
  );
  console.log(
    `  wall time   ${fixed(wall)} s   (report ${fixed(baseWall)} s, x${fixed(wall / baseWall)})`,
  );
  console.log(
    `  CPU (CLI)   ${fixed(cpu)} s   (report ${fixed(baseCpu)} s, x${fixed(cpu / baseCpu)})   target < 10 s: ${cpu < 10 ? 'met' : 'MISSED'}`,
  );
  console.log(
    `  peak RSS    ${fixed(rss, 0)} MB  (report ${fixed(baseRss, 0)} MB)   target < 300 MB: ${rss < 300 ? 'met' : 'MISSED'}`,
  );
  console.log(
    `  queries     ${queries}   (minimum ${minimum}, x${fixed(queries / minimum)})   target <= ${Math.floor(minimum * 1.1)}: ${queries <= minimum * 1.1 ? 'met' : 'MISSED'}`,
  );
} finally {
  fake.kill('SIGTERM');
  await rm(directory, { recursive: true, force: true });
}

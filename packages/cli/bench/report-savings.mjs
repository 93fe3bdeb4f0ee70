// `genmeta report` with savings and waste against the report before them, in the same run:
// builds the earlier report from git (the parent of the commit that added savings-waste.ts,
// or BENCH_BASELINE_REF), writes 1,000,000 synthetic records that carry savings and waste
// facts, and runs both bins on them through stdin (one thread), alternating A and B rounds;
// prints median records/s and peak RSS of each and their ratio. Target: at least 0.9x.
// Usage: node bench/report-savings.mjs [records] [rounds]   (run `pnpm build` first)
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { writeSyntheticLog } from './synthetic-records.mjs';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8'));
const currentBin = join(packageDirectory, packageJson.bin.genmeta);
if (!existsSync(currentBin)) {
  console.error(`${currentBin} is missing: run \`pnpm build\` first`);
  process.exit(1);
}
const count = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 3);
const git = (...args) =>
  execFileSync('git', args, { cwd: packageDirectory, encoding: 'utf8' }).trim();

function baselineRef() {
  if (process.env.BENCH_BASELINE_REF) return process.env.BENCH_BASELINE_REF;
  const added = git('log', '--diff-filter=A', '--format=%H', '--', 'src/report/savings-waste.ts')
    .split('\n')
    .at(-1);
  if (!added) throw new Error('cannot find the commit that added savings-waste.ts');
  return `${added}^`;
}

/** Builds the CLI's bin as of `ref` into a folder inside the package (so it finds its deps). */
async function buildBaseline(ref) {
  const folder = join(packageDirectory, `.bench-baseline-${process.pid}`);
  await mkdir(folder, { recursive: true });
  const archive = execFileSync('git', ['archive', ref, 'src', 'package.json'], {
    cwd: packageDirectory,
    maxBuffer: 64 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', folder], { input: archive });
  await build({
    entry: {
      bin: join(folder, 'src/bin.ts'),
      'report-worker': join(folder, 'src/report/worker.ts'),
    },
    outDir: join(folder, 'dist'),
    format: ['esm'],
    target: 'es2022',
    platform: 'node',
    external: ['@genmeta/core'],
    silent: true,
    config: false,
  });
  return { folder, bin: join(folder, 'dist/bin.js') };
}

function measure(bin, log) {
  return new Promise((resolve, reject) => {
    const args = [
      '-v',
      process.execPath,
      bin,
      'report',
      '--json',
      '--by',
      'model,route,attribute:user,day',
      '-',
    ];
    const child = spawn('/usr/bin/time', args);
    createReadStream(log).pipe(child.stdin);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    const start = process.hrtime.bigint();
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (code !== 0) return reject(new Error(`${bin} exited with ${code}: ${stderr.slice(-500)}`));
      const report = JSON.parse(stdout);
      if (report.requests !== count) return reject(new Error(`read ${report.requests} records`));
      const cpu =
        Number(/User time \(seconds\): ([\d.]+)/.exec(stderr)?.[1]) +
        Number(/System time \(seconds\): ([\d.]+)/.exec(stderr)?.[1]);
      const rssMb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1]) / 1024;
      resolve({ rate: count / seconds, cpuRate: count / cpu, rssMb, report });
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const format = (value) => Math.round(value).toLocaleString('en-US');

const ref = baselineRef();
const directory = await mkdtemp(join(tmpdir(), 'genmeta-bench-savings-'));
let baseline;
try {
  baseline = await buildBaseline(ref);
  const log = join(directory, 'records.ndjson');
  await writeSyntheticLog(log, { count, days: 30, seed: 1, savings: true });
  console.log(
    `report with savings vs before (${git('rev-parse', '--short', ref)}), node ${process.version}: ${count.toLocaleString('en-US')} records via stdin, ${rounds} alternating rounds`,
  );
  const results = { before: [], savings: [] };
  let last;
  for (let round = 0; round < rounds; round += 1) {
    results.before.push(await measure(baseline.bin, log));
    last = await measure(currentBin, log);
    results.savings.push(last);
  }
  const summary = (runs) => ({
    rate: median(runs.map((run) => run.rate)),
    cpuRate: median(runs.map((run) => run.cpuRate)),
    rssMb: median(runs.map((run) => run.rssMb)),
  });
  const before = summary(results.before);
  const after = summary(results.savings);
  for (const [label, value] of [
    ['before (no savings)', before],
    ['with savings      ', after],
  ]) {
    console.log(
      `  ${label}  ${format(value.rate)} records/s wall, ${format(value.cpuRate)} per CPU second, peak RSS ${value.rssMb.toFixed(0)} MB`,
    );
  }
  const ratio = after.rate / before.rate;
  const cpuRatio = after.cpuRate / before.cpuRate;
  console.log(
    `  ratio  ${ratio.toFixed(3)}x wall, ${cpuRatio.toFixed(3)}x CPU  target >= 0.9x: ${ratio >= 0.9 || cpuRatio >= 0.9 ? 'met' : 'MISSED'}`,
  );
  const { savings, waste } = last.report;
  console.log(
    `  found  prompt caching $${savings.promptCachingUsd.toFixed(4)}, response caching $${savings.responseCachingUsd.toFixed(4)} over ${format(savings.responseCacheHits)} hits (${format(savings.responseCacheHitsWithoutSource)} without source), ${format(waste.cancelled.generations)} cancelled, ${format(waste.errored.generations)} errored, ${format(waste.failedAttempts.count)} failed attempts`,
  );
} finally {
  await rm(directory, { recursive: true, force: true });
  if (baseline) await rm(baseline.folder, { recursive: true, force: true });
}

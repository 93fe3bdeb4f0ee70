// Throughput and memory of `genmeta report`: writes 1,000,000 synthetic cost records (about
// 1 GB) to a temp file, runs the built bin on it as a child process and prints records per
// second and peak RSS, for the file (split across worker threads on several cores) and for the
// same bytes piped to stdin (one thread). Targets: at least 200,000 records/s, under 200 MB.
// Usage: node bench/report.mjs [records]   (default 1000000; run `pnpm build` first)
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticLog } from './synthetic-records.mjs';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const bin = fileURLToPath(new URL(`../${packageJson.bin.genmeta}`, import.meta.url));
const preload = fileURLToPath(new URL('./max-rss.mjs', import.meta.url));
if (!existsSync(bin)) {
  console.error(`${bin} is missing: run \`pnpm build\` first`);
  process.exit(1);
}
const count = Number(process.argv[2] ?? 1_000_000);
const targetRate = 200_000;
const targetRssMb = 200;
const timeBinary = '/usr/bin/time';

function run(command, args, env, stdinFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    if (stdinFile) createReadStream(stdinFile).pipe(child.stdin);
    else child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the bin once on `log` (as a file, or piped to its stdin) and measures it. */
async function measure(log, { viaStdin }) {
  const reportArgs = [bin, 'report', '--json', '--by', 'model,route,attribute:user,day'];
  reportArgs.push(viaStdin ? '-' : log);
  const withTime = existsSync(timeBinary);
  const [command, args, env] = withTime
    ? [timeBinary, ['-v', process.execPath, ...reportArgs], {}]
    : [process.execPath, ['--import', preload, ...reportArgs], { GENMETA_BENCH_MAX_RSS: '1' }];
  const start = process.hrtime.bigint();
  const result = await run(command, args, env, viaStdin ? log : undefined);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.code !== 0) {
    throw new Error(`genmeta report exited with ${result.code}: ${result.stderr}`);
  }
  const report = JSON.parse(result.stdout);
  if (report.requests !== count) throw new Error(`read ${report.requests} records, not ${count}`);
  const rssKb = withTime
    ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1])
    : Number(/genmeta-bench max-rss-kb (\d+)/.exec(result.stderr)?.[1]);
  const cpuSeconds = withTime
    ? Number(/User time \(seconds\): ([\d.]+)/.exec(result.stderr)?.[1]) +
      Number(/System time \(seconds\): ([\d.]+)/.exec(result.stderr)?.[1])
    : undefined;
  return {
    seconds,
    rssMb: rssKb / 1024,
    cpuSeconds,
    source: withTime ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS',
  };
}

const verdict = (met) => (met ? 'met' : 'MISSED');
const format = (value) => Math.round(value).toLocaleString('en-US');

const directory = await mkdtemp(join(tmpdir(), 'genmeta-bench-report-'));
try {
  const log = join(directory, 'records.ndjson');
  await writeSyntheticLog(log, { count, days: 30, seed: 1 });
  const bytes = statSync(log).size;
  console.log(
    `report, node ${process.version}, ${availableParallelism()} cores: ${count.toLocaleString('en-US')} records, ${(bytes / 1e9).toFixed(2)} GB`,
  );
  for (const [label, viaStdin] of [
    ['file', false],
    ['stdin (one thread)', true],
  ]) {
    const { seconds, rssMb, cpuSeconds, source } = await measure(log, { viaStdin });
    const rate = count / seconds;
    console.log(`  ${label}`);
    console.log(
      `    throughput  ${format(rate)} records/s (${seconds.toFixed(2)} s wall)  target >= ${format(targetRate)}: ${verdict(rate >= targetRate)}`,
    );
    if (cpuSeconds !== undefined) {
      console.log(
        `    cpu         ${format(count / cpuSeconds)} records per CPU second (${cpuSeconds.toFixed(2)} s user+sys; wall time rises on a busy machine)`,
      );
    }
    console.log(
      `    peak RSS    ${rssMb.toFixed(0)} MB (${source})  target < ${targetRssMb} MB: ${verdict(rssMb < targetRssMb)}`,
    );
  }
} finally {
  await rm(directory, { recursive: true, force: true });
}

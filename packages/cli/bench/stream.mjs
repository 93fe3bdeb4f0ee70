// Streaming of the built bin: `genmeta get --json -` over N ids (default 100,000) against the
// fake, printing when the first line arrived, the whole run's time and the bin's peak RSS. Output
// is streamed as results resolve, so the first line should come at once and RSS stay flat in N.
// Usage: node bench/stream.mjs [ids]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeOpenRouter } from '@genmeta/fake-openrouter';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const bin = fileURLToPath(new URL(`../${packageJson.bin.genmeta}`, import.meta.url));
if (!existsSync(bin)) {
  console.error(`${bin} is missing: run \`pnpm build\` first`);
  process.exit(1);
}
const count = Number(process.argv[2] ?? 100_000);

// The bin reports its own peak RSS and CPU time on exit (resourceUsage sees the process, not
// its parent); CPU time reads true on a loaded machine where wall time does not.
const scratch = mkdtempSync(join(tmpdir(), 'genmeta-stream-bench-'));
const rssFile = join(scratch, 'rss');
const reporter = join(scratch, 'report-rss.mjs');
writeFileSync(
  reporter,
  `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const usage = process.resourceUsage(); writeFileSync(${JSON.stringify(rssFile)}, JSON.stringify(usage)); });\n`,
);

const fake = await startFakeOpenRouter();
try {
  const ids = Array.from({ length: count }, () => fake.addGeneration().id);
  const start = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - start) / 1e6;
  const { firstLineMs, lines, code } = await new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', reporter, bin, 'get', '--json', '--concurrency', '64', '-'],
      {
        env: { ...process.env, OPENROUTER_API_KEY: fake.apiKey, OPENROUTER_BASE_URL: fake.url },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    let firstLineMs;
    let lines = 0;
    child.stdout.on('data', (chunk) => {
      firstLineMs ??= ms();
      for (const byte of chunk) if (byte === 10) lines += 1;
    });
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ firstLineMs, lines, code: exitCode }));
    child.stdin.end(`${ids.join('\n')}\n`);
  });
  const totalMs = ms();
  if (code !== 0 || lines !== count) throw new Error(`exit ${code}, ${lines} of ${count} lines`);
  const usage = JSON.parse(readFileSync(rssFile, 'utf8'));
  const peakMb = usage.maxRSS / 1024;
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  console.log(
    `genmeta get --json, ${count.toLocaleString('en-US')} ids: first line after ${firstLineMs.toFixed(0)} ms of ${(totalMs / 1000).toFixed(1)} s, bin CPU ${(cpuMs / count).toFixed(2)} ms per id, peak RSS ${peakMb.toFixed(0)} MB`,
  );
} finally {
  await fake.close();
  rmSync(scratch, { recursive: true, force: true });
}

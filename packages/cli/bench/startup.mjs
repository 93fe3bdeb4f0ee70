// Start-up time of the built bin: `genmeta --version` and `genmeta --help` against a bare
// `node -e 0`, measured in the same run, rounds alternating so machine noise hits all alike.
// Usage: node bench/startup.mjs [rounds]   (default 20, after 3 warm-up rounds)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The bin exactly as npm links it: package.json's `bin.genmeta`.
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const bin = fileURLToPath(new URL(`../${packageJson.bin.genmeta}`, import.meta.url));
if (!existsSync(bin)) {
  console.error(`${bin} is missing: run \`pnpm build\` first`);
  process.exit(1);
}
const rounds = Number(process.argv[2] ?? 20);
const target = 1.5;

const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'genmeta --version', args: [bin, '--version'] },
  { name: 'genmeta --help', args: [bin, '--help'] },
];

function time(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`);
  return elapsed;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

for (let round = 0; round < 3; round += 1) for (const item of cases) time(item.args);

const samples = cases.map(() => []);
for (let round = 0; round < rounds; round += 1) {
  // Rotate the order each round so no case always runs first.
  for (let offset = 0; offset < cases.length; offset += 1) {
    const index = (round + offset) % cases.length;
    samples[index].push(time(cases[index].args));
  }
}

const baseline = median(samples[0]);
console.log(`start-up, ${rounds} alternating rounds, node ${process.version}, medians:`);
for (const [index, item] of cases.entries()) {
  const value = median(samples[index]);
  const ratio = value / baseline;
  const verdict =
    index === 0
      ? 'baseline'
      : `${ratio.toFixed(2)}x ${ratio <= target ? '(target <= 1.5x: met)' : '(target <= 1.5x: MISSED)'}`;
  console.log(`  ${item.name.padEnd(18)} ${value.toFixed(1).padStart(7)} ms  ${verdict}`);
}

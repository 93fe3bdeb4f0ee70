// Cold start in Node: how long a fresh process takes to import @genmeta/core and create a
// client, against importing ky alone (the HTTP layer core is built on) and zod/mini alone (what
// the main entry's exported schemas load). Each sample is its own process, timed inside it
// around the dynamic import, in CPU ms (Node's own start is the same for all and left out). The
// contestants alternate, medians of rounds.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const rounds = Number(process.env.BENCH_COLD_ROUNDS ?? 11);
const packageRoot = fileURLToPath(new URL('..', import.meta.url));

const contestants = {
  'ky alone': "const ky = (await import('ky')).default; ky.create({});",
  'genmeta core':
    "const { createClient } = await import('./dist/index.js'); createClient({ apiKey: 'k' });",
  'zod/mini alone': "await import('zod/mini');",
};

function sample(code) {
  // CPU time of the import, not wall time: far steadier on a machine other work shares.
  const script = `const started = process.cpuUsage(); ${code} const used = process.cpuUsage(started); process.stdout.write(String((used.user + used.system) / 1000));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: packageRoot,
  });
  return Number(output.toString());
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Prints the rows; returns core's ratio to ky alone. */
export function runColdStartBench() {
  const names = Object.keys(contestants);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (const name of names) sample(contestants[name]); // warm the file system cache
  for (let round = 0; round < rounds; round++) {
    for (let offset = 0; offset < names.length; offset++) {
      const name = names[(round + offset) % names.length];
      samples[name].push(sample(contestants[name]));
    }
  }
  const ky = median(samples['ky alone']);
  console.log(
    `cold start in Node ${process.version}: import + create, CPU ms, one process per sample, ${rounds} rounds (median)`,
  );
  for (const name of names) {
    const ms = median(samples[name]);
    console.log(
      `  ${name.padEnd(16)} ${ms.toFixed(1).padStart(6)} ms  ${(ms / ky).toFixed(2)}x ky alone`,
    );
  }
  const ratio = median(samples['genmeta core']) / ky;
  console.log(
    `  core ${ratio.toFixed(2)}x ky alone (target <= 1.3x: ${ratio <= 1.3 ? 'met' : `MISSED by ${(ratio / 1.3).toFixed(2)}x`})`,
  );
  return ratio;
}

if (import.meta.url === `file://${process.argv[1]}`) runColdStartBench();

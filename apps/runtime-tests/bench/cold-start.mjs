#!/usr/bin/env node
// Cold start on Node, Bun and Deno: a fresh process imports @genmeta/core and creates a client,
// against a fresh process importing ky alone (the baseline, measured in the same run). Rounds
// alternate A and B; medians of the time inside the process (import + createClient) and of the
// whole process (spawn to exit); ratios against the baseline. Run it after `pnpm build`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const here = import.meta.dirname;
const root = join(here, '..');
const rounds = Number(process.env.BENCH_ROUNDS ?? 11);
const bin = (name) => join(root, 'node_modules', '.bin', name);

const runtimes = [
  { name: `Node ${process.versions.node}`, command: process.execPath, args: [] },
  { name: 'Bun', command: bin('bun'), args: ['run'], version: [bin('bun'), ['--version']] },
  {
    name: 'Deno',
    command: bin('deno'),
    // no --allow-env: core must not need it
    args: ['run', '--no-prompt', '--allow-read'],
    version: [bin('deno'), ['--version']],
  },
];

/** One fresh process: [ms inside it, ms from spawn to exit]. */
function once(runtime, script) {
  const started = performance.now();
  const run = spawnSync(runtime.command, [...runtime.args, join(here, script)], {
    cwd: root,
    encoding: 'utf8',
  });
  const wall = performance.now() - started;
  if (run.status !== 0) throw new Error(`${runtime.name} ${script}: ${run.stderr}`);
  return [Number(run.stdout.trim()), wall];
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (value) => `${value.toFixed(1)} ms`;

console.log(
  `cold start: import @genmeta/core + createClient vs import ky alone (${rounds} rounds each, alternating, medians)`,
);
for (const runtime of runtimes) {
  if (runtime.version) {
    const [command, args] = runtime.version;
    const printed = spawnSync(command, args, { encoding: 'utf8' }).stdout.split('\n')[0].trim();
    runtime.name = `${runtime.name} ${printed.replace(/^deno /, '').replace(/ \(.*$/, '')}`;
  }
  once(runtime, 'import-ky.mjs'); // warm the disk cache, not counted
  const core = { inside: [], wall: [] };
  const ky = { inside: [], wall: [] };
  for (let round = 0; round < rounds; round += 1) {
    const order =
      round % 2 === 0
        ? [
            ['core', core],
            ['ky', ky],
          ]
        : [
            ['ky', ky],
            ['core', core],
          ];
    for (const [which, into] of order) {
      const [inside, wall] = once(runtime, which === 'core' ? 'import-core.mjs' : 'import-ky.mjs');
      into.inside.push(inside);
      into.wall.push(wall);
    }
  }
  const coreInside = median(core.inside);
  const kyInside = median(ky.inside);
  const coreWall = median(core.wall);
  const kyWall = median(ky.wall);
  console.log(
    `${runtime.name.padEnd(14)} import+createClient ${ms(coreInside)} vs ky ${ms(kyInside)} (×${(coreInside / kyInside).toFixed(2)}); whole process ${ms(coreWall)} vs ${ms(kyWall)} (×${(coreWall / kyWall).toFixed(2)})`,
  );
}

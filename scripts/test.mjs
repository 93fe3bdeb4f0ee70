#!/usr/bin/env node
// `pnpm test`: every check CI makes, in one turbo run, then one closing line `N passed, N failed`.
//
// The run goes on past a failure wherever the failed task is not a dependency
// (--continue=dependencies-successful), so one red check never hides the others' results. The
// count is taken from the real results: each vitest test from its package's JSON report, and each
// check that is not a vitest run (lint, typecheck, package checks, builds) as one test of its own.
// A task that failed without a report, or never ran because what it needs failed, counts as
// failed. The same line is written to test-results/summary.txt for .ci/run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const tasks = ['lint', 'build', 'typecheck', 'test', 'check:package'];
const summaryFile = join('test-results', 'summary.txt');
const runsDir = join('.turbo', 'runs');

const extra = process.argv.slice(2);
const turboBin = join('node_modules', '.bin', process.platform === 'win32' ? 'turbo.cmd' : 'turbo');
const turboCommand = existsSync(turboBin) ? turboBin : 'turbo';

rmSync(summaryFile, { force: true });
rmSync(runsDir, { recursive: true, force: true });

// Every task the run should execute, so that one skipped behind a failed dependency is counted.
const dry = spawnSync(turboCommand, ['run', ...tasks, '--dry=json', ...extra], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
/** @type {string[]} */
let planned = [];
try {
  planned = JSON.parse(dry.stdout)
    .tasks.filter((/** @type {{ command: string }} */ t) => t.command !== '<NONEXISTENT>')
    .map((/** @type {{ taskId: string }} */ t) => t.taskId);
} catch {
  // Without a plan the count rests on what ran; a turbo failure still fails the run below.
}

const turbo = spawnSync(
  turboCommand,
  [
    'run',
    ...tasks,
    '--concurrency=2',
    '--continue=dependencies-successful',
    '--summarize',
    ...extra,
  ],
  { stdio: 'inherit' },
);

/** @type {{ taskId: string, package: string, task: string, directory?: string, execution?: { exitCode?: number } }[]} */
let ran = [];
const runFiles = existsSync(runsDir) ? readdirSync(runsDir).filter((f) => f.endsWith('.json')) : [];
if (runFiles.length === 1) {
  ran = JSON.parse(readFileSync(join(runsDir, runFiles[0]), 'utf8')).tasks ?? [];
}

const ranIds = new Set(ran.map((task) => task.taskId));
for (const taskId of planned) {
  if (!ranIds.has(taskId)) ran.push({ taskId, package: '', task: '' });
}

let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];
for (const task of ran) {
  const exitCode = task.execution?.exitCode;
  if (task.task === 'test' && task.directory) {
    const report = join(task.directory, 'test-results', 'vitest.json');
    if (exitCode !== undefined && existsSync(report)) {
      const r = JSON.parse(readFileSync(report, 'utf8'));
      // Each failed test, plus each test file that failed without a failed test (it did not
      // load, a hook threw). Not numFailedTestSuites: it also counts every describe block and
      // file around a failed test, so one failure would count three times.
      /** @type {{ status?: string, assertionResults?: { status?: string }[] }[]} */
      const files = r.testResults ?? [];
      const brokenFiles = files.filter(
        (file) =>
          file.status === 'failed' &&
          !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
      ).length;
      const bad = (r.numFailedTests ?? 0) + brokenFiles;
      // A failing run that reports no failed test (a crash, a config error) still failed.
      const counted = exitCode !== 0 && bad === 0 ? 1 : bad;
      passed += r.numPassedTests ?? 0;
      failed += counted;
      skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
      lines.push(`${task.taskId}: ${r.numPassedTests ?? 0} passed, ${counted} failed`);
      continue;
    }
  }
  if (exitCode === 0) {
    passed += 1;
  } else {
    failed += 1;
    lines.push(
      `${task.taskId}: ${exitCode === undefined ? 'did not run (a task it needs failed)' : `failed (exit ${exitCode})`}`,
    );
  }
}
if (turbo.status !== 0 && failed === 0) {
  failed += 1;
  lines.push(`turbo: exited ${turbo.status ?? turbo.signal ?? turbo.error?.message}`);
}

const summary = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
console.log('');
for (const line of lines) console.log(line);
console.log(summary);
mkdirSync('test-results', { recursive: true });
writeFileSync(summaryFile, `${summary}\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

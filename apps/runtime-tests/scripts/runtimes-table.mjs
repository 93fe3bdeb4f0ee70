#!/usr/bin/env node
// Writes the table of verified runtimes into the root README, between
// `<!-- runtimes:start -->` and `<!-- runtimes:end -->`, from what the runtime tests recorded
// (test-results/runtimes.json). With `--check` (the tests pass it under CI) it changes nothing
// and fails when the committed README does not show what ran.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const README = join(here, '..', '..', '..', 'README.md');
export const RESULTS = join(here, '..', 'test-results', 'runtimes.json');
const START = '<!-- runtimes:start -->';
const END = '<!-- runtimes:end -->';

/** @typedef {{ runtime: string, version: string, how: string, checks: Record<string, 'pass' | 'fail'>, error?: string }} RuntimeResult */

const COLUMNS = [
  ['core', 'core'],
  ['handle', '`handle`'],
  ['hono', 'Hono'],
  ['proxy', '`generationProxy().fetch`'],
  ['environment', 'client without `apiKey`'],
];

const mark = (state) => (state === 'pass' ? 'yes' : state === 'fail' ? '**failed**' : 'not run');

/** @param {RuntimeResult[]} results */
export function renderTable(results) {
  const lines = [
    `| runtime | version | ${COLUMNS.map(([, title]) => title).join(' | ')} | hosted |`,
    `|---|---|${COLUMNS.map(() => '---').join('|')}|---|`,
  ];
  for (const result of results) {
    const cells = result.error
      ? COLUMNS.map(() => 'did not start')
      : COLUMNS.map(([key]) => mark(result.checks[key]));
    lines.push(`| ${result.runtime} | ${result.version} | ${cells.join(' | ')} | ${result.how} |`);
  }
  const errors = results.filter((result) => result.error);
  for (const result of errors) {
    lines.push('', `${result.runtime} did not start: \`${result.error.split('\n')[0]}\``);
  }
  return lines.join('\n');
}

/** The README with its runtimes section replaced by `table`. */
export function withTable(readme, table) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

/**
 * Rewrites the README's section (or, with `check`, throws when it differs). Returns whether
 * the README changed (or would have).
 */
export function updateReadme({ check = false, readmePath = README, resultsPath = RESULTS } = {}) {
  const results = JSON.parse(readFileSync(resultsPath, 'utf8'));
  const readme = readFileSync(readmePath, 'utf8');
  const next = withTable(readme, renderTable(results));
  if (next === readme) return false;
  if (check) {
    throw new Error(
      'README.md: the table of verified runtimes does not match this run. Run `pnpm --filter @genmeta/runtime-tests test` and commit README.md.',
    );
  }
  writeFileSync(readmePath, next);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const changed = updateReadme({ check: process.argv.includes('--check') });
    console.log(
      changed ? 'README.md: runtimes table updated' : 'README.md: runtimes table is current',
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}

#!/usr/bin/env node
// Sums every package's vitest JSON report into one closing line, `N passed, N failed`, and exits
// non-zero when any test failed or when no report exists at all (a run that tested nothing).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'apps'];
let passed = 0;
let failed = 0;
let skipped = 0;
const reports = [];
for (const root of roots) {
  if (!existsSync(root)) continue;
  for (const name of readdirSync(root)) {
    const file = join(root, name, 'test-results', 'vitest.json');
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    reports.push(
      `${join(root, name)}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
    );
  }
}
for (const line of reports) console.log(line);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

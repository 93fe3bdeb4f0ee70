import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The checks, each a column of the README's table (titled in scripts/runtimes-table.mjs). */
export type CheckName = 'core' | 'handle' | 'hono' | 'proxy' | 'environment';

export interface RuntimeResult {
  runtime: string;
  version: string;
  how: string;
  checks: Partial<Record<CheckName, 'pass' | 'fail'>>;
  /** Why the runtime could not run at all. */
  error?: string;
}

export const RESULTS_FILE = join(import.meta.dirname, '..', 'test-results', 'runtimes.json');

const results = new Map<string, RuntimeResult>();

export function resultOf(runtime: string): RuntimeResult {
  let result = results.get(runtime);
  if (result === undefined) {
    result = { runtime, version: 'unknown', how: '', checks: {} };
    results.set(runtime, result);
  }
  return result;
}

/** Runs a check and records whether it passed (a check that ran twice fails if either failed). */
export async function check(runtime: string, name: CheckName, body: () => Promise<void>) {
  const result = resultOf(runtime);
  try {
    await body();
    if (result.checks[name] !== 'fail') result.checks[name] = 'pass';
  } catch (error) {
    result.checks[name] = 'fail';
    throw error;
  }
}

export function writeResults(order: ReadonlyArray<{ name: string; how: string }>): void {
  mkdirSync(join(RESULTS_FILE, '..'), { recursive: true });
  const list = order.map(({ name, how }) => ({ ...resultOf(name), how }));
  writeFileSync(RESULTS_FILE, `${JSON.stringify(list, null, 2)}\n`);
}

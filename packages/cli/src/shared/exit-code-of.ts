import { type ErrorCategory, errorTable } from '@genmeta/core/rules';
import { type ExitCode, exitCodes } from './exit-codes.js';

// The kind of a failure comes from core's error table; the CLI only names an exit code per kind.
const exitCodeByCategory: { readonly [category in ErrorCategory]: ExitCode } = {
  input: exitCodes.usage,
  auth: exitCodes.auth,
  not_found: exitCodes.notFound,
  transient: exitCodes.unavailable,
  response: exitCodes.unavailable,
};

/** The category of an error code of @genmeta/core, or `undefined` for a code it does not have. */
export function categoryOf(code: string): ErrorCategory | undefined {
  return Object.hasOwn(errorTable, code)
    ? errorTable[code as keyof typeof errorTable].category
    : undefined;
}

/** Maps an error code of @genmeta/core to the exit code of that kind of failure. */
export function exitCodeForError(code: string): ExitCode {
  // Rate limiting is transient with an exit code of its own: a lower --concurrency fixes it.
  if (code === 'rate_limited') return exitCodes.rateLimited;
  const category = categoryOf(code);
  return category === undefined ? exitCodes.internal : exitCodeByCategory[category];
}

// When every id failed, the kind a user must fix first decides the code.
const severity: readonly ExitCode[] = [
  exitCodes.internal,
  exitCodes.auth,
  exitCodes.usage,
  exitCodes.unavailable,
  exitCodes.rateLimited,
  exitCodes.notFound,
];

/**
 * The exit code of a batch: 0 when nothing failed, 7 when some ids resolved and some did not,
 * and when all failed the code of the most serious kind among the failures.
 */
export function exitCodeForBatch(okCount: number, failureCodes: readonly string[]): ExitCode {
  if (failureCodes.length === 0) return exitCodes.ok;
  if (okCount > 0) return exitCodes.partial;
  const kinds = new Set(failureCodes.map(exitCodeForError));
  for (const code of severity) if (kinds.has(code)) return code;
  return exitCodes.internal;
}

/**
 * Failures of the key or the account (auth in core's table) doom every other lookup of the
 * batch the same way, so the batch stops instead of failing each remaining id; except a 403,
 * which concerns one generation.
 */
export function stopsBatch(code: string): boolean {
  return categoryOf(code) === 'auth' && code !== 'forbidden';
}

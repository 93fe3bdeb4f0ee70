import { baseUrlProblem, normalizeBaseUrl } from '@genmeta/core/rules';
import { printable } from './text/terminal-text.js';
import { UsageError } from './usage-errors.js';

// The value of each flag, checked on its own; a bad one is a UsageError naming the flag.

const maxConcurrency = 64;
const maxDeadlineMs = 60 * 60 * 1000;

/** Parses `30s`, `500ms`, `2m`, `1.5s` into milliseconds; anything else is a usage error. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value.trim());
  if (!match) {
    throw new UsageError(`${flag} needs a duration with a unit, like 500ms, 30s or 2m`);
  }
  const amount = Number(match[1]);
  const unit = match[2];
  const milliseconds = Math.round(amount * (unit === 'm' ? 60_000 : unit === 's' ? 1000 : 1));
  if (milliseconds <= 0 || milliseconds > maxDeadlineMs) {
    throw new UsageError(`${flag} must be more than 0 and at most 60m`);
  }
  return milliseconds;
}

/** `--concurrency N`: a whole number from 1 to 64. */
export function parseConcurrency(value: string): number {
  const trimmed = value.trim();
  const number = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(number) || number < 1 || number > maxConcurrency) {
    throw new UsageError(`--concurrency must be a whole number from 1 to ${maxConcurrency}`);
  }
  return number;
}

/** `--fields a,b,c`: unique field names, each of letters, digits and `_`. */
export function parseFields(value: string): string[] {
  const names = value.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) {
    throw new UsageError('--fields needs comma-separated field names, like id,model,spend');
  }
  for (const name of names) {
    if (!/^[A-Za-z0-9_]+$/.test(name)) {
      throw new UsageError(`--fields: "${printable(name)}" is not a field name`);
    }
  }
  return [...new Set(names)];
}

/**
 * Checks a base URL: absolute http(s), no credentials in it. The message names where it came
 * from and never echoes the value (it could hold a secret).
 */
export function parseBaseUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new UsageError(
      `${source} is not a valid URL (expected e.g. https://openrouter.ai/api/v1)`,
    );
  }
  const problem = baseUrlProblem(url);
  if (problem !== undefined) throw new UsageError(`${source} ${problem}`);
  return normalizeBaseUrl(url.href);
}

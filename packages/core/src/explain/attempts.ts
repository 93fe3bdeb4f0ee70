import type { Generation } from '../schemas/generation.js';

/** Attempts that failed before the one whose answer was returned, and their latency. */
export interface FailedAttempts {
  count: number;
  /** ms, summed over the failed attempts that reported one */
  latencyMs: number;
}

const isSuccess = (status: unknown): boolean =>
  typeof status === 'number' && status >= 200 && status < 300;

/**
 * The one rule for "failed attempts": entries of `provider_responses` before the last one (the
 * attempt whose answer, success or failure, was returned) that did not succeed. OpenRouter bills
 * none of them; their latency was still spent.
 */
export function failedAttemptsOf(generation: Generation): FailedAttempts {
  const attempts = Array.isArray(generation.provider_responses)
    ? generation.provider_responses
    : [];
  let count = 0;
  let latencyMs = 0;
  for (let index = 0; index < attempts.length - 1; index += 1) {
    const attempt = attempts[index];
    if (attempt === undefined || isSuccess(attempt.status)) continue;
    count += 1;
    if (
      typeof attempt.latency === 'number' &&
      Number.isFinite(attempt.latency) &&
      attempt.latency > 0
    ) {
      latencyMs += attempt.latency;
    }
  }
  return { count, latencyMs };
}

import type { GenmetaError } from '../errors.js';
import { backoffDelay, maxRetryAfterMs } from '../internal/retry-delay.js';

/** Where a lookup stands when an attempt failed: the input of {@link nextStep}. */
export interface PolicyState {
  /** `false`: a not-ready 404 fails at once. */
  wait: boolean;
  /** Not-ready waits so far. */
  notReady: number;
  /** Retries of transient failures so far. */
  retries: number;
  /** Retries allowed. */
  maxRetries: number;
  /** First backoff step, ms. */
  retryDelayMs: number;
  /** ms left before the lookup's deadline. */
  remainingMs: number;
  /** Source of jitter, in [0, 1). */
  random: () => number;
}

/**
 * What a lookup does after a failed attempt:
 * - `wait`: the stats are not ready yet (a 404); try again after `delayMs`;
 * - `retry`: a transient failure; try again after `delayMs`;
 * - `fail`: stop, because `not_ready` (a 404 while not waiting), `deadline` (no time left
 *   for a not-ready wait) or `final` (not retryable, out of retries, or the wait would pass
 *   the deadline: the error itself is the answer).
 */
export type Step =
  | { kind: 'wait'; delayMs: number }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'fail'; delayMs: 0; reason: 'not_ready' | 'deadline' | 'final' };

const fail = (reason: 'not_ready' | 'deadline' | 'final'): Step => ({
  kind: 'fail',
  delayMs: 0,
  reason,
});

/**
 * The one wait and retry policy: not-ready 404s wait with exponential backoff from
 * `retryDelayMs` (full jitter, capped at 8 s, never past the deadline); transient failures
 * retry with the same backoff or the server's `Retry-After` (capped at 60 s), whichever is longer.
 */
export function nextStep(error: GenmetaError, state: PolicyState): Step {
  if (error.status === 404) {
    if (!state.wait) return fail('not_ready');
    if (state.remainingMs <= 0) return fail('deadline');
    const delayMs = Math.min(
      backoffDelay(state.retryDelayMs, state.notReady, state.random),
      state.remainingMs,
    );
    return { kind: 'wait', delayMs };
  }
  if (!error.isRetryable || state.retries >= state.maxRetries) return fail('final');
  const delayMs = Math.max(
    backoffDelay(state.retryDelayMs, state.retries, state.random),
    Math.min(error.retryAfterMs ?? 0, maxRetryAfterMs),
  );
  if (delayMs >= state.remainingMs) return fail('final');
  return { kind: 'retry', delayMs };
}

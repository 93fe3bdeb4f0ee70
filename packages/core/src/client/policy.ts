import type { GenmetaError } from '../errors.js';
import { notReadyDelay } from '../internal/not-ready-schedule.js';
import { backoffDelay, maxRetryAfterMs } from '../internal/retry-delay.js';

/** The `retryDelayMs` the not-ready schedule's figures are given for. */
const defaultRetryDelayMs = 250;

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
  /** First backoff step, ms; also scales the not-ready schedule (250: its nominal figures). */
  retryDelayMs: number;
  /** ms left before the lookup's deadline. */
  remainingMs: number;
  /** ms since the not-ready schedule's anchor (the lookup's start, or when the completion ended). */
  sinceAnchorMs: number;
  /** ms the last attempt took: a last attempt needs about that much room before the deadline. */
  lastAttemptMs: number;
  /** The last wait was cut short by the deadline: the attempt after it was the last one. */
  lastChance: boolean;
  /** Source of jitter, in [0, 1). */
  random: () => number;
  /** Not-ready aims learned from the delays seen; `undefined`: the fixed schedule. */
  learnedAims?: readonly number[] | undefined;
}

/**
 * What a lookup does after a failed attempt:
 * - `wait`: the stats are not ready yet (a 404); try again after `delayMs` (`last`: that
 *   attempt is the last one the deadline allows);
 * - `retry`: a transient failure; try again after `delayMs`;
 * - `fail`: stop, because `not_ready` (a 404 while not waiting), `deadline` (no time left
 *   for another attempt) or `final` (not retryable, out of retries, or the wait would pass
 *   the deadline: the error itself is the answer).
 */
export type Step =
  | { kind: 'wait'; delayMs: number; last?: true }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'fail'; delayMs: 0; reason: 'not_ready' | 'deadline' | 'final' };

const fail = (reason: 'not_ready' | 'deadline' | 'final'): Step => ({
  kind: 'fail',
  delayMs: 0,
  reason,
});

/** Least room left for a last attempt before the deadline, ms. */
const minimumLastAttemptRoomMs = 250;

/**
 * The one wait and retry policy: not-ready 404s wait on the not-ready schedule (see
 * `not-ready-schedule.ts`); a wait that would reach the deadline is cut to leave room for one
 * last attempt (twice the last attempt's time, at least 250 ms or half of what is left), and
 * after that attempt, or with no room left, the lookup fails.
 * Transient failures retry with exponential backoff from `retryDelayMs` (full jitter, capped
 * at 8 s) or the server's `Retry-After` (capped at 60 s), whichever is longer.
 */
export function nextStep(error: GenmetaError, state: PolicyState): Step {
  if (error.status === 404) return state.wait ? notReadyStep(state) : fail('not_ready');
  if (!error.isRetryable || state.retries >= state.maxRetries) return fail('final');
  const delayMs = Math.max(
    backoffDelay(state.retryDelayMs, state.retries, state.random),
    Math.min(error.retryAfterMs ?? 0, maxRetryAfterMs),
  );
  if (delayMs >= state.remainingMs) return fail('final');
  return { kind: 'retry', delayMs };
}

/**
 * The wait before the next attempt at a generation not ready yet (after a 404, or before the
 * first attempt when the caller said when the completion ended), or `fail('deadline')`.
 */
export function notReadyStep(state: PolicyState): Step {
  if (state.lastChance) return fail('deadline');
  // Room for one attempt: twice the last one's time, at least 250 ms, unless less is left.
  const room = Math.max(
    2 * state.lastAttemptMs,
    Math.min(minimumLastAttemptRoomMs, state.remainingMs / 2),
  );
  const latest = state.remainingMs - room;
  if (latest <= 0) return fail('deadline');
  const planned = notReadyDelay(
    state.notReady,
    state.sinceAnchorMs,
    state.retryDelayMs / defaultRetryDelayMs,
    state.random,
    state.learnedAims,
  );
  return planned < latest
    ? { kind: 'wait', delayMs: planned }
    : { kind: 'wait', delayMs: Math.round(latest), last: true };
}

import { describe, expect, it } from 'vitest';
import { NotFoundError, RateLimitedError, ServerError, UnauthorizedError } from '../errors.js';
import { notReadyAimMs } from '../internal/not-ready-schedule.js';
import { nextStep, type PolicyState } from './policy.js';

const state = (overrides: Partial<PolicyState> = {}): PolicyState => ({
  wait: true,
  notReady: 0,
  retries: 0,
  maxRetries: 3,
  retryDelayMs: 250,
  remainingMs: 30_000,
  sinceAnchorMs: 0,
  lastAttemptMs: 0,
  lastChance: false,
  random: () => 0.5,
  ...overrides,
});

const notReady = new NotFoundError('404', { status: 404 });

describe('nextStep', () => {
  it('waits out a not-ready 404 on the schedule: first aim 550 ms, each 1.7 times the last', () => {
    expect(nextStep(notReady, state())).toEqual({ kind: 'wait', delayMs: 550 });
    // Aims count from the anchor: an attempt that took 100 ms leaves 450 ms to wait.
    expect(nextStep(notReady, state({ sinceAnchorMs: 100 }))).toEqual({
      kind: 'wait',
      delayMs: 450,
    });
    expect(nextStep(notReady, state({ notReady: 1, sinceAnchorMs: 560 }))).toEqual({
      kind: 'wait',
      delayMs: 375,
    });
    expect([0, 1, 2, 3, 4].map((index) => Math.round(notReadyAimMs(index, 1)))).toEqual([
      550, 935, 1590, 2702, 4594,
    ]);
    // No gap over 8 s, and a passed aim still leaves a minimum gap.
    expect(notReadyAimMs(20, 1) - notReadyAimMs(19, 1)).toBe(8_000);
    expect(nextStep(notReady, state({ sinceAnchorMs: 5_000 }))).toEqual({
      kind: 'wait',
      delayMs: 55,
    });
    // retryDelayMs scales the schedule.
    expect(nextStep(notReady, state({ retryDelayMs: 25 }))).toEqual({ kind: 'wait', delayMs: 55 });
  });

  it('cuts a wait that would reach the deadline to leave room for one last attempt', () => {
    // Room: twice the last attempt's time, at least 250 ms or half of what is left.
    expect(
      nextStep(notReady, state({ notReady: 3, remainingMs: 500, lastAttemptMs: 200 })),
    ).toEqual({ kind: 'wait', delayMs: 100, last: true });
    expect(nextStep(notReady, state({ remainingMs: 600, lastAttemptMs: 2 }))).toEqual({
      kind: 'wait',
      delayMs: 350,
      last: true,
    });
    expect(nextStep(notReady, state({ remainingMs: 200, lastAttemptMs: 2 }))).toEqual({
      kind: 'wait',
      delayMs: 100,
      last: true,
    });
    // After that last attempt, the next 404 is the answer.
    expect(nextStep(notReady, state({ remainingMs: 90, lastChance: true }))).toMatchObject({
      kind: 'fail',
      reason: 'deadline',
    });
  });

  it('fails a 404 at once without waiting, and when no room is left for an attempt', () => {
    expect(nextStep(notReady, state({ wait: false }))).toMatchObject({
      kind: 'fail',
      reason: 'not_ready',
    });
    expect(nextStep(notReady, state({ remainingMs: 0 }))).toMatchObject({
      kind: 'fail',
      reason: 'deadline',
    });
    expect(nextStep(notReady, state({ remainingMs: 300, lastAttemptMs: 160 }))).toMatchObject({
      kind: 'fail',
      reason: 'deadline',
    });
  });

  it('retries a transient failure with backoff or Retry-After (capped at 60 s), whichever is longer', () => {
    expect(nextStep(new ServerError('503', { status: 503 }), state({ retries: 1 }))).toEqual({
      kind: 'retry',
      delayMs: 250,
    });
    const limited = new RateLimitedError('429', { status: 429, retryAfterMs: 5_000 });
    expect(nextStep(limited, state())).toEqual({ kind: 'retry', delayMs: 5_000 });
    const far = new RateLimitedError('429', { status: 429, retryAfterMs: 600_000 });
    expect(nextStep(far, state({ remainingMs: 120_000 }))).toEqual({
      kind: 'retry',
      delayMs: 60_000,
    });
  });

  it('fails what is not retryable, out of retries, or would wait past the deadline', () => {
    const final = { kind: 'fail', delayMs: 0, reason: 'final' };
    expect(nextStep(new UnauthorizedError('401', { status: 401 }), state())).toEqual(final);
    expect(nextStep(new ServerError('503', { status: 503 }), state({ retries: 3 }))).toEqual(final);
    const limited = new RateLimitedError('429', { status: 429, retryAfterMs: 5_000 });
    expect(nextStep(limited, state({ remainingMs: 4_000 }))).toEqual(final);
  });
});

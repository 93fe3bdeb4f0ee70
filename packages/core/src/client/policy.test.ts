import { describe, expect, it } from 'vitest';
import { NotFoundError, RateLimitedError, ServerError, UnauthorizedError } from '../errors.js';
import { nextStep, type PolicyState } from './policy.js';

const state = (overrides: Partial<PolicyState> = {}): PolicyState => ({
  wait: true,
  notReady: 0,
  retries: 0,
  maxRetries: 3,
  retryDelayMs: 250,
  remainingMs: 30_000,
  random: () => 0.5,
  ...overrides,
});
const notReady = new NotFoundError('404', { status: 404 });

describe('nextStep', () => {
  it('waits out a not-ready 404 on the backoff schedule, never past the deadline', () => {
    expect(nextStep(notReady, state())).toEqual({ kind: 'wait', delayMs: 125 });
    expect(nextStep(notReady, state({ notReady: 3 }))).toEqual({ kind: 'wait', delayMs: 1000 });
    expect(nextStep(notReady, state({ notReady: 3, remainingMs: 300 }))).toEqual({
      kind: 'wait',
      delayMs: 300,
    });
  });

  it('fails a 404 at once without waiting, and at the deadline', () => {
    expect(nextStep(notReady, state({ wait: false }))).toMatchObject({
      kind: 'fail',
      reason: 'not_ready',
    });
    expect(nextStep(notReady, state({ remainingMs: 0 }))).toMatchObject({
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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, maxBackoffMs, parseRetryAfter } from './retry-delay.js';

describe('backoffDelay', () => {
  it('is full jitter: uniform between 0 and min(cap, base * 2^attempt)', () => {
    expect(backoffDelay(250, 0, () => 0)).toBe(0);
    expect(backoffDelay(250, 0, () => 0.999999)).toBe(250);
    expect(backoffDelay(250, 2, () => 0.5)).toBe(500);
    expect(backoffDelay(250, 30, () => 0.999999)).toBe(maxBackoffMs);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.nat(40),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (base, attempt, random) => {
          const delay = backoffDelay(base, attempt, () => random);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.min(maxBackoffMs, base * 2 ** attempt));
        },
      ),
    );
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['0', 0],
    ['7', 7000],
    [' 1.5 ', 1500],
    ['120', 120_000],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
  ])('reads %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each([null, '', '-1', 'soon', '1e3'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import {
  checkSpendWindow,
  DAY_MS,
  MAX_WINDOW_MS,
  spendBucketMs,
  spendBucketRange,
  windowOf,
  windowSpanMs,
} from './spend-window.js';

const at = (iso: string) => Date.parse(iso);

describe('windowOf', () => {
  it('cuts UTC days, weeks starting Monday, and months', () => {
    expect(windowOf('day', at('2026-12-07T23:59:59.999Z'))).toEqual({
      startMs: at('2026-12-07T00:00:00Z'),
      endMs: at('2026-12-08T00:00:00Z'),
      id: 'day:2026-12-07',
    });
    // 2026-12-13 is a Sunday: its week began Monday 2026-12-07
    for (const day of ['2026-12-07T00:00:00Z', '2026-12-10T12:00:00Z', '2026-12-13T23:59:59Z']) {
      expect(windowOf('week', at(day))).toEqual({
        startMs: at('2026-12-07T00:00:00Z'),
        endMs: at('2026-12-14T00:00:00Z'),
        id: 'week:2026-12-07',
      });
    }
    expect(windowOf('week', at('2026-12-14T00:00:00Z')).id).toBe('week:2026-12-14');
    // before the epoch (a Thursday) too
    expect(windowOf('week', at('1969-12-31T00:00:00Z')).id).toBe('week:1969-12-29');
    expect(windowOf('month', at('2028-02-29T10:00:00Z'))).toEqual({
      startMs: at('2028-02-01T00:00:00Z'),
      endMs: at('2028-03-01T00:00:00Z'),
      id: 'month:2028-02',
    });
    expect(windowOf('month', at('2026-12-31T23:59:59.999Z')).endMs).toBe(
      at('2027-01-01T00:00:00Z'),
    );
  });

  it('cuts a { windowMs } window into fixed periods from the epoch', () => {
    expect(windowOf({ windowMs: 60_000 }, 125_000)).toEqual({
      startMs: 120_000,
      endMs: 180_000,
      id: '60000ms:2',
    });
  });
});

describe('spend buckets', () => {
  it('reads a window from at most 61 buckets of a round width that divides a day', () => {
    for (const windowMs of [
      1,
      7,
      999,
      60_000,
      3_600_000,
      86_400_000,
      40 * DAY_MS,
      400 * DAY_MS,
      MAX_WINDOW_MS,
    ]) {
      const bucketMs = spendBucketMs(windowMs);
      expect(bucketMs).toBeGreaterThanOrEqual(windowMs / 60);
      if (bucketMs < DAY_MS) expect(DAY_MS % bucketMs).toBe(0);
      else expect(bucketMs % DAY_MS).toBe(0);
      if (windowMs >= 60) expect(bucketMs).toBeLessThanOrEqual(windowMs / 24);
      const { oldest, newest } = spendBucketRange(windowMs, 1_765_000_000_123);
      expect(newest - oldest + 1).toBeLessThanOrEqual(61);
    }
    expect(spendBucketMs(windowSpanMs('day'))).toBe(30 * 60_000);
    expect(spendBucketMs(windowSpanMs('week'))).toBe(3 * 3_600_000);
    expect(spendBucketMs(windowSpanMs('month'))).toBe(DAY_MS);
  });
});

describe('checkSpendWindow', () => {
  it('accepts the calendar names and { windowMs }, and names the option otherwise', () => {
    expect(checkSpendWindow('x', 'window', 'month')).toBe('month');
    expect(checkSpendWindow('x', 'window', { windowMs: 40 * DAY_MS })).toEqual({
      windowMs: 40 * DAY_MS,
    });
    expect(() => checkSpendWindow('spendLimit', 'window', 'year')).toThrow(
      /spendLimit: option "window" must be 'day', 'week', 'month'/,
    );
    expect(() => checkSpendWindow('x', 'window', { windowMs: 0 })).toThrow(RangeError);
    expect(() => checkSpendWindow('x', 'window', { windowMs: MAX_WINDOW_MS + 1 })).toThrow(
      RangeError,
    );
    expect(() => checkSpendWindow('x', 'window', null)).toThrow(TypeError);
  });
});

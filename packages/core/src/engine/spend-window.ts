// The one home of spend windows: calendar periods (UTC), fixed periods of a length, and the time
// buckets spend stores keep per key. Pure functions of time, so every store and every instance
// that reads the same clock agrees on them.

/**
 * A spend window: a calendar period in UTC (`'day'`; `'week'`, starting Monday 00:00 UTC;
 * `'month'`), or a length in ms (`{ windowMs }`).
 */
export type SpendWindow = 'day' | 'week' | 'month' | { readonly windowMs: number };

/** One period of a window, as {@link windowOf} answers it. */
export interface WindowRange {
  /** First ms of the period (inclusive), ms since the epoch. */
  startMs: number;
  /** First ms after the period (exclusive). */
  endMs: number;
  /** Names the period, the same for every instant in it: `day:2026-12-07`, `week:2026-12-07` (its Monday), `month:2026-12`, `60000ms:29446080`. */
  id: string;
}

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** One day, ms. */
export const DAY_MS = 86_400_000;

/** The longest window a store keeps: 100 years of 366 days (any budget a user can mean). */
export const MAX_WINDOW_MS = 100 * 366 * DAY_MS;

/** Buckets a store keeps per key and window, at least: the window is read as a sum of them. */
export const SPEND_BUCKETS_PER_WINDOW = 60;

// Bucket widths, each a divisor of a day: epoch 0 is a UTC midnight (and a Thursday), so every
// bucket lies inside one UTC day, hence inside one week and one month.
const BUCKET_WIDTHS_MS = [
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  SECOND_MS,
  2 * SECOND_MS,
  5 * SECOND_MS,
  10 * SECOND_MS,
  15 * SECOND_MS,
  30 * SECOND_MS,
  MINUTE_MS,
  2 * MINUTE_MS,
  5 * MINUTE_MS,
  10 * MINUTE_MS,
  15 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  3 * HOUR_MS,
  4 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  DAY_MS,
];

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function isoDay(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/**
 * Checks a window given by a user: the window itself, or a TypeError/RangeError naming `owner`
 * and `option`. A `{ windowMs }` must be an integer from 1 to {@link MAX_WINDOW_MS}.
 */
export function checkSpendWindow(owner: string, option: string, value: unknown): SpendWindow {
  if (value === 'day' || value === 'week' || value === 'month') return value;
  if (typeof value === 'object' && value !== null && 'windowMs' in value) {
    const { windowMs } = value as { windowMs: unknown };
    if (
      typeof windowMs === 'number' &&
      Number.isInteger(windowMs) &&
      windowMs >= 1 &&
      windowMs <= MAX_WINDOW_MS
    ) {
      return { windowMs };
    }
    throw new RangeError(
      `${owner}: option "${option}" must have windowMs, an integer of ms from 1 to ${MAX_WINDOW_MS} (got ${String(windowMs)})`,
    );
  }
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value;
  throw new TypeError(
    `${owner}: option "${option}" must be 'day', 'week', 'month' (UTC) or { windowMs } (got ${shown})`,
  );
}

/**
 * The period of `window` that holds `atMs`. Calendar windows are UTC (a week starts Monday
 * 00:00 UTC); a `{ windowMs }` window is cut into fixed periods of that length from the epoch
 * (what "once per window" means for a sliding window).
 */
export function windowOf(window: SpendWindow, atMs: number): WindowRange {
  if (window === 'day' || window === 'week') {
    const day = Math.floor(atMs / DAY_MS);
    // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays
    const first = window === 'day' ? day : day - ((((day + 3) % 7) + 7) % 7);
    const startMs = first * DAY_MS;
    const endMs = startMs + (window === 'day' ? DAY_MS : 7 * DAY_MS);
    return { startMs, endMs, id: `${window}:${isoDay(startMs)}` };
  }
  if (window === 'month') {
    const date = new Date(atMs);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth();
    return {
      startMs: Date.UTC(year, month, 1),
      endMs: Date.UTC(year, month + 1, 1),
      id: `month:${year}-${pad(month + 1)}`,
    };
  }
  const { windowMs } = window;
  const index = Math.floor(atMs / windowMs);
  return {
    startMs: index * windowMs,
    endMs: (index + 1) * windowMs,
    id: `${windowMs}ms:${index}`,
  };
}

/**
 * How far back a store must keep spend for `window`, ms: its length, or a calendar period's
 * longest (31 days for a month).
 */
export function windowSpanMs(window: SpendWindow): number {
  if (window === 'day') return DAY_MS;
  if (window === 'week') return 7 * DAY_MS;
  if (window === 'month') return 31 * DAY_MS;
  return window.windowMs;
}

/**
 * The width of a store's time buckets for a window of `windowMs`: the smallest round width (a
 * divisor of a day, or whole days past 60 days) of at least `windowMs / 60`, so a window is read
 * from at most 61 buckets and a bucket is at most 1/24 of the window. Buckets align with UTC
 * days, so calendar periods are exact sums of them.
 */
export function spendBucketMs(windowMs: number): number {
  const target = windowMs / SPEND_BUCKETS_PER_WINDOW;
  for (const width of BUCKET_WIDTHS_MS) if (width >= target) return width;
  return Math.ceil(target / DAY_MS) * DAY_MS;
}

/** The buckets (indices of `spendBucketMs(windowMs)`-wide buckets) that hold a sliding window's spend at `nowMs`. */
export function spendBucketRange(
  windowMs: number,
  nowMs: number,
): { bucketMs: number; oldest: number; newest: number } {
  const bucketMs = spendBucketMs(windowMs);
  return {
    bucketMs,
    // the oldest bucket still overlaps the window: it counts whole (see README, precision)
    oldest: Math.floor((nowMs - windowMs) / bucketMs),
    newest: Math.floor(nowMs / bucketMs),
  };
}

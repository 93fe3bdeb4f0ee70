import { roundUsd, type SpendWindow, windowOf } from '@genmeta/core/rules';
import type { SpendBuckets } from '@genmeta/core/server';

/** What a key's buckets say of its window. */
export interface WindowSpend {
  /** sum of the known amounts */
  knownUsd: number;
  /** generations whose amount is unknown: not counted */
  unknownCount: number;
  /** when at the limit: seconds until enough of the window's spend has expired to be under it */
  retryAfterSeconds: number | undefined;
  /** length of the window read, ms (a calendar period's own length, e.g. 28 to 31 days) */
  windowMs: number;
}

function secondsUntil(atMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((atMs - nowMs) / 1000));
}

/**
 * The spend of a key's window against a limit, from its buckets, on the store's clock. An
 * unknown amount adds nothing: the limiter only enforces what is known (README, "Unknown cost").
 * - sliding (`{ windowMs }`): every bucket that overlaps the window counts whole, so a spend
 *   counts for at least `windowMs` and at most one bucket longer;
 * - calendar: the buckets of the current UTC period (they never straddle a day), exactly.
 */
export function windowSpend(
  read: SpendBuckets,
  window: SpendWindow,
  limitUsd: number,
): WindowSpend {
  const { nowMs, bucketMs } = read;
  const calendar = typeof window === 'string' ? windowOf(window, nowMs) : undefined;
  const windowMs = calendar === undefined ? (window as { windowMs: number }).windowMs : 0;
  const counted = read.buckets.filter((bucket) =>
    calendar === undefined
      ? bucket.startMs + bucketMs > nowMs - windowMs && bucket.startMs <= nowMs
      : bucket.startMs >= calendar.startMs && bucket.startMs < calendar.endMs,
  );
  let knownUsd = 0;
  let unknownCount = 0;
  for (const bucket of counted) {
    if (Number.isFinite(bucket.knownUsd)) knownUsd += bucket.knownUsd;
    if (Number.isFinite(bucket.unknownCount)) unknownCount += Math.max(0, bucket.unknownCount);
  }
  knownUsd = roundUsd(knownUsd);
  const length = calendar === undefined ? windowMs : calendar.endMs - calendar.startMs;
  if (knownUsd < limitUsd) {
    return { knownUsd, unknownCount, retryAfterSeconds: undefined, windowMs: length };
  }
  if (calendar !== undefined) {
    // a calendar budget comes back whole when the next period starts
    return {
      knownUsd,
      unknownCount,
      retryAfterSeconds: secondsUntil(calendar.endMs, nowMs),
      windowMs: length,
    };
  }
  // Drop the oldest buckets until what is left is under the limit: the last one dropped leaves
  // the window when the key may spend again.
  let left = knownUsd;
  let freedAtMs = nowMs + windowMs;
  for (const bucket of [...counted].sort((a, b) => a.startMs - b.startMs)) {
    left = roundUsd(left - bucket.knownUsd);
    freedAtMs = bucket.startMs + bucketMs + windowMs;
    if (left < limitUsd) break;
  }
  return {
    knownUsd,
    unknownCount,
    retryAfterSeconds: secondsUntil(freedAtMs, nowMs),
    windowMs: length,
  };
}

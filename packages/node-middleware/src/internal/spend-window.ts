import type { SpendEntry } from '@genmeta/core/engine';
import { roundUsd } from '@genmeta/core/engine';

/** What a key's entries in the window say. */
export interface WindowSpend {
  /** sum of the known amounts */
  knownUsd: number;
  /** entries whose amount is unknown (`null`): not counted */
  unknownCount: number;
  /** when at the limit: seconds until enough of the window's spend has expired to be under it */
  retryAfterSeconds: number | undefined;
}

/**
 * The spend of a key's window (entries oldest first) against a limit. An unknown amount adds
 * nothing: the limiter only enforces what is known (README, "Unknown cost").
 */
export function windowSpend(
  entries: readonly SpendEntry[],
  limitUsd: number,
  windowMs: number,
  nowMs: number,
): WindowSpend {
  let knownUsd = 0;
  let unknownCount = 0;
  for (const entry of entries) {
    if (typeof entry.amountUsd === 'number' && Number.isFinite(entry.amountUsd)) {
      knownUsd += entry.amountUsd;
    } else unknownCount += 1;
  }
  knownUsd = roundUsd(knownUsd);
  if (knownUsd < limitUsd) return { knownUsd, unknownCount, retryAfterSeconds: undefined };
  // Drop the oldest entries until what is left is under the limit: the last one dropped
  // expires when the key may spend again.
  let left = knownUsd;
  let expiresAtMs = nowMs + windowMs;
  for (const entry of entries) {
    if (typeof entry.amountUsd !== 'number' || !Number.isFinite(entry.amountUsd)) continue;
    left = roundUsd(left - entry.amountUsd);
    expiresAtMs = entry.atMs + windowMs;
    if (left < limitUsd) break;
  }
  const retryAfterSeconds = Math.max(1, Math.ceil((expiresAtMs - nowMs) / 1000));
  return { knownUsd, unknownCount, retryAfterSeconds };
}

/** Longest wait a `Retry-After` may impose. */
export const maxRetryAfterMs = 60_000;
/** Longest backoff step before jitter. */
export const maxBackoffMs = 8_000;

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^attempt)]. */
export function backoffDelay(baseMs: number, attempt: number, random: () => number): number {
  const ceiling = Math.min(maxBackoffMs, baseMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}

/**
 * `Retry-After` in ms: delta-seconds (decimals tolerated) or an HTTP date; `undefined` when absent
 * or unreadable. Not capped here (the caller caps the wait, the error reports what was asked).
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date always has letters (day and month names); Date.parse alone accepts '-1'.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

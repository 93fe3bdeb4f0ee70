import type { KeyLimitState } from '../alerts/types.js';

/** How soon a client refused for the key's limit may try again: the key is read about this often. */
const KEY_RETRY_AFTER_SECONDS = 60;

/**
 * spendLimit's answer while the OpenRouter key's own limit is (nearly) used up, as
 * `costAlerts(...).keyLimit` last read it: a 429 before OpenRouter's 402 or 403, never naming
 * the key.
 */
export function keyLimitRefusal(state: KeyLimitState, reserveUsd: number) {
  const body = JSON.stringify({
    error: {
      code: 429,
      message: `The service's OpenRouter credit limit is nearly used up (${state.remainingUsd ?? 0} USD left). Retry after ${KEY_RETRY_AFTER_SECONDS} s.`,
      metadata: {
        reason: 'key_limit',
        limit_usd: state.limitUsd,
        remaining_usd: state.remainingUsd,
        reserve_usd: reserveUsd,
        limit_reset: state.reset,
        retry_after_seconds: KEY_RETRY_AFTER_SECONDS,
      },
    },
  });
  return { status: 429 as const, body, retryAfter: String(KEY_RETRY_AFTER_SECONDS) };
}

import type { ResolvedOptions } from './options.js';

const round = (amount: number): number => Math.round(amount * 1e12) / 1e12;

/**
 * `GET /key`'s limit fields: the `keyLimitUsd` and `keyLimitReset` options, and what is left of
 * the limit after `usage` (never below 0); all null without a limit, as OpenRouter answers.
 */
export function keyLimitFields(
  options: Pick<ResolvedOptions, 'keyLimitUsd' | 'keyLimitReset'>,
  usage: number,
): { limit: number | null; limit_remaining: number | null; limit_reset: string | null } {
  const limit = options.keyLimitUsd;
  return {
    limit,
    limit_remaining: limit === null ? null : round(Math.max(0, limit - usage)),
    limit_reset: limit === null ? null : options.keyLimitReset,
  };
}

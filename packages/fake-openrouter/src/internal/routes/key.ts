import type { Exchange } from '../exchange.js';
import type { FakeState } from '../state.js';

/** The path `GET /key` answers on: the calling key's own limit and usage. */
export const keyPath = '/api/v1/key';

const round = (amount: number): number => Math.round(amount * 1e12) / 1e12;

/**
 * `GET /api/v1/key`: `usage` is the `total_cost` of every generation the fake holds; `limit` and
 * `limit_reset` come from the `keyLimitUsd` and `keyLimitReset` options; `limit_remaining` is
 * the limit less the usage (never below 0), null without a limit.
 */
export function handleKey(state: FakeState, exchange: Exchange): void {
  const { responder } = state;
  if ((exchange.request.method ?? 'GET') !== 'GET') {
    exchange.request.resume();
    return responder.sendError(exchange, 405, 'Use GET', { allow: 'GET, OPTIONS' });
  }
  exchange.request.resume();
  if (!responder.authorize(exchange)) return;
  let usage = 0;
  for (const generation of state.store.all()) {
    if (typeof generation.total_cost === 'number') usage += generation.total_cost;
  }
  usage = round(usage);
  const limit = state.options.keyLimitUsd;
  responder.sendJson(exchange, 200, {
    data: {
      label: 'sk-or-v1-fak...',
      limit,
      limit_remaining: limit === null ? null : round(Math.max(0, limit - usage)),
      limit_reset: state.options.keyLimitReset,
      usage,
      usage_daily: usage,
      usage_weekly: usage,
      usage_monthly: usage,
      include_byok_in_limit: false,
      is_free_tier: false,
      is_management_key: false,
      expires_at: null,
    },
  });
}

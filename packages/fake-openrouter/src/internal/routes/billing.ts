import { activityRows, analyticsMeta, parseQuery, runQuery } from '../analytics.js';
import type { Exchange } from '../exchange.js';
import { keyLimitFields } from '../key-limit.js';
import type { FakeState } from '../state.js';

/** The billing paths, each with the one method it answers. */
export const billingRoutes: Readonly<Record<string, 'GET' | 'POST'>> = {
  '/api/v1/key': 'GET',
  '/api/v1/credits': 'GET',
  '/api/v1/activity': 'GET',
  '/api/v1/analytics/query': 'POST',
  '/api/v1/analytics/meta': 'GET',
};

const dayMs = 86_400_000;

/** Which key the request carries: the management key, the inference key, or neither. */
function keyKind(state: FakeState, exchange: Exchange): 'management' | 'inference' | undefined {
  const header = exchange.request.headers.authorization;
  if (header === `Bearer ${state.options.managementKey}`) return 'management';
  if (header === `Bearer ${state.options.apiKey}`) return 'inference';
  return undefined;
}

/** 403 for an inference key, 401 for no key or an unknown one; true for a management key. */
function requireManagementKey(state: FakeState, exchange: Exchange): boolean {
  const kind = keyKind(state, exchange);
  if (kind === 'management') return true;
  if (kind === 'inference') {
    state.responder.sendError(exchange, 403, 'Only management keys can perform this operation');
    return false;
  }
  return state.responder.authorize(exchange);
}

/** A 429 with Retry-After once a key passed its analytics queries for the window. */
function rateLimited(state: FakeState, exchange: Exchange, now: number): boolean {
  const { requests, windowMs } = state.options.analyticsRateLimit;
  const times = state.analyticsQueryTimes;
  while (times.length > 0 && (times[0] as number) <= now - windowMs) times.shift();
  if (times.length < requests) {
    times.push(now);
    return false;
  }
  const retryAfterS = Math.max(1, Math.ceil(((times[0] as number) + windowMs - now) / 1000));
  state.responder.sendError(exchange, 429, 'Rate limit exceeded', {
    'retry-after': String(retryAfterS),
  });
  return true;
}

/** `GET /key`, `GET /credits`, `GET /activity`, `POST /analytics/query`, `GET /analytics/meta`. */
export async function handleBilling(
  state: FakeState,
  exchange: Exchange,
  path: string,
): Promise<void> {
  const { responder, ledger, options } = state;
  const now = Date.now();
  if (path === '/api/v1/key') {
    exchange.request.resume();
    const kind = keyKind(state, exchange);
    if (kind === undefined) {
      responder.authorize(exchange);
      return;
    }
    let usage = 0;
    let byokUsage = 0;
    for (const billed of ledger.billed()) {
      usage += billed.credits;
      byokUsage += billed.byok;
    }
    responder.sendJson(exchange, 200, {
      data: {
        label: kind === 'management' ? 'sk-or-v1-fak...mgt' : 'sk-or-v1-fak...inf',
        ...keyLimitFields(options, usage),
        usage,
        usage_daily: usage,
        usage_weekly: usage,
        usage_monthly: usage,
        byok_usage: byokUsage,
        byok_usage_daily: byokUsage,
        byok_usage_weekly: byokUsage,
        byok_usage_monthly: byokUsage,
        include_byok_in_limit: false,
        is_free_tier: false,
        is_management_key: kind === 'management',
        is_provisioning_key: kind === 'management',
        expires_at: null,
        creator_user_id: 'user_fake',
      },
    });
    return;
  }
  if (path !== '/api/v1/analytics/query') exchange.request.resume();
  if (!requireManagementKey(state, exchange)) return;
  if (path === '/api/v1/credits') {
    let usage = 0;
    for (const billed of ledger.billed()) usage += billed.credits;
    responder.sendJson(exchange, 200, {
      data: { total_credits: options.totalCredits, total_usage: Math.round(usage * 1e12) / 1e12 },
    });
    return;
  }
  if (path === '/api/v1/analytics/meta') {
    responder.sendJson(exchange, 200, { data: analyticsMeta() });
    return;
  }
  if (path === '/api/v1/activity') {
    const date = exchange.url.searchParams.get('date') ?? undefined;
    if (date !== undefined) {
      const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(date) : Number.NaN;
      const today = Date.parse(new Date(now).toISOString().slice(0, 10));
      if (Number.isNaN(day) || day >= today || day < today - 30 * dayMs) {
        responder.sendError(
          exchange,
          400,
          'date must be a UTC date (YYYY-MM-DD) of the last 30 completed days',
        );
        return;
      }
    }
    responder.sendJson(exchange, 200, { data: activityRows(ledger, now, date) });
    return;
  }
  if (rateLimited(state, exchange, now)) {
    exchange.request.resume();
    return;
  }
  const parsed = await responder.readJson(exchange);
  if (!parsed) return;
  const query = parseQuery(parsed.value, now);
  if (typeof query === 'string') {
    responder.sendError(exchange, 400, query);
    return;
  }
  responder.sendJson(exchange, 200, runQuery(ledger, query, options.analyticsMaxRows));
}

import type { Generation } from '../schemas/generation.js';
import type { EndpointPricing, PricingOverride } from '../schemas/model-endpoints.js';
import type { CostRule } from './types.js';

/** The per-unit price keys explain reads from an endpoint's pricing. */
export type PriceKey =
  | 'prompt'
  | 'completion'
  | 'internal_reasoning'
  | 'input_cache_read'
  | 'input_cache_write'
  | 'input_cache_write_1h'
  | 'request'
  | 'web_search'
  | 'web_fetch'
  | 'image'
  | 'audio';

const priceKeys: readonly PriceKey[] = [
  'prompt',
  'completion',
  'internal_reasoning',
  'input_cache_read',
  'input_cache_write',
  'input_cache_write_1h',
  'request',
  'web_search',
  'web_fetch',
  'image',
  'audio',
];

/** A price as read: USD per unit, or why it cannot be used. */
export type Price = { usd: number } | { usd: null; reason: string };

/** The prices that applied to one generation, with the rules that chose them. */
export interface EffectivePrices {
  price(key: PriceKey): Price;
  /** Fraction taken off every part (0 when none). */
  discount: number;
  rules: CostRule[];
}

function readPrice(key: string, value: unknown): Price {
  if (value === undefined || value === null || value === '') {
    return { usd: null, reason: `the endpoint lists no ${key} price` };
  }
  const usd = typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(usd)) return { usd: null, reason: `the ${key} price is not a number` };
  // OpenRouter writes a negative price (e.g. "-1") for a variable, per-request price.
  if (usd < 0) return { usd: null, reason: `the ${key} price is variable` };
  return { usd };
}

/** Minutes into the UTC day of an ISO date-time, or null when it cannot be read. */
function utcClock(createdAt: unknown): number | null {
  if (typeof createdAt !== 'string') return null;
  const time = Date.parse(createdAt);
  if (!Number.isFinite(time)) return null;
  const date = new Date(time);
  return date.getUTCHours() * 100 + date.getUTCMinutes();
}

type Condition = { holds: true; text: string } | { holds: false } | { holds: null; text: string };

/** Whether all of an override's conditions hold for the generation (null: cannot tell). */
function conditionOf(override: PricingOverride, generation: Generation): Condition {
  const parts: string[] = [];
  const threshold = override.min_prompt_tokens;
  if (typeof threshold === 'number') {
    const prompt = generation.native_tokens_prompt;
    if (typeof prompt !== 'number') {
      return { holds: null, text: `prompt over ${threshold} tokens (prompt tokens not reported)` };
    }
    if (!(prompt > threshold)) return { holds: false };
    parts.push(`prompt of ${prompt} tokens > ${threshold}`);
  }
  const { utc_start: start, utc_end: end } = override;
  if (typeof start === 'number' || typeof end === 'number') {
    const clock = utcClock(generation.created_at);
    const from = typeof start === 'number' ? start : 0;
    const to = typeof end === 'number' ? end : 2400;
    if (clock === null) {
      return { holds: null, text: `UTC window ${from}-${to} (created_at unreadable)` };
    }
    const inside = from <= to ? clock >= from && clock < to : clock >= from || clock < to;
    if (!inside) return { holds: false };
    parts.push(`created at ${String(clock).padStart(4, '0')} UTC, inside ${from}-${to}`);
  }
  return { holds: true, text: parts.join(', ') || 'unconditional' };
}

/**
 * The prices of the serving endpoint for this generation: the base prices, then every override
 * whose conditions all hold (later entries win per key), and the endpoint's discount.
 */
export function effectivePrices(pricing: EndpointPricing, generation: Generation): EffectivePrices {
  const raw: Record<string, unknown> = {};
  for (const key of priceKeys) raw[key] = pricing[key];
  const uncertain = new Map<string, string>();
  const rules: CostRule[] = [];
  const overrides = Array.isArray(pricing.overrides) ? pricing.overrides : [];
  for (const override of overrides) {
    if (typeof override !== 'object' || override === null) continue;
    const condition = conditionOf(override, generation);
    if (condition.holds === false) continue;
    const changed = priceKeys.filter(
      (key) => override[key] !== undefined && override[key] !== null,
    );
    if (changed.length === 0) continue;
    if (condition.holds === null) {
      for (const key of changed) uncertain.set(key, `an override may apply: ${condition.text}`);
      continue;
    }
    for (const key of changed) {
      raw[key] = override[key];
      uncertain.delete(key);
    }
    const prices = changed.map((key) => `${key} ${String(override[key])}`).join(', ');
    rules.push({ name: 'pricing_override', detail: `${condition.text}: ${prices} USD per unit` });
  }
  const discount =
    typeof pricing.discount === 'number' && pricing.discount > 0 && pricing.discount <= 1
      ? pricing.discount
      : 0;
  if (discount > 0) {
    rules.push({
      name: 'endpoint_discount',
      detail: `the endpoint takes ${+(discount * 100).toPrecision(6)}% off its prices`,
    });
  }
  return {
    price(key) {
      const reason = uncertain.get(key);
      return reason === undefined ? readPrice(key, raw[key]) : { usd: null, reason };
    },
    discount,
    rules,
  };
}

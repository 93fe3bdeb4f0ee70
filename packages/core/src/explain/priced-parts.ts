import { sumUsd } from '../internal/money.js';
import { roundUsd } from '../internal/spend.js';
import type { Generation } from '../schemas/generation.js';
import type { EffectivePrices, Price, PriceKey } from './effective-prices.js';
import type { CostComponent, CostComponentName, CostRule } from './types.js';

const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;

function part(name: CostComponentName, quantity: number | null, price: Price): CostComponent {
  if (quantity === null) {
    return { name, quantity, unitUsd: price.usd, usd: null, unknown: `${name} count not reported` };
  }
  if (price.usd === null)
    return { name, quantity, unitUsd: null, usd: null, unknown: price.reason };
  return { name, quantity, unitUsd: price.usd, usd: roundUsd(quantity * price.usd) };
}

function unknownPart(name: CostComponentName, quantity: number | null, reason: string) {
  return { name, quantity, unitUsd: null, usd: null, unknown: reason } satisfies CostComponent;
}

/**
 * Cache writes are not counted on a generation; `cache_discount` holds them:
 * discount = cached × (prompt − read) − writes × (write − prompt), all at the discounted prices.
 * The write count is the whole number that fits, at the 5-minute or the 1-hour write price.
 */
function cacheWrites(
  generation: Generation,
  prices: EffectivePrices,
  cached: number,
): { writes: number; price: Price } | undefined {
  const discount = generation.cache_discount;
  const prompt = prices.price('prompt').usd;
  if (typeof discount !== 'number' || !Number.isFinite(discount) || prompt === null) return;
  const read = cached > 0 ? prices.price('input_cache_read').usd : 0;
  if (read === null) return;
  const kept = 1 - prices.discount;
  const writeCost = cached * (prompt - read) * kept - discount;
  if (Math.abs(writeCost) < 1e-12) return;
  for (const key of ['input_cache_write', 'input_cache_write_1h'] as const) {
    const price = prices.price(key);
    if (price.usd === null || price.usd <= prompt) continue;
    const writes = writeCost / ((price.usd - prompt) * kept);
    const whole = Math.round(writes);
    if (whole >= 1 && Math.abs(writes - whole) <= 1e-6 * whole) return { writes: whole, price };
  }
  return;
}

/**
 * The endpoint-priced parts of a generation, the way OpenRouter bills them: cached tokens are
 * inside `native_tokens_prompt` and priced at `input_cache_read`; reasoning tokens are inside
 * `native_tokens_completion` and priced at `internal_reasoning` (else as completion);
 * `web_search` is per search result; the endpoint's discount comes off the subtotal.
 */
export function pricedParts(
  generation: Generation,
  prices: EffectivePrices,
): { parts: CostComponent[]; rules: CostRule[] } {
  const rules: CostRule[] = [];
  const parts: CostComponent[] = [];
  const nativePrompt = count(generation.native_tokens_prompt);
  const nativeCompletion = count(generation.native_tokens_completion);
  const cached = count(generation.native_tokens_cached) ?? 0;
  const reasoning = count(generation.native_tokens_reasoning) ?? 0;

  const written = cacheWrites(generation, prices, cached);
  const writes = written?.writes ?? 0;
  if (written) {
    rules.push({
      name: 'cache_write_from_discount',
      detail: `${writes} prompt tokens written to the cache (from cache_discount ${generation.cache_discount})`,
    });
  }
  // Writes inside the prompt count when they fit in it (OpenRouter's native prompt count).
  const promptTokens =
    nativePrompt === null
      ? null
      : nativePrompt - cached - writes >= 0
        ? nativePrompt - cached - writes
        : Math.max(0, nativePrompt - cached);
  parts.push(part('prompt', promptTokens, prices.price('prompt')));

  const completionTokens =
    nativeCompletion === null
      ? null
      : reasoning <= nativeCompletion
        ? nativeCompletion - reasoning
        : nativeCompletion;
  parts.push(part('completion', completionTokens, prices.price('completion')));
  if (reasoning > 0) {
    const reasoningPrice = prices.price('internal_reasoning');
    parts.push(
      part(
        'reasoning',
        reasoning,
        reasoningPrice.usd === null ? prices.price('completion') : reasoningPrice,
      ),
    );
  }
  if (cached > 0) parts.push(part('cache_read', cached, prices.price('input_cache_read')));
  if (written) parts.push(part('cache_write', writes, written.price));

  const request = prices.price('request');
  if (request.usd !== null && request.usd > 0) parts.push(part('request', 1, request));

  const searches = count(generation.num_search_results) ?? 0;
  if (searches > 0) parts.push(part('web_search', searches, prices.price('web_search')));
  const fetches = count(generation.num_fetches) ?? 0;
  if (fetches > 0) parts.push(part('web_fetch', fetches, prices.price('web_fetch')));
  const images = count(generation.num_media_prompt) ?? 0;
  if (images > 0) parts.push(part('image', images, prices.price('image')));
  const audio = count(generation.num_input_audio_prompt) ?? 0;
  if (audio > 0) {
    parts.push(unknownPart('audio', null, 'the generation counts audio inputs, not audio tokens'));
  }

  if (prices.discount > 0) parts.push(discountPart(parts, prices.discount));
  return { parts, rules };
}

/** The endpoint discount as a part: `quantity` the fraction, `unitUsd` the negative subtotal. */
function discountPart(parts: readonly CostComponent[], discount: number): CostComponent {
  if (parts.some((component) => component.usd === null)) {
    return unknownPart('discount', discount, 'the discount applies to a part that is unknown');
  }
  const subtotal = sumUsd(parts.map((component) => component.usd as number));
  return {
    name: 'discount',
    quantity: discount,
    unitUsd: -subtotal,
    usd: roundUsd(-subtotal * discount),
  };
}

export type { PriceKey };

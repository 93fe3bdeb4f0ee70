import { modelInfo } from './generations.js';

/**
 * The fake's own endpoint price list (OpenRouter's `GET /models/{author}/{slug}/endpoints`
 * shape). Costs of priced generations are computed from it here, independently of genmeta's
 * core, so a test can tell a right explanation from a wrong one.
 */
export interface FakePriceOverride {
  [key: string]: string | number | undefined;
  prompt?: string;
  completion?: string;
  input_cache_read?: string;
  min_prompt_tokens?: number;
  utc_start?: number;
  utc_end?: number;
}

export interface FakePricing {
  [key: string]: unknown;
  prompt: string;
  completion: string;
  request: string;
  image: string;
  web_search: string;
  internal_reasoning: string;
  input_cache_read: string;
  input_cache_write: string;
  input_cache_write_1h: string;
  discount?: number;
  overrides?: FakePriceOverride[];
}

export interface FakeEndpoint {
  [field: string]: unknown;
  name: string;
  model_id: string;
  model_name: string;
  context_length: number;
  provider_name: string;
  tag: string;
  quantization: string;
  pricing: FakePricing;
}

/** Decimal text of a USD amount, as OpenRouter writes prices. */
const text = (usd: number): string =>
  Number(usd.toPrecision(12))
    .toFixed(15)
    .replace(/\.?0+$/, '');

function pricingFrom(prompt: number, completion: number, cacheReadShare: number): FakePricing {
  return {
    prompt: text(prompt),
    completion: text(completion),
    request: '0',
    image: text(prompt * 1000),
    // USD per search result.
    web_search: '0.004',
    internal_reasoning: text(completion),
    input_cache_read: text(prompt * cacheReadShare),
    input_cache_write: text(prompt * 1.25),
    input_cache_write_1h: text(prompt * 2),
  };
}

/**
 * The endpoints of a model: its usual provider first, and for some models a second endpoint:
 * `openai/gpt-4o-mini` on Azure with a 25% discount; `anthropic/claude-sonnet-4` has a
 * long-context override (prompt over 200,000 tokens); `meta-llama/llama-3.1-8b-instruct` an
 * off-peak window (01:00 to 04:00 UTC, half price).
 */
export function endpointsFor(model: string): FakeEndpoint[] {
  const info = modelInfo(model);
  const slug = model.replace(/:free$/, '');
  const cacheReadShare = slug.startsWith('anthropic/') ? 0.1 : 0.5;
  const endpoint = (provider: string, pricing: FakePricing): FakeEndpoint => ({
    name: `${provider}: ${slug}`,
    model_id: info.permaslug,
    model_name: slug,
    context_length: 200_000,
    provider_name: provider,
    tag: provider.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    quantization: 'unknown',
    pricing,
  });
  const primary = pricingFrom(info.prompt, info.completion, cacheReadShare);
  if (slug === 'anthropic/claude-sonnet-4') {
    primary.overrides = [
      {
        min_prompt_tokens: 200_000,
        prompt: text(info.prompt * 2),
        completion: text(info.completion * 1.5),
      },
    ];
  }
  if (slug === 'meta-llama/llama-3.1-8b-instruct') {
    primary.overrides = [
      {
        utc_start: 100,
        utc_end: 400,
        prompt: text(info.prompt / 2),
        completion: text(info.completion / 2),
      },
    ];
  }
  const endpoints = [endpoint(info.provider, primary)];
  if (slug === 'openai/gpt-4o-mini') {
    endpoints.push(
      endpoint('Azure', { ...pricingFrom(info.prompt, info.completion, 0.5), discount: 0.25 }),
    );
  }
  return endpoints;
}

/** Number of a decimal price. */
export const usd = (price: string | undefined): number => (price === undefined ? 0 : Number(price));

/** The prices that apply (overrides whose conditions all hold, later ones winning). */
export function appliedPricing(
  pricing: FakePricing,
  promptTokens: number,
  createdAt: number,
): FakePricing {
  const date = new Date(createdAt);
  const clock = date.getUTCHours() * 100 + date.getUTCMinutes();
  let applied: FakePricing = { ...pricing };
  for (const override of pricing.overrides ?? []) {
    if (override.min_prompt_tokens !== undefined && !(promptTokens > override.min_prompt_tokens)) {
      continue;
    }
    if (override.utc_start !== undefined || override.utc_end !== undefined) {
      const from = override.utc_start ?? 0;
      const to = override.utc_end ?? 2400;
      const inside = from <= to ? clock >= from && clock < to : clock >= from || clock < to;
      if (!inside) continue;
    }
    const { min_prompt_tokens: _m, utc_start: _s, utc_end: _e, ...prices } = override;
    applied = { ...applied, ...prices };
  }
  return applied;
}

import type { FakeGeneration, PricedGenerationSpec } from '../types.js';
import { createGenerationId, defaultModel, formatCreatedAt, upstreamIdFor } from './generations.js';
import { appliedPricing, endpointsFor, usd } from './price-list.js';

/** What `/generation/content` serves for a generation (`data`). */
export interface FakeContent {
  input: { messages: Array<{ role: string; content: string }> };
  output: { completion: string | null; reasoning: string | null };
  error: null | {
    status: number;
    message: string;
    provider_name: string | null;
    raw: string | null;
    previous_errors: Array<{ code: number; message: string; provider_name: string; raw: null }>;
  };
}

const whole = (value: number | undefined, fallback: number): number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;

/** OpenRouter reports costs with about nine significant digits. */
const rounded = (amount: number): number => Number(amount.toPrecision(9));

/**
 * The fields and stored content of a generation priced from the fake's own list, the way
 * OpenRouter bills: cached and written tokens are inside the prompt count, reasoning inside the
 * completion count, search per result, the endpoint's discount off the whole.
 */
export function pricedGeneration(spec: PricedGenerationSpec): {
  fields: Partial<FakeGeneration>;
  content: FakeContent;
} {
  const model = spec.model ?? defaultModel;
  const endpoints = endpointsFor(model);
  const endpoint =
    endpoints.find((candidate) => candidate.provider_name === spec.provider) ?? endpoints[0];
  if (endpoint === undefined) throw new TypeError(`no endpoint for ${model}`);
  if (spec.provider !== undefined && endpoint.provider_name !== spec.provider) {
    throw new TypeError(`${model} has no endpoint on ${spec.provider}`);
  }
  const createdAt = spec.createdAt ?? Date.now();
  const prompt = whole(spec.promptTokens, 1000);
  const failed = spec.failed === true;
  const completion = failed ? 0 : whole(spec.completionTokens, 200);
  const cached = whole(spec.cachedTokens, 0);
  const writes = whole(spec.cacheWriteTokens, 0);
  const reasoning = failed ? 0 : whole(spec.reasoningTokens, 0);
  const searches = whole(spec.searchResults, 0);
  if (cached + writes > prompt) throw new TypeError('cached + written tokens exceed the prompt');
  if (reasoning > completion) throw new TypeError('reasoning tokens exceed the completion');

  const prices = appliedPricing(endpoint.pricing, prompt, createdAt);
  const kept = 1 - (prices.discount ?? 0);
  const listPrice =
    ((prompt - cached - writes) * usd(prices.prompt) +
      cached * usd(prices.input_cache_read) +
      writes * usd(prices.input_cache_write) +
      (completion - reasoning) * usd(prices.completion) +
      reasoning * usd(prices.internal_reasoning) +
      searches * usd(prices.web_search) +
      usd(prices.request)) *
    kept;
  const cacheDiscount =
    cached + writes === 0
      ? null
      : rounded(
          (cached * (usd(prices.prompt) - usd(prices.input_cache_read)) -
            writes * (usd(prices.input_cache_write) - usd(prices.prompt))) *
            kept,
        );
  const cacheHit = typeof spec.responseCacheHitOf === 'string';
  const free = cacheHit || failed;
  const inflate = spec.inflateUsd ?? 0;
  const charge = free ? 0 : rounded(listPrice);
  const byok = spec.byok === true;
  const upstream = byok ? rounded(charge + inflate) : charge;
  const totalCost = byok ? rounded(charge * 0.05) : rounded(charge + inflate);

  const provider = endpoint.provider_name;
  const upstreamId = upstreamIdFor(provider);
  const failedAttempts = spec.failedAttempts ?? [];
  const attempts = [
    ...failedAttempts.map((attempt) => ({
      id: null,
      endpoint_id: `ep-${attempt.provider.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      model_permaslug: endpoint.model_id,
      provider_name: attempt.provider,
      status: attempt.status,
      latency: attempt.latencyMs ?? 250,
      is_byok: byok,
    })),
    ...(cacheHit
      ? []
      : [
          {
            id: failed ? null : upstreamId,
            endpoint_id: `ep-${endpoint.tag}`,
            model_permaslug: endpoint.model_id,
            provider_name: provider,
            status: failed ? 502 : 200,
            latency: 400 + completion,
            is_byok: byok,
          },
        ]),
  ];
  const fields: Partial<FakeGeneration> = {
    id: createGenerationId(createdAt),
    created_at: formatCreatedAt(createdAt),
    model,
    provider_name: provider,
    total_cost: totalCost,
    usage: totalCost,
    upstream_inference_cost: free ? 0 : upstream,
    cache_discount: free ? null : cacheDiscount,
    is_byok: byok,
    cancelled: spec.cancelled === true,
    finish_reason: failed ? 'error' : spec.cancelled === true ? null : 'stop',
    native_finish_reason: failed ? 'error' : 'stop',
    tokens_prompt: prompt,
    tokens_completion: completion,
    native_tokens_prompt: prompt,
    native_tokens_completion: completion,
    native_tokens_cached: cached,
    native_tokens_reasoning: reasoning,
    num_search_results: searches > 0 ? searches : null,
    web_search_engine: searches > 0 ? 'exa' : null,
    response_cache_source_id: cacheHit ? (spec.responseCacheHitOf as string) : null,
    latency: attempts.reduce((sum, attempt) => sum + attempt.latency, 0) + 100,
    upstream_id: failed || cacheHit ? null : upstreamId,
    provider_responses: attempts,
    ...spec.fields,
  };
  const previous = failedAttempts.map((attempt) => ({
    code: attempt.status,
    message: attempt.message ?? 'Provider returned error',
    provider_name: attempt.provider,
    raw: null,
  }));
  const content: FakeContent = {
    input: { messages: [{ role: 'user', content: 'Hello' }] },
    output: { completion: failed ? null : 'Hello to you.', reasoning: null },
    error: failed
      ? {
          status: 502,
          message: 'Provider returned error',
          provider_name: provider,
          raw: null,
          previous_errors: previous,
        }
      : null,
  };
  return { fields, content };
}

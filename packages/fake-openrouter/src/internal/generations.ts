import { randomBytes, randomUUID } from 'node:crypto';
import type { FakeGeneration } from '../types.js';

const alphanumerics = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Small randomBytes calls cost microseconds each; drawing from a pool keeps bulk creation fast.
let pool = randomBytes(0);
let poolOffset = 0;

/** Random letters and digits (the slight modulo bias is irrelevant for a fake). */
export function randomAlphanumerics(length: number): string {
  if (poolOffset + length > pool.length) {
    pool = randomBytes(Math.max(8192, length));
    poolOffset = 0;
  }
  let text = '';
  for (let index = 0; index < length; index += 1) {
    text += alphanumerics[(pool[poolOffset + index] ?? 0) % alphanumerics.length];
  }
  poolOffset += length;
  return text;
}

/** A generation id in OpenRouter's current format: `gen-<unix seconds>-<20 alphanumerics>`. */
export function createGenerationId(now = Date.now()): string {
  return `gen-${Math.floor(now / 1000)}-${randomAlphanumerics(20)}`;
}

/** OpenRouter's timestamp style: microseconds and an explicit `+00:00` offset. */
export function formatCreatedAt(time: number): string {
  return new Date(time).toISOString().replace('Z', '000+00:00');
}

export const defaultModel = 'openai/gpt-4o-mini';

interface ModelInfo {
  /** USD per prompt token. */
  prompt: number;
  /** USD per completion token. */
  completion: number;
  provider: string;
  permaslug: string;
}

const perMillion = 1e-6;

/** List prices (USD per million tokens) of a few well-known models. */
const modelTable: Record<string, ModelInfo> = {
  'openai/gpt-4o-mini': {
    prompt: 0.15 * perMillion,
    completion: 0.6 * perMillion,
    provider: 'OpenAI',
    permaslug: 'openai/gpt-4o-mini-2024-07-18',
  },
  'openai/gpt-4o': {
    prompt: 2.5 * perMillion,
    completion: 10 * perMillion,
    provider: 'OpenAI',
    permaslug: 'openai/gpt-4o-2024-08-06',
  },
  'openai/gpt-4.1-nano': {
    prompt: 0.1 * perMillion,
    completion: 0.4 * perMillion,
    provider: 'OpenAI',
    permaslug: 'openai/gpt-4.1-nano-2025-04-14',
  },
  'anthropic/claude-sonnet-4': {
    prompt: 3 * perMillion,
    completion: 15 * perMillion,
    provider: 'Anthropic',
    permaslug: 'anthropic/claude-4-sonnet-20250522',
  },
  'anthropic/claude-3.5-haiku': {
    prompt: 0.8 * perMillion,
    completion: 4 * perMillion,
    provider: 'Anthropic',
    permaslug: 'anthropic/claude-3-5-haiku',
  },
  'google/gemini-2.5-flash': {
    prompt: 0.3 * perMillion,
    completion: 2.5 * perMillion,
    provider: 'Google AI Studio',
    permaslug: 'google/gemini-2.5-flash',
  },
  'meta-llama/llama-3.1-8b-instruct': {
    prompt: 0.02 * perMillion,
    completion: 0.05 * perMillion,
    provider: 'DeepInfra',
    permaslug: 'meta-llama/llama-3.1-8b-instruct',
  },
};

const providerByVendor: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google AI Studio',
  'meta-llama': 'DeepInfra',
  mistralai: 'Mistral',
  deepseek: 'DeepSeek',
};

/** Price and provider of a model; unknown models cost $1 / $2 per million tokens. */
export function modelInfo(model: string): ModelInfo {
  const free = model.endsWith(':free');
  const slug = free ? model.slice(0, -':free'.length) : model;
  const known = modelTable[slug];
  const vendor = slug.split('/')[0] ?? '';
  const info: ModelInfo = known ?? {
    prompt: 1 * perMillion,
    completion: 2 * perMillion,
    provider: providerByVendor[vendor] ?? 'Together',
    permaslug: slug,
  };
  return free ? { ...info, prompt: 0, completion: 0 } : info;
}

/** Round away binary noise (OpenRouter reports costs with ~9 significant digits). */
export function roundUsd(amount: number): number {
  return Number(amount.toPrecision(9));
}

/** A deterministic token estimate: about four characters per token, at least one. */
export function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export interface Costs {
  total_cost: number;
  usage: number;
  upstream_inference_cost: number;
}

/**
 * What a generation costs. Not BYOK: credits are charged the list price and the provider's share
 * (contained in it) is reported as `upstream_inference_cost`. BYOK: the provider charges the
 * user's own key the list price; OpenRouter's credits only pay its 5% fee.
 */
export function costsOf(
  model: string,
  promptTokens: number,
  completionTokens: number,
  isByok: boolean,
): Costs {
  const info = modelInfo(model);
  const listPrice = roundUsd(promptTokens * info.prompt + completionTokens * info.completion);
  if (isByok) {
    const fee = roundUsd(listPrice * 0.05);
    return { total_cost: fee, usage: fee, upstream_inference_cost: listPrice };
  }
  return { total_cost: listPrice, usage: listPrice, upstream_inference_cost: listPrice };
}

export function upstreamIdFor(provider: string): string {
  if (provider === 'Anthropic') return `msg_01${randomAlphanumerics(22)}`;
  if (provider === 'Google AI Studio') return randomAlphanumerics(24);
  return `chatcmpl-${randomAlphanumerics(29)}`;
}

function integerOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}

/**
 * A complete generation record: realistic values for all 45 documented fields, derived from the
 * model, token counts and BYOK flag found in `fields` (when given), then overlaid with `fields`.
 */
export function buildGeneration(fields: Partial<FakeGeneration> = {}, now = Date.now()) {
  const model = typeof fields.model === 'string' && fields.model ? fields.model : defaultModel;
  const info = modelInfo(model);
  const isByok = fields.is_byok === true;
  const tokensPrompt = integerOr(fields.tokens_prompt, 12);
  const tokensCompletion = integerOr(fields.tokens_completion, 24);
  const costs = costsOf(model, tokensPrompt, tokensCompletion, isByok);
  const provider = typeof fields.provider_name === 'string' ? fields.provider_name : info.provider;
  const upstreamId =
    typeof fields.upstream_id === 'string' ? fields.upstream_id : upstreamIdFor(provider);
  const generationTime = 180 + tokensCompletion * 12;
  const latency = generationTime + 140;

  const generation: FakeGeneration = {
    id: createGenerationId(now),
    upstream_id: upstreamId,
    total_cost: costs.total_cost,
    cache_discount: null,
    upstream_inference_cost: costs.upstream_inference_cost,
    created_at: formatCreatedAt(now),
    model,
    app_id: null,
    streamed: false,
    cancelled: false,
    provider_name: provider,
    latency,
    moderation_latency: null,
    generation_time: generationTime,
    finish_reason: 'stop',
    native_finish_reason: 'stop',
    tokens_prompt: tokensPrompt,
    tokens_completion: tokensCompletion,
    native_tokens_prompt: tokensPrompt,
    native_tokens_completion: tokensCompletion,
    native_tokens_completion_images: 0,
    native_tokens_reasoning: 0,
    native_tokens_cached: 0,
    num_media_prompt: null,
    num_input_audio_prompt: null,
    num_media_completion: null,
    num_search_results: null,
    num_fetches: null,
    web_search_engine: null,
    origin: '',
    usage: costs.usage,
    is_byok: isByok,
    external_user: null,
    api_type: 'completions',
    router: null,
    provider_responses: [
      {
        id: upstreamId,
        endpoint_id: randomUUID(),
        model_permaslug: info.permaslug,
        provider_name: provider,
        status: 200,
        latency: latency - 60,
        is_byok: isByok,
      },
    ],
    http_referer: null,
    user_agent: null,
    request_id: `req-${Math.floor(now / 1000)}-${randomAlphanumerics(20)}`,
    session_id: null,
    response_cache_source_id: null,
    service_tier: null,
    preset_id: null,
    data_region: 'global',
    workspace_id: null,
  };
  const merged: FakeGeneration = { ...generation, ...fields, id: generation.id };
  if (typeof fields.id === 'string' && fields.id) merged.id = fields.id;
  // A caller who sets only one of the two equal amounts keeps them equal, as OpenRouter does.
  if ('total_cost' in fields && !('usage' in fields)) merged.usage = fields.total_cost;
  if ('usage' in fields && !('total_cost' in fields)) merged.total_cost = fields.usage;
  return merged;
}

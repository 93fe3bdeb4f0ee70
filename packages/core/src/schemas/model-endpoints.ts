import * as z from 'zod/mini';

// Prices are decimal strings (USD per token or per unit); every key is optional because the
// set grows and an endpoint lists only what it charges for. Unknown keys are kept.
const price = /* @__PURE__ */ z.optional(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string()));
const condition = /* @__PURE__ */ z.optional(
  /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.number()),
);

/**
 * A conditional price of an endpoint: applies when all of its conditions hold
 * (`min_prompt_tokens`: the prompt is strictly longer; `utc_start`/`utc_end`: a daily UTC window
 * as HHMM numbers, end exclusive, may wrap past midnight). Absent price keys inherit the base.
 */
export const pricingOverrideSchema = /* @__PURE__ */ z.looseObject({
  prompt: price,
  completion: price,
  input_cache_read: price,
  input_cache_write: price,
  input_cache_write_1h: price,
  audio: price,
  input_audio_cache: price,
  min_prompt_tokens: condition,
  utc_start: condition,
  utc_end: condition,
});

/** One entry of an endpoint's `pricing.overrides`. */
export interface PricingOverride {
  prompt?: string | null;
  completion?: string | null;
  input_cache_read?: string | null;
  input_cache_write?: string | null;
  input_cache_write_1h?: string | null;
  audio?: string | null;
  input_audio_cache?: string | null;
  /** Condition: the prompt has strictly more tokens than this. */
  min_prompt_tokens?: number | null;
  /** Condition: inclusive start of a daily UTC window, HHMM (e.g. `1030`). */
  utc_start?: number | null;
  /** Condition: exclusive end of a daily UTC window, HHMM. */
  utc_end?: number | null;
  [key: string]: unknown;
}

/**
 * An endpoint's `pricing`: decimal strings in USD per token (or per request, image, search
 * result), a fractional `discount` (prices × (1 − discount)) and conditional `overrides`.
 */
export const endpointPricingSchema = /* @__PURE__ */ z.looseObject({
  prompt: price,
  completion: price,
  request: price,
  image: price,
  image_output: price,
  image_token: price,
  audio: price,
  audio_output: price,
  input_audio_cache: price,
  web_search: price,
  internal_reasoning: price,
  input_cache_read: price,
  input_cache_write: price,
  input_cache_write_1h: price,
  discount: condition,
  overrides: /* @__PURE__ */ z.optional(
    /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.array(pricingOverrideSchema)),
  ),
});

/** An endpoint's `pricing` (USD decimal strings; see {@link endpointPricingSchema}). */
export interface EndpointPricing {
  /** USD per prompt token. */
  prompt?: string | null;
  /** USD per completion token. */
  completion?: string | null;
  /** USD per request. */
  request?: string | null;
  /** USD per input image. */
  image?: string | null;
  image_output?: string | null;
  image_token?: string | null;
  /** USD per audio input token. */
  audio?: string | null;
  audio_output?: string | null;
  input_audio_cache?: string | null;
  /** USD per web search result. */
  web_search?: string | null;
  /** USD per reasoning token. */
  internal_reasoning?: string | null;
  /** USD per cached prompt token read. */
  input_cache_read?: string | null;
  /** USD per prompt token written to the (5-minute) cache. */
  input_cache_write?: string | null;
  /** USD per prompt token written to the 1-hour cache. */
  input_cache_write_1h?: string | null;
  /** Fraction taken off every price (0 = none, 1 = free). */
  discount?: number | null;
  overrides?: PricingOverride[] | null;
  [key: string]: unknown;
}

/** One endpoint (a provider serving the model) of `GET /models/{author}/{slug}/endpoints`. */
export const modelEndpointSchema = /* @__PURE__ */ z.looseObject({
  provider_name: /* @__PURE__ */ z.string(),
  name: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string())),
  tag: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string())),
  model_id: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string())),
  quantization: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string())),
  context_length: condition,
  pricing: endpointPricingSchema,
});

/** One endpoint of a model: who serves it and at what price. Unknown keys are kept. */
export interface ModelEndpoint {
  /** Open set, e.g. `OpenAI`; matches a generation's `provider_name`. */
  provider_name: string;
  /** e.g. `OpenAI: GPT-4`. */
  name?: string | null;
  /** e.g. `openai`, `deepinfra/fp8`. */
  tag?: string | null;
  /** The model's permaslug, e.g. `openai/gpt-4`. */
  model_id?: string | null;
  quantization?: string | null;
  context_length?: number | null;
  pricing: EndpointPricing;
  [key: string]: unknown;
}

/** The `data` object of `GET /models/{author}/{slug}/endpoints`. */
export const modelEndpointsSchema = /* @__PURE__ */ z.looseObject({
  id: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string())),
  name: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string())),
  endpoints: /* @__PURE__ */ z.array(modelEndpointSchema),
});

/** A model and its endpoints, as `GET /models/{author}/{slug}/endpoints` serves them in `data`. */
export interface ModelEndpoints {
  /** The model slug, e.g. `openai/gpt-4`. */
  id?: string | null;
  name?: string | null;
  endpoints: ModelEndpoint[];
  [key: string]: unknown;
}

/** The whole 200 body of `GET /models/{author}/{slug}/endpoints`. */
export const modelEndpointsResponseSchema = /* @__PURE__ */ z.looseObject({
  data: modelEndpointsSchema,
});

/** The whole 200 body of `GET /models/{author}/{slug}/endpoints`. */
export interface ModelEndpointsResponse {
  data: ModelEndpoints;
  [key: string]: unknown;
}

// The hand-written interfaces and the schemas must describe the same objects (checked by tsc).
type Assert<T extends true> = T;
type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type SchemasMatchTypes = Assert<
  | MutuallyAssignable<z.infer<typeof pricingOverrideSchema>, PricingOverride>
  | MutuallyAssignable<z.infer<typeof endpointPricingSchema>, EndpointPricing>
  | MutuallyAssignable<z.infer<typeof modelEndpointSchema>, ModelEndpoint>
  | MutuallyAssignable<z.infer<typeof modelEndpointsSchema>, ModelEndpoints>
  | MutuallyAssignable<z.infer<typeof modelEndpointsResponseSchema>, ModelEndpointsResponse>
>;

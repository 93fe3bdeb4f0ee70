import * as z from 'zod/mini';
import { type FieldKind, generationFields, providerResponseFields } from './fields.js';

type Base = { string: z.ZodMiniString; number: z.ZodMiniNumber; boolean: z.ZodMiniBoolean };
type SchemaOf<K extends FieldKind> = K extends keyof Base
  ? Base[K]
  : K extends `${infer B extends keyof Base}?`
    ? z.ZodMiniOptional<z.ZodMiniNullable<Base[B]>>
    : K extends `${infer B extends keyof Base}|null`
      ? z.ZodMiniNullable<Base[B]>
      : never;

/** The zod shape of a field table (see `fields.ts`), then the `extra` fields. */
function shapeOf<
  T extends Record<string, FieldKind>,
  E extends z.core.$ZodLooseShape = Record<never, never>,
>(fields: T, extra?: E): { [K in keyof T]: SchemaOf<T[K]> } & E {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const [name, kind] of Object.entries(fields)) {
    const base = kind.replace(/[?|].*/, '') as keyof Base;
    const schema = base === 'string' ? z.string() : base === 'number' ? z.number() : z.boolean();
    shape[name] = kind.endsWith('?')
      ? z.optional(z.nullable(schema))
      : kind.endsWith('|null')
        ? z.nullable(schema)
        : schema;
  }
  return Object.assign(shape, extra) as { [K in keyof T]: SchemaOf<T[K]> } & E;
}

// Pure: a bundle that does not use a schema drops it, and zod with it (the client checks
// answers with `internal/check-fields.ts`, from the same tables).

/**
 * One attempt OpenRouter made to serve a generation (fallbacks included). Only `status` is
 * always there; unknown keys are kept.
 */
export const providerResponseSchema = /* @__PURE__ */ z.looseObject(
  /* @__PURE__ */ shapeOf(providerResponseFields),
);

/** One attempt OpenRouter made to serve a generation, as in `provider_responses`. */
export interface ProviderResponse {
  /** HTTP status of the attempt. */
  status: number | null;
  id?: string | null;
  endpoint_id?: string | null;
  model_permaslug?: string | null;
  /** Open set, e.g. `OpenAI`. */
  provider_name?: string | null;
  /** ms */
  latency?: number | null;
  is_byok?: boolean | null;
  /** Open set, e.g. `flex`, `priority`. */
  routed_service_tier?: string | null;
  [key: string]: unknown;
}

/**
 * The `data` object of `GET /generation`: accepts the original 27-field shape, the current
 * 45-field one, integers written as floats, any value of an open string set, and keeps unknown
 * keys.
 */
export const generationSchema = /* @__PURE__ */ z.looseObject(
  /* @__PURE__ */ shapeOf(generationFields, {
    provider_responses: /* @__PURE__ */ z.optional(
      /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.array(providerResponseSchema)),
    ),
  }),
);

/**
 * The `data` object of `GET /generation`, with OpenRouter's wire field names (snake_case).
 * Unknown keys are kept. Costs are USD; times are ms.
 */
export interface Generation {
  /** The generation id, e.g. `gen-1764704027-YmgZuzDAKrAywxh1aHQW`. */
  id: string;
  /** USD charged to the account's credits (for BYOK only OpenRouter's fee). */
  total_cost: number;
  /** ISO 8601. */
  created_at: string;
  /** Model slug, may carry a date suffix. */
  model: string;
  /** Origin URL of the request (may be empty). */
  origin: string;
  /** USD; equals `total_cost` in OpenRouter's examples. */
  usage: number;
  /** Bring-your-own-key: the provider charged the user's own key (`upstream_inference_cost`). */
  is_byok: boolean;
  /** Open set: `global`, `europe`, `us`. Absent in the original shape. */
  data_region?: string | null;
  /** The provider's own id. */
  upstream_id?: string | null;
  /** Caching discount in USD; negative for cache writes. */
  cache_discount?: number | null;
  /** What the provider charged (BYOK), USD. */
  upstream_inference_cost?: number | null;
  app_id?: number | null;
  streamed?: boolean | null;
  cancelled?: boolean | null;
  /** Open set, e.g. `OpenAI`, `Google AI Studio`. */
  provider_name?: string | null;
  /** Total latency, ms. */
  latency?: number | null;
  moderation_latency?: number | null;
  generation_time?: number | null;
  /** Normalized, open set: stop, length, tool_calls, content_filter, error. */
  finish_reason?: string | null;
  native_finish_reason?: string | null;
  tokens_prompt?: number | null;
  tokens_completion?: number | null;
  native_tokens_prompt?: number | null;
  native_tokens_completion?: number | null;
  native_tokens_completion_images?: number | null;
  native_tokens_reasoning?: number | null;
  native_tokens_cached?: number | null;
  num_media_prompt?: number | null;
  num_input_audio_prompt?: number | null;
  num_media_completion?: number | null;
  num_search_results?: number | null;
  num_fetches?: number | null;
  web_search_engine?: string | null;
  /** The request's `user`. */
  external_user?: string | null;
  /** Open set: completions, embeddings, rerank, tts, stt, video, image. */
  api_type?: string | null;
  router?: string | null;
  /** Every attempt, fallbacks included. */
  provider_responses?: ProviderResponse[] | null;
  http_referer?: string | null;
  user_agent?: string | null;
  request_id?: string | null;
  session_id?: string | null;
  response_cache_source_id?: string | null;
  /** Open set, e.g. `priority`. */
  service_tier?: string | null;
  preset_id?: string | null;
  workspace_id?: string | null;
  [key: string]: unknown;
}

/** The whole 200 body of `GET /generation`: `{ data: Generation }`, unknown keys kept. */
export const generationResponseSchema = /* @__PURE__ */ z.looseObject({
  data: generationSchema,
});

/** The whole 200 body of `GET /generation`. */
export interface GenerationResponse {
  data: Generation;
  [key: string]: unknown;
}

// The hand-written interfaces and the schemas must describe the same objects (checked by tsc).
type Assert<T extends true> = T;
type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type SchemasMatchTypes = Assert<
  | MutuallyAssignable<z.infer<typeof providerResponseSchema>, ProviderResponse>
  | MutuallyAssignable<z.infer<typeof generationSchema>, Generation>
  | MutuallyAssignable<z.infer<typeof generationResponseSchema>, GenerationResponse>
>;

/**
 * The field tables of OpenRouter's generation objects: the one list of their known fields,
 * from which both the zod schemas (`generation.ts`) and the client's own check
 * (`internal/check-fields.ts`) are built. A kind is a JSON type, `?` for optional and nullable,
 * `|null` for required but nullable.
 */
export type FieldKind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'string?'
  | 'number?'
  | 'boolean?'
  | 'number|null';

/** Known fields of a `provider_responses` item. */
export const providerResponseFields = {
  status: 'number|null',
  id: 'string?',
  endpoint_id: 'string?',
  model_permaslug: 'string?',
  provider_name: 'string?',
  latency: 'number?',
  is_byok: 'boolean?',
  routed_service_tier: 'string?',
} as const satisfies Record<string, FieldKind>;

/**
 * Known fields of the generation, but `provider_responses` (an optional, nullable array of
 * provider responses, checked after these).
 */
export const generationFields = {
  id: 'string',
  total_cost: 'number',
  created_at: 'string',
  model: 'string',
  origin: 'string',
  usage: 'number',
  is_byok: 'boolean',
  data_region: 'string?',
  upstream_id: 'string?',
  cache_discount: 'number?',
  upstream_inference_cost: 'number?',
  app_id: 'number?',
  streamed: 'boolean?',
  cancelled: 'boolean?',
  provider_name: 'string?',
  latency: 'number?',
  moderation_latency: 'number?',
  generation_time: 'number?',
  finish_reason: 'string?',
  native_finish_reason: 'string?',
  tokens_prompt: 'number?',
  tokens_completion: 'number?',
  native_tokens_prompt: 'number?',
  native_tokens_completion: 'number?',
  native_tokens_completion_images: 'number?',
  native_tokens_reasoning: 'number?',
  native_tokens_cached: 'number?',
  num_media_prompt: 'number?',
  num_input_audio_prompt: 'number?',
  num_media_completion: 'number?',
  num_search_results: 'number?',
  num_fetches: 'number?',
  web_search_engine: 'string?',
  external_user: 'string?',
  api_type: 'string?',
  router: 'string?',
  http_referer: 'string?',
  user_agent: 'string?',
  request_id: 'string?',
  session_id: 'string?',
  response_cache_source_id: 'string?',
  service_tier: 'string?',
  preset_id: 'string?',
  workspace_id: 'string?',
} as const satisfies Record<string, FieldKind>;

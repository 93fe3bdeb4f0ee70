/**
 * Every field of OpenRouter's generation `data` object known when this was written (45, wire
 * names, in the reference's order). New fields still work with `--fields`: a name outside this
 * list is accepted when a fetched generation carries it.
 */
export const knownFields = [
  'id',
  'upstream_id',
  'total_cost',
  'cache_discount',
  'upstream_inference_cost',
  'created_at',
  'model',
  'app_id',
  'streamed',
  'cancelled',
  'provider_name',
  'latency',
  'moderation_latency',
  'generation_time',
  'finish_reason',
  'native_finish_reason',
  'tokens_prompt',
  'tokens_completion',
  'native_tokens_prompt',
  'native_tokens_completion',
  'native_tokens_completion_images',
  'native_tokens_reasoning',
  'native_tokens_cached',
  'num_media_prompt',
  'num_input_audio_prompt',
  'num_media_completion',
  'num_search_results',
  'num_fetches',
  'web_search_engine',
  'origin',
  'usage',
  'is_byok',
  'external_user',
  'api_type',
  'router',
  'provider_responses',
  'http_referer',
  'user_agent',
  'request_id',
  'session_id',
  'response_cache_source_id',
  'service_tier',
  'preset_id',
  'data_region',
  'workspace_id',
] as const;

/** A computed field: what the generation really cost (BYOK included), `null` when unknown. */
export const spendField = 'spend';

/** Columns of `--csv` when no `--fields` is given: the scalar fields a spreadsheet wants. */
export const defaultCsvFields: readonly string[] = [
  'id',
  'created_at',
  'model',
  'provider_name',
  spendField,
  'total_cost',
  'upstream_inference_cost',
  'cache_discount',
  'is_byok',
  'tokens_prompt',
  'tokens_completion',
  'native_tokens_prompt',
  'native_tokens_completion',
  'native_tokens_reasoning',
  'native_tokens_cached',
  'latency',
  'generation_time',
  'finish_reason',
  'streamed',
  'cancelled',
];

const knownFieldSet: ReadonlySet<string> = new Set<string>([...knownFields, spendField]);

/** True for a field name this version knows (wire fields and `spend`). */
export function isKnownField(name: string): boolean {
  return knownFieldSet.has(name);
}

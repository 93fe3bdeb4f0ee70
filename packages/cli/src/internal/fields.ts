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

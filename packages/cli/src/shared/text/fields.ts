import type { Generation } from '@genmeta/core';
import { UsageError } from '../usage-errors.js';

/** A computed field: what the generation really cost (BYOK included), `null` when unknown. */
export const spendField = 'spend';

/** The token counts of a generation, in the order tables and CSV show them. */
export const tokenFields: readonly string[] = [
  'tokens_prompt',
  'tokens_completion',
  'native_tokens_prompt',
  'native_tokens_completion',
  'native_tokens_reasoning',
  'native_tokens_cached',
];

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
  ...tokenFields,
  'latency',
  'generation_time',
  'finish_reason',
  'streamed',
  'cancelled',
];

/**
 * Throws a usage error for `--fields` names that neither core's schema nor `generation` (the
 * first one resolved: a server may send fields newer than this version) knows.
 */
export function checkFields(
  fields: readonly string[],
  generation: Generation,
  knownFields: readonly string[],
): void {
  const unknown = fields.filter(
    (field) =>
      field !== spendField && !knownFields.includes(field) && !Object.hasOwn(generation, field),
  );
  if (unknown.length === 0) return;
  throw new UsageError(
    `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((field) => `"${field}"`).join(', ')} in --fields. Valid: ${spendField}, ${knownFields.join(', ')}`,
    'get',
  );
}

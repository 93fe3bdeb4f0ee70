import { formatUsd, type Generation, spendOf } from '@genmeta/core';
import { spendField, tokenFields } from './fields.js';
import { jsonTextOr } from './json-text.js';
import { printable } from './terminal-text.js';

/** What a missing value looks like for people. */
export const missing = '-';

/** The value of a field of a generation, `spend` computed; absent fields are `null`. */
export function fieldValue(generation: Generation, field: string): unknown {
  if (field === spendField) return spendOf(generation);
  return Object.hasOwn(generation, field) ? generation[field] : null;
}

/** A generation cut down to `fields` (in that order), for `--json --fields`. */
export function pickFields(
  generation: Generation,
  fields: readonly string[],
): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of fields) picked[field] = fieldValue(generation, field) ?? null;
  return picked;
}

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A token count for people: `1,234`, or `-` when unknown. */
export function formatCount(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value)
    ? integerFormat.format(value)
    : missing;
}

/** A duration for people: `640 ms`, `1.52 s`, or `-` when unknown. */
export function formatMilliseconds(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return missing;
  if (Math.abs(value) < 1000) return `${integerFormat.format(value)} ms`;
  return `${(value / 1000).toFixed(2)} s`;
}

const costFields = new Set(['total_cost', 'upstream_inference_cost', 'cache_discount', 'usage']);
const durationFields = new Set(['latency', 'moderation_latency', 'generation_time']);

/** Fields right-aligned in a table and never shortened: money, durations, token counts. */
export const numericFields: ReadonlySet<string> = new Set([
  spendField,
  ...costFields,
  ...durationFields,
  ...tokenFields,
]);

/**
 * One field for a human, terminal-safe: money as USD, durations in ms/s, counts grouped, null
 * as `-`.
 */
export function formatField(field: string, value: unknown): string {
  if (field === spendField || costFields.has(field)) {
    if (value === null || value === undefined) return field === spendField ? 'unknown' : missing;
    return typeof value === 'number' ? formatUsd(value) : printable(String(value), 200);
  }
  if (durationFields.has(field)) return formatMilliseconds(value);
  if (value === null || value === undefined) return missing;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return printable(value, 200);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return printable(jsonTextOr(value, '(too deeply nested to show)'), 200);
}

/** The provider's native token count, else the normalized one. */
export function nativeOr(generation: Generation, native: string, normalized: string): unknown {
  return fieldValue(generation, native) ?? fieldValue(generation, normalized);
}

/** The flags worth a glance: BYOK, cancelled, streamed. */
export function flagsOf(generation: Generation): string[] {
  const flags: string[] = [];
  if (generation.is_byok === true) flags.push('BYOK');
  if (generation.cancelled === true) flags.push('cancelled');
  if (generation.streamed === true) flags.push('streamed');
  return flags;
}

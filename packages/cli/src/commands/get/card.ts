import { formatUsd, type Generation, spendOf } from '@genmeta/core';
import {
  fieldValue,
  flagsOf,
  formatCount,
  formatField,
  formatMilliseconds,
  missing,
  nativeOr,
} from '../../shared/text/format.js';
import type { Style } from '../../shared/text/style.js';
import { printable } from '../../shared/text/terminal-text.js';

/** A readable card for one generation. With `fields`, one line per field instead. */
export function renderCard(
  generation: Generation,
  style: Style,
  fields: readonly string[] | undefined,
): string {
  const lines: [string, string][] = [];
  if (fields) {
    for (const field of fields)
      lines.push([field, formatField(field, fieldValue(generation, field))]);
  } else {
    const spend = spendOf(generation);
    let cost = spend === null ? style.yellow('unknown') : style.green(formatUsd(spend));
    if (generation.is_byok === true) {
      cost += style.dim(
        `  (OpenRouter fee ${formatUsd(generation.total_cost)} + provider ${formatUsd(generation.upstream_inference_cost)})`,
      );
    }
    const tokens = [
      `${formatCount(nativeOr(generation, 'native_tokens_prompt', 'tokens_prompt'))} prompt`,
      `${formatCount(nativeOr(generation, 'native_tokens_completion', 'tokens_completion'))} completion`,
      `${formatCount(generation.native_tokens_reasoning)} reasoning`,
      `${formatCount(generation.native_tokens_cached)} cached`,
    ].join(' · ');
    const flags = flagsOf(generation);
    lines.push(
      ['cost', cost],
      ['model', formatField('model', generation.model)],
      ['provider', formatField('provider_name', generation.provider_name)],
      ['tokens', tokens],
      ['latency', formatMilliseconds(generation.latency)],
      ['generation', formatMilliseconds(generation.generation_time)],
      ['finish', formatField('finish_reason', generation.finish_reason)],
      ['flags', flags.length > 0 ? style.yellow(flags.join(', ')) : missing],
      ['created', formatField('created_at', generation.created_at)],
    );
  }
  const width = Math.max(...lines.map(([label]) => label.length));
  const body = lines.map(([label, value]) => `  ${style.dim(label.padEnd(width))}  ${value}`);
  return `${style.bold(printable(generation.id, 200))}\n${body.join('\n')}\n`;
}

import {
  formatUsd,
  type Generation,
  type SpendGroup,
  type SpendSummary,
  spendOf,
} from '@genmeta/core';
import { printable } from './arguments';
import { spendField } from './fields';
import type { Style } from './style';

const missing = '-';

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

function formatCount(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value)
    ? integerFormat.format(value)
    : missing;
}

function formatMilliseconds(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return missing;
  if (Math.abs(value) < 1000) return `${integerFormat.format(value)} ms`;
  return `${(value / 1000).toFixed(2)} s`;
}

const costFields = new Set(['total_cost', 'upstream_inference_cost', 'cache_discount', 'usage']);
const durationFields = new Set(['latency', 'moderation_latency', 'generation_time']);

/** One field for a human: money as USD, durations in ms/s, counts grouped, null as `-`. */
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
  return printable(JSON.stringify(value), 200);
}

function nativeOr(generation: Generation, native: string, normalized: string): unknown {
  return fieldValue(generation, native) ?? fieldValue(generation, normalized);
}

/** The flags worth a glance: BYOK, cancelled, streamed. */
function flagsOf(generation: Generation): string[] {
  const flags: string[] = [];
  if (generation.is_byok === true) flags.push('BYOK');
  if (generation.cancelled === true) flags.push('cancelled');
  if (generation.streamed === true) flags.push('streamed');
  return flags;
}

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

interface Column {
  header: string;
  alignRight: boolean;
  /** may be shortened with … to fit the terminal */
  flexible: boolean;
  /** columns of lower priority are dropped first when the terminal is too narrow */
  priority: number;
  cell(generation: Generation): string;
}

const numericFields = new Set([
  spendField,
  ...costFields,
  ...durationFields,
  'tokens_prompt',
  'tokens_completion',
  'native_tokens_prompt',
  'native_tokens_completion',
  'native_tokens_reasoning',
  'native_tokens_cached',
]);

function defaultColumns(): Column[] {
  return [
    {
      header: 'ID',
      alignRight: false,
      flexible: true,
      priority: 100,
      cell: (g) => printable(g.id, 200),
    },
    {
      header: 'MODEL',
      alignRight: false,
      flexible: true,
      priority: 80,
      cell: (g) => formatField('model', g.model),
    },
    {
      header: 'PROVIDER',
      alignRight: false,
      flexible: true,
      priority: 50,
      cell: (g) => formatField('provider_name', g.provider_name),
    },
    {
      header: 'COST',
      alignRight: true,
      flexible: false,
      priority: 90,
      cell: (g) => formatField(spendField, spendOf(g)),
    },
    {
      header: 'PROMPT',
      alignRight: true,
      flexible: false,
      priority: 40,
      cell: (g) => formatCount(nativeOr(g, 'native_tokens_prompt', 'tokens_prompt')),
    },
    {
      header: 'COMPLETION',
      alignRight: true,
      flexible: false,
      priority: 39,
      cell: (g) => formatCount(nativeOr(g, 'native_tokens_completion', 'tokens_completion')),
    },
    {
      header: 'LATENCY',
      alignRight: true,
      flexible: false,
      priority: 30,
      cell: (g) => formatMilliseconds(g.latency),
    },
    {
      header: 'FINISH',
      alignRight: false,
      flexible: false,
      priority: 20,
      cell: (g) => formatField('finish_reason', g.finish_reason),
    },
    {
      header: 'FLAGS',
      alignRight: false,
      flexible: false,
      priority: 10,
      cell: (g) => flagsOf(g).join(','),
    },
  ];
}

function fieldColumns(fields: readonly string[]): Column[] {
  return fields.map((field, index) => ({
    header: field.toUpperCase(),
    priority: fields.length - index,
    alignRight: numericFields.has(field),
    flexible: !numericFields.has(field),
    cell: (g: Generation) => formatField(field, fieldValue(g, field)),
  }));
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

const gap = '  ';
const minimumFlexibleWidth = 12;

/**
 * Which columns to keep, and how wide, for a terminal of `terminalWidth`: first the secondary
 * text columns are shortened, then the least important columns dropped, and only then is the
 * first column (the id) shortened.
 */
function fitColumns(
  columns: readonly Column[],
  naturalWidths: readonly number[],
  terminalWidth: number,
): { kept: number[]; widths: number[] } {
  const widths = [...naturalWidths];
  let kept = columns.map((_, index) => index);
  const total = () =>
    kept.reduce((sum, index) => sum + (widths[index] ?? 0), 0) + gap.length * (kept.length - 1);
  const shrink = (candidates: readonly number[]) => {
    while (total() > terminalWidth) {
      let widest = -1;
      for (const index of candidates) {
        const width = widths[index] ?? 0;
        if (width > minimumFlexibleWidth && (widest < 0 || width > (widths[widest] ?? 0))) {
          widest = index;
        }
      }
      if (widest < 0) return;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  };
  shrink(kept.filter((index) => index > 0 && columns[index]?.flexible));
  while (total() > terminalWidth && kept.length > 1) {
    let victim = -1;
    for (const index of kept.slice(1)) {
      const priority = columns[index]?.priority ?? 0;
      if (victim < 0 || priority <= (columns[victim]?.priority ?? 0)) victim = index;
    }
    kept = kept.filter((index) => index !== victim);
  }
  if (columns[0]?.flexible) shrink([0]);
  return { kept, widths };
}

/**
 * An aligned table, one row per generation. Given a terminal width, it is fitted to it: text
 * columns shortened with …, the least important columns dropped.
 */
export function renderTable(
  generations: readonly Generation[],
  style: Style,
  fields: readonly string[] | undefined,
  terminalWidth: number | undefined,
): string {
  const allColumns = fields ? fieldColumns(fields) : defaultColumns();
  const allCells = generations.map((generation) =>
    allColumns.map((column) => column.cell(generation)),
  );
  const naturalWidths = allColumns.map((column, index) =>
    Math.max(column.header.length, ...allCells.map((row) => row[index]?.length ?? 0)),
  );
  const fitted =
    terminalWidth !== undefined && terminalWidth > 0
      ? fitColumns(allColumns, naturalWidths, terminalWidth)
      : { kept: allColumns.map((_, index) => index), widths: naturalWidths };
  const pick = <T>(values: readonly T[]) =>
    fitted.kept.map((index) => values[index]).filter((value) => value !== undefined);
  const columns = pick(allColumns);
  const widths = pick(fitted.widths);
  const cells = allCells.map((row) => pick(row));
  const line = (values: readonly string[], decorate: (text: string, index: number) => string) =>
    values
      .map((value, index) => {
        const width = widths[index] ?? 0;
        const text = truncate(value, width);
        const padded = columns[index]?.alignRight ? text.padStart(width) : text.padEnd(width);
        return decorate(padded, index);
      })
      .join(gap)
      .trimEnd();
  const header = line(
    columns.map((column) => column.header),
    (text) => style.bold(text),
  );
  const rows = cells.map((row) =>
    line(row, (text, index) =>
      columns[index]?.header === 'COST' && text.trim() === 'unknown' ? style.yellow(text) : text,
    ),
  );
  return `${[header, ...rows].join('\n')}\n`;
}

/** One CSV value, quoted when it must be (RFC 4180); null is empty. */
export function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV row. */
export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvValue).join(',')}\n`;
}

/** A failure to show for an id: its error code and a one-line message. */
export interface Unresolved {
  id: string;
  code: string;
  message: string;
}

function groupLabel(group: SpendGroup): string {
  const spend = formatUsd(group.spendUsd);
  return group.unknownCount > 0 ? `at least ${spend}` : spend;
}

function renderGroups(title: string, groups: Record<string, SpendGroup>, style: Style): string[] {
  const entries = Object.entries(groups).sort(
    ([nameA, a], [nameB, b]) =>
      b.spendUsd - a.spendUsd || b.count - a.count || nameA.localeCompare(nameB),
  );
  if (entries.length === 0) return [];
  const nameWidth = Math.max(...entries.map(([name]) => printable(name, 60).length));
  const countWidth = Math.max(...entries.map(([, group]) => String(group.count).length));
  return [
    style.bold(title),
    ...entries.map(
      ([name, group]) =>
        `  ${printable(name, 60).padEnd(nameWidth)}  ${String(group.count).padStart(countWidth)}  ${groupLabel(group)}`,
    ),
    '',
  ];
}

const reasonHints: Record<string, string> = {
  not_found: 'not found (or still not ready at the deadline; try a longer --deadline)',
  unauthorized: 'key refused',
  insufficient_credits: 'not enough credits',
  forbidden: 'forbidden',
  rate_limited: 'rate limited (try a lower --concurrency)',
  server_error: 'server error',
  timeout: 'timed out (try a longer --deadline)',
  network: 'network error',
  invalid_response: 'unreadable answer',
};

/** Counts unresolved ids by error code. */
export function countByCode(unresolved: readonly Unresolved[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of unresolved) counts[item.code] = (counts[item.code] ?? 0) + 1;
  return counts;
}

/** The human report of `genmeta cost`. */
export function renderCostReport(
  summary: SpendSummary,
  unresolved: readonly Unresolved[],
  style: Style,
): string {
  const total = formatUsd(summary.totalUsd);
  const spend =
    summary.unknownCount > 0
      ? `${style.green(`at least ${total}`)}  ${style.yellow(`(${summary.unknownCount} with unknown cost)`)}`
      : style.green(total);
  const resolved = `${summary.count} resolved${unresolved.length > 0 ? style.yellow(`, ${unresolved.length} unresolved`) : ''}`;
  const lines = [
    `${style.bold('Spend'.padEnd(12))}${spend}`,
    `${style.bold('Generations'.padEnd(12))}${resolved}`,
    '',
    ...renderGroups('By model', summary.byModel, style),
    ...renderGroups('By provider', summary.byProvider, style),
  ];
  const tokens = summary.tokens;
  const tokenRows: [string, number][] = [
    ['prompt', tokens.prompt],
    ['completion', tokens.completion],
    ['reasoning', tokens.reasoning],
    ['cached', tokens.cached],
    ['native prompt', tokens.nativePrompt],
    ['native completion', tokens.nativeCompletion],
  ];
  const tokenWidth = Math.max(...tokenRows.map(([, count]) => formatCount(count).length));
  lines.push(
    style.bold('Tokens'),
    ...tokenRows.map(
      ([label, count]) => `  ${label.padEnd(17)}  ${formatCount(count).padStart(tokenWidth)}`,
    ),
    '',
  );
  if (unresolved.length > 0) {
    const counts = Object.entries(countByCode(unresolved)).sort(([, a], [, b]) => b - a);
    const codeWidth = Math.max(...counts.map(([code]) => code.length));
    const countWidth = Math.max(...counts.map(([, count]) => String(count).length));
    lines.push(
      style.bold(style.yellow(`Unresolved (${unresolved.length})`)),
      ...counts.map(([code, count]) =>
        `  ${code.padEnd(codeWidth)}  ${String(count).padStart(countWidth)}  ${reasonHints[code] ?? ''}`.trimEnd(),
      ),
      '',
    );
  }
  while (lines.at(-1) === '') lines.pop();
  return `${lines.join('\n')}\n`;
}

import { isJsonObject } from './http.js';
import type { BilledGeneration, Ledger } from './ledger.js';

/** Metrics the fake computes per generation (OpenRouter lists more; see /analytics/meta). */
const metricOf: Readonly<Record<string, (row: BilledGeneration) => number>> = {
  total_usage: (row) => row.credits + row.byok,
  credits_usage: (row) => row.credits,
  usage: (row) => row.credits,
  byok_usage: (row) => row.byok,
  openrouter_usage: (row) => (row.isByok ? 0 : row.credits),
  byok_fees: (row) => (row.isByok ? row.credits : 0),
  request_count: () => 1,
  tokens_prompt: (row) => row.tokensPrompt,
  tokens_completion: (row) => row.tokensCompletion,
};

const dimensionOf: Readonly<Record<string, (row: BilledGeneration) => string>> = {
  generation_id: (row) => row.id,
  model: (row) => row.model,
  provider: (row) => row.provider,
  finish_reason: (row) => row.finishReason,
};

/** Dimensions OpenRouter limits to 31-day ranges (the others reach back 365 days). */
const shortRangeDimensions = new Set(['generation_id', 'provider', 'finish_reason']);
const dayMs = 86_400_000;
const operators = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in'] as const;
const granularities = ['minute', 'hour', 'day', 'week', 'month'] as const;

/** `GET /analytics/meta`'s `data` for what the fake supports. */
export function analyticsMeta(): Record<string, unknown> {
  const label = (name: string) => name.replace(/_/g, ' ');
  return {
    metrics: Object.keys(metricOf).map((name) => ({
      name,
      display_label: label(name),
      is_rate: false,
      display_format: name.endsWith('usage') || name.endsWith('fees') ? 'currency' : 'number',
    })),
    dimensions: Object.keys(dimensionOf).map((name) => ({ name, display_label: label(name) })),
    operators: operators.map((name) => ({
      name,
      value_type: name.endsWith('in') ? 'array' : 'scalar',
    })),
    granularities: granularities.map((name) => ({ name, display_label: label(name) })),
  };
}

/** Start of the `granularity` bucket holding `at`, as OpenRouter writes it. */
function bucketOf(at: number, granularity: string): string {
  const date = new Date(at);
  if (granularity === 'minute') date.setUTCSeconds(0, 0);
  else if (granularity === 'hour') date.setUTCMinutes(0, 0, 0);
  else {
    date.setUTCHours(0, 0, 0, 0);
    if (granularity === 'week') date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
    if (granularity === 'month') date.setUTCDate(1);
  }
  return date.toISOString();
}

interface Filter {
  field: string;
  operator: (typeof operators)[number];
  value: unknown;
  /** the values of `in` and `not_in`, as a set (a filter may list thousands of ids) */
  values?: Set<string>;
}

function matches(value: string, filter: Filter): boolean {
  const { operator } = filter;
  if (operator === 'in' || operator === 'not_in') {
    filter.values ??= new Set((filter.value as unknown[]).map(String));
    const found = filter.values.has(value);
    return operator === 'in' ? found : !found;
  }
  const other = String(filter.value);
  switch (operator) {
    case 'eq':
      return value === other;
    case 'neq':
      return value !== other;
    case 'gt':
      return value > other;
    case 'gte':
      return value >= other;
    case 'lt':
      return value < other;
    default:
      return value <= other;
  }
}

/** A checked query, or the 400 message naming what is wrong. */
interface Query {
  metrics: string[];
  dimensions: string[];
  filters: Filter[];
  start: number;
  end: number;
  granularity: string | undefined;
  limit: number;
  orderBy: { field: string; direction: 'asc' | 'desc' } | undefined;
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Checks a query body as OpenRouter documents it; a string is the 400 message. */
export function parseQuery(body: unknown, now: number): Query | string {
  if (!isJsonObject(body)) return 'Request body must be a JSON object';
  const { metrics, dimensions = [], filters = [], granularity, limit = 1000, order_by } = body;
  if (!isStringArray(metrics) || metrics.length === 0)
    return 'metrics must be a non-empty array of metric names';
  const unknownMetric = metrics.find((name) => !(name in metricOf));
  if (unknownMetric !== undefined) return `Unknown metric: ${unknownMetric}`;
  if (!isStringArray(dimensions) || dimensions.length > 2)
    return 'dimensions must be an array of at most 2 dimension names';
  const unknownDimension = dimensions.find((name) => !(name in dimensionOf));
  if (unknownDimension !== undefined) return `Unknown dimension: ${unknownDimension}`;
  if (granularity !== undefined && !granularities.includes(granularity as never))
    return `Unknown granularity: ${String(granularity)}`;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 10_000)
    return 'limit must be an integer from 1 to 10000';
  if (!Array.isArray(filters) || filters.length > 20)
    return 'filters must be an array of at most 20 filters';
  for (const filter of filters) {
    if (
      !isJsonObject(filter) ||
      !(String(filter.field) in dimensionOf) ||
      !operators.includes(filter.operator as never)
    ) {
      return 'each filter needs a known dimension field, an operator and a value';
    }
    if (String(filter.operator).endsWith('in') !== Array.isArray(filter.value))
      return `filter ${String(filter.operator)} on ${String(filter.field)}: wrong value type`;
  }
  let start = now - 30 * dayMs;
  let end = now;
  if (body.time_range !== undefined) {
    const range = body.time_range;
    if (!isJsonObject(range)) return 'time_range must be an object with start and end';
    start = Date.parse(String(range.start));
    end = Date.parse(String(range.end));
    if (Number.isNaN(start) || Number.isNaN(end))
      return 'time_range.start and time_range.end must be ISO date-times';
    if (end <= start) return 'time_range.end must be after time_range.start';
  }
  const short = dimensions.find((name) => shortRangeDimensions.has(name));
  if (short !== undefined && end - start > 31 * dayMs)
    return `Dimension ${short} is limited to time ranges of at most 31 days`;
  let orderBy: Query['orderBy'];
  if (order_by !== undefined) {
    if (!isJsonObject(order_by) || (order_by.direction !== 'asc' && order_by.direction !== 'desc'))
      return 'order_by needs a field and a direction (asc or desc)';
    const field = String(order_by.field);
    if (
      field !== 'date' &&
      field !== 'request_count' &&
      !metrics.includes(field) &&
      !dimensions.includes(field)
    )
      return `order_by.field must be a requested metric or dimension, or date: ${field}`;
    orderBy = { field, direction: order_by.direction };
  }
  return {
    metrics,
    dimensions,
    filters: filters as Filter[],
    start,
    end,
    granularity: granularity as string | undefined,
    limit,
    orderBy,
  };
}

const roundUsd = (value: number): number => Math.round(value * 1e12) / 1e12;

/** Runs a checked query over the ledger; `maxRows` caps what one answer carries. */
export function runQuery(ledger: Ledger, query: Query, maxRows: number): Record<string, unknown> {
  const startedAt = Date.now();
  const { metrics, dimensions, granularity, filters } = query;
  const groups = new Map<string, Record<string, unknown>>();
  for (const billed of ledger.billed(query.start, query.end)) {
    if (!filters.every((filter) => matches(dimensionOf[filter.field]?.(billed) ?? '', filter)))
      continue;
    const bucket = granularity === undefined ? undefined : bucketOf(billed.at, granularity);
    const values = dimensions.map((name) => dimensionOf[name]?.(billed) ?? '');
    const key = JSON.stringify([bucket, values]);
    let row = groups.get(key);
    if (row === undefined) {
      row = {};
      if (bucket !== undefined) row[`date__${granularity}`] = bucket;
      dimensions.forEach((name, index) => {
        (row as Record<string, unknown>)[name] = values[index];
      });
      for (const metric of metrics) row[metric] = 0;
      groups.set(key, row);
    }
    for (const metric of metrics)
      row[metric] = (row[metric] as number) + (metricOf[metric]?.(billed) ?? 0);
  }
  const rows = [...groups.values()];
  for (const row of rows) {
    for (const metric of metrics) row[metric] = roundUsd(row[metric] as number);
  }
  if (query.orderBy) {
    const { field, direction } = query.orderBy;
    const column = field === 'date' ? `date__${granularity}` : field;
    const sign = direction === 'asc' ? 1 : -1;
    rows.sort((a, b) => {
      const x = a[column] as string | number;
      const y = b[column] as string | number;
      return x < y ? -sign : x > y ? sign : 0;
    });
  }
  const limit = Math.min(query.limit, maxRows);
  const data = rows.slice(0, limit);
  return {
    data: {
      data,
      metadata: {
        query_time_ms: Date.now() - startedAt,
        row_count: data.length,
        truncated: rows.length > limit,
      },
    },
  };
}

/** `GET /activity` rows: per UTC day × model × endpoint, the last 30 completed days (or `date`). */
export function activityRows(
  ledger: Ledger,
  now: number,
  date: string | undefined,
): Record<string, unknown>[] {
  const today = Date.parse(new Date(now).toISOString().slice(0, 10));
  const start = date === undefined ? today - 30 * dayMs : Date.parse(date);
  const end = date === undefined ? today : start + dayMs;
  const groups = new Map<string, Record<string, unknown>>();
  for (const billed of ledger.billed(start, Math.min(end, today))) {
    const day = new Date(billed.at).toISOString().slice(0, 10);
    const key = `${day}\n${billed.model}\n${billed.provider}`;
    let row = groups.get(key);
    if (row === undefined) {
      row = {
        date: day,
        model: billed.model,
        model_permaslug: billed.model,
        endpoint_id: `fake-endpoint-${billed.provider.toLowerCase()}-${billed.model.replace(/\W+/g, '-')}`,
        provider_name: billed.provider,
        usage: 0,
        byok_usage_inference: 0,
        requests: 0,
        prompt_tokens: 0,
        completion_tokens: 0,
        reasoning_tokens: 0,
      };
      groups.set(key, row);
    }
    row.usage = roundUsd((row.usage as number) + billed.credits);
    row.byok_usage_inference = roundUsd((row.byok_usage_inference as number) + billed.byok);
    row.requests = (row.requests as number) + 1;
    row.prompt_tokens = (row.prompt_tokens as number) + billed.tokensPrompt;
    row.completion_tokens = (row.completion_tokens as number) + billed.tokensCompletion;
  }
  return [...groups.values()];
}

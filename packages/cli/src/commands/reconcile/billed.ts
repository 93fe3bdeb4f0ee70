import type { GenmetaClient } from '@genmeta/core';
import { InvalidResponseError } from '@genmeta/core';
import { type AnalyticsRow, getAnalyticsMeta, queryAnalytics } from '@genmeta/core/api';
import { usdToPicoUsd } from '@genmeta/core/rules';

/** What OpenRouter billed for one generation, in integer units of 1e-12 USD. */
export interface BilledGeneration {
  /** total_usage: credits plus BYOK inference paid to the provider */
  total: bigint;
  /** credits_usage, when the metric was available */
  credits: bigint | null;
  /** byok_usage, when the metric was available */
  byok: bigint | null;
  /** UTC day of the generation (YYYY-MM-DD) */
  day: string;
  /** the model, when the analytics carried it */
  model: string | null;
}

/** The billed side: per generation, and how many queries it took. */
export interface BilledSet {
  generations: Map<string, BilledGeneration>;
  queries: number;
  /** windows split because an answer was truncated */
  splits: number;
}

/** OpenRouter's most rows per analytics answer. */
export const rowsPerQuery = 10_000;
/** OpenRouter's analytics rate limit: queries per minute. */
const queriesPerMinute = 64;
/** A window still truncated at this length cannot be split further. */
const minimumWindowMs = 1_000;
const wantedMetrics = ['total_usage', 'credits_usage', 'byok_usage'] as const;

/** A window still to ask, with the ids of its first minute already read. */
interface Part {
  fromMs: number;
  toMs: number;
  exclude: string[];
}

/** Ids of a minute already read that a continuation query leaves out (`not_in`), at most. */
const maxExcluded = 500;

/**
 * Where a truncated, time-ordered answer continues: from its last minute, leaving out that
 * minute's ids already read (all rows kept), or, past {@link maxExcluded} of them, asking the
 * whole last minute again (rows before it kept). `undefined`: the answer cannot be continued
 * (not ordered, or one minute holds it all): halve the window instead.
 */
function nextPart(
  part: Part,
  rows: readonly AnalyticsRow[],
  minuteOf: ((row: AnalyticsRow) => number) | undefined,
): { part: Part; keepBefore: number } | undefined {
  if (minuteOf === undefined || rows.length === 0) return undefined;
  for (let index = 1; index < rows.length; index++) {
    if (minuteOf(rows[index - 1] as AnalyticsRow) > minuteOf(rows[index] as AnalyticsRow))
      return undefined;
  }
  const lastMinute = minuteOf(rows[rows.length - 1] as AnalyticsRow);
  const exclude = lastMinute === part.fromMs ? [...part.exclude] : [];
  for (const row of rows) {
    if (minuteOf(row) === lastMinute && typeof row.generation_id === 'string')
      exclude.push(row.generation_id);
  }
  if (exclude.length <= maxExcluded) {
    return {
      part: { fromMs: lastMinute, toMs: part.toMs, exclude },
      keepBefore: Number.POSITIVE_INFINITY,
    };
  }
  if (lastMinute > part.fromMs) {
    return { part: { fromMs: lastMinute, toMs: part.toMs, exclude: [] }, keepBefore: lastMinute };
  }
  return undefined;
}

/** Keeps at most `limit` queries in any `windowMs`, waiting (abortably) when at the limit. */
export function createRateLimiter(limit = queriesPerMinute, windowMs = 60_000) {
  const times: number[] = [];
  return async (signal?: AbortSignal): Promise<void> => {
    for (;;) {
      const now = Date.now();
      while (times.length > 0 && (times[0] as number) <= now - windowMs) times.shift();
      if (times.length < limit) {
        times.push(now);
        return;
      }
      const waitMs = (times[0] as number) + windowMs - now;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, waitMs);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    }
  };
}

const malformed = (why: string): InvalidResponseError =>
  new InvalidResponseError(`the analytics answer is malformed: ${why}`, { isRetryable: false });

function amount(row: AnalyticsRow, metric: string): bigint | null {
  const value = row[metric];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw malformed(`${metric} is not a number`);
  return usdToPicoUsd(value);
}

/**
 * Asks what was billed per generation in [fromMs, toMs): `dimensions: ['generation_id']`, one
 * row per generation, minute buckets in time order. A truncated answer is continued from its
 * last minute, leaving out the ids of that minute already read, so each query brings a full page
 * (ceil(rows / 10,000) queries in all); an answer that cannot be continued halves its window,
 * down to one second, past which it is an error rather than a partial answer.
 */
export async function readBilled(
  client: GenmetaClient,
  window: { fromMs: number; toMs: number },
  options: {
    signal?: AbortSignal | undefined;
    pageSize?: number;
    throttle?: (signal?: AbortSignal) => Promise<void>;
  } = {},
): Promise<BilledSet> {
  const { signal } = options;
  const throttle = options.throttle ?? createRateLimiter();
  const meta = await getAnalyticsMeta(client, { signal });
  const listed = new Set(meta.metrics.map((metric) => metric.name));
  const metrics = wantedMetrics.filter((name) => listed.has(name));
  if (!listed.has('total_usage') && !(listed.has('credits_usage') && listed.has('byok_usage'))) {
    throw malformed('/analytics/meta lists neither total_usage nor credits_usage with byok_usage');
  }
  if (!meta.dimensions.some((dimension) => dimension.name === 'generation_id')) {
    throw malformed('/analytics/meta does not list the generation_id dimension');
  }
  // A second dimension costs no rows (a generation has one model) and names untracked ones.
  const withModel = meta.dimensions.some((dimension) => dimension.name === 'model');
  const byMinute = meta.granularities.some((granularity) => granularity.name === 'minute');
  const set: BilledSet = { generations: new Map(), queries: 0, splits: 0 };
  const pending: Part[] = [{ ...window, exclude: [] }];
  while (pending.length > 0) {
    const part = pending.shift() as Part;
    await throttle(signal);
    set.queries += 1;
    const result = await queryAnalytics(
      client,
      {
        metrics,
        dimensions: withModel ? ['generation_id', 'model'] : ['generation_id'],
        ...(part.exclude.length > 0
          ? { filters: [{ field: 'generation_id', operator: 'not_in', value: part.exclude }] }
          : {}),
        time_range: {
          start: new Date(part.fromMs).toISOString(),
          end: new Date(part.toMs).toISOString(),
        },
        limit: options.pageSize ?? rowsPerQuery,
        ...(byMinute
          ? { granularity: 'minute', order_by: { field: 'date', direction: 'asc' as const } }
          : {}),
      },
      { signal, deadlineMs: 180_000 },
    );
    const rows = result.data;
    const minuteOf = (row: AnalyticsRow): number => {
      const bucket = row.date__minute;
      const ms = typeof bucket === 'string' ? Date.parse(bucket) : Number.NaN;
      if (Number.isNaN(ms)) throw malformed('a row has no date__minute');
      return ms;
    };
    let keepBefore = Number.POSITIVE_INFINITY;
    if (result.metadata.truncated) {
      const next = nextPart(part, rows, byMinute ? minuteOf : undefined);
      if (next === undefined) {
        if (part.toMs - part.fromMs <= minimumWindowMs) {
          throw malformed(
            `more than ${rows.length} generations within ${minimumWindowMs} ms at ${new Date(part.fromMs).toISOString()}: still truncated where the window cannot be split further`,
          );
        }
        const middle = part.fromMs + Math.floor((part.toMs - part.fromMs) / 2);
        pending.unshift(
          { fromMs: part.fromMs, toMs: middle, exclude: part.exclude },
          { fromMs: middle, toMs: part.toMs, exclude: part.exclude },
        );
        set.splits += 1;
        continue;
      }
      keepBefore = next.keepBefore;
      pending.unshift(next.part);
      set.splits += 1;
    }
    for (const row of rows) {
      const id = row.generation_id;
      if (typeof id !== 'string' || id === '') throw malformed('a row has no generation_id');
      const at = byMinute ? minuteOf(row) : part.fromMs;
      if (at >= keepBefore) continue;
      const credits = amount(row, 'credits_usage');
      const byok = amount(row, 'byok_usage');
      const total = amount(row, 'total_usage') ?? (credits ?? 0n) + (byok ?? 0n);
      const day = new Date(Math.max(at, part.fromMs)).toISOString().slice(0, 10);
      const seen = set.generations.get(id);
      if (seen) {
        // One generation in two windows (it should not happen): billed once, summed.
        seen.total += total;
        if (seen.credits !== null && credits !== null) seen.credits += credits;
        if (seen.byok !== null && byok !== null) seen.byok += byok;
      } else {
        const model = typeof row.model === 'string' ? row.model : null;
        set.generations.set(id, { total, credits, byok, day, model });
      }
    }
  }
  return set;
}

/** The provider of each of `ids` (at most 1,000 asked, the largest first): one query. */
export async function providersOf(
  client: GenmetaClient,
  ids: readonly string[],
  window: { fromMs: number; toMs: number },
  options: { signal?: AbortSignal | undefined; throttle: (signal?: AbortSignal) => Promise<void> },
): Promise<Map<string, string>> {
  const providers = new Map<string, string>();
  const asked = ids.slice(0, 1_000);
  if (asked.length === 0) return providers;
  await options.throttle(options.signal);
  const result = await queryAnalytics(
    client,
    {
      metrics: ['total_usage'],
      dimensions: ['generation_id', 'provider'],
      filters: [{ field: 'generation_id', operator: 'in', value: asked }],
      time_range: {
        start: new Date(window.fromMs).toISOString(),
        end: new Date(window.toMs).toISOString(),
      },
      limit: rowsPerQuery,
    },
    { signal: options.signal, deadlineMs: 180_000 },
  );
  for (const row of result.data) {
    if (typeof row.generation_id === 'string' && typeof row.provider === 'string') {
      providers.set(row.generation_id, row.provider);
    }
  }
  return providers;
}

import type { GenmetaClient } from '../client/types.js';
import { type ActivityItem, activityResponseSchema } from '../schemas/activity.js';
import {
  type AnalyticsMeta,
  type AnalyticsResult,
  analyticsMetaResponseSchema,
  analyticsResponseSchema,
} from '../schemas/analytics.js';
import { type Credits, creditsResponseSchema } from '../schemas/credits.js';
import { type Key, keyResponseSchema } from '../schemas/key.js';
import { apiRequest } from './request.js';

/** Options every billing read takes. */
export interface BillingRequestOptions {
  /**
   * Aborts the request; the call then rejects with `signal.reason`.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
  /**
   * Time the whole request may take, retries included, in ms.
   * @default the client's deadlineMs
   */
  deadlineMs?: number | undefined;
}

/** Options of {@link getActivity}. */
export interface GetActivityOptions extends BillingRequestOptions {
  /**
   * One UTC day (`YYYY-MM-DD`) of the last 30 completed ones.
   * @default undefined (all 30 days)
   */
  date?: string | undefined;
  /**
   * Only activity of the key with this hash.
   * @default undefined
   */
  apiKeyHash?: string | undefined;
}

/** One filter of an analytics query. */
export interface AnalyticsFilter {
  /** A dimension name (see {@link getAnalyticsMeta}). */
  field: string;
  /** `eq`, `neq`, `gt`, `gte`, `lt`, `lte`, `in`, `not_in`. */
  operator: string;
  /** A scalar, or an array for `in` and `not_in`. */
  value: string | number | ReadonlyArray<string | number>;
}

/** An analytics query, with OpenRouter's field names. */
export interface AnalyticsQuery {
  /** Metric names, at least one (see {@link getAnalyticsMeta}). */
  metrics: readonly string[];
  /**
   * Dimensions to group by, at most 2.
   * @default [] (totals)
   */
  dimensions?: readonly string[] | undefined;
  /**
   * Filters, all of which must hold.
   * @default []
   */
  filters?: readonly AnalyticsFilter[] | undefined;
  /** ISO date-times; `generation_id` and a few other dimensions allow at most 31 days. */
  time_range?: { start: string; end: string } | undefined;
  /**
   * `minute`, `hour`, `day`, `week` or `month`.
   * @default undefined (no time buckets)
   */
  granularity?: string | undefined;
  /**
   * Most rows returned, at most 10,000; more set `metadata.truncated`.
   * @default 1000 (OpenRouter's)
   */
  limit?: number | undefined;
  /**
   * Most rows per combination of dimensions.
   * @default undefined
   */
  group_limit?: number | undefined;
  /**
   * Order of the rows.
   * @default undefined
   */
  order_by?: { field: string; direction: 'asc' | 'desc' } | undefined;
}

/** Largest analytics answer read: 10,000 rows of a few metrics are a few MB. */
const analyticsMaxBytes = 64_000_000;

/**
 * The key the client uses (`GET /key`): label, limit, usage, and `is_management_key`. Works
 * with any key.
 */
export async function getKey(
  client: GenmetaClient,
  options: BillingRequestOptions = {},
): Promise<Key> {
  const answer = await apiRequest(client, {
    method: 'GET',
    path: '/key',
    schema: keyResponseSchema,
    ...options,
  });
  return answer.data;
}

/** Credits bought and used, in USD (`GET /credits`). Needs a management key. */
export async function getCredits(
  client: GenmetaClient,
  options: BillingRequestOptions = {},
): Promise<Credits> {
  const answer = await apiRequest(client, {
    method: 'GET',
    path: '/credits',
    schema: creditsResponseSchema,
    management: true,
    ...options,
  });
  return answer.data;
}

/**
 * What was spent per UTC day × model × endpoint over the last 30 completed days, or one
 * `date` of them (`GET /activity`). Needs a management key.
 */
export async function getActivity(
  client: GenmetaClient,
  options: GetActivityOptions = {},
): Promise<ActivityItem[]> {
  const { date, apiKeyHash, ...request } = options;
  const answer = await apiRequest(client, {
    method: 'GET',
    path: '/activity',
    query: { date, api_key_hash: apiKeyHash },
    schema: activityResponseSchema,
    management: true,
    ...request,
  });
  return answer.data;
}

/**
 * Runs an analytics query (`POST /analytics/query`): rows keyed by dimension and metric names,
 * and `metadata.truncated` when `limit` cut them. With `dimensions: ['generation_id']` it is
 * what was billed per generation. Needs a management key; 64 queries a minute.
 */
export async function queryAnalytics(
  client: GenmetaClient,
  query: AnalyticsQuery,
  options: BillingRequestOptions = {},
): Promise<AnalyticsResult> {
  const answer = await apiRequest(client, {
    method: 'POST',
    path: '/analytics/query',
    body: query,
    schema: analyticsResponseSchema,
    management: true,
    maxResponseBytes: analyticsMaxBytes,
    ...options,
  });
  return answer.data;
}

/**
 * The metrics, dimensions, operators and granularities analytics queries accept now
 * (`GET /analytics/meta`). Needs a management key.
 */
export async function getAnalyticsMeta(
  client: GenmetaClient,
  options: BillingRequestOptions = {},
): Promise<AnalyticsMeta> {
  const answer = await apiRequest(client, {
    method: 'GET',
    path: '/analytics/meta',
    schema: analyticsMetaResponseSchema,
    management: true,
    ...options,
  });
  return answer.data;
}

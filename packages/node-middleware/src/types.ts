import type { GenmetaErrorCode } from '@genmeta/core';

/**
 * Cost data a completion response carried inline (`usage.cost` and friends), as seen by
 * {@link createTrackingFetch} or passed to {@link trackGeneration}.
 */
export interface InlineUsage {
  /** `usage.cost`: USD charged to OpenRouter credits for this generation. */
  costUsd?: number | null;
  /**
   * `usage.is_byok`: the provider was paid with the account's own provider key. Left out in a
   * call to `trackGeneration` or `res.locals.genmeta.track`, it counts as `false` (not BYOK),
   * so `costUsd` prices the generation. (A completion body without `is_byok` stays unknown.)
   */
  isByok?: boolean | null;
  /** `usage.cost_details.upstream_inference_cost`: what the provider charged (BYOK). */
  upstreamInferenceCostUsd?: number | null;
}

/**
 * Why an inline cost a response carried was not counted (it counts nowhere: not in the record's
 * spend, not toward a spend limit):
 * - `untrusted`: the answer did not come from a trusted OpenRouter origin nor a request carrying
 *   an OpenRouter key (README, "Trust");
 * - `negative`, `not_finite`: not a cost;
 * - `above_cap`: above costLogger's `maxInlineCostUsd` for one generation.
 */
export type InlineCostIgnoredReason = 'untrusted' | 'negative' | 'not_finite' | 'above_cap';

/**
 * Why a tracked generation id has no stats in its record.
 * - a `GenmetaErrorCode` from `@genmeta/core` (`not_found` after waiting, `unauthorized`,
 *   `rate_limited`, `timeout`, `network`, `invalid_response`, ...);
 * - `overloaded`: the background queue was full, the id was not looked up;
 * - `closed`: the logger was closed (or shut down by a signal) before the lookup could run;
 * - `internal_error`: the lookup failed in an unexpected way (reported once through the logger);
 * - `not_looked_up`: costLogger's `lookup` is `'never'` and the answer carried no usable trusted
 *   inline cost (the cost is unknown, never 0).
 */
export type UnresolvedReason =
  | GenmetaErrorCode
  | 'overloaded'
  | 'closed'
  | 'internal_error'
  | 'not_looked_up';

/**
 * Where a generation's figures in a record come from: `lookup`, OpenRouter's generation
 * endpoint (looked up, or found in the client's cache); `inline`, the completion answer itself
 * (`usage.cost` of a trusted answer, with costLogger's `lookup: 'missing'` or `'never'`): then
 * only what the answer carried is known (latency, generation time and native tokens are `null`).
 */
export type CostSource = 'lookup' | 'inline';

/** A cost attribute value: a string (at most 256 characters), a finite number or a boolean. */
export type CostAttributeValue = string | number | boolean;

/**
 * Who or what a request's spend belongs to (`{ user: 'u-42', feature: 'search' }`): at most 32
 * keys of 1 to 64 characters of `[A-Za-z0-9_.-]`. Invalid entries are dropped and reported once
 * through the logger, never thrown.
 */
export type CostAttributes = Record<string, CostAttributeValue>;

/** Token counts of one generation (`null` where OpenRouter did not report them). */
export interface CostRecordTokens {
  /** `tokens_prompt` (normalized). */
  prompt: number | null;
  /** `tokens_completion` (normalized). */
  completion: number | null;
  /** `native_tokens_prompt` (provider tokenizer, billing basis). */
  nativePrompt: number | null;
  /** `native_tokens_completion`. */
  nativeCompletion: number | null;
  /** `native_tokens_reasoning`. */
  reasoning: number | null;
  /** `native_tokens_cached`. */
  cached: number | null;
}

/**
 * One resolved generation inside a {@link CostRecord}. snake_case fields are copied verbatim
 * from OpenRouter's generation object; camelCase fields are computed here.
 */
export interface CostRecordGeneration {
  id: string;
  /** Where this entry's cost (and the rest of its figures) come from. */
  costSource: CostSource;
  /** The model that answered (`unknown` when an inline-sourced answer named none). */
  model: string;
  /** `provider_name` (the answer's `provider` when inline), e.g. `OpenAI`. */
  provider: string | null;
  /** ISO 8601; when inline, the answer's `created` (else the time the request began). */
  created_at: string;
  /**
   * What this generation cost in USD, BYOK-aware and never double counted (core's `spendOf`).
   * `null` when unknown (a BYOK generation without `upstream_inference_cost`).
   */
  spendUsd: number | null;
  total_cost: number;
  upstream_inference_cost: number | null;
  cache_discount: number | null;
  is_byok: boolean;
  tokens: CostRecordTokens;
  /** total latency, ms */
  latency: number | null;
  /** ms */
  generation_time: number | null;
  finish_reason: string | null;
  /** `api_type`: completions, embeddings, ... (open set). */
  api_type: string | null;
  cancelled: boolean | null;
  streamed: boolean | null;
  /** `usage.cost` seen inline on the completion response, when the tracking fetch saw one. */
  inlineCostUsd?: number;
  /** Why an inline cost seen for this generation was not used, when one was not. */
  inlineCostIgnored?: InlineCostIgnoredReason;
  /** OpenRouter's `external_user` (the completion request's `user`), when present. */
  external_user?: string;
  /** OpenRouter's `session_id`, when present. */
  session_id?: string;
  /**
   * The `model` the request asked for (read by the tracking fetch from its JSON body), when
   * known; `model` is the one that answered (they differ for `openrouter/auto`).
   */
  requestModel?: string;
  /**
   * A response-cache hit (billed 0): the generation whose stored response was served. Present
   * only on hits.
   */
  response_cache_source_id?: string;
  /** Web search results billed (OpenRouter prices web search per result); present when > 0. */
  num_search_results?: number;
  /** Web fetches; present when > 0. */
  num_fetches?: number;
  /**
   * Provider attempts that failed before the one whose answer was returned (OpenRouter bills
   * none of them), and their summed latency in ms; present when there was one.
   */
  failedAttempts?: { count: number; latencyMs: number };
}

/** A tracked id whose stats could not be obtained. */
export interface CostRecordUnresolved {
  id: string;
  reason: UnresolvedReason;
  /** HTTP status of the failed lookup, when HTTP gave one. */
  status?: number;
  /**
   * Spend computed from the inline usage the completion response carried (BYOK-aware), when it
   * was seen. It counts toward the request's `spendUsd`.
   */
  inlineSpendUsd?: number;
  /** Why an inline cost seen for this id was not counted, when one was not. */
  inlineCostIgnored?: InlineCostIgnoredReason;
}

/**
 * A tracked fetch (started while handling the request) that had not told its generation id
 * when the record was sealed: the generation it may have created is not in the record.
 */
export interface CostRecordUnresolvedFetch {
  /** The fetched URL without credentials, query or fragment. */
  url: string;
  /**
   * `in_flight`: still running after `inflightWaitMs`; `closed`: the logger was closed (or shut
   * down by a signal) while waiting for it; `drain_limit`: nobody read its stream and the
   * drain stopped at its byte cap (8 MB) before an id; `scan_limit`: its JSON body was larger
   * than the scan limit (4 MB, decoded) and carried no `X-Generation-Id`.
   */
  reason: 'in_flight' | 'closed' | 'drain_limit' | 'scan_limit';
}

/**
 * One record per incoming request that tracked at least one generation id (or left a tracked
 * fetch unresolved; every request with `emitEmpty`).
 */
export interface CostRecord {
  /** The request id (also echoed as the `x-request-id` response header). */
  requestId: string;
  method: string;
  /** URL path, without the query string. */
  path: string;
  /**
   * Route pattern (`/api/chat/:id`, mount path included) when the framework matched one (Express,
   * Fastify, Hono; `handle`'s `route` option), else `null`.
   */
  route: string | null;
  statusCode: number;
  /** true when the client went away before the response was finished. */
  aborted: boolean;
  /** ISO 8601 time the request reached the middleware. */
  startedAt: string;
  /** Time from reaching the middleware to the response finishing (or the connection closing). */
  durationMs: number;
  /** Every tracked id, in tracking order. */
  generationIds: string[];
  /** The generations whose stats were obtained, in tracking order. */
  generations: CostRecordGeneration[];
  /** The ids whose stats could not be obtained, and why. */
  unresolved: CostRecordUnresolved[];
  /**
   * Total spend of the request in USD, or `null` when any tracked generation's spend is unknown:
   * an unknown cost is never counted as 0. Unresolved ids count with their inline spend when the
   * tracking fetch saw one.
   */
  spendUsd: number | null;
  /** Sum of the spends that are known: equals `spendUsd` when complete, else a lower bound. */
  knownSpendUsd: number;
  /** true when every tracked generation's spend is known (and no tracked fetch was left unresolved). */
  spendComplete: boolean;
  /** Tracked fetches whose generation id was still unknown when the record was sealed (only when any). */
  unresolvedFetches?: CostRecordUnresolvedFetch[];
  /**
   * Distinct ids offered beyond the 1,000 a request tracks at most (only when any): they are
   * not in the record, not looked up and not registered, and their spend is not known.
   */
  droppedIds?: number;
  /**
   * Who or what the spend belongs to: the `attributes` option's result, overridden key by key by
   * `setCostAttributes` / `res.locals.genmeta.setAttributes`. Empty when none.
   */
  attributes: CostAttributes;
}

/** What a sink gets beside the record: the record stays plain data. */
export interface RecordMeta {
  /**
   * The OpenTelemetry `Context` that was active when the request reached `costLogger` (when a
   * context manager is registered), to parent spans to the incoming request's trace.
   */
  readonly otelContext?: unknown;
  /** The base URL of the OpenRouter API the logger's client calls (for `server.address`). */
  readonly baseUrl?: string;
}

/**
 * Receives cost records, and the request's {@link RecordMeta}. Async allowed; a failure (throw
 * or rejection) is contained and reported once per logger; a promise that does not settle within
 * `sinkTimeoutMs` stops being waited for. A sink that wraps another passes `meta` on.
 */
export type RecordSink = (record: CostRecord, meta?: RecordMeta) => void | Promise<void>;

/** pino-compatible logger (`pino()` itself fits). */
export interface CostLoggerLogger {
  info(object: object, message?: string): void;
  warn?(object: object, message?: string): void;
}

/** The per-request view the middleware puts on `res.locals.genmeta`. */
export interface GenmetaLocals {
  /** The request id (the same as in the cost record and the `x-request-id` header). */
  readonly requestId: string;
  /** Ids tracked so far for this request, in tracking order. */
  readonly generationIds: readonly string[];
  /**
   * Track a generation id for this request. Returns false when the id is not a valid
   * generation id or the response has already finished.
   */
  track(id: string, inline?: InlineUsage): boolean;
  /**
   * Adds attributes to this request's record (a key set again is replaced). Invalid entries are
   * dropped and reported once through the logger. Returns false once the record is sealed.
   */
  setAttributes(attributes: CostAttributes): boolean;
}

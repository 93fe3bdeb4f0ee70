import { type Generation, isGenmetaError, spendOf } from '@genmeta/core';
import { failedAttemptsOf, inlineSpendOf, roundUsd } from '@genmeta/core/engine';
import type {
  CostAttributes,
  CostRecord,
  CostRecordGeneration,
  CostRecordUnresolved,
  CostRecordUnresolvedFetch,
  InlineUsage,
  UnresolvedReason,
} from '../types.js';
import { type AnswerFacts, inlineGenerationEntry } from './inline-generation.js';

/** What the middleware knows about a request when its response is over. */
export interface RequestFacts {
  requestId: string;
  method: string;
  path: string;
  route: string | null;
  statusCode: number;
  aborted: boolean;
  /** epoch milliseconds (formatted when the record is built) */
  startedAt: number;
  durationMs: number;
  /** the `attributes` option's result, validated */
  attributes: CostAttributes | undefined;
}

export type LookupOutcome =
  | { id: string; ok: true; generation: Generation }
  /** priced from its trusted answer, not looked up (`costSource: 'inline'`) */
  | {
      id: string;
      ok: true;
      generation?: undefined;
      usage: InlineUsage;
      answer: AnswerFacts | undefined;
      requestModel: string | undefined;
    }
  | { id: string; ok: false; reason: UnresolvedReason; status?: number };

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function booleanOrNull(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

function safeSpendOf(generation: Generation): number | null {
  try {
    const spend = spendOf(generation);
    return typeof spend === 'number' && Number.isFinite(spend) ? spend : null;
  } catch {
    return null;
  }
}

export function generationEntry(
  generation: Generation,
  inline: InlineUsage | undefined,
): CostRecordGeneration {
  const entry: CostRecordGeneration = {
    id: generation.id,
    costSource: 'lookup',
    model: generation.model,
    provider: stringOrNull(generation.provider_name),
    created_at: generation.created_at,
    spendUsd: safeSpendOf(generation),
    total_cost: generation.total_cost,
    upstream_inference_cost: numberOrNull(generation.upstream_inference_cost),
    cache_discount: numberOrNull(generation.cache_discount),
    is_byok: generation.is_byok,
    tokens: {
      prompt: numberOrNull(generation.tokens_prompt),
      completion: numberOrNull(generation.tokens_completion),
      nativePrompt: numberOrNull(generation.native_tokens_prompt),
      nativeCompletion: numberOrNull(generation.native_tokens_completion),
      reasoning: numberOrNull(generation.native_tokens_reasoning),
      cached: numberOrNull(generation.native_tokens_cached),
    },
    latency: numberOrNull(generation.latency),
    generation_time: numberOrNull(generation.generation_time),
    finish_reason: stringOrNull(generation.finish_reason),
    api_type: stringOrNull(generation.api_type),
    cancelled: booleanOrNull(generation.cancelled),
    streamed: booleanOrNull(generation.streamed),
  };
  if (inline?.costUsd != null) entry.inlineCostUsd = inline.costUsd;
  if (typeof generation.external_user === 'string') entry.external_user = generation.external_user;
  if (typeof generation.session_id === 'string') entry.session_id = generation.session_id;
  addSavingsFields(entry, generation);
  return entry;
}

/**
 * What `genmeta report` needs for savings and waste and `genmeta explain` for the parts, each
 * only when the generation has it (most have none, so most records do not grow).
 */
function addSavingsFields(entry: CostRecordGeneration, generation: Generation): void {
  const source = generation.response_cache_source_id;
  if (typeof source === 'string' && source !== '') entry.response_cache_source_id = source;
  const searches = numberOrNull(generation.num_search_results);
  if (searches !== null && searches > 0) entry.num_search_results = searches;
  const fetches = numberOrNull(generation.num_fetches);
  if (fetches !== null && fetches > 0) entry.num_fetches = fetches;
  if (Array.isArray(generation.provider_responses) && generation.provider_responses.length > 1) {
    const failed = failedAttemptsOf(generation);
    if (failed.count > 0) entry.failedAttempts = failed;
  }
}

// Requests of one busy millisecond share their start time: format it once.
let lastStartedAt = Number.NaN;
let lastStartedAtIso = '';
function isoTime(epochMs: number): string {
  if (epochMs !== lastStartedAt) {
    lastStartedAtIso = new Date(epochMs).toISOString();
    lastStartedAt = epochMs;
  }
  return lastStartedAtIso;
}

export function buildRecord(
  facts: RequestFacts,
  ids: readonly string[],
  outcomes: readonly LookupOutcome[],
  inline: ReadonlyMap<string, InlineUsage> | undefined,
  unresolvedFetches: readonly CostRecordUnresolvedFetch[] | undefined,
  attributes: CostAttributes | undefined,
): CostRecord {
  const generations: CostRecordGeneration[] = [];
  const unresolved: CostRecordUnresolved[] = [];
  let knownSpendUsd = 0;
  let spendComplete = true;
  for (const outcome of outcomes) {
    const usage = inline?.get(outcome.id);
    if (outcome.ok) {
      const entry =
        outcome.generation === undefined
          ? inlineGenerationEntry(
              outcome.id,
              outcome.usage,
              outcome.answer,
              outcome.requestModel,
              isoTime(facts.startedAt),
            )
          : generationEntry(outcome.generation, usage);
      generations.push(entry);
      if (entry.spendUsd === null) spendComplete = false;
      else knownSpendUsd += entry.spendUsd;
    } else {
      const entry: CostRecordUnresolved = { id: outcome.id, reason: outcome.reason };
      if (outcome.status !== undefined) entry.status = outcome.status;
      const inlineSpend = usage === undefined ? null : inlineSpendOf(usage);
      if (inlineSpend === null) spendComplete = false;
      else {
        entry.inlineSpendUsd = roundUsd(inlineSpend);
        knownSpendUsd += inlineSpend;
      }
      unresolved.push(entry);
    }
  }
  knownSpendUsd = roundUsd(knownSpendUsd);
  // A fetch whose generation is unknown may have cost something.
  if (unresolvedFetches !== undefined && unresolvedFetches.length > 0) spendComplete = false;
  // Listed one by one: a fixed shape is cheaper to build and to serialize than a spread.
  const record: CostRecord = {
    requestId: facts.requestId,
    method: facts.method,
    path: facts.path,
    route: facts.route,
    statusCode: facts.statusCode,
    aborted: facts.aborted,
    startedAt: isoTime(facts.startedAt),
    durationMs: facts.durationMs,
    generationIds: ids.slice(),
    generations,
    unresolved,
    spendUsd: spendComplete ? knownSpendUsd : null,
    knownSpendUsd,
    spendComplete,
    attributes: attributes ?? {},
  };
  if (unresolvedFetches !== undefined && unresolvedFetches.length > 0) {
    record.unresolvedFetches = unresolvedFetches.slice();
  }
  return record;
}

/** Maps a lookup failure to the reason a record shows. */
export function outcomeOfError(
  id: string,
  error: unknown,
  closed: boolean,
): Extract<LookupOutcome, { ok: false }> {
  if (isGenmetaError(error)) {
    return error.status === undefined
      ? { id, ok: false, reason: error.code }
      : { id, ok: false, reason: error.code, status: error.status };
  }
  return { id, ok: false, reason: closed ? 'closed' : 'internal_error' };
}

import type { GroupsState } from './aggregate.js';
import { generationDimensions, generationKey, requestKey } from './group-keys.js';
import type { ReportGeneration, ReportRecord } from './parse-record.js';
import { fromUnits, toUnits } from './report-result.js';

/** Running savings and waste of one group (or of the whole report); amounts in 1e-10 USD units. */
export interface SavingsSums {
  promptCachingUnits: number;
  responseCacheHits: number;
  responseCachingUnits: number;
  /** hits whose source generation is not in the records read (their saving is unknown) */
  responseCacheHitsWithoutSource: number;
  cancelled: number;
  cancelledUnits: number;
  errored: number;
  erroredUnits: number;
  failedAttempts: number;
  failedAttemptsLatencyMs: number;
}

/** Anything that may carry savings: a group's sums, or the report's state. */
export interface SavingsHolder {
  savings?: SavingsSums | undefined;
}

/** A response-cache hit whose source was not seen yet: settled when the report is built. */
export interface PendingHit {
  sourceId: string;
  /** the group key of the hit in each breakdown, as first given (cut and masked on lookup) */
  keys: string[];
}

/**
 * What response caching needs across records: the known spend of recent generations by id (a
 * hit is worth its source's spend) and the hits whose source had not been seen. Both bounded;
 * what falls out is counted as a hit without source, never priced as 0.
 */
export interface ResponseCacheLedger {
  spendById: Map<string, number>;
  pending: PendingHit[];
}

/** Generations whose spend is remembered for later hits (the oldest are forgotten first). */
export const maxRememberedSpends = 200_000;
/** Hits waiting for their source at most; later ones are counted without source at once. */
export const maxPendingHits = 100_000;

export function newLedger(): ResponseCacheLedger {
  return { spendById: new Map(), pending: [] };
}

function newSavings(): SavingsSums {
  return {
    promptCachingUnits: 0,
    responseCacheHits: 0,
    responseCachingUnits: 0,
    responseCacheHitsWithoutSource: 0,
    cancelled: 0,
    cancelledUnits: 0,
    errored: 0,
    erroredUnits: 0,
    failedAttempts: 0,
    failedAttemptsLatencyMs: 0,
  };
}

function savingsOf(holder: SavingsHolder): SavingsSums {
  if (holder.savings === undefined) holder.savings = newSavings();
  return holder.savings;
}

function addFacts(holder: SavingsHolder, generation: ReportGeneration): void {
  const facts = generation.facts;
  if (facts === null) return;
  const sums = savingsOf(holder);
  const spend = generation.spendUsd === null ? 0 : toUnits(generation.spendUsd);
  sums.promptCachingUnits += toUnits(facts.cacheDiscountUsd);
  if (facts.responseCacheSourceId !== null) sums.responseCacheHits += 1;
  if (facts.cancelled) {
    sums.cancelled += 1;
    sums.cancelledUnits += spend;
  }
  if (facts.errored) {
    sums.errored += 1;
    sums.erroredUnits += spend;
  }
  sums.failedAttempts += facts.failedAttempts;
  sums.failedAttemptsLatencyMs += facts.failedAttemptsLatencyMs;
}

function remember(ledger: ResponseCacheLedger, generation: ReportGeneration): void {
  const { id, spendUsd } = generation;
  if (id === null || spendUsd === null || generation.facts?.responseCacheSourceId) return;
  const { spendById } = ledger;
  if (spendById.size >= maxRememberedSpends && !spendById.has(id)) {
    const oldest = spendById.keys().next().value;
    if (oldest !== undefined) spendById.delete(oldest);
  }
  spendById.set(id, toUnits(spendUsd));
}

type GroupAt = (groups: GroupsState, rawKey: string) => SavingsHolder;

/**
 * Adds one record's savings and waste to the report's totals and to its group in every
 * breakdown (the same groups as its spend), and remembers its generations' spend for
 * response-cache hits.
 */
export function addRecordSavings(
  total: SavingsHolder,
  ledger: ResponseCacheLedger,
  groups: readonly GroupsState[],
  groupAt: GroupAt,
  record: ReportRecord,
  hour: number,
): void {
  for (const generation of record.generations) {
    remember(ledger, generation);
    if (generation.facts === null) continue;
    addFacts(total, generation);
    const keys: string[] = [];
    const holders: SavingsHolder[] = [total];
    for (const breakdown of groups) {
      const key = generationDimensions.has(breakdown.dimension.kind)
        ? generationKey(breakdown.dimension, generation)
        : requestKey(breakdown.dimension, record, hour);
      const holder = groupAt(breakdown, key);
      addFacts(holder, generation);
      keys.push(key);
      holders.push(holder);
    }
    const sourceId = generation.facts.responseCacheSourceId;
    if (sourceId === null) continue;
    const sourceSpend = ledger.spendById.get(sourceId);
    if (sourceSpend !== undefined) {
      for (const holder of holders) savingsOf(holder).responseCachingUnits += sourceSpend;
    } else if (ledger.pending.length < maxPendingHits) {
      ledger.pending.push({ sourceId, keys });
    } else {
      for (const holder of holders) savingsOf(holder).responseCacheHitsWithoutSource += 1;
    }
  }
}

/** Adds one group's savings to another's (merging a worker's part). */
export function mergeSavings(target: SavingsHolder, source: SavingsHolder): void {
  const from = source.savings;
  if (from === undefined) return;
  const to = savingsOf(target);
  for (const name of Object.keys(from) as (keyof SavingsSums)[]) to[name] += from[name];
}

/**
 * Joins another part's ledger into this one: its remembered spends (bounded) and its pending
 * hits (past the bound, counted without source in their groups).
 */
export function mergeLedger(
  total: SavingsHolder,
  ledger: ResponseCacheLedger,
  other: ResponseCacheLedger,
  groups: readonly GroupsState[],
  groupAt: GroupAt,
): void {
  for (const [id, units] of other.spendById) {
    if (ledger.spendById.size >= maxRememberedSpends) break;
    ledger.spendById.set(id, units);
  }
  for (const hit of other.pending) {
    if (ledger.pending.length < maxPendingHits) {
      ledger.pending.push(hit);
      continue;
    }
    settleHit(total, hit, undefined, groups, groupAt);
  }
}

function settleHit(
  total: SavingsHolder,
  hit: PendingHit,
  sourceSpend: number | undefined,
  groups: readonly GroupsState[],
  groupAt: GroupAt,
): void {
  const holders = [
    total,
    ...groups.map((breakdown, index) => groupAt(breakdown, hit.keys[index] ?? '')),
  ];
  for (const holder of holders) {
    const sums = savingsOf(holder);
    if (sourceSpend === undefined) sums.responseCacheHitsWithoutSource += 1;
    else sums.responseCachingUnits += sourceSpend;
  }
}

/** Prices every pending hit from the spends now known; the rest count as hits without source. */
export function settlePendingHits(
  total: SavingsHolder,
  ledger: ResponseCacheLedger,
  groups: readonly GroupsState[],
  groupAt: GroupAt,
): void {
  for (const hit of ledger.pending) {
    settleHit(total, hit, ledger.spendById.get(hit.sourceId), groups, groupAt);
  }
  ledger.pending = [];
}

/** What caching saved, as the report prints it. */
export interface Savings {
  /** sum of `cache_discount`, USD (cache writes count against it) */
  promptCachingUsd: number;
  /** response-cache hits × their source generation's spend, USD (sources found in the records) */
  responseCachingUsd: number;
  responseCacheHits: number;
  /** hits whose source generation is not in the records: their saving is not counted */
  responseCacheHitsWithoutSource: number;
}

/** Spend that bought nothing, as the report prints it. */
export interface Waste {
  /** generations cancelled by the caller, and their known spend (USD) */
  cancelled: { generations: number; spendUsd: number };
  /** generations that finished with an error, and their known spend (USD) */
  errored: { generations: number; spendUsd: number };
  /** attempts that failed before the one that answered (OpenRouter bills none), and their latency */
  failedAttempts: { count: number; latencyMs: number };
}

/** The printed savings and waste of a group or of the whole report. */
export function savingsAndWasteOf(holder: SavingsHolder): { savings: Savings; waste: Waste } {
  const sums = holder.savings ?? newSavings();
  return {
    savings: {
      promptCachingUsd: fromUnits(sums.promptCachingUnits),
      responseCachingUsd: fromUnits(sums.responseCachingUnits),
      responseCacheHits: sums.responseCacheHits,
      responseCacheHitsWithoutSource: sums.responseCacheHitsWithoutSource,
    },
    waste: {
      cancelled: { generations: sums.cancelled, spendUsd: fromUnits(sums.cancelledUnits) },
      errored: { generations: sums.errored, spendUsd: fromUnits(sums.erroredUnits) },
      failedAttempts: { count: sums.failedAttempts, latencyMs: sums.failedAttemptsLatencyMs },
    },
  };
}

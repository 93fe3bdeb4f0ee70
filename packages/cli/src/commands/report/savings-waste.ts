import { sumUnitsToUsd, usdToSumUnits } from '@genmeta/core/rules';
import type { ReportGeneration, ReportRecord } from '../../shared/records/parse-record.js';
import type { Dimension } from './arguments.js';
import { generationDimensions, generationKey, requestKey } from './group-keys.js';
import type { Savings, Waste } from './report-data.js';

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

/**
 * Spends (units) of consecutive generations by a 53-bit hash of their id, in two typed arrays:
 * 16 bytes a generation, and no id string kept (one parsed from a line can hold the whole line).
 */
export interface SpendSegment {
  keys: Float64Array;
  units: Float64Array;
  length: number;
}

/**
 * A 53-bit hash of an id (two 32-bit FNV-1a hashes): exact in a double, and with at most
 * ~10^5 ids in reach a collision is about as likely as 10^-6.
 */
export function idKey(id: string): number {
  let first = 0x811c9dc5;
  let second = 0x01000193 ^ 0x5bd1e995;
  for (let index = 0; index < id.length; index += 1) {
    const code = id.charCodeAt(index);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x5bd1e995);
  }
  return (first >>> 0) * 2 ** 21 + ((second >>> 0) >>> 11);
}

/**
 * What response caching needs across records: the hits waiting for their source's spend (a hit
 * is worth what its source cost), and the spends of the latest generations to find them in. A
 * segment of spends is searched for the waiting sources once, when it is dropped or at the end:
 * appending costs next to nothing per generation, and memory stays bounded. A hit whose source
 * is not found (not in the records, or older than the segments kept) is counted without source,
 * never priced as 0.
 */
export interface ResponseCacheLedger {
  recent: SpendSegment;
  older: SpendSegment;
  /** segments of other parts of the input, joined by a merge */
  joined: SpendSegment[];
  /** by source id ({@link idKey}): each waiting hit's group keys, one per breakdown */
  pending: Map<number, string[][]>;
  pendingCount: number;
}

/** Generations per segment: between this many and twice as many of the latest are searched. */
export const spendsPerSegment = 50_000;
/** Hits waiting for their source at most; later ones are counted without source at once. */
export const maxPendingHits = 100_000;

const emptySegment = (): SpendSegment => ({
  keys: new Float64Array(spendsPerSegment),
  units: new Float64Array(spendsPerSegment),
  length: 0,
});

export function newLedger(): ResponseCacheLedger {
  return {
    recent: emptySegment(),
    older: emptySegment(),
    joined: [],
    pending: new Map(),
    pendingCount: 0,
  };
}

/** A breakdown as savings see it: its dimension keys a generation or a request. */
export interface KeyedGroups {
  dimension: Dimension;
}

/**
 * Where a settled hit's saving goes: the totals and each breakdown's groups. `groupAt` is given
 * back the breakdowns of `groups` (the aggregate's own state, which this file does not import).
 */
export interface SavingsTarget<Groups extends KeyedGroups = KeyedGroups> {
  total: SavingsHolder;
  groups: readonly Groups[];
  groupAt(groups: Groups, rawKey: string): SavingsHolder;
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

/** Adds one generation's savings and waste to a group (called where its spend is added). */
export function addFacts(holder: SavingsHolder, generation: ReportGeneration): void {
  const facts = generation.facts;
  if (facts === null) return;
  const sums = savingsOf(holder);
  sums.promptCachingUnits += facts.cacheDiscountUnits;
  if (facts.responseCacheSourceId !== null) sums.responseCacheHits += 1;
  if (facts.cancelled || facts.errored) {
    const spend = generation.spendUsd === null ? 0 : usdToSumUnits(generation.spendUsd);
    if (facts.cancelled) {
      sums.cancelled += 1;
      sums.cancelledUnits += spend;
    }
    if (facts.errored) {
      sums.errored += 1;
      sums.erroredUnits += spend;
    }
  }
  sums.failedAttempts += facts.failedAttempts;
  sums.failedAttemptsLatencyMs += facts.failedAttemptsLatencyMs;
}

function credit(target: SavingsTarget, keys: readonly string[], units: number | undefined): void {
  const holders = [
    target.total,
    ...target.groups.map((breakdown, index) => target.groupAt(breakdown, keys[index] ?? '')),
  ];
  for (const holder of holders) {
    const sums = savingsOf(holder);
    if (units === undefined) sums.responseCacheHitsWithoutSource += 1;
    else sums.responseCachingUnits += units;
  }
}

/** Prices the waiting hits whose source is in `segment`. */
function settleAgainst(ledger: ResponseCacheLedger, segment: SpendSegment, target: SavingsTarget) {
  if (ledger.pendingCount === 0) return;
  const { keys: ids, units, length } = segment;
  for (let index = 0; index < length; index += 1) {
    const key = ids[index] as number;
    const hits = ledger.pending.get(key);
    if (hits === undefined) continue;
    for (const keys of hits) credit(target, keys, units[index]);
    ledger.pending.delete(key);
    ledger.pendingCount -= hits.length;
  }
}

function remember(
  ledger: ResponseCacheLedger,
  generation: ReportGeneration,
  target: SavingsTarget,
) {
  const { id, spendUsd } = generation;
  if (id === null || spendUsd === null || generation.facts?.responseCacheSourceId) return;
  let segment = ledger.recent;
  if (segment.length === spendsPerSegment) {
    settleAgainst(ledger, ledger.older, target);
    // The dropped segment's arrays are reused.
    const dropped = ledger.older;
    ledger.older = segment;
    dropped.length = 0;
    ledger.recent = dropped;
    segment = dropped;
  }
  segment.keys[segment.length] = idKey(id);
  segment.units[segment.length] = usdToSumUnits(spendUsd);
  segment.length += 1;
}

function wait(
  ledger: ResponseCacheLedger,
  sourceId: number,
  keys: string[],
  target: SavingsTarget,
) {
  if (ledger.pendingCount >= maxPendingHits) {
    credit(target, keys, undefined);
    return;
  }
  const hits = ledger.pending.get(sourceId);
  if (hits === undefined) ledger.pending.set(sourceId, [keys]);
  else hits.push(keys);
  ledger.pendingCount += 1;
}

/**
 * Adds one record's savings and waste to the report's totals (its groups get theirs where their
 * spend is added: {@link addFacts}), remembers its generations' spend, and queues its
 * response-cache hits to be priced from their source.
 */
export function addRecordSavings(
  ledger: ResponseCacheLedger,
  target: SavingsTarget,
  record: ReportRecord,
  hour: number,
): void {
  for (const generation of record.generations) {
    remember(ledger, generation, target);
    if (generation.facts === null) continue;
    addFacts(target.total, generation);
    const sourceId = generation.facts.responseCacheSourceId;
    if (sourceId === null) continue;
    const keys = target.groups.map((breakdown) =>
      generationDimensions.has(breakdown.dimension.kind)
        ? generationKey(breakdown.dimension, generation)
        : requestKey(breakdown.dimension, record, hour),
    );
    wait(ledger, idKey(sourceId), keys, target);
  }
}

/** Adds one group's savings to another's (merging a worker's part). */
export function mergeSavings(target: SavingsHolder, source: SavingsHolder): void {
  const from = source.savings;
  if (from === undefined) return;
  const to = savingsOf(target);
  for (const name of Object.keys(from) as (keyof SavingsSums)[]) to[name] += from[name];
}

/** Joins another part's ledger into this one: its spends and its waiting hits. */
export function mergeLedger(
  ledger: ResponseCacheLedger,
  other: ResponseCacheLedger,
  target: SavingsTarget,
): void {
  ledger.joined.push(other.older, other.recent, ...other.joined);
  for (const [sourceId, hits] of other.pending) {
    for (const keys of hits) wait(ledger, sourceId, keys, target);
  }
}

/** Prices every waiting hit from the spends kept; the rest count as hits without source. */
export function settlePendingHits(ledger: ResponseCacheLedger, target: SavingsTarget): void {
  for (const segment of [ledger.recent, ledger.older, ...ledger.joined]) {
    settleAgainst(ledger, segment, target);
  }
  for (const hits of ledger.pending.values()) {
    for (const keys of hits) credit(target, keys, undefined);
  }
  ledger.pending.clear();
  ledger.pendingCount = 0;
}

/** The printed savings and waste of a group or of the whole report. */
export function savingsAndWasteOf(holder: SavingsHolder): { savings: Savings; waste: Waste } {
  const sums = holder.savings ?? newSavings();
  return {
    savings: {
      promptCachingUsd: sumUnitsToUsd(sums.promptCachingUnits),
      responseCachingUsd: sumUnitsToUsd(sums.responseCachingUnits),
      responseCacheHits: sums.responseCacheHits,
      responseCacheHitsWithoutSource: sums.responseCacheHitsWithoutSource,
    },
    waste: {
      cancelled: { generations: sums.cancelled, spendUsd: sumUnitsToUsd(sums.cancelledUnits) },
      errored: { generations: sums.errored, spendUsd: sumUnitsToUsd(sums.erroredUnits) },
      failedAttempts: { count: sums.failedAttempts, latencyMs: sums.failedAttemptsLatencyMs },
    },
  };
}

import { maskKeyShapes, sumUnitsToUsd, usdToSumUnits } from '@genmeta/core/rules';
import type { ReportRecord, SkipReason } from '../../shared/records/parse-record.js';
import {
  type AggregateState,
  emptyCounts,
  type GroupsState,
  newSums,
  type Sums,
} from './aggregate-state.js';
import type { Dimension } from './arguments.js';
import {
  generationDimensions,
  generationKey,
  hourMs,
  requestKey,
  unresolvedKey,
} from './group-keys.js';
import type { ReasonCounts, ReportData, TopRequest } from './report-data.js';
import { buildReport } from './report-result.js';
import {
  addFacts,
  addRecordSavings,
  mergeLedger,
  mergeSavings,
  newLedger,
  type SavingsTarget,
  settlePendingHits,
} from './savings-waste.js';
import { TopHeap } from './top-heap.js';

/** Distinct values one breakdown keeps; later new values are summed as `(other)`. */
export const maxGroups = 10_000;
/** A group's value is cut to this many characters (a log value must not grow memory). */
const maxKeyLength = 200;
const otherKey = '(other)';
/** The reason given for a resolved generation whose spend OpenRouter did not report. */
export const spendUnknownReason = 'spend_unknown';

function increment(counts: ReasonCounts, reason: string, by = 1): void {
  counts[reason] = (counts[reason] ?? 0) + by;
}

export function groupAt(groups: GroupsState, rawKey: string): Sums {
  const cut = rawKey.length > maxKeyLength ? `${rawKey.slice(0, maxKeyLength - 1)}…` : rawKey;
  let sums = groups.sums.get(cut);
  if (sums === undefined) {
    // Only a value seen for the first time (or a masked one) gets here: masking stays off the
    // per-record path.
    const key = maskKeyShapes(cut);
    const target = groups.sums.size < maxGroups ? key : otherKey;
    if (target === otherKey) groups.folded = true;
    sums = groups.sums.get(target) ?? newSums();
    groups.sums.set(target, sums);
  }
  return sums;
}

function addSums(target: Sums, source: Sums): void {
  target.requests += source.requests;
  target.generations += source.generations;
  target.knownSpendUnits += source.knownSpendUnits;
  target.unknownCount += source.unknownCount;
  mergeSavings(target, source);
}

// Ties go to the earlier request, so the list does not depend on the order records are read in.
function compareTop(a: TopRequest, b: TopRequest): number {
  return (
    a.knownSpendUsd - b.knownSpendUsd ||
    Number(b.spendComplete) - Number(a.spendComplete) ||
    (a.startedAt > b.startedAt ? -1 : a.startedAt < b.startedAt ? 1 : 0) ||
    (a.requestId > b.requestId ? -1 : a.requestId < b.requestId ? 1 : 0)
  );
}

/** Sums records as they stream by: per-group sums, a timeline by hour and a top-N heap. */
export class ReportAggregator {
  private readonly state: AggregateState;
  private readonly top: TopHeap<TopRequest>;

  constructor(dimensions: readonly Dimension[], topCount: number) {
    this.state = {
      records: 0,
      requestsWithUnknownSpend: 0,
      tracked: 0,
      resolved: 0,
      knownSpendUnits: 0,
      firstMs: Number.POSITIVE_INFINITY,
      lastMs: Number.NEGATIVE_INFINITY,
      unknownReasons: emptyCounts(),
      unresolvedReasons: emptyCounts(),
      skipReasons: emptyCounts(),
      skipped: 0,
      groups: dimensions.map((dimension) => ({ dimension, sums: new Map(), folded: false })),
      timeline: new Map(),
      top: [],
      savings: undefined,
      ledger: newLedger(),
    };
    this.top = new TopHeap(topCount, compareTop);
  }

  skip(reason: SkipReason): void {
    this.state.skipped += 1;
    increment(this.state.skipReasons, reason);
  }

  add(record: ReportRecord): void {
    const state = this.state;
    const sequence = state.records;
    state.records += 1;
    const hour = Math.floor(record.startedAtMs / hourMs);
    if (record.startedAtMs < state.firstMs) state.firstMs = record.startedAtMs;
    if (record.startedAtMs > state.lastMs) state.lastMs = record.startedAtMs;

    let known = 0;
    let unknown = 0;
    for (const generation of record.generations) {
      if (generation.spendUsd === null) {
        unknown += 1;
        increment(state.unknownReasons, spendUnknownReason);
      } else known += usdToSumUnits(generation.spendUsd);
    }
    for (const item of record.unresolved) {
      increment(state.unresolvedReasons, item.reason);
      if (item.inlineSpendUsd === undefined) {
        unknown += 1;
        increment(state.unknownReasons, item.reason);
      } else known += usdToSumUnits(item.inlineSpendUsd);
    }
    const tracked = record.generations.length + record.unresolved.length;
    state.tracked += tracked;
    state.resolved += record.generations.length;
    state.knownSpendUnits += known;
    if (unknown > 0) state.requestsWithUnknownSpend += 1;

    let point = state.timeline.get(hour);
    if (point === undefined) {
      point = newSums();
      state.timeline.set(hour, point);
    }
    point.requests += 1;
    point.generations += tracked;
    point.knownSpendUnits += known;
    point.unknownCount += unknown;

    for (const groups of state.groups) {
      if (generationDimensions.has(groups.dimension.kind)) {
        for (const generation of record.generations) {
          const sums = groupAt(groups, generationKey(groups.dimension, generation));
          countRequest(sums, sequence);
          sums.generations += 1;
          if (generation.spendUsd === null) sums.unknownCount += 1;
          else sums.knownSpendUnits += usdToSumUnits(generation.spendUsd);
          if (generation.facts !== null) addFacts(sums, generation);
        }
        for (const item of record.unresolved) {
          const sums = groupAt(groups, unresolvedKey);
          countRequest(sums, sequence);
          sums.generations += 1;
          if (item.inlineSpendUsd === undefined) sums.unknownCount += 1;
          else sums.knownSpendUnits += usdToSumUnits(item.inlineSpendUsd);
        }
      } else {
        const sums = groupAt(groups, requestKey(groups.dimension, record, hour));
        countRequest(sums, sequence);
        sums.generations += tracked;
        sums.knownSpendUnits += known;
        sums.unknownCount += unknown;
        for (const generation of record.generations) addFacts(sums, generation);
      }
    }

    addRecordSavings(state.ledger, this.savingsTarget(), record, hour);

    const candidate = {
      knownSpendUsd: sumUnitsToUsd(known),
      spendComplete: unknown === 0,
      startedAt: record.startedAt,
      requestId: record.requestId,
    } as TopRequest;
    if (this.top.wouldKeep(candidate)) {
      this.top.add({
        requestId: maskKeyShapes(record.requestId),
        startedAt: record.startedAt,
        method: maskKeyShapes(record.method),
        path: maskKeyShapes(record.path),
        route: record.route === null ? null : maskKeyShapes(record.route),
        statusCode: record.statusCode,
        durationMs: record.durationMs,
        generations: tracked,
        knownSpendUsd: candidate.knownSpendUsd,
        spendComplete: candidate.spendComplete,
        models: [
          ...new Set(record.generations.map((generation) => maskKeyShapes(generation.model))),
        ],
      });
    }
  }

  private target: SavingsTarget | undefined;

  /** Where savings go: the totals and the breakdowns' groups. */
  private savingsTarget(): SavingsTarget {
    this.target ??= { total: this.state, groups: this.state.groups, groupAt };
    return this.target;
  }

  /** The state so far, as plain data (for a worker to send back). */
  snapshot(): AggregateState {
    return { ...this.state, top: this.top.sorted() };
  }

  /** Adds another aggregator's state (same dimensions), e.g. a worker's part of a file. */
  merge(other: AggregateState): void {
    const state = this.state;
    state.records += other.records;
    state.requestsWithUnknownSpend += other.requestsWithUnknownSpend;
    state.tracked += other.tracked;
    state.resolved += other.resolved;
    state.knownSpendUnits += other.knownSpendUnits;
    state.firstMs = Math.min(state.firstMs, other.firstMs);
    state.lastMs = Math.max(state.lastMs, other.lastMs);
    state.skipped += other.skipped;
    for (const name of ['unknownReasons', 'unresolvedReasons', 'skipReasons'] as const) {
      for (const [reason, count] of Object.entries(other[name])) {
        increment(state[name], reason, count);
      }
    }
    other.groups.forEach((groups, index) => {
      const target = state.groups[index];
      if (target === undefined) throw new Error('merging reports of other breakdowns');
      target.folded ||= groups.folded;
      for (const [key, sums] of groups.sums) addSums(groupAt(target, key), sums);
    });
    for (const [hour, sums] of other.timeline) {
      let point = state.timeline.get(hour);
      if (point === undefined) {
        point = newSums();
        state.timeline.set(hour, point);
      }
      addSums(point, sums);
    }
    for (const item of other.top) this.top.add(item);
    mergeSavings(state, other);
    mergeLedger(state.ledger, other.ledger, this.savingsTarget());
  }

  /** The report so far. */
  result(inputs: readonly string[]): ReportData {
    settlePendingHits(this.state.ledger, this.savingsTarget());
    return buildReport(this.snapshot(), inputs);
  }
}

function countRequest(sums: Sums, sequence: number): void {
  if (sums.lastRecord === sequence) return;
  sums.lastRecord = sequence;
  sums.requests += 1;
}

// The aggregate's state as plain data: what the aggregator, the report's result and the worker
// threads share, kept apart from the aggregator so that those files import no logic back.
import type { Dimension } from './arguments.js';
import type { ReasonCounts, TopRequest } from './report-data.js';
import type { ResponseCacheLedger, SavingsSums } from './savings-waste.js';

/** Running sums of one group (or one hour of the timeline). */
export interface Sums {
  requests: number;
  generations: number;
  /** known spend in units of 1e-10 USD: integer sums are exact in any order */
  knownSpendUnits: number;
  unknownCount: number;
  /** sequence number of the last record counted in `requests`, so each counts once */
  lastRecord: number;
  /** savings and waste, made on the group's first generation that has any */
  savings?: SavingsSums | undefined;
}

export function newSums(): Sums {
  // `savings` is there from the start, so that every Sums has one shape and the per-record code
  // that reads them stays monomorphic.
  return {
    requests: 0,
    generations: 0,
    knownSpendUnits: 0,
    unknownCount: 0,
    lastRecord: -1,
    savings: undefined,
  };
}

/** One breakdown's groups so far. */
export interface GroupsState {
  dimension: Dimension;
  sums: Map<string, Sums>;
  /** true once a value arrived past the aggregate's `maxGroups` distinct ones */
  folded: boolean;
}

/**
 * Everything aggregated so far, as plain data (Maps included): it crosses to and from worker
 * threads as it is, and partial states merge into one.
 */
export interface AggregateState {
  records: number;
  requestsWithUnknownSpend: number;
  tracked: number;
  resolved: number;
  /** in units of 1e-10 USD, like {@link Sums.knownSpendUnits} */
  knownSpendUnits: number;
  firstMs: number;
  lastMs: number;
  unknownReasons: ReasonCounts;
  unresolvedReasons: ReasonCounts;
  skipReasons: ReasonCounts;
  skipped: number;
  groups: GroupsState[];
  /** sums by hour since 1970 */
  timeline: Map<number, Sums>;
  /** the most expensive requests, most expensive first */
  top: TopRequest[];
  /** savings and waste of every record */
  savings?: SavingsSums | undefined;
  /** spends by id and pending hits, to price response-cache hits */
  ledger: ResponseCacheLedger;
}

/**
 * Counts keyed by values read from a log (reasons) live in objects without a prototype, so a
 * reason named `constructor`, `toString` or `__proto__` is a count like any other.
 */
export function emptyCounts(): ReasonCounts {
  return Object.create(null) as ReasonCounts;
}

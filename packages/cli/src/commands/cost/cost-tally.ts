import { type Generation, type SpendGroup, type SpendSummary, summarize } from '@genmeta/core';

/** A failure to show for an id: its error code and a one-line message. */
export interface Unresolved {
  id: string;
  code: string;
  message: string;
}

/** What `genmeta cost` reports: the spend summary and everything that kept it from complete. */
export interface CostTotals {
  summary: SpendSummary;
  unresolved: Unresolved[];
  /** ids never looked up: the batch was interrupted or stopped by a refused key */
  notLookedUp: number;
  /** a signal (Ctrl-C, SIGTERM) cut the batch short */
  interrupted: boolean;
}

/** Counts unresolved ids by error code. */
export function countByCode(unresolved: readonly Unresolved[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of unresolved) counts[item.code] = (counts[item.code] ?? 0) + 1;
  return counts;
}

// Maps, not objects: a model named "__proto__" must not reach Object.prototype.
function addGroups(into: Map<string, SpendGroup>, from: Record<string, SpendGroup>): void {
  for (const [name, group] of Object.entries(from)) {
    let total = into.get(name);
    if (total === undefined) {
      total = { count: 0, spendUsd: 0, unknownCount: 0 };
      into.set(name, total);
    }
    total.count += group.count;
    total.spendUsd += group.spendUsd;
    total.unknownCount += group.unknownCount;
  }
}

/** Sums generations one at a time; see {@link createCostTally}. */
export interface CostTally {
  add(generation: Generation): void;
  /** the sums so far, shaped like core's `summarize()` output */
  summary(): SpendSummary;
}

/**
 * Sums generations one at a time, so `cost` keeps no generation in memory. Each is summarized
 * alone by core's `summarize` (which holds the cost rules) and added in input order, which
 * gives exactly the sums `summarize` over all of them would.
 */
export function createCostTally(): CostTally {
  const totals = summarize([]);
  const byModel = new Map<string, SpendGroup>();
  const byProvider = new Map<string, SpendGroup>();
  return {
    add(generation) {
      const one = summarize([generation]);
      totals.count += one.count;
      totals.totalUsd += one.totalUsd;
      totals.unknownCount += one.unknownCount;
      addGroups(byModel, one.byModel);
      addGroups(byProvider, one.byProvider);
      for (const name of Object.keys(totals.tokens) as (keyof SpendSummary['tokens'])[]) {
        totals.tokens[name] += one.tokens[name];
      }
    },
    summary: () => ({
      ...totals,
      tokens: { ...totals.tokens },
      byModel: Object.fromEntries(byModel),
      byProvider: Object.fromEntries(byProvider),
    }),
  };
}

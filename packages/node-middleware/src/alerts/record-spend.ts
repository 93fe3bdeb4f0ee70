import type { AlertContribution } from '@genmeta/core/engine';
import type { CostRecord } from '../types.js';
import type { GroupSpend } from './rule-context.js';

/** Who a record's spend came from: the request, each generation's model, the user. */
export function contributionsOf(record: CostRecord, userAttribute: string): AlertContribution[] {
  const contributions: AlertContribution[] = [
    { dimension: 'requests', name: record.requestId, amountUsd: record.knownSpendUsd },
  ];
  for (const generation of record.generations) {
    if (generation.spendUsd !== null && generation.spendUsd > 0) {
      contributions.push({
        dimension: 'models',
        name: generation.model,
        amountUsd: generation.spendUsd,
      });
    }
  }
  const user = record.attributes[userAttribute];
  if (user !== undefined) {
    contributions.push({ dimension: 'users', name: String(user), amountUsd: record.knownSpendUsd });
  }
  return contributions;
}

/**
 * The record's known spend per value of `group`: one value for an attribute or `route` (the
 * route pattern, else the path), one per model for `model`. Nothing when the record has no such
 * value or spent nothing known (unknown cost never counts as 0: it is the unknown-spend rule's).
 */
export function groupSpendsOf(
  record: CostRecord,
  group: string,
  contributions: readonly AlertContribution[],
): GroupSpend[] {
  if (group === 'model') {
    const perModel = new Map<string, number>();
    for (const generation of record.generations) {
      if (generation.spendUsd === null || generation.spendUsd <= 0) continue;
      perModel.set(generation.model, (perModel.get(generation.model) ?? 0) + generation.spendUsd);
    }
    return [...perModel].map(([value, amountUsd]) => ({ value, amountUsd, contributions }));
  }
  if (!(record.knownSpendUsd > 0)) return [];
  const value = group === 'route' ? (record.route ?? record.path) : record.attributes[group];
  if (value === undefined) return [];
  return [{ value: String(value), amountUsd: record.knownSpendUsd, contributions }];
}

/** Generations in the record, and those whose cost is unknown. */
export function generationCountsOf(record: CostRecord): { all: number; unknown: number } {
  let unknown = 0;
  for (const generation of record.generations) if (generation.spendUsd === null) unknown += 1;
  for (const entry of record.unresolved) if (entry.inlineSpendUsd === undefined) unknown += 1;
  return { all: record.generations.length + record.unresolved.length, unknown };
}

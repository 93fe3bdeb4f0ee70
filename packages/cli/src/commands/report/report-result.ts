import { sumUnitsToUsd } from '@genmeta/core/rules';
import {
  type AggregateState,
  emptyCounts,
  type GroupsState,
  type Sums,
} from './aggregate-state.js';
import { dimensionLabel } from './arguments.js';
import { hourMs } from './group-keys.js';
import type { Breakdown, ReasonCounts, ReportData, TimelinePoint } from './report-data.js';
import { savingsAndWasteOf } from './savings-waste.js';

/** Up to this span the timeline is by hour, beyond it by day. */
const hourlyUpToMs = 48 * hourMs;
/** Gaps of a longer timeline are not filled (a stray date must not make millions of points). */
const maxFilledPoints = 5000;
const chronological = new Set(['day', 'hour']);

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** A copy without a prototype (a worker's counts arrive as plain objects). */
function copyCounts(counts: ReasonCounts): ReasonCounts {
  return Object.assign(emptyCounts(), counts);
}

function breakdownOf(groups: GroupsState, totalUsd: number): Breakdown {
  const rows = [...groups.sums].map(([key, sums]) => {
    const knownSpendUsd = sumUnitsToUsd(sums.knownSpendUnits);
    return {
      key,
      requests: sums.requests,
      generations: sums.generations,
      knownSpendUsd,
      unknownCount: sums.unknownCount,
      share: totalUsd > 0 ? knownSpendUsd / totalUsd : null,
      ...savingsAndWasteOf(sums),
    };
  });
  if (chronological.has(groups.dimension.kind)) {
    rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  } else {
    rows.sort(
      (a, b) =>
        b.knownSpendUsd - a.knownSpendUsd ||
        b.unknownCount - a.unknownCount ||
        b.requests - a.requests ||
        (a.key < b.key ? -1 : 1),
    );
  }
  return { by: dimensionLabel(groups.dimension), rows, folded: groups.folded };
}

function timelineOf(state: AggregateState): ReportData['timeline'] {
  const hourly = state.lastMs - state.firstMs <= hourlyUpToMs;
  const unit = hourly ? 'hour' : 'day';
  const buckets = new Map<number, Omit<Sums, 'lastRecord' | 'generations'>>();
  for (const [hour, sums] of state.timeline) {
    const bucket = hourly ? hour : Math.floor(hour / 24);
    const target = buckets.get(bucket) ?? { requests: 0, knownSpendUnits: 0, unknownCount: 0 };
    buckets.set(bucket, target);
    target.requests += sums.requests;
    target.knownSpendUnits += sums.knownSpendUnits;
    target.unknownCount += sums.unknownCount;
  }
  const indexes = [...buckets.keys()].sort((a, b) => a - b);
  const first = indexes[0];
  const last = indexes[indexes.length - 1];
  const fill = first !== undefined && last !== undefined && last - first < maxFilledPoints;
  const range = fill
    ? Array.from({ length: last - first + 1 }, (_, offset) => first + offset)
    : indexes;
  const points: TimelinePoint[] = range.map((index) => {
    const sums = buckets.get(index);
    return {
      start: new Date(index * (hourly ? hourMs : 24 * hourMs)).toISOString(),
      requests: sums?.requests ?? 0,
      knownSpendUsd: sumUnitsToUsd(sums?.knownSpendUnits ?? 0),
      unknownCount: sums?.unknownCount ?? 0,
    };
  });
  return { unit, points };
}

/** The report of an aggregate state: totals, sorted breakdowns, top list, timeline. */
export function buildReport(state: AggregateState, inputs: readonly string[]): ReportData {
  const knownSpendUsd = sumUnitsToUsd(state.knownSpendUnits);
  const unresolvedCount = total(state.unresolvedReasons);
  return {
    inputs: [...inputs],
    period:
      state.records === 0
        ? null
        : { from: new Date(state.firstMs).toISOString(), to: new Date(state.lastMs).toISOString() },
    requests: state.records,
    requestsWithUnknownSpend: state.requestsWithUnknownSpend,
    generations: { tracked: state.tracked, resolved: state.resolved, unresolved: unresolvedCount },
    knownSpendUsd,
    unknownSpend: { count: total(state.unknownReasons), reasons: copyCounts(state.unknownReasons) },
    unresolved: { count: unresolvedCount, reasons: copyCounts(state.unresolvedReasons) },
    skippedLines: { count: state.skipped, reasons: copyCounts(state.skipReasons) },
    breakdowns: state.groups.map((groups) => breakdownOf(groups, knownSpendUsd)),
    top: state.top,
    timeline: timelineOf(state),
    ...savingsAndWasteOf(state),
  };
}

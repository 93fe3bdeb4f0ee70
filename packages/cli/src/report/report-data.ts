import type { BudgetResult } from './budgets.js';
import type { Savings, Waste } from './savings-waste.js';

export type { Savings, Waste };

/** Counts by reason, e.g. `{ not_found: 3, spend_unknown: 1 }`. */
export type ReasonCounts = Record<string, number>;

/** One group of a breakdown. */
export interface BreakdownRow {
  /** the group's value: a model, a route, `2026-11-26`, ... (`(none)` when a record has none) */
  key: string;
  /** requests with at least one generation (or the whole request) in the group */
  requests: number;
  /** tracked generations in the group, resolved or not */
  generations: number;
  /** sum of the known spends, USD */
  knownSpendUsd: number;
  /** generations whose spend is unknown: not counted in `knownSpendUsd`, never as 0 */
  unknownCount: number;
  /** `knownSpendUsd` over the total known spend; null when the total is 0 */
  share: number | null;
  /** what prompt and response caching saved in the group */
  savings: Savings;
  /** what the group spent on cancelled and errored generations, and its failed attempts */
  waste: Waste;
}

/** The groups of one `--by` breakdown; every breakdown sums to the report's totals. */
export interface Breakdown {
  by: string;
  rows: BreakdownRow[];
  /** true when distinct values passed the limit and the rest were folded into `(other)` */
  folded: boolean;
}

/** One point of spend over time. */
export interface TimelinePoint {
  /** ISO start of the day or hour, UTC */
  start: string;
  requests: number;
  knownSpendUsd: number;
  unknownCount: number;
}

/** One of the most expensive requests. */
export interface TopRequest {
  requestId: string;
  startedAt: string;
  method: string;
  path: string;
  route: string | null;
  statusCode: number;
  durationMs: number | null;
  generations: number;
  knownSpendUsd: number;
  /** false when some of its spend is unknown: `knownSpendUsd` is then a lower bound */
  spendComplete: boolean;
  models: string[];
}

/** Everything `genmeta report` found, as `--json` prints it and the other formats render it. */
export interface ReportData {
  /** the files read, `-` for stdin */
  inputs: string[];
  /** first and last `startedAt` seen; null without records */
  period: { from: string; to: string } | null;
  requests: number;
  /** requests whose spend is not fully known */
  requestsWithUnknownSpend: number;
  generations: { tracked: number; resolved: number; unresolved: number };
  /** sum of every known spend, USD: a lower bound when `unknownSpend.count` > 0 */
  knownSpendUsd: number;
  /** generations whose spend is unknown, by reason (an unresolved id's reason, or `spend_unknown`) */
  unknownSpend: { count: number; reasons: ReasonCounts };
  /** tracked ids without stats, by reason (those with inline spend have a known spend) */
  unresolved: { count: number; reasons: ReasonCounts };
  /** input lines that were not cost records, by reason */
  skippedLines: { count: number; reasons: ReasonCounts };
  breakdowns: Breakdown[];
  /** the most expensive requests, most expensive first */
  top: TopRequest[];
  /** spend over time, by day or by hour (whichever fits the period), gaps filled with zeros */
  timeline: { unit: 'day' | 'hour'; points: TimelinePoint[] };
  /** `--budget` rules checked against the records (only when asked) */
  budgets?: BudgetResult[];
  /** what prompt caching and response caching saved, over every record */
  savings: Savings;
  /** spend on cancelled and errored generations, and failed attempts, over every record */
  waste: Waste;
}

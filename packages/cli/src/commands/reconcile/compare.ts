import { picoUsdToUsd, usdToPicoUsd } from '@genmeta/core/rules';
import type { BilledSet } from './billed.js';
import type { RecordedSet } from './recorded.js';

/** A billed generation no record has, with what the analytics said of it. */
export interface UntrackedGeneration {
  id: string;
  usd: number;
  model: string | null;
  provider: string | null;
}

/** A generation recorded and billed for different amounts. */
export interface MismatchedGeneration {
  id: string;
  recordedUsd: number;
  billedUsd: number;
  /** billed minus recorded */
  diffUsd: number;
}

/** One completed UTC day: `/activity`'s total beside the sum of the per-generation rows. */
export interface ActivityDay {
  date: string;
  activityUsd: number;
  generationsUsd: number;
}

/** The verdict, with exactly the names `--json` prints. */
export interface ReconcileResult {
  from: string;
  to: string;
  billed: { generations: number; usd: number };
  recorded: { generations: number; usd: number };
  matched: number;
  untracked: UntrackedGeneration[];
  phantom: Array<{ id: string; usd: number | null }>;
  mismatched: MismatchedGeneration[];
  untrackedUsd: number;
  /** billed minus recorded */
  driftUsd: number;
  reconciled: boolean;
}

const abs = (value: bigint): bigint => (value < 0n ? -value : value);

/**
 * Compares like with like (amounts in integer units of 1e-12 USD, so sums never drift with float
 * order):
 * - a recorded generation's spend (core's spendOf: `total_cost`, plus `upstream_inference_cost`
 *   when BYOK) against the billed `total_usage` (credits plus BYOK inference);
 * - its `total_cost` against the billed `credits_usage` (what went to credits), when both are
 *   known, so a BYOK fee billed differently is caught even when the totals agree;
 * - an unresolved record (no stats) is matched by id, and compared on its inline spend when the
 *   record has one; without one it is matched and counted, not compared.
 * Untracked: billed, in no record. Phantom: recorded, not billed. Mismatched: a difference above
 * the tolerance. Reconciled: untracked USD and every mismatch within the tolerance, no phantom.
 */
export function reconcile(
  recorded: RecordedSet,
  billed: BilledSet,
  window: { fromMs: number; toMs: number; toleranceUsd: number },
  describe: (id: string) => { model: string | null; provider: string | null } = () => ({
    model: null,
    provider: null,
  }),
): ReconcileResult {
  const tolerance = usdToPicoUsd(window.toleranceUsd);
  let billedTotal = 0n;
  let recordedTotal = 0n;
  let untrackedTotal = 0n;
  let matched = 0;
  const untracked: Array<{ id: string; units: bigint }> = [];
  const mismatched: Array<{ id: string; recorded: bigint; billed: bigint; diff: bigint }> = [];
  for (const [id, bill] of billed.generations) {
    billedTotal += bill.total;
    const record = recorded.generations.get(id);
    if (record === undefined) {
      untrackedTotal += bill.total;
      untracked.push({ id, units: bill.total });
      continue;
    }
    matched += 1;
    if (record.spend === null) continue;
    const diff = bill.total - record.spend;
    const creditsDiff =
      record.credits !== null && bill.credits !== null ? bill.credits - record.credits : 0n;
    if (abs(diff) > tolerance || abs(creditsDiff) > tolerance) {
      mismatched.push({ id, recorded: record.spend, billed: bill.total, diff });
    }
  }
  const phantom: Array<{ id: string; usd: number | null }> = [];
  for (const [id, record] of recorded.generations) {
    if (record.spend !== null) recordedTotal += record.spend;
    if (!billed.generations.has(id)) {
      phantom.push({ id, usd: record.spend === null ? null : picoUsdToUsd(record.spend) });
    }
  }
  untracked.sort((a, b) =>
    a.units === b.units ? (a.id < b.id ? -1 : 1) : a.units > b.units ? -1 : 1,
  );
  mismatched.sort((a, b) =>
    abs(a.diff) === abs(b.diff) ? (a.id < b.id ? -1 : 1) : abs(a.diff) > abs(b.diff) ? -1 : 1,
  );
  phantom.sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    from: new Date(window.fromMs).toISOString(),
    to: new Date(window.toMs).toISOString(),
    billed: { generations: billed.generations.size, usd: picoUsdToUsd(billedTotal) },
    recorded: { generations: recorded.generations.size, usd: picoUsdToUsd(recordedTotal) },
    matched,
    untracked: untracked.map(({ id, units }) => ({
      id,
      usd: picoUsdToUsd(units),
      ...describe(id),
    })),
    phantom,
    mismatched: mismatched.map(({ id, recorded: recordedUnits, billed: billedUnits, diff }) => ({
      id,
      recordedUsd: picoUsdToUsd(recordedUnits),
      billedUsd: picoUsdToUsd(billedUnits),
      diffUsd: picoUsdToUsd(diff),
    })),
    untrackedUsd: picoUsdToUsd(untrackedTotal),
    driftUsd: picoUsdToUsd(billedTotal - recordedTotal),
    reconciled: untrackedTotal <= tolerance && mismatched.length === 0 && phantom.length === 0,
  };
}

import { usdToPicoUsd } from '@genmeta/core/rules';
import type { ReportRecord, SkipReason } from '../../shared/records/parse-record.js';
import { openFile, readRecords } from '../../shared/records/read-records.js';

/**
 * One recorded generation, reduced to what reconcile compares, in integer units of 1e-12 USD
 * (`null`: not known from the record).
 */
export interface RecordedGeneration {
  /** spend: total_cost, plus upstream_inference_cost when BYOK (core's spendOf rule) */
  spend: bigint | null;
  /** total_cost: what went to credits */
  credits: bigint | null;
  /** true when the record is unresolved (no stats): only the inline spend, if any, is known */
  unresolved: boolean;
}

/** Records read: the generations in the window by id, and what was skipped. */
export interface RecordedSet {
  generations: Map<string, RecordedGeneration>;
  records: number;
  /** generation ids that appeared in more than one record (kept once) */
  duplicates: number;
  /** generations of the records that fall outside the window */
  outsideWindow: number;
  skipped: { count: number; reasons: Partial<Record<SkipReason, number>> };
}

const units = (usd: number | null | undefined): bigint | null =>
  usd === null || usd === undefined ? null : usdToPicoUsd(usd);

/** Collects the records' generations created in [fromMs, toMs). */
export class RecordedCollector {
  readonly set: RecordedSet = {
    generations: new Map(),
    records: 0,
    duplicates: 0,
    outsideWindow: 0,
    skipped: { count: 0, reasons: {} },
  };

  constructor(
    private readonly fromMs: number,
    private readonly toMs: number,
  ) {}

  #keep(id: string | null, at: number, generation: RecordedGeneration): void {
    if (id === null) return;
    if (!(at >= this.fromMs && at < this.toMs)) {
      this.set.outsideWindow += 1;
      return;
    }
    if (this.set.generations.has(id)) {
      this.set.duplicates += 1;
      return;
    }
    this.set.generations.set(id, generation);
  }

  add(record: ReportRecord): void {
    this.set.records += 1;
    for (const generation of record.generations) {
      // A record without created_at is placed at its request's start.
      const createdAtMs =
        generation.createdAt === null ? Number.NaN : Date.parse(generation.createdAt);
      const at = Number.isNaN(createdAtMs) ? record.startedAtMs : createdAtMs;
      this.#keep(generation.id, at, {
        spend: units(generation.spendUsd),
        credits: units(generation.totalCostUsd),
        unresolved: false,
      });
    }
    for (const unresolved of record.unresolved) {
      this.#keep(unresolved.id, record.startedAtMs, {
        spend: units(unresolved.inlineSpendUsd),
        credits: null,
        unresolved: true,
      });
    }
  }

  skip(reason: SkipReason): void {
    const { skipped } = this.set;
    skipped.count += 1;
    skipped.reasons[reason] = (skipped.reasons[reason] ?? 0) + 1;
  }
}

/** Reads every source (a path, or `-` for `stdin`) with the reader `genmeta report` uses. */
export async function readRecorded(
  sources: readonly string[],
  open: {
    stdin: AsyncIterable<string | Uint8Array> | undefined;
    resolvePath: (path: string) => string;
  },
  window: { fromMs: number; toMs: number },
  signal?: AbortSignal,
): Promise<RecordedSet> {
  const collector = new RecordedCollector(window.fromMs, window.toMs);
  for (const source of sources) {
    if (source !== '-') await readRecords(openFile(open.resolvePath(source)), collector, signal);
    else if (open.stdin !== undefined) await readRecords(open.stdin, collector, signal);
  }
  return collector.set;
}

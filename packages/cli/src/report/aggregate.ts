import { type Dimension, dimensionLabel } from './arguments';
import type { ReportRecord, SkipReason } from './parse-record';
import type { Breakdown, ReasonCounts, ReportData, TimelinePoint, TopRequest } from './report-data';
import { TopHeap } from './top-heap';

/** Distinct values one breakdown keeps; later new values are summed as `(other)`. */
export const maxGroups = 10_000;
/** A group's value is cut to this many characters (a log value must not grow memory). */
const maxKeyLength = 200;
const hourMs = 3_600_000;
/** Up to this span the timeline is by hour, beyond it by day. */
const hourlyUpToMs = 48 * hourMs;
/** Gaps of a longer timeline are not filled (a stray date must not make millions of points). */
const maxFilledPoints = 5000;

/** The reason given for a resolved generation whose spend OpenRouter did not report. */
export const spendUnknownReason = 'spend_unknown';
const unresolvedKey = '(unresolved)';
const noneKey = '(none)';
const otherKey = '(other)';

interface Sums {
  requests: number;
  generations: number;
  knownSpendUsd: number;
  unknownCount: number;
  /** sequence number of the last record counted in `requests`, so each counts once */
  lastRecord: number;
}

function newSums(): Sums {
  return { requests: 0, generations: 0, knownSpendUsd: 0, unknownCount: 0, lastRecord: -1 };
}

/** Rounds float sums to a tenth of a nano-dollar, so `0.1 + 0.2` prints as 0.3. */
export function roundUsd(amount: number): number {
  return Math.round(amount * 1e10) / 1e10;
}

function cut(key: string): string {
  return key.length > maxKeyLength ? `${key.slice(0, maxKeyLength - 1)}…` : key;
}

function increment(counts: ReasonCounts, reason: string): void {
  counts[reason] = (counts[reason] ?? 0) + 1;
}

class Groups {
  readonly sums = new Map<string, Sums>();
  folded = false;

  constructor(readonly dimension: Dimension) {}

  at(rawKey: string): Sums {
    const key = cut(rawKey);
    let sums = this.sums.get(key);
    if (sums === undefined) {
      const target = this.sums.size < maxGroups ? key : otherKey;
      if (target === otherKey) this.folded = true;
      sums = this.sums.get(target) ?? newSums();
      this.sums.set(target, sums);
    }
    return sums;
  }
}

const generationDimensions = new Set(['model', 'provider', 'finish_reason', 'user', 'session']);

// Logs are mostly in time order: remembering the last hour's keys saves a Date per record.
let cachedHour = Number.NaN;
let cachedDay = '';
let cachedHourKey = '';

function timeKeys(hour: number): void {
  if (hour === cachedHour) return;
  const iso = new Date(hour * hourMs).toISOString();
  cachedHour = hour;
  cachedDay = iso.slice(0, 10);
  cachedHourKey = `${iso.slice(0, 13)}:00Z`;
}

function dayKey(hour: number): string {
  timeKeys(hour);
  return cachedDay;
}

function hourKey(hour: number): string {
  timeKeys(hour);
  return cachedHourKey;
}

function requestKey(dimension: Dimension, record: ReportRecord, hour: number): string {
  switch (dimension.kind) {
    case 'route':
      return record.route ?? '(no route)';
    case 'path':
      return record.path;
    case 'status':
      return String(record.statusCode);
    case 'day':
      return dayKey(hour);
    case 'hour':
      return hourKey(hour);
    case 'attribute': {
      const value = record.attributes?.[dimension.name];
      return value === undefined ? noneKey : String(value);
    }
    default:
      return noneKey;
  }
}

function generationKey(dimension: Dimension, generation: ReportRecord['generations'][number]) {
  switch (dimension.kind) {
    case 'model':
      return generation.model;
    case 'provider':
      return generation.provider ?? '(unknown)';
    case 'finish_reason':
      return generation.finishReason ?? noneKey;
    case 'user':
      return generation.user ?? noneKey;
    case 'session':
      return generation.session ?? noneKey;
    default:
      return noneKey;
  }
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
  private readonly groups: Groups[];
  private readonly timeline = new Map<number, Sums>();
  private readonly top: TopHeap<TopRequest>;
  private records = 0;
  private requestsWithUnknownSpend = 0;
  private tracked = 0;
  private resolved = 0;
  private knownSpendUsd = 0;
  private firstMs = Number.POSITIVE_INFINITY;
  private lastMs = Number.NEGATIVE_INFINITY;
  private readonly unknownReasons: ReasonCounts = {};
  private readonly unresolvedReasons: ReasonCounts = {};
  private readonly skipReasons: ReasonCounts = {};
  private skipped = 0;

  constructor(dimensions: readonly Dimension[], topCount: number) {
    this.groups = dimensions.map((dimension) => new Groups(dimension));
    this.top = new TopHeap(topCount, compareTop);
  }

  skip(reason: SkipReason): void {
    this.skipped += 1;
    increment(this.skipReasons, reason);
  }

  add(record: ReportRecord): void {
    const sequence = this.records;
    this.records += 1;
    const hour = Math.floor(record.startedAtMs / hourMs);
    if (record.startedAtMs < this.firstMs) this.firstMs = record.startedAtMs;
    if (record.startedAtMs > this.lastMs) this.lastMs = record.startedAtMs;

    let known = 0;
    let unknown = 0;
    for (const generation of record.generations) {
      if (generation.spendUsd === null) {
        unknown += 1;
        increment(this.unknownReasons, spendUnknownReason);
      } else known += generation.spendUsd;
    }
    for (const item of record.unresolved) {
      increment(this.unresolvedReasons, item.reason);
      if (item.inlineSpendUsd === undefined) {
        unknown += 1;
        increment(this.unknownReasons, item.reason);
      } else known += item.inlineSpendUsd;
    }
    const tracked = record.generations.length + record.unresolved.length;
    this.tracked += tracked;
    this.resolved += record.generations.length;
    this.knownSpendUsd += known;
    if (unknown > 0) this.requestsWithUnknownSpend += 1;

    const point = this.timeline.get(hour) ?? newSums();
    this.timeline.set(hour, point);
    point.requests += 1;
    point.generations += tracked;
    point.knownSpendUsd += known;
    point.unknownCount += unknown;

    for (const groups of this.groups) {
      if (generationDimensions.has(groups.dimension.kind)) {
        for (const generation of record.generations) {
          const sums = groups.at(generationKey(groups.dimension, generation));
          this.countRequest(sums, sequence);
          sums.generations += 1;
          if (generation.spendUsd === null) sums.unknownCount += 1;
          else sums.knownSpendUsd += generation.spendUsd;
        }
        for (const item of record.unresolved) {
          const sums = groups.at(unresolvedKey);
          this.countRequest(sums, sequence);
          sums.generations += 1;
          if (item.inlineSpendUsd === undefined) sums.unknownCount += 1;
          else sums.knownSpendUsd += item.inlineSpendUsd;
        }
      } else {
        const sums = groups.at(requestKey(groups.dimension, record, hour));
        this.countRequest(sums, sequence);
        sums.generations += tracked;
        sums.knownSpendUsd += known;
        sums.unknownCount += unknown;
      }
    }

    const candidate = {
      knownSpendUsd: roundUsd(known),
      spendComplete: unknown === 0,
      startedAt: record.startedAt,
      requestId: record.requestId,
    } as TopRequest;
    if (this.top.wouldKeep(candidate)) {
      this.top.add({
        requestId: record.requestId,
        startedAt: record.startedAt,
        method: record.method,
        path: record.path,
        route: record.route,
        statusCode: record.statusCode,
        durationMs: record.durationMs,
        generations: tracked,
        knownSpendUsd: roundUsd(known),
        spendComplete: unknown === 0,
        models: [...new Set(record.generations.map((generation) => generation.model))],
      });
    }
  }

  private countRequest(sums: Sums, sequence: number): void {
    if (sums.lastRecord === sequence) return;
    sums.lastRecord = sequence;
    sums.requests += 1;
  }

  /** The report so far. */
  result(inputs: readonly string[]): ReportData {
    const total = roundUsd(this.knownSpendUsd);
    const unknownCount = Object.values(this.unknownReasons).reduce((sum, n) => sum + n, 0);
    const unresolvedCount = Object.values(this.unresolvedReasons).reduce((sum, n) => sum + n, 0);
    return {
      inputs: [...inputs],
      period:
        this.records === 0
          ? null
          : {
              from: new Date(this.firstMs).toISOString(),
              to: new Date(this.lastMs).toISOString(),
            },
      requests: this.records,
      requestsWithUnknownSpend: this.requestsWithUnknownSpend,
      generations: {
        tracked: this.tracked,
        resolved: this.resolved,
        unresolved: unresolvedCount,
      },
      knownSpendUsd: total,
      unknownSpend: { count: unknownCount, reasons: { ...this.unknownReasons } },
      unresolved: { count: unresolvedCount, reasons: { ...this.unresolvedReasons } },
      skippedLines: { count: this.skipped, reasons: { ...this.skipReasons } },
      breakdowns: this.groups.map((groups) => breakdownOf(groups, total)),
      top: this.top.sorted(),
      timeline: this.timelineResult(),
    };
  }

  private timelineResult(): ReportData['timeline'] {
    const hourly = this.lastMs - this.firstMs <= hourlyUpToMs;
    const unit = hourly ? 'hour' : 'day';
    const buckets = new Map<number, Sums>();
    for (const [hour, sums] of this.timeline) {
      const bucket = hourly ? hour : Math.floor(hour / 24);
      const target = buckets.get(bucket) ?? newSums();
      buckets.set(bucket, target);
      target.requests += sums.requests;
      target.knownSpendUsd += sums.knownSpendUsd;
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
      const startMs = index * (hourly ? hourMs : 24 * hourMs);
      return {
        start: new Date(startMs).toISOString(),
        requests: sums?.requests ?? 0,
        knownSpendUsd: roundUsd(sums?.knownSpendUsd ?? 0),
        unknownCount: sums?.unknownCount ?? 0,
      };
    });
    return { unit, points };
  }
}

const chronological = new Set(['day', 'hour']);

function breakdownOf(groups: Groups, total: number): Breakdown {
  const rows = [...groups.sums].map(([key, sums]) => {
    const knownSpendUsd = roundUsd(sums.knownSpendUsd);
    return {
      key,
      requests: sums.requests,
      generations: sums.generations,
      knownSpendUsd,
      unknownCount: sums.unknownCount,
      share: total > 0 ? knownSpendUsd / total : null,
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

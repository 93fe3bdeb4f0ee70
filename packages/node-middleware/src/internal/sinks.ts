import type { CostLoggerLogger, CostRecord, RecordMeta, RecordSink } from '../types.js';
import { unrefTimer } from './platform.js';
import type { Reporter } from './report.js';
import { createStdoutSink } from './stdout-sink.js';

/** The sinks of one costLogger, in call order. */
export interface Sinks {
  readonly list: readonly RecordSink[];
  /** Writes what the stdout sink buffered (when it is the sink). */
  drain(): void;
}

/** `logger.info` first, then `onRecord`; one JSON line on stdout when neither is given. */
export function createSinks(
  logger: CostLoggerLogger | undefined,
  message: string,
  onRecord: RecordSink | readonly RecordSink[] | undefined,
): Sinks {
  const list: RecordSink[] =
    onRecord === undefined ? [] : typeof onRecord === 'function' ? [onRecord] : [...onRecord];
  if (logger) list.unshift((record) => logger.info(record, message));
  if (list.length > 0) return { list, drain: () => undefined };
  const stdout = createStdoutSink();
  return { list: [stdout.sink], drain: stdout.drain };
}

/**
 * Calls every sink with the record; returns the promises of those that returned one (each
 * already contained: it never rejects), or undefined when all were synchronous.
 */
export function callSinks(
  sinks: readonly RecordSink[],
  record: CostRecord,
  meta: RecordMeta,
  failed: (index: number, error: unknown) => void,
): Array<Promise<void>> | undefined {
  let waiting: Array<Promise<void>> | undefined;
  for (let index = 0; index < sinks.length; index += 1) {
    try {
      const result = sinks[index]!(record, meta);
      if (result !== undefined && typeof result.then === 'function') {
        waiting ??= [];
        waiting.push(result.then(undefined, (error: unknown) => failed(index, error)));
      }
    } catch (error) {
      failed(index, error);
    }
  }
  return waiting;
}

/**
 * Counts dropped things and reports the count through the logger a second after the first drop
 * (and at each flush): never silently, never one warning per drop. `total` counts them all.
 */
function createCountReporter(warn: (count: number) => void) {
  let unreported = 0;
  let total = 0;
  let scheduled = false;
  const flushCount = (): void => {
    scheduled = false;
    if (unreported === 0) return;
    const count = unreported;
    unreported = 0;
    warn(count);
  };
  return {
    count(amount = 1): void {
      unreported += amount;
      total += amount;
      if (!scheduled) {
        scheduled = true;
        unrefTimer(setTimeout(flushCount, 1_000));
      }
    },
    report: flushCount,
    get total(): number {
      return total;
    },
  };
}

/** Records dropped because the sinks did not keep up. */
export function createDropCounter(report: Reporter, maxPending: number) {
  return createCountReporter((count) =>
    report.always(
      { dropped: count, maxPending },
      'genmeta: cost records dropped: the sinks did not keep up (maxPending records waiting for them)',
    ),
  );
}

/** Lookups not made because `maxPending` records were already waiting for theirs. */
export function createLookupDropCounter(report: Reporter, maxPending: number) {
  return createCountReporter((count) =>
    report.always(
      { lookupsDropped: count, maxPending },
      'genmeta: generation lookups dropped under load: their records list them unresolved (overloaded); raise maxPending or concurrency, or use lookup: "missing"',
    ),
  );
}

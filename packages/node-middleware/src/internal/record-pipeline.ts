import type { Generation, GenmetaClient, GetGenerationOptions } from '@genmeta/core';
import type { LookupQueue } from '@genmeta/core/engine';
import type { CostLoggerStats, LookupMode } from '../cost-logger-types.js';
import type { CostRecordUnresolvedFetch, RecordSink, UnresolvedReason } from '../types.js';
import type { Abandon } from './abandon.js';
import { notifyEmitted, type RequestContext, requestStorage, sealContext } from './context.js';
import { createFlushEpochs } from './flush-epochs.js';
import { planLookups } from './lookup-plan.js';
import { afterThisTurn } from './platform.js';
import { type LookupOutcome, outcomeOfError, type RequestFacts } from './record.js';
import { recordOfRequest } from './record-of-request.js';
import type { Reporter } from './report.js';
import { callSinks, createDropCounter, createLookupDropCounter } from './sinks.js';
import { bound } from './timing.js';
import { waitForFetches } from './wait-for-fetches.js';

/**
 * A record's life, advanced in one place ({@link RecordPipeline}'s `advance`):
 * `awaiting-fetches` (tracked fetches of the request still running: waited for, bounded) →
 * `queued` (batched once per event-loop turn, admitted or not against `maxPending`) →
 * `looking-up` (its ids on the lookup queue) → `emitting` (sinks called and waited for,
 * bounded) → `done`.
 */
export type RecordState = 'awaiting-fetches' | 'queued' | 'looking-up' | 'emitting' | 'done';

interface PipelineRecord {
  state: RecordState;
  readonly context: RequestContext;
  readonly facts: RequestFacts;
  /** set when the ids are not looked up (`closed`, `overloaded`) */
  reason: UnresolvedReason | undefined;
  /** one per id, in the order of `context.ids` */
  readonly outcomes: LookupOutcome[];
  lookupsLeft: number;
  unresolvedFetches: CostRecordUnresolvedFetch[] | undefined;
  /** admitted: counts toward `maxPending` until done */
  held: boolean;
  /**
   * Set for a record finished under the host's `waitUntil`: it lives in its own request's
   * context from start to end (no batch, no shared queue, sinks drained before it is done), as
   * workerd requires, and this is called once it is done.
   */
  readonly onDone: (() => void) | undefined;
  /** the flush epoch it finished in: `settled` waits for the epochs before its call */
  readonly epoch: number;
}

/** What lookups need of a client. */
export type LookupClient = Pick<GenmetaClient, 'getGeneration'>;

export interface PipelineOptions {
  readonly sinks: readonly RecordSink[];
  /** The shared, bounded lookup queue (made on first use). */
  readonly lookups: () => LookupQueue;
  /** Looks one id up at once, for a record that lives in its own request's context. */
  readonly lookupNow: LookupClient['getGeneration'];
  /** Writes what the sinks buffered (the stdout sink), before a `waitUntil` record is done. */
  readonly drainSinks: () => void;
  /** A synchronous look into the client's cache, when it has one: hits need no lookup. */
  readonly peek: ((id: string) => Generation | undefined) | undefined;
  readonly lookupOptions: Omit<GetGenerationOptions, 'signal'>;
  readonly maxPending: number;
  readonly emitEmpty: boolean;
  readonly inflightWaitMs: number;
  readonly sinkTimeoutMs: number;
  /** thrown when `close` runs out of time: nothing is waited for any more */
  readonly abandon: Abandon;
  readonly report: Reporter;
  /** costLogger's `lookup` option */
  readonly lookupMode: LookupMode;
}

export interface RecordPipeline {
  /**
   * The response of this context is over: its record starts its life. With `onDone`, the
   * record is finished within the current request (see `PipelineRecord.onDone`).
   */
  finish(context: RequestContext, facts: RequestFacts, onDone?: () => void): void;
  /**
   * Resolves once the records of requests finished before the call are done, whatever
   * finishes later (steady traffic does not hold it).
   */
  settled(): Promise<void>;
  /** Later records are not looked up (`closed`). */
  close(): void;
  /** Records of finished requests not done yet (every state). */
  readonly recordsInFlight: number;
  /** Reports the records and lookups dropped since the last report (never silently). */
  reportDropped(): void;
  /** Counts since creation. */
  readonly stats: CostLoggerStats;
}

export function createRecordPipeline(options: PipelineOptions): RecordPipeline {
  const { sinks, lookupOptions, maxPending, report, abandon, lookupMode } = options;
  const counts = { lookups: 0, inline: 0 };
  const droppedLookups = createLookupDropCounter(report, maxPending);
  let closed = false;
  let recordsInFlight = 0;
  /** admitted records: looking up or waiting for sinks */
  let recordsHeld = 0;
  let recordsAwaitingSinks = 0;
  const dropped = createDropCounter(report, maxPending);
  let queued: PipelineRecord[] = [];
  let drainScheduled = false;
  const flushEpochs = createFlushEpochs();

  function sinkFailed(index: number, error: unknown): void {
    report(`sink:${index}`, 'genmeta: a cost record sink failed (reported once)', error);
  }

  /** Nothing thrown here may reach the app, nor leave a record in flight for ever. */
  function failed(record: PipelineRecord, error: unknown): void {
    report('pipeline', 'genmeta: a cost record failed', error);
    if (record.state === 'done') return;
    record.state = 'done';
    advance(record);
  }

  function drainQueued(): void {
    drainScheduled = false;
    const batch = queued;
    queued = [];
    for (const record of batch) {
      try {
        advance(record);
      } catch (error) {
        failed(record, error);
      }
    }
  }

  function scheduleDrain(): void {
    afterThisTurn(drainQueued);
  }

  function enqueue(record: PipelineRecord): void {
    record.state = 'queued';
    if (record.onDone !== undefined) {
      // batching would start this record's lookups in another request's context
      advance(record);
      return;
    }
    queued.push(record);
    if (!drainScheduled) {
      drainScheduled = true;
      // Lookups belong to no request: the drain runs outside any request's context.
      requestStorage.run(undefined, scheduleDrain);
    }
  }

  function lookedUp(record: PipelineRecord, index: number, outcome: LookupOutcome): void {
    record.outcomes[index] = outcome;
    record.lookupsLeft -= 1;
    if (record.lookupsLeft === 0) {
      record.state = 'emitting';
      advance(record);
    }
  }

  /** Looks up the ids at `toLookUp` (all of them when undefined). */
  function startLookups(record: PipelineRecord, toLookUp: readonly number[] | undefined): void {
    const { ids } = record.context;
    const { peek } = options;
    const count = toLookUp === undefined ? ids.length : toLookUp.length;
    record.lookupsLeft = count;
    // built on the first cache miss only: a cached id costs no options object
    let perLookup: GetGenerationOptions | undefined;
    for (let position = 0; position < count; position += 1) {
      const index = toLookUp === undefined ? position : toLookUp[position]!;
      const id = ids[index]!;
      const cached = peek?.(id);
      if (cached !== undefined) {
        lookedUp(record, index, { id, ok: true, generation: cached });
        continue;
      }
      counts.lookups += 1;
      // Every completion of the request ended by the time its response did: the client's
      // not-ready schedule counts from then, so the first request is not spent on stats that
      // cannot be ready.
      perLookup ??= {
        ...lookupOptions,
        finishedAt: record.facts.startedAt + record.facts.durationMs,
      };
      const lookup =
        record.onDone === undefined
          ? options.lookups().add(id, perLookup)
          : options.lookupNow(id, perLookup);
      lookup
        .then(
          (generation: Generation) => lookedUp(record, index, { id, ok: true, generation }),
          (error: unknown) => {
            const outcome = outcomeOfError(id, error, abandon.aborted);
            if (outcome.reason === 'internal_error') {
              report('lookup', 'genmeta: a generation lookup failed unexpectedly', error);
            }
            lookedUp(record, index, outcome);
          },
        )
        .catch((error: unknown) => failed(record, error));
    }
  }

  function emit(record: PipelineRecord): void {
    // (one record may always wait for the sinks, even with `maxPending: 0`)
    if (recordsAwaitingSinks >= Math.max(1, maxPending)) {
      dropped.count();
      record.state = 'done';
      advance(record);
      return;
    }
    let waiting: Array<Promise<void>> | undefined;
    try {
      const { context } = record;
      const { built, meta } = recordOfRequest(
        context,
        record.facts,
        record.outcomes,
        record.unresolvedFetches,
      );
      if (context.spendObservers !== undefined) notifyEmitted(context, built);
      waiting = callSinks(sinks, built, meta, sinkFailed);
    } catch (error) {
      report('record', 'genmeta: a cost record failed', error);
    }
    if (waiting === undefined || abandon.aborted) {
      record.state = 'done';
      advance(record);
      return;
    }
    recordsAwaitingSinks += 1;
    const timeout = bound(options.sinkTimeoutMs, abandon);
    let timedOut = false;
    const sinksSettled = Promise.all(waiting);
    Promise.race([sinksSettled, timeout.ended.then(() => (timedOut = true))]).then(() => {
      timeout.clear();
      if (timedOut) {
        report(
          'sink-timeout',
          `genmeta: a cost record sink did not settle within sinkTimeoutMs (${options.sinkTimeoutMs} ms); it is no longer waited for (reported once)`,
        );
      }
      recordsAwaitingSinks -= 1;
      record.state = 'done';
      advance(record);
    });
  }

  /** The one place a record moves from one state to the next. */
  function advance(record: PipelineRecord): void {
    switch (record.state) {
      case 'awaiting-fetches':
        if ((record.context.fetchesInFlight?.size ?? 0) === 0) {
          sealContext(record.context); // the common case, without a promise
          enqueue(record);
          return;
        }
        waitForFetches(
          record.context,
          Date.now() + options.inflightWaitMs,
          abandon,
          (unresolvedFetches) => {
            record.unresolvedFetches = unresolvedFetches;
            sealContext(record.context);
            enqueue(record);
          },
        ).catch((error: unknown) => failed(record, error));
        return;
      case 'queued': {
        const { ids } = record.context;
        if (
          ids.length === 0 &&
          !options.emitEmpty &&
          record.unresolvedFetches === undefined &&
          record.context.endedUnresolved === undefined
        ) {
          // its fetches ended without an id: nothing to record
          record.state = 'done';
          advance(record);
          return;
        }
        const toLookUp = planLookups(record.context, record.outcomes, lookupMode, counts);
        const lookupCount = toLookUp === undefined ? ids.length : toLookUp.length;
        if (closed) record.reason = 'closed';
        else if (lookupCount > 0 && recordsHeld >= maxPending) {
          record.reason = 'overloaded';
          droppedLookups.count(lookupCount);
        }
        if (record.reason !== undefined || lookupCount === 0) {
          const reason = record.reason ?? 'closed';
          for (const index of toLookUp ?? ids.keys()) {
            record.outcomes[index] = { id: ids[index]!, ok: false, reason };
          }
          record.state = 'emitting';
          advance(record);
          return;
        }
        record.held = true;
        recordsHeld += 1;
        record.state = 'looking-up';
        startLookups(record, toLookUp);
        return;
      }
      case 'looking-up':
        return;
      case 'emitting':
        emit(record);
        return;
      case 'done': {
        if (record.held) recordsHeld -= 1;
        recordsInFlight -= 1;
        if (record.onDone !== undefined) {
          try {
            options.drainSinks();
          } catch (error) {
            report('sink:stdout', 'genmeta: writing a cost record to stdout failed', error);
          }
          record.onDone();
        }
        flushEpochs.done(record.epoch);
        return;
      }
    }
  }

  return {
    finish(context, facts, onDone) {
      recordsInFlight += 1;
      advance({
        epoch: flushEpochs.started(),
        state: 'awaiting-fetches',
        context,
        facts,
        reason: undefined,
        outcomes: [],
        lookupsLeft: 0,
        unresolvedFetches: undefined,
        held: false,
        onDone,
      });
    },
    settled: flushEpochs.settled,
    close() {
      closed = true;
    },
    get recordsInFlight() {
      return recordsInFlight;
    },
    reportDropped() {
      dropped.report();
      droppedLookups.report();
    },
    get stats(): CostLoggerStats {
      return {
        lookups: counts.lookups,
        inline: counts.inline,
        lookupsDropped: droppedLookups.total,
        recordsDropped: dropped.total,
      };
    },
  };
}

import type { Generation, GetGenerationOptions } from '@genmeta/core';
import { afterThisTurn } from '../hosts/platform.js';
import { bound } from '../hosts/timing.js';
import type { CostLoggerStats } from '../logger/types.js';
import { waitForFetches } from '../tracking/wait-for-fetches.js';
import { notifyEmitted, requestStorage, sealContext } from './context.js';
import { createFlushEpochs } from './flush-epochs.js';
import { planLookups } from './lookup-plan.js';
import type { PipelineOptions, PipelineRecord, RecordPipeline } from './pipeline-types.js';
import { type LookupOutcome, outcomeOfError } from './record.js';
import { recordOfRequest } from './record-of-request.js';
import { callSinks, createDropCounter, createLookupDropCounter } from './sinks.js';
import { isFinal, moveTo, type RequestState } from './states.js';

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
    if (isFinal(record.context)) return;
    moveOn(record, 'done');
  }

  /** Moves a record to its next state (checked by `moveTo`), then takes the step it starts. */
  function moveOn(record: PipelineRecord, next: RequestState): void {
    moveTo(record.context, next);
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

  /** A sealed record waits for the next drain (one batch per event-loop turn). */
  function enqueue(record: PipelineRecord): void {
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
    if (record.lookupsLeft === 0) moveOn(record, 'emitting');
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
      moveOn(record, 'done');
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
      moveOn(record, 'done');
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
      moveOn(record, 'done');
    });
  }

  /** The step each state starts: the one place a record's life goes on. */
  function advance(record: PipelineRecord): void {
    switch (record.context.state) {
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
      case 'sealed': {
        const { ids } = record.context;
        if (
          ids.length === 0 &&
          !options.emitEmpty &&
          record.unresolvedFetches === undefined &&
          record.context.endedUnresolved === undefined
        ) {
          // its fetches ended without an id: nothing to record
          moveOn(record, 'done');
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
          moveOn(record, 'emitting');
          return;
        }
        record.held = true;
        recordsHeld += 1;
        moveTo(record.context, 'looking-up');
        startLookups(record, toLookUp);
        return;
      }
      case 'looking-up':
        return;
      case 'emitting':
        emit(record);
        return;
      case 'open':
      case 'dropped':
        return; // not the pipeline's (a request without a record)
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
      moveTo(context, 'awaiting-fetches');
      recordsInFlight += 1;
      advance({
        epoch: flushEpochs.started(),
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

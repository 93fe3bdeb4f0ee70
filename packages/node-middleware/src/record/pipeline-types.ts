import type { Generation, GenmetaClient, GetGenerationOptions } from '@genmeta/core';
import type { LookupQueue } from '@genmeta/core/server';
import type { Abandon } from '../logger/abandon.js';
import type { Reporter } from '../logger/report.js';
import type { CostLoggerStats, LookupMode } from '../logger/types.js';
import type { RequestContext } from './context.js';
import type { LookupOutcome, RequestFacts } from './record.js';
import type { CostRecordUnresolvedFetch, RecordSink, UnresolvedReason } from './types.js';

// The record pipeline's options, surface and records (pipeline.ts).

/**
 * A finished request's record on its way out. Its state is its context's (states.ts): from
 * `awaiting-fetches` to `done`, each step taken in {@link RecordPipeline}'s `advance`.
 */
export interface PipelineRecord {
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

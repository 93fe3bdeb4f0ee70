import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ClientOptions,
  createClient,
  type Generation,
  type GenmetaClient,
} from '@genmeta/core';
import {
  createRequestContext,
  type RequestContext,
  requestStorage,
  trackInContext,
} from './internal/context.js';
import { activeOtelContext, recordParentContexts } from './internal/otel-context.js';
import {
  buildRecord,
  type LookupOutcome,
  outcomeOfError,
  type RequestFacts,
} from './internal/record.js';
import { createReporter } from './internal/report.js';
import { createStdoutSink } from './internal/stdout-sink.js';
import type {
  CostLoggerLogger,
  GenmetaLocals,
  InlineUsage,
  RecordSink,
  UnresolvedReason,
} from './types.js';

/** Options of {@link costLogger}. */
export interface CostLoggerOptions {
  /**
   * The `@genmeta/core` client used for lookups (share one to share its cache).
   * @default createClient(clientOptions)
   */
  client?: GenmetaClient;
  /**
   * Options for the client created when `client` is not given.
   * @default {} (key from OPENROUTER_API_KEY, base URL from OPENROUTER_BASE_URL)
   */
  clientOptions?: ClientOptions;
  /**
   * pino-like logger: each record goes to `logger.info(record, message)`; sink and lookup
   * problems are reported once through `logger.warn`.
   * @default undefined
   */
  logger?: CostLoggerLogger;
  /**
   * Message passed with each record to `logger.info`.
   * @default 'genmeta cost'
   */
  message?: string;
  /**
   * Called with each record (async allowed; failures are contained and reported once). Pass an
   * array for several sinks, e.g. `[otelSink(), saveToDatabase]`.
   * @default undefined (when neither `logger` nor `onRecord` is set: one JSON line per record on stdout)
   */
  onRecord?: RecordSink | readonly RecordSink[];
  /**
   * Requests for which it returns true are passed through untouched (no context, no record).
   * @default undefined
   */
  skip?: (request: IncomingMessage) => boolean;
  /**
   * Produces the request id. The default takes an incoming `x-request-id` when it is 1 to 128
   * printable ASCII characters, else a random UUID. The id is echoed as `x-request-id`.
   * @default incoming x-request-id or crypto.randomUUID()
   */
  requestId?: (request: IncomingMessage) => string;
  /**
   * Emit a record for requests that tracked no generation id too.
   * @default false
   */
  emitEmpty?: boolean;
  /**
   * Lookups running at once in the background. A lookup lasts as long as OpenRouter takes to
   * answer plus the second or more it may wait for stats that are not ready yet (a waiting lookup
   * holds its slot but uses no CPU), so this bounds the lookup rate: 32 lookups of 1 s each are
   * 32 per second. Raise it for busier apps.
   * @default 32
   */
  concurrency?: number;
  /**
   * Records waiting for their lookups at most. Past it, a finishing request's record is
   * emitted at once with its ids unresolved (`overloaded`): memory stays flat, nothing is dropped.
   * @default 1000
   */
  maxPending?: number;
  /**
   * Deadline of one id's lookup, not-ready waiting and retries included.
   * @default the client's deadline (30 s in @genmeta/core)
   */
  deadlineMs?: number;
  /**
   * Install SIGTERM and SIGINT handlers that close the logger (flushing pending records, at
   * most `shutdownTimeoutMs`) and then re-raise the signal when no other handler is left, so
   * the process ends the way it would have.
   * @default false
   */
  handleSignals?: boolean;
  /**
   * Longest wait for pending lookups on a signal; then they are abandoned and their records
   * emitted with reason `closed`.
   * @default 10_000
   */
  shutdownTimeoutMs?: number;
}

/** Options of {@link CostLogger.close}. */
export interface CloseOptions {
  /**
   * Longest wait for pending lookups; then they are abandoned and their records emitted with
   * reason `closed`.
   * @default undefined (wait for every lookup; each is bounded by its deadline)
   */
  timeoutMs?: number;
}

/** The middleware returned by {@link costLogger}. */
export interface CostLogger {
  /** Express 4/5 or connect middleware, or a node:http `(request, response, next?)` step. */
  (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void;
  /** Resolves once every record of a finished request has been emitted (sinks settled). */
  flush(): Promise<void>;
  /**
   * Flushes, then stops: later requests are passed through with their context but no lookup;
   * their records list the ids unresolved with reason `closed`. Removes signal handlers.
   */
  close(options?: CloseOptions): Promise<void>;
  /** Records waiting for lookups or sinks right now. */
  readonly pending: number;
}

interface ExpressLikeRequest {
  originalUrl?: unknown;
  baseUrl?: unknown;
  route?: { path?: unknown } | undefined;
}

interface ResponseWithLocals {
  locals?: Record<string, unknown>;
}

const REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

function defaultRequestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming)
    ? incoming
    : randomUUID();
}

function pathOf(request: IncomingMessage): string {
  const { originalUrl } = request as ExpressLikeRequest;
  const url = typeof originalUrl === 'string' ? originalUrl : (request.url ?? '/');
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function routeOf(request: IncomingMessage): string | null {
  const { route, baseUrl } = request as ExpressLikeRequest;
  const path = route?.path;
  if (typeof path !== 'string') return null;
  return `${typeof baseUrl === 'string' ? baseUrl : ''}${path}`;
}

/** Longest wait for an inline usage still being read from a cloned JSON body. */
const INLINE_WAIT_MS = 5_000;

function settleInline(pending: Set<Promise<void>>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, INLINE_WAIT_MS);
    timer.unref();
  });
  return Promise.race([Promise.allSettled([...pending]), timeout]).then(() => clearTimeout(timer));
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** A finished request's record on its way to the sinks. */
interface PendingRecord {
  readonly context: RequestContext;
  readonly facts: RequestFacts;
  /** set when the ids are not looked up (`closed`, `overloaded`) */
  readonly reason: UnresolvedReason | undefined;
  /** counts toward `maxPending` */
  readonly counted: boolean;
  /** one per id, in the order of `context.ids` */
  readonly outcomes: LookupOutcome[];
  /** lookups not settled yet */
  remaining: number;
}

/** One id of a record waiting for, or running, its lookup. */
interface LookupJob {
  readonly pending: PendingRecord;
  readonly index: number;
  readonly id: string;
}

/**
 * Express/connect middleware (also a node:http step) that writes ONE cost record per incoming
 * request that tracked OpenRouter generation ids, once its response is over. Lookups run in a
 * bounded background queue: the response is never delayed, and nothing thrown here reaches
 * the app.
 *
 * @example
 * const genmeta = costLogger({ logger: pino() });
 * app.use(genmeta);
 * app.post('/api/chat', async (req, res) => {
 *   const completion = await openai.chat.completions.create({ ... }); // fetch: createTrackingFetch()
 *   res.json(completion);
 * });
 */
export function costLogger(options: CostLoggerOptions = {}): CostLogger {
  const {
    logger,
    message = 'genmeta cost',
    skip,
    emitEmpty = false,
    deadlineMs,
    handleSignals = false,
    shutdownTimeoutMs = 10_000,
  } = options;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 32));
  const maxPending = Math.max(0, Math.floor(options.maxPending ?? 1000));
  const resolveRequestId = options.requestId ?? defaultRequestId;
  const report = createReporter(logger);
  const onRecord = options.onRecord;
  const sinks: RecordSink[] =
    onRecord === undefined ? [] : typeof onRecord === 'function' ? [onRecord] : [...onRecord];
  if (logger) sinks.unshift((record) => logger.info(record, message));
  let drainStdout: (() => void) | undefined;
  if (sinks.length === 0) {
    const stdout = createStdoutSink();
    sinks.push(stdout.sink);
    drainStdout = stdout.drain;
  }

  let client: GenmetaClient | undefined = options.client;
  const abortController = new AbortController();
  // Every running lookup listens on this one signal.
  setMaxListeners(concurrency * 4 + 10, abortController.signal);
  const lookupOptions = {
    signal: abortController.signal,
    ...(deadlineMs === undefined ? {} : { deadlineMs }),
  };
  let lookupsPending = 0;
  let closed = false;

  const getClient = (): GenmetaClient => {
    client ??= createClient(options.clientOptions);
    return client;
  };

  // Records of finished requests go through three plain queues, without a promise chain per
  // request: `finished` (drained once per turn of the event loop, outside any request context),
  // `lookups` (ids waiting for one of `concurrency` slots), then the sinks.
  let finished: PendingRecord[] = [];
  let drainScheduled = false;
  let lookups: LookupJob[] = [];
  let lookupsHead = 0;
  let lookupsRunning = 0;
  /** records of finished requests not emitted yet (sinks settled) */
  let recordsPending = 0;
  let flushWaiters: Array<() => void> = [];

  function sinkFailed(index: number, error: unknown): void {
    report(`sink:${index}`, 'genmeta: a cost record sink failed (reported once)', error);
  }

  function recordDone(): void {
    recordsPending -= 1;
    if (recordsPending === 0 && flushWaiters.length > 0) {
      const waiters = flushWaiters;
      flushWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Builds the record and calls every sink; waits only for the ones that returned a promise. */
  function emit(pending: PendingRecord): void {
    let waiting: Array<Promise<void>> | undefined;
    try {
      const { context } = pending;
      const record = buildRecord(pending.facts, context.ids, pending.outcomes, context.inline);
      if (context.otelContext !== undefined) {
        recordParentContexts.set(record, context.otelContext);
      }
      for (let index = 0; index < sinks.length; index += 1) {
        try {
          const result = sinks[index]!(record);
          if (result !== undefined && typeof result.then === 'function') {
            waiting ??= [];
            waiting.push(result.then(undefined, (error: unknown) => sinkFailed(index, error)));
          }
        } catch (error) {
          sinkFailed(index, error);
        }
      }
    } catch (error) {
      report('record', 'genmeta: a cost record failed', error);
    }
    if (waiting === undefined) recordDone();
    else Promise.all(waiting).then(recordDone, recordDone);
  }

  /** All ids of a record are settled: wait for inline usage still being read, then emit. */
  function complete(pending: PendingRecord): void {
    if (pending.counted) lookupsPending -= 1;
    const inline = pending.context.pendingInline;
    if (inline !== undefined && inline.size > 0) {
      settleInline(inline).then(
        () => emit(pending),
        () => emit(pending),
      );
    } else {
      emit(pending);
    }
  }

  function settleLookup(job: LookupJob, outcome: LookupOutcome): void {
    const { pending } = job;
    pending.outcomes[job.index] = outcome;
    pending.remaining -= 1;
    if (pending.remaining === 0) complete(pending);
  }

  function lookupSucceeded(this: LookupJob, generation: Generation): void {
    lookupsRunning -= 1;
    settleLookup(this, { id: this.id, ok: true, generation });
    pump();
  }

  function lookupFailed(this: LookupJob, error: unknown): void {
    lookupsRunning -= 1;
    const outcome = outcomeOfError(this.id, error, abortController.signal.aborted);
    if (outcome.reason === 'internal_error') {
      report('lookup', 'genmeta: a generation lookup failed unexpectedly', error);
    }
    settleLookup(this, outcome);
    pump();
  }

  /** Starts waiting lookups while slots are free (after `close` times out: settles them). */
  function pump(): void {
    while (lookupsHead < lookups.length) {
      if (abortController.signal.aborted) {
        const job = lookups[lookupsHead]!;
        lookupsHead += 1;
        settleLookup(job, { id: job.id, ok: false, reason: 'closed' });
        continue;
      }
      if (lookupsRunning >= concurrency) {
        // A queue that never empties under load must not keep what it already started.
        if (lookupsHead >= 1024 && lookupsHead * 2 >= lookups.length) {
          lookups = lookups.slice(lookupsHead);
          lookupsHead = 0;
        }
        return;
      }
      const job = lookups[lookupsHead]!;
      lookupsHead += 1;
      lookupsRunning += 1;
      let started: Promise<Generation>;
      try {
        started = getClient().getGeneration(job.id, lookupOptions);
      } catch (error) {
        started = Promise.reject(error);
      }
      started.then(lookupSucceeded.bind(job), lookupFailed.bind(job));
    }
    if (lookupsHead > 0) {
      lookups = [];
      lookupsHead = 0;
    }
  }

  /** Runs once per turn of the event loop with the records of the requests that finished. */
  function drainFinished(): void {
    drainScheduled = false;
    const batch = finished;
    finished = [];
    for (const pending of batch) {
      const { ids } = pending.context;
      if (pending.reason !== undefined || ids.length === 0) {
        const reason = pending.reason;
        for (let index = 0; index < ids.length; index += 1) {
          pending.outcomes[index] = { id: ids[index]!, ok: false, reason: reason ?? 'closed' };
        }
        pending.remaining = 0;
        complete(pending);
        continue;
      }
      pending.remaining = ids.length;
      for (let index = 0; index < ids.length; index += 1) {
        lookups.push({ pending, index, id: ids[index]! });
      }
    }
    pump();
  }

  function scheduleDrain(): void {
    setImmediate(drainFinished);
  }

  /** Queues the record of a request whose response is over (called from its `close` event). */
  function finish(context: RequestContext, facts: RequestFacts): void {
    let reason: UnresolvedReason | undefined;
    if (closed) reason = 'closed';
    else if (context.ids.length > 0 && lookupsPending >= maxPending) reason = 'overloaded';
    const counted = reason === undefined && context.ids.length > 0;
    if (counted) lookupsPending += 1;
    recordsPending += 1;
    finished.push({ context, facts, reason, counted, outcomes: [], remaining: 0 });
    if (!drainScheduled) {
      drainScheduled = true;
      // Lookups belong to no request: the drain runs outside this one's context.
      requestStorage.run(undefined, scheduleDrain);
    }
  }

  function middleware(
    request: IncomingMessage,
    response: ServerResponse,
    next?: (error?: unknown) => void,
  ): void {
    let context: RequestContext | undefined;
    try {
      context = begin(request, response);
    } catch (error) {
      report('middleware', 'genmeta: cost logging skipped for a request', error);
    }
    if (context === undefined) {
      next?.();
      return;
    }
    if (next) requestStorage.run(context, next);
    // Without `next` (a plain node:http handler), the rest of the caller's flow joins the context.
    else requestStorage.enterWith(context);
  }

  function begin(request: IncomingMessage, response: ServerResponse): RequestContext | undefined {
    if (skip) {
      let skipped = false;
      try {
        skipped = skip(request) === true;
      } catch (error) {
        report('skip', 'genmeta: the skip option threw', error);
      }
      if (skipped) return undefined;
    }
    let requestId: string;
    try {
      requestId = String(resolveRequestId(request));
    } catch (error) {
      report('requestId', 'genmeta: the requestId option threw', error);
      requestId = randomUUID();
    }
    const startedAt = Date.now();
    const start = performance.now();
    const context = createRequestContext(requestId, activeOtelContext());
    try {
      if (!response.headersSent) response.setHeader('x-request-id', requestId);
    } catch (error) {
      // a custom requestId with characters a header cannot carry
      report('requestIdHeader', 'genmeta: the request id cannot be sent as a header', error);
    }
    const locals: GenmetaLocals = {
      requestId,
      generationIds: context.ids,
      track: (id: string, inline?: InlineUsage) => trackInContext(context, id, inline),
    };
    const withLocals = response as ServerResponse & ResponseWithLocals;
    withLocals.locals ??= {};
    withLocals.locals.genmeta = locals;

    // Node emits `close` on every response: after `finish`, or when the client went away.
    response.on('close', () => {
      context.sealed = true;
      if (context.ids.length === 0 && !emitEmpty) return;
      try {
        finish(context, {
          requestId,
          method: request.method ?? 'GET',
          path: pathOf(request),
          route: routeOf(request),
          statusCode: response.statusCode,
          aborted: !response.writableFinished,
          startedAt,
          durationMs: Math.round((performance.now() - start) * 1000) / 1000,
        });
      } catch (error) {
        report('schedule', 'genmeta: a cost record failed', error);
      }
    });
    return context;
  }

  async function flush(): Promise<void> {
    if (recordsPending > 0) {
      await new Promise<void>((resolve) => flushWaiters.push(resolve));
    }
    try {
      drainStdout?.();
    } catch (error) {
      report('sink:stdout', 'genmeta: writing a cost record to stdout failed', error);
    }
  }

  const signalHandlers = new Map<NodeJS.Signals, () => void>();
  function removeSignalHandlers(): void {
    for (const [signal, handler] of signalHandlers) process.off(signal, handler);
    signalHandlers.clear();
  }

  async function close(closeOptions: CloseOptions = {}): Promise<void> {
    closed = true;
    removeSignalHandlers();
    const { timeoutMs } = closeOptions;
    if (timeoutMs === undefined) {
      await flush();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      flush().then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      abortController.abort(new Error('genmeta cost logger closed'));
      pump();
      await flush();
    }
  }

  if (handleSignals) {
    for (const signal of SIGNALS) {
      const handler = () => {
        void close({ timeoutMs: shutdownTimeoutMs }).finally(() => {
          // Re-raise only when nobody else handles the signal, so the default action ends us.
          if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
        });
      };
      signalHandlers.set(signal, handler);
      process.once(signal, handler);
    }
  }

  return Object.defineProperties(middleware, {
    flush: { value: flush },
    close: { value: close },
    pending: { get: () => recordsPending },
  }) as CostLogger;
}

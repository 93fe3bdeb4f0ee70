import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientOptions, GenmetaClient } from '@genmeta/core';
import { createLookupQueue, defaultBaseUrl, type GenerationRegistry } from '@genmeta/core/engine';
import { createHandle, type HandleOptions } from './handle.js';
import { requestStorage, type Tracker } from './internal/context.js';
import { lookupsFor } from './internal/default-client.js';
import { defaultRegistry } from './internal/default-registry.js';
import { registerHook } from './internal/host.js';
import { durationOption, integerOption } from './internal/options.js';
import { createRecordPipeline } from './internal/record-pipeline.js';
import { createReporter } from './internal/report.js';
import { beginRequest, defaultRequestId } from './internal/request-hook.js';
import { installSignalHandlers } from './internal/shutdown.js';
import { createSinks } from './internal/sinks.js';
import { comparableUrl } from './internal/url.js';
import type { CostAttributes, CostLoggerLogger, RecordSink } from './types.js';

/** Options of {@link costLogger}. */
export interface CostLoggerOptions {
  /**
   * The `@genmeta/core` client used for lookups.
   * @default the process's shared default client for `clientOptions` (the same one
   *   `generationProxy` uses with equal `clientOptions`: one cache, one single-flight)
   */
  client?: GenmetaClient;
  /**
   * Options for the default client, used when `client` is not given. Equal options (primitives
   * and headers by value, functions and objects by identity) share one client.
   * @default {} (key from OPENROUTER_API_KEY, base URL from OPENROUTER_BASE_URL)
   */
  clientOptions?: ClientOptions;
  /**
   * Where tracked ids are written, the moment they are tracked, for `generationProxy` to read.
   * Sync or async; a failing write is reported once through `logger` and never reaches the app.
   * Pass a shared store (e.g. `@genmeta/redis`) when the proxy may run on another instance.
   * @default the process-wide memory registry (the last 10,000 ids), shared with generationProxy
   */
  registry?: GenerationRegistry;
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
   * Who or what the request's spend belongs to, e.g. `(req) => ({ user: req.user?.id })`.
   * Called once per recorded request, when its response is over; values set with
   * `setCostAttributes` or `res.locals.genmeta.setAttributes` win on the same key. Invalid
   * entries are dropped and a throw is contained, both reported once through `logger`.
   * @default undefined (records carry `attributes: {}` unless set in the request's flow)
   */
  attributes?: (request: IncomingMessage, response: ServerResponse) => CostAttributes | undefined;
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
   * Records held at most: waiting for their lookups or for their sinks. Past it, a finishing
   * request's record is emitted at once with its ids unresolved (`overloaded`); and when
   * `maxPending` records (at least one) wait for sinks that do not settle, further records
   * are dropped and their count is reported through `logger.warn` (never silently). Memory
   * stays flat.
   * @default 1000
   */
  maxPending?: number;
  /**
   * Deadline of one id's lookup, not-ready waiting and retries included.
   * @default the client's deadline (30 s in @genmeta/core)
   */
  deadlineMs?: number;
  /**
   * Longest wait, once a response is over, for the tracked fetches its request started that
   * have not told their generation id yet (an answer still on its way, a JSON body not parsed
   * yet, a stream nobody reads, which is then read up to its id). Ids they bring land in the
   * request's record; fetches still running after it are listed in `unresolvedFetches`.
   * @default 30_000
   */
  inflightWaitMs?: number;
  /**
   * Longest wait for the promise a sink returned; then the record is done (the sink is reported
   * once). `flush` and `close` never wait longer than this for a sink.
   * @default 10_000
   */
  sinkTimeoutMs?: number;
  /**
   * Install SIGTERM and SIGINT handlers that close the logger (flushing records in flight, at
   * most `shutdownTimeoutMs`) and then re-raise the signal when no other handler is left, so
   * the process ends the way it would have. A second signal during that close ends the process
   * at once.
   * @default false
   */
  handleSignals?: boolean;
  /**
   * Longest close on a signal, sinks included; then lookups are abandoned, their records
   * emitted with reason `closed`, and sinks no longer waited for.
   * @default 10_000
   */
  shutdownTimeoutMs?: number;
}

/** Options of {@link CostLogger.close}. */
export interface CloseOptions {
  /**
   * Longest close, sinks included; then lookups are abandoned, their records emitted with
   * reason `closed`, and sinks no longer waited for.
   * @default undefined (wait for every record; each is bounded by the lookup deadline,
   *   `inflightWaitMs` and `sinkTimeoutMs`)
   */
  timeoutMs?: number;
}

/** The middleware returned by {@link costLogger}. */
export interface CostLogger {
  /** Express 4/5 or connect middleware, or a node:http `(request, response, next?)` step. */
  (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void;
  /**
   * Wraps a fetch-style handler (`(request: Request, ...rest) => Response`: a Next.js route
   * handler, Hono, Bun, Deno): it runs in the request's context (`trackGeneration` and the
   * tracking fetch work inside it), its response gets `x-request-id`, and ONE record is
   * emitted once the response body has been sent or cancelled (the body is passed through
   * chunk by chunk, never buffered). An error of the handler reaches the caller unchanged
   * (the record says 500).
   *
   * @example
   * export const POST = genmeta.handle(async (request) => Response.json(await chat(request)));
   */
  handle<R extends Request, Rest extends unknown[]>(
    handler: (request: R, ...rest: Rest) => Response | Promise<Response>,
    options?: HandleOptions<R>,
  ): (request: R, ...rest: Rest) => Promise<Response>;
  /** Resolves once every record of a finished request has been emitted (sinks settled). */
  flush(): Promise<void>;
  /**
   * Flushes, then stops: later requests are passed through with their context but no lookup;
   * their records list the ids unresolved with reason `closed`. Removes signal handlers.
   */
  close(options?: CloseOptions): Promise<void>;
  /**
   * Records of finished requests not emitted yet: waiting for in-flight fetches, lookups or
   * sinks.
   */
  readonly pending: number;
}

/**
 * Express/connect middleware (also a node:http step) that writes ONE cost record per incoming
 * request that tracked OpenRouter generation ids, once its response is over. Lookups run in a
 * bounded background queue: the response is never delayed, and nothing thrown here reaches
 * the app. Numeric options are checked here: a NaN, fraction or negative value throws a
 * RangeError naming the option.
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
  const { logger, message = 'genmeta cost', handleSignals = false } = options;
  const owner = 'costLogger';
  const concurrency = integerOption(owner, 'concurrency', options.concurrency, 32, 1);
  const maxPending = integerOption(owner, 'maxPending', options.maxPending, 1000, 0);
  const deadlineMs =
    options.deadlineMs === undefined
      ? undefined
      : durationOption(owner, 'deadlineMs', options.deadlineMs, 0, 1);
  const shutdownTimeoutMs = durationOption(
    owner,
    'shutdownTimeoutMs',
    options.shutdownTimeoutMs,
    10_000,
  );
  const inflightWaitMs = durationOption(owner, 'inflightWaitMs', options.inflightWaitMs, 30_000);
  const sinkTimeoutMs = durationOption(owner, 'sinkTimeoutMs', options.sinkTimeoutMs, 10_000);
  const report = createReporter(logger);
  const sinks = createSinks(logger, message, options.onRecord);
  const registry = options.registry ?? defaultRegistry;
  const baseUrl = options.client?.baseUrl ?? options.clientOptions?.baseUrl ?? defaultBaseUrl();
  const tracker: Tracker = {
    registry,
    registryFailed: (error) =>
      report(
        'registry',
        'genmeta: writing a tracked id to the registry failed (reported once)',
        error,
      ),
    invalidAttribute: (message) =>
      report(
        'attributes:invalid',
        `${message} (reported once per logger; later invalid attributes are dropped the same way)`,
      ),
    baseUrl: comparableUrl(baseUrl),
    untracked: (url) =>
      report(
        'untracked',
        `genmeta: a fetch to ${url} got an OpenRouter-style answer that was not tracked (reported once). Use createTrackingFetch() as the SDK's fetch and point it at that API: costLogger({ clientOptions: { baseUrl } }), createTrackingFetch({ baseUrl }) or OPENROUTER_BASE_URL`,
        undefined,
      ),
  };

  const { client: lookupClient, peek } = lookupsFor(options.client, options.clientOptions);
  // aborted when `close` runs out of time: lookups stop, nothing is waited for any more
  const abandon = new AbortController();
  // every running or queued lookup listens on this one signal: as many as the queue holds
  setMaxListeners(0, abandon.signal);
  const lookups = createLookupQueue({
    client: lookupClient,
    concurrency,
    signal: abandon.signal,
  });
  const pipeline = createRecordPipeline({
    sinks: sinks.list,
    lookups,
    peek,
    lookupOptions: deadlineMs === undefined ? {} : { deadlineMs },
    maxPending,
    emitEmpty: options.emitEmpty === true,
    inflightWaitMs,
    sinkTimeoutMs,
    abandon: abandon.signal,
    report,
  });
  const hook = {
    skip: options.skip,
    requestId: options.requestId ?? defaultRequestId,
    emitEmpty: options.emitEmpty === true,
    attributes: options.attributes,
    tracker,
    report,
    finish: pipeline.finish,
  };

  function middleware(
    request: IncomingMessage,
    response: ServerResponse,
    next?: (error?: unknown) => void,
  ): void {
    let context: ReturnType<typeof beginRequest>;
    try {
      context = beginRequest(hook, request, response);
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

  async function flush(): Promise<void> {
    await pipeline.settled();
    pipeline.reportDropped();
    try {
      sinks.drain();
    } catch (error) {
      report('sink:stdout', 'genmeta: writing a cost record to stdout failed', error);
    }
  }

  let signals: ReturnType<typeof installSignalHandlers> | undefined;

  async function close(closeOptions: CloseOptions = {}): Promise<void> {
    pipeline.close();
    if (!signals?.shuttingDown) signals?.remove();
    const timeoutMs =
      closeOptions.timeoutMs === undefined
        ? undefined
        : durationOption('close', 'timeoutMs', closeOptions.timeoutMs, 0);
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
      abandon.abort(new Error('genmeta cost logger closed'));
      await flush();
    }
  }

  if (handleSignals) {
    signals = installSignalHandlers(() => close({ timeoutMs: shutdownTimeoutMs }));
  }

  registerHook(middleware, hook);
  return Object.defineProperties(middleware, {
    handle: { value: createHandle(hook) },
    flush: { value: flush },
    close: { value: close },
    pending: { get: () => pipeline.recordsInFlight },
  }) as CostLogger;
}

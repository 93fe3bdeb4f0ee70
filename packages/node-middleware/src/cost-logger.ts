import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLookupQueue, defaultBaseUrl, type LookupQueue } from '@genmeta/core/engine';
import type {
  CloseOptions,
  CostLogger,
  CostLoggerOptions,
  CostLoggerStats,
  LookupMode,
} from './cost-logger-types.js';
import { createHandle } from './handle.js';
import { createAbandon } from './internal/abandon.js';
import { requestStorage, type Tracker } from './internal/context.js';
import { lookupsFor } from './internal/default-client.js';
import { defaultRegistry } from './internal/default-registry.js';
import { registerHook } from './internal/host.js';
import { subscribeUndici } from './internal/instrument.js';
import { amountOption, choiceOption, durationOption, integerOption } from './internal/options.js';
import { createRecordPipeline } from './internal/record-pipeline.js';
import { createReporter } from './internal/report.js';
import { beginRequest, defaultRequestId } from './internal/request-hook.js';
import { installSignalHandlers } from './internal/shutdown.js';
import { createSinks } from './internal/sinks.js';
import { DEFAULT_MAX_INLINE_COST_USD, trustedOriginsOf } from './internal/trust.js';
import { comparableUrl } from './internal/url.js';

export type { CloseOptions, CostLogger, CostLoggerOptions, CostLoggerStats, LookupMode };

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
 *   const completion = await openai.chat.completions.create({ model, messages }); // fetch: createTrackingFetch()
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
  const lookupMode = choiceOption<LookupMode>(
    owner,
    'lookup',
    options.lookup,
    ['always', 'missing', 'never'],
    'always',
  );
  const report = createReporter(logger);
  const sinks = createSinks(logger, message, options.onRecord);
  const registry = options.registry ?? defaultRegistry;
  const baseUrl = options.client?.baseUrl ?? options.clientOptions?.baseUrl ?? defaultBaseUrl();
  const maxInlineCostUsd = amountOption(
    owner,
    'maxInlineCostUsd',
    options.maxInlineCostUsd,
    DEFAULT_MAX_INLINE_COST_USD,
  );
  // undici's channels: subscribed when the first request begins, not before (no I/O at creation)
  let unsubscribe: (() => void) | undefined;
  let closed = false;
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
        `genmeta: a request called OpenRouter (${url}) and no generation of it was tracked (reported once). Track it with createTrackingFetch() as the SDK's fetch, pointed at that API (costLogger({ clientOptions: { baseUrl } }), createTrackingFetch({ baseUrl }) or OPENROUTER_BASE_URL), or on Node with costLogger({ instrument: true })`,
        undefined,
      ),
    trustedOrigins: trustedOriginsOf(baseUrl, options.trustedOrigins),
    maxInlineCostUsd,
    instrument: options.instrument === true,
    requestBegun: () => {
      if (unsubscribe === undefined && !closed) unsubscribe = subscribeUndici();
    },
  };

  const { client: lookupClient, peek } = lookupsFor(options.client, options.clientOptions);
  // thrown when `close` runs out of time: lookups stop, nothing is waited for any more
  const abandon = createAbandon();
  // Made on first use, not here: a costLogger is made at module scope, where workerd forbids
  // I/O objects (records under `waitUntil` never use it).
  let lookups: LookupQueue | undefined;
  const pipeline = createRecordPipeline({
    sinks: sinks.list,
    lookups: () => {
      lookups ??= createLookupQueue({ client: lookupClient, concurrency, signal: abandon.signal });
      return lookups;
    },
    lookupNow: (id, lookupOptions) => lookupClient.getGeneration(id, lookupOptions),
    drainSinks: sinks.drain,
    peek,
    lookupOptions: deadlineMs === undefined ? {} : { deadlineMs },
    maxPending,
    emitEmpty: options.emitEmpty === true,
    inflightWaitMs,
    sinkTimeoutMs,
    abandon,
    report,
    lookupMode,
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
    closed = true;
    unsubscribe?.();
    if (!signals?.shuttingDown) signals?.remove();
    const timeoutMs =
      closeOptions.timeoutMs === undefined
        ? undefined
        : durationOption('close', 'timeoutMs', closeOptions.timeoutMs, 0);
    if (timeoutMs === undefined) {
      await flush();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
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
    stats: { get: () => pipeline.stats },
  }) as CostLogger;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientOptions, GenmetaClient } from '@genmeta/core';
import type { GenerationRegistry } from '@genmeta/core/engine';
import type { HandleOptions } from './handle.js';
import type { CostAttributes, CostLoggerLogger, RecordSink } from './types.js';

/**
 * When costLogger looks a generation up on OpenRouter's generation endpoint (README, "Cost from
 * the answer"):
 * - `always`: every tracked generation, whatever its answer carried;
 * - `missing`: only a generation whose answer carried no usable trusted inline cost (an aborted
 *   stream, a gateway that strips `usage`, an untrusted answer, a BYOK answer without its
 *   upstream cost); the others are priced from the answer (`costSource: 'inline'`);
 * - `never`: none; a generation without a usable inline cost is listed unresolved
 *   (`not_looked_up`), its cost unknown (`null`), never 0.
 */
export type LookupMode = 'always' | 'missing' | 'never';

/** Counts since a {@link costLogger} was created (`genmeta.stats`). */
export interface CostLoggerStats {
  /** Generations put on the lookup queue. */
  readonly lookups: number;
  /** Generations priced from their answer's inline cost, without a lookup (`costSource: 'inline'`). */
  readonly inline: number;
  /**
   * Lookups dropped because `maxPending` records were already waiting for theirs: each such
   * generation is listed unresolved (`overloaded`) in its record, and the count is also warned
   * through `logger` (a second after the first drop, and at each flush).
   */
  readonly lookupsDropped: number;
  /** Records dropped because `maxPending` records were waiting for sinks that did not settle. */
  readonly recordsDropped: number;
}

/** Options of {@link costLogger}. */
export interface CostLoggerOptions {
  /**
   * When a generation is looked up: `'always'`; `'missing'`, only when its answer carried no
   * usable trusted inline cost (the others are priced at once from the answer, no request to
   * OpenRouter); `'never'` (unknown costs stay `null`, with reason `not_looked_up`).
   * @default 'always'
   */
  lookup?: LookupMode;
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
   * More origins (`https://gateway.example.com`) whose answers are trusted, beside the origin
   * of the client's base URL (and of a tracking fetch's `baseUrl`): only trusted answers add
   * ids to the `registry` and inline costs to records and spend limits (README, "Trust").
   * @default []
   */
  trustedOrigins?: readonly string[];
  /**
   * Largest inline cost (`usage.cost`, USD) one generation may carry to be counted: a larger,
   * negative or non-finite one counts nowhere and the record says why (`inlineCostIgnored`).
   * @default 1000
   */
  maxInlineCostUsd?: number;
  /**
   * Also track, on Node, the `X-Generation-Id` of every trusted OpenRouter answer made with
   * Node's `fetch` while handling a request, whatever SDK made it and without a `fetch` option
   * (undici's `diagnostics_channel`). Ids the tracking fetch also saw are counted once. Without
   * it, a request that called OpenRouter this way and tracked nothing is reported once.
   * @default false
   */
  instrument?: boolean;
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
  /** Lookups made, generations priced inline, and what load dropped (never silently). */
  readonly stats: CostLoggerStats;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { inlineSpendOf, type SpendStore } from '@genmeta/core/engine';
import type { CostLogger } from './cost-logger.js';
import { type RequestContext, requestStorage, type SpendObserver } from './internal/context.js';
import {
  checkSpendLimitOptions,
  defaultSpendLimitMessage,
} from './internal/spend-limit-options.js';
import { windowSpend } from './internal/spend-window.js';
import { createMemorySpendStore } from './memory-spend-store.js';

/** A request as `spendLimit` sees it: node:http / Express, or a Web `Request` (`.fetch`). */
export type SpendLimitRequest = IncomingMessage | Request;

/** What the limiter knows when it refuses a request (for a custom `message`). */
export interface SpendLimitInfo {
  key: string;
  /** known spend of the key in the window, USD */
  spentUsd: number;
  limitUsd: number;
  windowMs: number;
  /** seconds until enough of the window's spend has expired (the `Retry-After` value) */
  retryAfterSeconds: number;
}

/** A key's spend in the window, as {@link SpendLimiter.status} reports it. */
export interface SpendLimitStatus {
  key: string;
  /** known spend in the window, USD (unknown amounts are not in it) */
  spentUsd: number;
  /** generations in the window whose spend is unknown (not counted) */
  unknownCount: number;
  limitUsd: number;
  windowMs: number;
  /** true when the next request of this key is refused */
  limited: boolean;
  /** when limited: seconds until it may spend again */
  retryAfterSeconds?: number;
}

/** Options of {@link spendLimit}. */
export interface SpendLimitOptions {
  /**
   * Whose budget a request spends, e.g. a user id header: `req.headers['x-user-id']` on Node's
   * request, `req.headers.get('x-user-id')` on a Web `Request`. A request for which it returns
   * undefined (or an empty string, or throws: reported once) passes, uncounted.
   * Express/node:http requests are `IncomingMessage`s; `.fetch` and `.handle` pass a `Request`.
   */
  key: (request: SpendLimitRequest) => string | undefined;
  /** Budget per key in the window, USD (greater than 0). */
  limitUsd: number;
  /** Length of the sliding window, ms (an integer from 1). */
  windowMs: number;
  /**
   * The `costLogger` whose records count the spend (mount it before the limiter). Problems of
   * the limiter are reported once through its logger.
   */
  logger: CostLogger;
  /**
   * Where spend per key is kept. Pass `@genmeta/redis`'s `spend` so limits hold across
   * instances.
   * @default createMemorySpendStore() (this process only)
   */
  store?: SpendStore;
  /**
   * The message of the 429 answer.
   * @default 'Spend limit reached: <spent> of <limit> USD in the last <window>. Retry after <n> s.'
   */
  message?: string | ((info: SpendLimitInfo) => string);
}

/** The limiter returned by {@link spendLimit}. */
export interface SpendLimiter {
  /** Express 4/5 or connect middleware, or a node:http `(request, response, next?)` step. */
  (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void;
  /**
   * Fetch-style check: resolves to the 429 `Response` when the request's key is at its limit,
   * else undefined (the request is admitted and its spend counted). Call it inside the
   * costLogger's request flow.
   */
  fetch(request: Request): Promise<Response | undefined>;
  /** Wraps a `(request) => Response` handler: limited requests get the 429, others the handler. */
  handle<Rest extends unknown[]>(
    handler: (request: Request, ...rest: Rest) => Response | Promise<Response>,
  ): (request: Request, ...rest: Rest) => Promise<Response>;
  /** The key's spend in the window now. */
  status(key: string): Promise<SpendLimitStatus>;
}

/**
 * Express/connect middleware (also node:http, and fetch-style through `.fetch` / `.handle`)
 * that answers `429` with OpenRouter's error shape `{ error: { code: 429, message } }` and a
 * `Retry-After` once a key's known spend in the sliding window has reached `limitUsd`. Spend is
 * counted from the `logger`'s requests: a generation's inline cost as soon as its id is tracked,
 * replaced by the looked-up spend when the record is emitted. An unknown cost is recorded as
 * unknown and does not count toward the limit. Requests of one key already admitted are not
 * stopped: the limit can be overshot by what the key's requests in flight spend.
 *
 * @example
 * const genmeta = costLogger();
 * app.use(genmeta);
 * app.use('/api/chat', spendLimit({
 *   logger: genmeta,
 *   // Node's request under Express (no `req.get` on its type), a Web Request in a fetch-style host
 *   key: (req) => {
 *     const user = req instanceof Request ? req.headers.get('x-user-id') : req.headers['x-user-id'];
 *     return typeof user === 'string' ? user : undefined;
 *   },
 *   limitUsd: 1,
 *   windowMs: 86_400_000,
 * }));
 */
export function spendLimit(options: SpendLimitOptions): SpendLimiter {
  const { link, windowMs } = checkSpendLimitOptions(options);
  const { limitUsd, message } = options;
  const store = options.store ?? createMemorySpendStore();
  const { report } = link;

  function storeFailed(error: unknown): void {
    report(
      'spendLimit:store',
      'genmeta: spendLimit: the spend store failed; the limit does not hold while it fails (reported once)',
      error,
    );
  }

  function record(key: string, id: string, amountUsd: number | null): void {
    try {
      const written = store.record(key, { id, amountUsd, atMs: Date.now() }, windowMs);
      if (written !== undefined && typeof written.then === 'function')
        written.then(undefined, storeFailed);
    } catch (error) {
      storeFailed(error);
    }
  }

  function keyOf(request: SpendLimitRequest): string | undefined {
    try {
      const key = options.key(request);
      return typeof key === 'string' && key !== '' ? key : undefined;
    } catch (error) {
      report(
        'spendLimit:key',
        'genmeta: spendLimit: the key option threw; the request passed uncounted (reported once)',
        error,
      );
      return undefined;
    }
  }

  async function status(key: string): Promise<SpendLimitStatus> {
    const nowMs = Date.now();
    const entries = await store.entries(key, windowMs, nowMs);
    const spend = windowSpend(entries, limitUsd, windowMs, nowMs);
    const result: SpendLimitStatus = {
      key,
      spentUsd: spend.knownUsd,
      unknownCount: spend.unknownCount,
      limitUsd,
      windowMs,
      limited: spend.retryAfterSeconds !== undefined,
    };
    if (spend.retryAfterSeconds !== undefined) result.retryAfterSeconds = spend.retryAfterSeconds;
    return result;
  }

  function observe(context: RequestContext | undefined, key: string): void {
    if (context === undefined || context.tracker !== link.tracker) {
      report(
        'spendLimit:context',
        'genmeta: spendLimit: a request is not inside its costLogger (mount the logger first); its spend is not counted (reported once)',
      );
      return;
    }
    context.spendObservers ??= [];
    if (
      context.spendObservers.some(
        (observer) =>
          (observer as KeyObserver).limiter === limiter && (observer as KeyObserver).key === key,
      )
    )
      return;
    const observer: KeyObserver = {
      limiter,
      key,
      tracked: (id, inline) => record(key, id, inline === undefined ? null : inlineSpendOf(inline)),
      emitted: (built) => {
        for (const generation of built.generations) record(key, generation.id, generation.spendUsd);
        for (const entry of built.unresolved) record(key, entry.id, entry.inlineSpendUsd ?? null);
      },
    };
    context.spendObservers.push(observer);
    // ids tracked before the limiter ran (an earlier middleware) count too
    for (const id of context.ids) observer.tracked(id, context.inline?.get(id));
  }

  /** The refusal for a request, or undefined when it is admitted (and now counted). */
  async function check(request: SpendLimitRequest): Promise<SpendLimitInfo | undefined> {
    const key = keyOf(request);
    if (key === undefined) return undefined;
    const context = requestStorage.getStore();
    let current: SpendLimitStatus;
    try {
      current = await status(key);
    } catch (error) {
      storeFailed(error);
      observe(context, key);
      return undefined;
    }
    if (current.retryAfterSeconds !== undefined) {
      return {
        key,
        spentUsd: current.spentUsd,
        limitUsd,
        windowMs,
        retryAfterSeconds: current.retryAfterSeconds,
      };
    }
    observe(context, key);
    return undefined;
  }

  function refusal(info: SpendLimitInfo): { body: string; retryAfter: string } {
    let text: string;
    try {
      text =
        typeof message === 'function'
          ? String(message(info))
          : (message ?? defaultSpendLimitMessage(info));
    } catch (error) {
      report(
        'spendLimit:message',
        'genmeta: spendLimit: the message option threw (reported once)',
        error,
      );
      text = defaultSpendLimitMessage(info);
    }
    const body = JSON.stringify({
      error: {
        code: 429,
        message: text,
        metadata: {
          reason: 'spend_limit',
          limit_usd: info.limitUsd,
          spent_usd: info.spentUsd,
          window_ms: info.windowMs,
          retry_after_seconds: info.retryAfterSeconds,
        },
      },
    });
    return { body, retryAfter: String(info.retryAfterSeconds) };
  }

  const limiter = ((
    request: IncomingMessage,
    response: ServerResponse,
    next?: (error?: unknown) => void,
  ) => {
    check(request)
      .then((info) => {
        if (info === undefined) {
          next?.();
          return;
        }
        const { body, retryAfter } = refusal(info);
        if (response.headersSent) {
          response.end();
          return;
        }
        response.statusCode = 429;
        response.setHeader('content-type', 'application/json; charset=utf-8');
        response.setHeader('retry-after', retryAfter);
        response.end(body);
      })
      // never an unhandled rejection in the host (a response that cannot be written any more)
      .catch((error: unknown) =>
        report('spendLimit:respond', 'genmeta: spendLimit: answering a request failed', error),
      );
  }) as SpendLimiter;

  async function fetchCheck(request: Request): Promise<Response | undefined> {
    const info = await check(request);
    if (info === undefined) return undefined;
    const { body, retryAfter } = refusal(info);
    return new Response(body, {
      status: 429,
      headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': retryAfter },
    });
  }

  return Object.defineProperties(limiter, {
    fetch: { value: fetchCheck },
    handle: {
      value:
        <Rest extends unknown[]>(
          handler: (request: Request, ...rest: Rest) => Response | Promise<Response>,
        ) =>
        async (request: Request, ...rest: Rest): Promise<Response> =>
          (await fetchCheck(request)) ?? handler(request, ...rest),
    },
    status: { value: status },
  });
}

interface KeyObserver extends SpendObserver {
  readonly limiter: SpendLimiter;
  readonly key: string;
}

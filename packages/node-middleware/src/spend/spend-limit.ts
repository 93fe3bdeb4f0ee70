import type { IncomingMessage, ServerResponse } from 'node:http';
import { inlineSpendOf, windowSpanMs } from '@genmeta/core/rules';
import type { HostRequest } from '../hosts/types.js';
import { keyLimitRefusal } from './key-limit-refusal.js';
import { createMemorySpendStore } from './memory-spend-store.js';
import { checkSpendLimitOptions, defaultSpendLimitMessage, keyVerdict } from './options.js';
import { createWritesInFlight, writeWaitMs } from './spend-writes.js';
import type {
  SpendLimiter,
  SpendLimitInfo,
  SpendLimitOptions,
  SpendLimitRequest,
  SpendLimitStatus,
} from './types.js';
import { windowSpend } from './window.js';

/**
 * Express/connect middleware (also node:http, and fetch-style through `.fetch` / `.handle`)
 * that answers `429` with OpenRouter's error shape `{ error: { code: 429, message } }` and a
 * `Retry-After` once a key's known spend in its window (a sliding `windowMs`, or a UTC `day`,
 * `week` or `month`) has reached `limitUsd`. Spend is counted from the `logger`'s requests: a
 * generation's inline cost as soon as its id is tracked, replaced by the looked-up spend when
 * the record is emitted. An unknown cost is recorded as unknown and does not count toward the
 * limit. A key's check waits for the writes of that key this limiter still has in flight (at
 * most 5 s), so the next request sees what the previous one spent even from a store that
 * answers late. Requests of one key already admitted are not stopped: the limit can be
 * overshot by what the key's requests in flight spend. A check reads a fixed number of time buckets (at
 * most 61), whatever the key's number of past requests.
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
 *   limitUsd: 20,
 *   window: 'month',
 * }));
 */
export function spendLimit(options: SpendLimitOptions): SpendLimiter {
  const { host, window } = checkSpendLimitOptions(options);
  const { limitUsd, message } = options;
  const store = options.store ?? createMemorySpendStore();
  // what the store keeps per key: the window's length, or a calendar period's longest
  const spanMs = windowSpanMs(window);
  // once per limiter (the logger's own reporter says things once per logger)
  const reported = new Set<string>();
  function report(what: string, text: string, error?: unknown): void {
    if (reported.has(what)) return;
    reported.add(what);
    const detail =
      error instanceof Error ? error.message : error === undefined ? '' : String(error);
    host.warn(detail === '' ? {} : { error: detail }, text);
  }

  function storeFailed(error: unknown): void {
    report(
      'store',
      'genmeta: spendLimit: the spend store failed; the limit does not hold while it fails (reported once)',
      error,
    );
  }

  // a key's check reads only after the key's earlier writes have landed
  const writesInFlight = createWritesInFlight();

  function record(key: string, id: string, amountUsd: number | null): void {
    // a negative or non-finite amount is never counted: it is recorded as unknown
    const amount =
      amountUsd !== null && Number.isFinite(amountUsd) && amountUsd >= 0 ? amountUsd : null;
    try {
      const written = store.record(key, { id, amountUsd: amount, atMs: Date.now() }, spanMs);
      if (written !== undefined && typeof written.then === 'function')
        writesInFlight.add(key, Promise.resolve(written).then(undefined, storeFailed));
    } catch (error) {
      storeFailed(error);
    }
  }

  /** The request's key, undefined for an anonymous request, null when the option is broken. */
  function keyOf(request: SpendLimitRequest): string | undefined | null {
    let value: unknown;
    try {
      value = options.key(request);
    } catch (error) {
      report(
        'key-threw',
        'genmeta: spendLimit: the key option threw; the request passed uncounted (reported once)',
        error,
      );
      return undefined;
    }
    const verdict = keyVerdict(value);
    if (verdict.kind === 'key') return verdict.key;
    if (verdict.kind === 'anonymous') return undefined;
    report(
      'key-type',
      `genmeta: spendLimit: the key option returned a value of type ${verdict.type}, not a string or number; such requests are refused with a 500 (reported once)`,
    );
    return null;
  }

  async function status(key: string | number): Promise<SpendLimitStatus> {
    const name = String(key);
    if (!(await writesInFlight.landed(name))) {
      report(
        'write-late',
        `genmeta: spendLimit: a spend store write has not finished after ${writeWaitMs} ms; the key's spend is read without it (reported once)`,
      );
    }
    const read = await store.buckets(name, spanMs, Date.now());
    const spend = windowSpend(read, window, limitUsd);
    const result: SpendLimitStatus = {
      key: name,
      spentUsd: spend.knownUsd,
      unknownCount: spend.unknownCount,
      limitUsd,
      window,
      windowMs: spend.windowMs,
      limited: spend.retryAfterSeconds !== undefined,
    };
    if (spend.retryAfterSeconds !== undefined) result.retryAfterSeconds = spend.retryAfterSeconds;
    return result;
  }

  /** The keys this limiter counts each request's spend under (a key is counted once). */
  const observed = new WeakMap<HostRequest, Set<string>>();

  function observe(request: HostRequest | undefined, key: string): void {
    if (request === undefined) {
      report(
        'context',
        'genmeta: spendLimit: a request is not inside its costLogger (mount the logger first); its spend is not counted (reported once)',
      );
      return;
    }
    let keys = observed.get(request);
    if (keys?.has(key)) return;
    if (keys === undefined) {
      keys = new Set();
      observed.set(request, keys);
    }
    keys.add(key);
    host.observeSpend(request, {
      tracked: (id, inline) => record(key, id, inline === undefined ? null : inlineSpendOf(inline)),
      emitted: (built) => {
        for (const generation of built.generations) record(key, generation.id, generation.spendUsd);
        for (const entry of built.unresolved) record(key, entry.id, entry.inlineSpendUsd ?? null);
      },
    });
  }

  /** The refusal for a request, or undefined when it is admitted (and now counted). */
  async function check(request: SpendLimitRequest): Promise<Refusal | undefined> {
    const { keyLimit } = options;
    if (keyLimit?.state.exhausted(keyLimit.reserveUsd)) {
      return keyLimitRefusal(keyLimit.state, keyLimit.reserveUsd ?? 0);
    }
    const key = keyOf(request);
    if (key === null) return { status: 500, body: invalidKeyBody };
    if (key === undefined) return undefined;
    const context = host.currentRequest();
    let current: SpendLimitStatus;
    try {
      current = await status(key);
    } catch (error) {
      storeFailed(error);
      observe(context, key);
      return undefined;
    }
    if (current.retryAfterSeconds !== undefined) {
      return refusal({
        key,
        spentUsd: current.spentUsd,
        limitUsd,
        window,
        windowMs: current.windowMs,
        retryAfterSeconds: current.retryAfterSeconds,
      });
    }
    observe(context, key);
    return undefined;
  }

  function refusal(info: SpendLimitInfo): Refusal {
    let text: string;
    try {
      text =
        typeof message === 'function'
          ? String(message(info))
          : (message ?? defaultSpendLimitMessage(info));
    } catch (error) {
      report('message', 'genmeta: spendLimit: the message option threw (reported once)', error);
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
          window: typeof info.window === 'string' ? info.window : 'sliding',
          window_ms: info.windowMs,
          retry_after_seconds: info.retryAfterSeconds,
        },
      },
    });
    return { status: 429, body, retryAfter: String(info.retryAfterSeconds) };
  }

  const limiter = ((
    request: IncomingMessage,
    response: ServerResponse,
    next?: (error?: unknown) => void,
  ) => {
    check(request)
      .then((refused) => {
        if (refused === undefined) {
          next?.();
          return;
        }
        if (response.headersSent) {
          response.end();
          return;
        }
        response.statusCode = refused.status;
        for (const [name, value] of Object.entries(headersOf(refused))) {
          response.setHeader(name, value);
        }
        response.end(refused.body);
      })
      // never an unhandled rejection in the host (a response that cannot be written any more)
      .catch((error: unknown) =>
        report('respond', 'genmeta: spendLimit: answering a request failed', error),
      );
  }) as SpendLimiter;

  async function fetchCheck(request: Request): Promise<Response | undefined> {
    const refused = await check(request);
    if (refused === undefined) return undefined;
    return new Response(refused.body, { status: refused.status, headers: headersOf(refused) });
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

/** An answer the limiter gives instead of the route's. */
interface Refusal {
  status: 429 | 500;
  body: string;
  retryAfter?: string;
}

// Says neither the key option's code nor its value: the client learns only that it was refused.
const invalidKeyBody = JSON.stringify({
  error: {
    code: 500,
    message: 'The spend limit could not tell whose budget this request spends.',
    metadata: { reason: 'spend_limit_key' },
  },
});

function headersOf(refused: Refusal): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (refused.retryAfter !== undefined) headers['retry-after'] = refused.retryAfter;
  return headers;
}

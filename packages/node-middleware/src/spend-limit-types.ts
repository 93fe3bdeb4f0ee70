import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SpendStore, SpendWindow } from '@genmeta/core/engine';
import type { KeyLimitState } from './alerts/types.js';
import type { CostLogger } from './cost-logger.js';

/** A request as `spendLimit` sees it: node:http / Express, or a Web `Request` (`.fetch`). */
export type SpendLimitRequest = IncomingMessage | Request;

/** What the limiter knows when it refuses a request (for a custom `message`). */
export interface SpendLimitInfo {
  key: string;
  /** known spend of the key in the window, USD */
  spentUsd: number;
  limitUsd: number;
  /** the window, as given (`windowMs` given alone reads as `{ windowMs }`) */
  window: SpendWindow;
  /** length of the window, ms (for a calendar window: the current period's, e.g. 30 days) */
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
  /** the window, as given (`windowMs` given alone reads as `{ windowMs }`) */
  window: SpendWindow;
  /** length of the window, ms (for a calendar window: the current period's) */
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
   * request, `req.headers.get('x-user-id')` on a Web `Request`. A string is the key; a finite number (or bigint) is used as its decimal string (`42` and `'42'` are one
   * budget). A request for which it returns undefined, null or an empty string (or throws:
   * reported once) passes, uncounted. Any other value (an object, a boolean, NaN) is a bug in
   * the option: the request is refused with a 500, never let through unlimited, and the limiter
   * warns once. Express/node:http requests are `IncomingMessage`s; `.fetch` and `.handle` pass
   * a `Request`.
   */
  key: (request: SpendLimitRequest) => string | number | null | undefined;
  /** Budget per key in the window, USD (greater than 0). */
  limitUsd: number;
  /**
   * The budget's window: a calendar period in UTC, `'day'`, `'week'` (from Monday 00:00 UTC)
   * or `'month'`, whose budget comes back whole when the next period starts; or a sliding
   * window `{ windowMs }` (the same as `windowMs`). Give this or `windowMs`.
   * @default undefined (then `windowMs` is required)
   */
  window?: SpendWindow;
  /**
   * Length of a sliding window, ms: an integer from 1 to 100 years (`MAX_WINDOW_MS`). A spend
   * counts for at least `windowMs` and at most one bucket (1/60 to 1/24 of it) longer. Give
   * this or `window`.
   * @default undefined (then `window` is required)
   */
  windowMs?: number;
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
  /**
   * Refuse before OpenRouter does: every request through the limiter gets a 429 (reason
   * `key_limit`) while the OpenRouter key's `limit_remaining`, as `costAlerts({ key })` last read
   * it (`alerts.keyLimit`), is at or under `reserveUsd`.
   * @default undefined (the key's own limit is OpenRouter's business)
   */
  keyLimit?: { state: KeyLimitState; reserveUsd?: number };
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
  /** The key's spend in the window now (a number key is its decimal string). */
  status(key: string | number): Promise<SpendLimitStatus>;
}

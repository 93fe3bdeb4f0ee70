import { checkSpendWindow, MAX_WINDOW_MS, type SpendWindow } from '@genmeta/core/engine';
import type { SpendLimitInfo, SpendLimitOptions } from '../spend-limit.js';
import { findHook } from './host.js';
import { integerOption } from './options.js';
import type { RequestHookOptions } from './request-hook.js';

function formatDuration(windowMs: number): string {
  if (windowMs % 86_400_000 === 0) return `${windowMs / 86_400_000} d`;
  if (windowMs % 3_600_000 === 0) return `${windowMs / 3_600_000} h`;
  if (windowMs % 60_000 === 0) return `${windowMs / 60_000} min`;
  if (windowMs % 1_000 === 0) return `${windowMs / 1_000} s`;
  return `${windowMs} ms`;
}

const calendarWords = { day: 'today', week: 'this week', month: 'this month' } as const;

/** `in the last 1 h`, or `this month (UTC)`. */
export function describeWindow(window: SpendWindow): string {
  return typeof window === 'string'
    ? `${calendarWords[window]} (UTC)`
    : `in the last ${formatDuration(window.windowMs)}`;
}

export function defaultSpendLimitMessage(info: SpendLimitInfo): string {
  return `Spend limit reached: ${info.spentUsd} of ${info.limitUsd} USD ${describeWindow(info.window)}. Retry after ${info.retryAfterSeconds} s.`;
}

/** What the `key` option's answer means for a request. */
export type KeyVerdict =
  | { kind: 'key'; key: string }
  | { kind: 'anonymous' }
  | { kind: 'invalid'; type: string };

/**
 * The key rule: a non-empty string is the key; a finite number or a bigint is used as its
 * decimal string (`42` and `'42'` are one budget); undefined, null or `''` is an anonymous
 * request (not limited); anything else (an object, a boolean, NaN) is invalid.
 */
export function keyVerdict(value: unknown): KeyVerdict {
  if (typeof value === 'string')
    return value === '' ? { kind: 'anonymous' } : { kind: 'key', key: value };
  if (typeof value === 'number' && Number.isFinite(value))
    return { kind: 'key', key: String(value) };
  if (typeof value === 'bigint') return { kind: 'key', key: value.toString() };
  if (value === undefined || value === null) return { kind: 'anonymous' };
  const type = typeof value === 'number' ? String(value) : typeof value;
  return { kind: 'invalid', type: Array.isArray(value) ? 'array' : type };
}

export function checkSpendLimitOptions(options: SpendLimitOptions): {
  /** the costLogger's tracker (a request's context belongs to it) and its reporter */
  link: Pick<RequestHookOptions, 'tracker' | 'report'>;
  window: SpendWindow;
} {
  if (typeof options?.key !== 'function') {
    throw new TypeError(
      'spendLimit: option "key" must be a function (request) => string | number | undefined',
    );
  }
  const { limitUsd } = options;
  if (typeof limitUsd !== 'number' || !Number.isFinite(limitUsd) || limitUsd <= 0) {
    throw new RangeError(
      `spendLimit: option "limitUsd" must be a finite number above 0 (got ${String(limitUsd)})`,
    );
  }
  if (options.window !== undefined && options.windowMs !== undefined) {
    throw new TypeError('spendLimit: give option "window" or "windowMs", not both');
  }
  if (options.window === undefined && options.windowMs === undefined) {
    throw new RangeError(
      "spendLimit: option \"window\" ('day', 'week', 'month' or { windowMs }) or \"windowMs\" (a sliding window, ms) is required",
    );
  }
  const window =
    options.window !== undefined
      ? checkSpendWindow('spendLimit', 'window', options.window)
      : {
          windowMs: integerOption('spendLimit', 'windowMs', options.windowMs, 0, 1, MAX_WINDOW_MS),
        };
  const link = findHook(options.logger);
  if (link === undefined) {
    throw new TypeError(
      'spendLimit: option "logger" must be a costLogger() (its records count the spend)',
    );
  }
  const { store } = options;
  if (
    store !== undefined &&
    (typeof store?.record !== 'function' || typeof store.buckets !== 'function')
  ) {
    throw new TypeError('spendLimit: option "store" must be a SpendStore (record, buckets)');
  }
  if (
    options.message !== undefined &&
    typeof options.message !== 'string' &&
    typeof options.message !== 'function'
  ) {
    throw new TypeError('spendLimit: option "message" must be a string or a function');
  }
  const { keyLimit } = options;
  if (keyLimit !== undefined && typeof keyLimit?.state?.exhausted !== 'function') {
    throw new TypeError(
      'spendLimit: option "keyLimit" must be { state: costAlerts(...).keyLimit, reserveUsd? }',
    );
  }
  const reserveUsd = keyLimit?.reserveUsd;
  if (
    reserveUsd !== undefined &&
    !(typeof reserveUsd === 'number' && reserveUsd >= 0 && Number.isFinite(reserveUsd))
  ) {
    throw new RangeError(
      `spendLimit: option "keyLimit.reserveUsd" must be a finite number from 0 (got ${String(reserveUsd)})`,
    );
  }
  return { link, window };
}

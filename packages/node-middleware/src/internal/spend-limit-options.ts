import type { SpendLimitInfo, SpendLimitOptions } from '../spend-limit.js';
import { findHook } from './host.js';
import { durationOption } from './options.js';
import type { RequestHookOptions } from './request-hook.js';

function formatWindow(windowMs: number): string {
  if (windowMs % 3_600_000 === 0) return `${windowMs / 3_600_000} h`;
  if (windowMs % 60_000 === 0) return `${windowMs / 60_000} min`;
  if (windowMs % 1_000 === 0) return `${windowMs / 1_000} s`;
  return `${windowMs} ms`;
}

export function defaultSpendLimitMessage(info: SpendLimitInfo): string {
  return `Spend limit reached: ${info.spentUsd} of ${info.limitUsd} USD in the last ${formatWindow(info.windowMs)}. Retry after ${info.retryAfterSeconds} s.`;
}

export function checkSpendLimitOptions(options: SpendLimitOptions): {
  /** the costLogger's tracker (a request's context belongs to it) and its once-per-key reporter */
  link: Pick<RequestHookOptions, 'tracker' | 'report'>;
  windowMs: number;
} {
  if (typeof options?.key !== 'function') {
    throw new TypeError(
      'spendLimit: option "key" must be a function (request) => string | undefined',
    );
  }
  const { limitUsd } = options;
  if (typeof limitUsd !== 'number' || !Number.isFinite(limitUsd) || limitUsd <= 0) {
    throw new RangeError(
      `spendLimit: option "limitUsd" must be a finite number above 0 (got ${String(limitUsd)})`,
    );
  }
  if (options.windowMs === undefined) {
    throw new RangeError('spendLimit: option "windowMs" is required (the sliding window, ms)');
  }
  const windowMs = durationOption('spendLimit', 'windowMs', options.windowMs, 0, 1);
  const link = findHook(options.logger);
  if (link === undefined) {
    throw new TypeError(
      'spendLimit: option "logger" must be a costLogger() (its records count the spend)',
    );
  }
  const { store } = options;
  if (
    store !== undefined &&
    (typeof store.record !== 'function' || typeof store.entries !== 'function')
  ) {
    throw new TypeError('spendLimit: option "store" must be a SpendStore (record, entries)');
  }
  if (
    options.message !== undefined &&
    typeof options.message !== 'string' &&
    typeof options.message !== 'function'
  ) {
    throw new TypeError('spendLimit: option "message" must be a string or a function');
  }
  return { link, windowMs };
}

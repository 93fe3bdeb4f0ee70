import { randomBytes } from 'node:crypto';
import type { FakeOpenRouterOptions } from '../types.js';

/** The fake's options with every default applied and every value checked. */
export interface ResolvedOptions {
  host: string;
  port: number;
  statsDelayMs: number;
  latencyMs: number;
  chunkDelayMs: number;
  apiKey: string;
  managementKey: string;
  analyticsRateLimit: { requests: number; windowMs: number };
  analyticsMaxRows: number;
  totalCredits: number;
  byokByDefault: boolean;
  verbose: boolean;
  keyLimitUsd: number | null;
  keyLimitReset: 'daily' | 'weekly' | 'monthly' | null;
}

/** `value`, or `fallback` when absent; a RangeError naming `name` when negative or not finite. */
export function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number, got ${String(value)}`);
  }
  return value;
}

/** Applies the documented defaults; throws a typed error naming the first bad option. */
export function resolveOptions(options: FakeOpenRouterOptions): ResolvedOptions {
  const apiKey = options.apiKey ?? `sk-or-v1-fake-${randomBytes(24).toString('hex')}`;
  if (typeof apiKey !== 'string' || apiKey.trim() === '' || /\s/.test(apiKey)) {
    throw new TypeError('apiKey must be a non-empty string without whitespace');
  }
  const managementKey =
    options.managementKey ?? `sk-or-v1-fake-mgmt-${randomBytes(24).toString('hex')}`;
  if (
    typeof managementKey !== 'string' ||
    managementKey.trim() === '' ||
    /\s/.test(managementKey) ||
    managementKey === apiKey
  ) {
    throw new TypeError(
      'managementKey must be a non-empty string without whitespace, other than apiKey',
    );
  }
  const rateLimit = options.analyticsRateLimit ?? {};
  const analyticsMaxRows = nonNegative('analyticsMaxRows', options.analyticsMaxRows, 10_000);
  if (!Number.isInteger(analyticsMaxRows) || analyticsMaxRows < 1) {
    throw new RangeError('analyticsMaxRows must be an integer of at least 1');
  }
  return {
    managementKey,
    analyticsRateLimit: {
      requests: Math.max(
        1,
        Math.floor(nonNegative('analyticsRateLimit.requests', rateLimit.requests, 64)),
      ),
      windowMs: nonNegative('analyticsRateLimit.windowMs', rateLimit.windowMs, 60_000),
    },
    analyticsMaxRows,
    totalCredits: nonNegative('totalCredits', options.totalCredits, 100),
    host: options.host ?? '127.0.0.1',
    port: nonNegative('port', options.port, 0),
    statsDelayMs: nonNegative('statsDelayMs', options.statsDelayMs, 0),
    latencyMs: nonNegative('latencyMs', options.latencyMs, 0),
    chunkDelayMs: nonNegative('chunkDelayMs', options.chunkDelayMs, 5),
    apiKey,
    byokByDefault: options.byok === true,
    verbose: options.verbose === true,
    keyLimitUsd:
      options.keyLimitUsd === undefined || options.keyLimitUsd === null
        ? null
        : nonNegative('keyLimitUsd', options.keyLimitUsd, 0),
    keyLimitReset: options.keyLimitReset ?? null,
  };
}

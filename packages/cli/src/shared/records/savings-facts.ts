/**
 * What a generation entry of a cost record says about savings and waste: read once per
 * generation, `null` when it says nothing (the common case, so nothing is allocated for it).
 */
export interface GenerationFacts {
  /** `cache_discount` in units of 1e-10 USD: what prompt caching saved (negative for writes) */
  cacheDiscountUnits: number;
  /** `response_cache_source_id`: served from this generation's stored response */
  responseCacheSourceId: string | null;
  cancelled: boolean;
  /** `finish_reason` was `error` */
  errored: boolean;
  /** attempts that failed before the one that answered */
  failedAttempts: number;
  /** their latency, ms */
  failedAttemptsLatencyMs: number;
}

import { usdToSumUnits } from '@genmeta/core/rules';

type Json = Record<string, unknown>;

const finite = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Most a cache discount of one generation can be, USD: a larger one is a broken line, not a fact. */
const maxCacheDiscountUsd = 1e6;

/**
 * Reads the savings and waste facts of one generation entry. Values of the wrong type are left
 * out rather than guessed (records written before these fields existed have none of them).
 */
export function generationFacts(value: Json): GenerationFacts | null {
  const discount = value.cache_discount;
  const source = value.response_cache_source_id;
  const failed = value.failedAttempts;
  const cacheDiscountUsd =
    finite(discount) && Math.abs(discount) <= maxCacheDiscountUsd ? discount : 0;
  const responseCacheSourceId = typeof source === 'string' && source !== '' ? source : null;
  const cancelled = value.cancelled === true;
  const errored = value.finish_reason === 'error';
  let failedAttempts = 0;
  let failedAttemptsLatencyMs = 0;
  if (typeof failed === 'object' && failed !== null) {
    const { count, latencyMs } = failed as Json;
    if (finite(count) && Number.isInteger(count) && count > 0 && count < 1e6) {
      failedAttempts = count;
      failedAttemptsLatencyMs =
        finite(latencyMs) && latencyMs >= 0 && latencyMs < 1e12 ? latencyMs : 0;
    }
  }
  if (
    cacheDiscountUsd === 0 &&
    responseCacheSourceId === null &&
    !cancelled &&
    !errored &&
    failedAttempts === 0
  ) {
    return null;
  }
  return {
    cacheDiscountUnits: cacheDiscountUsd === 0 ? 0 : usdToSumUnits(cacheDiscountUsd),
    responseCacheSourceId,
    cancelled,
    errored,
    failedAttempts,
    failedAttemptsLatencyMs,
  };
}

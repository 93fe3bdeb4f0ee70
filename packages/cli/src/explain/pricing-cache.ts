import { type GenmetaClient, isGenmetaError, type ModelEndpoints } from '@genmeta/core';
import { getModelEndpoints } from '@genmeta/core/api';

/** A model's price list, or why it could not be had (a core error code and its message). */
export type PricingOutcome =
  | { ok: true; endpoints: ModelEndpoints }
  | { ok: false; code: string; message: string };

/** The price lists of one run: each model's endpoints fetched once, however many ids use it. */
export interface PricingCache {
  /** Starts fetching a model's endpoints (at most once per run); the outcome is kept. */
  get(model: string): Promise<PricingOutcome>;
  /** Models whose endpoints could not be fetched, with why: reported once each. */
  failures(): Map<string, { code: string; message: string }>;
}

/** Distinct models whose price list a run keeps at most (a run of more fetches again). */
const maxModels = 10_000;

export function createPricingCache(
  client: GenmetaClient,
  options: { deadlineMs: number; signal: AbortSignal | undefined },
): PricingCache {
  const outcomes = new Map<string, Promise<PricingOutcome>>();
  const failed = new Map<string, { code: string; message: string }>();
  const fetchOutcome = async (model: string): Promise<PricingOutcome> => {
    try {
      const endpoints = await getModelEndpoints(client, model, {
        deadlineMs: options.deadlineMs,
        signal: options.signal,
      });
      return { ok: true, endpoints };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const code = isGenmetaError(error) ? error.code : 'invalid_response';
      const message = error instanceof Error ? error.message : String(error);
      failed.set(model, { code, message });
      return { ok: false, code, message };
    }
  };
  return {
    get(model) {
      let outcome = outcomes.get(model);
      if (outcome === undefined) {
        outcome = fetchOutcome(model);
        if (outcomes.size < maxModels) outcomes.set(model, outcome);
        // A rejection (an abort) is read by whoever awaits it; never unhandled here.
        outcome.catch(() => {});
      }
      return outcome;
    },
    failures: () => failed,
  };
}

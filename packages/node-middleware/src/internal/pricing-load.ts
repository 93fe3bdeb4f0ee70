import type { GenmetaClient, ModelEndpoints } from '@genmeta/core';
import { getModelEndpoints } from '@genmeta/core/api';

/** How long a model's price list is reused: prices change rarely, and never per request. */
const pricingTtlMs = 10 * 60_000;
/** Models whose price list one proxy keeps at most (the oldest is dropped first). */
const maxModels = 500;

/** What the pricing route serves: the endpoints (with pricing) of the model that served `id`. */
export type PricingLoad = (client: GenmetaClient, id: string) => Promise<{ data: ModelEndpoints }>;

/**
 * Loads a generation's model pricing through the server's client: the generation first (core's
 * cache and single-flight), then its model's endpoints, fetched once per model per
 * {@link pricingTtlMs} however many ids ask.
 */
export function createPricingLoad(): PricingLoad {
  const byModel = new Map<string, { at: number; endpoints: Promise<ModelEndpoints> }>();
  return async (client, id) => {
    const generation = await client.getGeneration(id, { wait: false });
    const now = Date.now();
    let entry = byModel.get(generation.model);
    if (entry === undefined || now - entry.at > pricingTtlMs) {
      if (byModel.size >= maxModels) {
        const oldest = byModel.keys().next().value;
        if (oldest !== undefined) byModel.delete(oldest);
      }
      entry = { at: now, endpoints: getModelEndpoints(client, generation.model) };
      byModel.delete(generation.model);
      byModel.set(generation.model, entry);
      const model = generation.model;
      const loading = entry;
      // A failed fetch is not kept: the next request tries again.
      entry.endpoints.catch(() => {
        if (byModel.get(model) === loading) byModel.delete(model);
      });
    }
    return { data: await entry.endpoints };
  };
}

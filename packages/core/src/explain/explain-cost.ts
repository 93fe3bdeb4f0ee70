import { spendOf } from '../cost.js';
import { sumUsd } from '../internal/money.js';
import { roundUsd } from '../internal/spend.js';
import type { Generation } from '../schemas/generation.js';
import { effectivePrices } from './effective-prices.js';
import { pricedParts } from './priced-parts.js';
import { selectEndpoint, servingProvider } from './select-endpoint.js';
import type {
  CostComponent,
  CostExplanation,
  CostRule,
  ExplainedEndpoint,
  PricingInput,
} from './types.js';

const finite = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Zero-completion insurance: no output, and an empty or error finish, is billed 0. */
function isInsured(generation: Generation): boolean {
  const completion = generation.native_tokens_completion ?? generation.tokens_completion;
  const finish = generation.finish_reason;
  return (
    completion === 0 &&
    (finish === null || finish === undefined || finish === '' || finish === 'error')
  );
}

function totalOf(components: readonly CostComponent[]): number | null {
  if (components.some((component) => component.usd === null)) return null;
  return sumUsd(components.map((component) => component.usd as number));
}

/**
 * Why a generation cost what it did: its parts priced at the endpoint that served it, the rules
 * that made it zero or different, and what the price list cannot explain (`residualUsd`).
 *
 * Pure and synchronous. `pricing` is the model's endpoints (`GET /models/{author}/{slug}/endpoints`,
 * its `data` or `data.endpoints`) or one endpoint; the serving endpoint is picked by the
 * answering attempt's provider. A part the price list cannot price is `unknown` (its `usd`
 * null, with a reason), never 0; the residual is never forced to 0.
 *
 * @example
 * const explanation = explainCost(generation, await getModelEndpoints(client, generation.model));
 * for (const part of explanation.components) console.log(part.name, part.usd);
 */
export function explainCost(generation: Generation, pricing: PricingInput): CostExplanation {
  const chargedUsd = spendOf(generation);
  const rules: CostRule[] = [];
  let endpoint: ExplainedEndpoint | null = null;
  let components: CostComponent[] = [];

  const sourceId = generation.response_cache_source_id;
  if (typeof sourceId === 'string' && sourceId !== '') {
    rules.push({
      name: 'response_cache_hit',
      detail: `served from the stored response of ${sourceId}; billed 0`,
      sourceId,
    });
  } else if (isInsured(generation)) {
    rules.push({
      name: 'zero_completion_insurance',
      detail: `no output and finish reason ${generation.finish_reason ?? 'empty'}; billed 0`,
    });
  } else {
    if (generation.cancelled === true) {
      rules.push({
        name: 'cancelled',
        detail: 'cancelled by the caller; billed for the tokens processed before that',
      });
    }
    const choice = selectEndpoint(generation, pricing);
    let parts: CostComponent[];
    if (choice.endpoint === null) {
      const reason = choice.reason;
      parts = (['prompt', 'completion'] as const).map((name) => ({
        name,
        quantity:
          (name === 'prompt'
            ? generation.native_tokens_prompt
            : generation.native_tokens_completion) ?? null,
        unitUsd: null,
        usd: null,
        unknown: reason,
      }));
    } else {
      const served = choice.endpoint;
      endpoint = {
        provider: served.provider_name,
        name: typeof served.name === 'string' ? served.name : null,
        tag: typeof served.tag === 'string' ? served.tag : null,
      };
      const prices = effectivePrices(served.pricing, generation);
      const priced = pricedParts(generation, prices);
      rules.push(...prices.rules, ...priced.rules);
      parts = priced.parts;
    }
    components = generation.is_byok === true ? byokComponents(generation, parts, rules) : parts;
  }

  const expectedUsd = totalOf(components);
  const residualUsd =
    chargedUsd === null || expectedUsd === null
      ? null
      : roundUsd(sumUsd([chargedUsd, -expectedUsd]));
  return {
    id: generation.id,
    model: generation.model,
    provider: servingProvider(generation),
    endpoint,
    components,
    expectedUsd,
    chargedUsd,
    residualUsd,
    rules,
  };
}

/** BYOK: the provider was paid with the account's key (the priced parts), OpenRouter its fee. */
function byokComponents(
  generation: Generation,
  parts: CostComponent[],
  rules: CostRule[],
): CostComponent[] {
  const upstream = totalOf(parts);
  const fee = generation.total_cost;
  rules.push({
    name: 'byok',
    detail: `the provider charged your own key${finite(generation.upstream_inference_cost) ? ` ${generation.upstream_inference_cost} USD` : ''}; OpenRouter charged its fee`,
  });
  return [
    upstream === null
      ? {
          name: 'byok_upstream',
          quantity: 1,
          unitUsd: null,
          usd: null,
          unknown: 'a part of the provider charge is unknown',
          parts,
        }
      : { name: 'byok_upstream', quantity: 1, unitUsd: upstream, usd: upstream, parts },
    finite(fee)
      ? { name: 'byok_fee', quantity: 1, unitUsd: fee, usd: fee }
      : {
          name: 'byok_fee',
          quantity: 1,
          unitUsd: null,
          usd: null,
          unknown: 'total_cost not reported',
        },
  ];
}

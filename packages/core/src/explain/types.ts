import type { ModelEndpoint } from '../schemas/model-endpoints.js';

/** The parts a generation's cost is made of, in the order they are listed. */
export const costComponentNames = [
  'prompt',
  'completion',
  'reasoning',
  'cache_read',
  'cache_write',
  'request',
  'web_search',
  'web_fetch',
  'image',
  'audio',
  'discount',
  'byok_upstream',
  'byok_fee',
] as const;

/** One of {@link costComponentNames}. */
export type CostComponentName = (typeof costComponentNames)[number];

/**
 * One part of a cost: `usd = quantity × unitUsd` (rounded to 1e-12 USD). Tokens for token
 * parts, requests, search results or images for the others; for `discount` the quantity is the
 * fraction taken off and `unitUsd` the (negative) subtotal it applies to.
 */
export interface CostComponent {
  name: CostComponentName;
  /** How many units; `null` when not reported. */
  quantity: number | null;
  /** USD per unit; `null` when the price list lacks it. */
  unitUsd: number | null;
  /** USD; `null` when unknown (never 0 for unknown). */
  usd: number | null;
  /** Why this part is unknown; present exactly when `usd` is `null`. */
  unknown?: string;
  /** `byok_upstream` only: the priced parts the provider charged the account's own key for. */
  parts?: CostComponent[];
}

/** The billing rules genmeta names when one shaped the cost. */
export const costRuleNames = [
  'response_cache_hit',
  'zero_completion_insurance',
  'cancelled',
  'byok',
  'endpoint_discount',
  'pricing_override',
  'cache_write_from_discount',
] as const;

/** One of {@link costRuleNames}. */
export type CostRuleName = (typeof costRuleNames)[number];

/** A billing rule that made the cost zero or different, with what it rests on. */
export interface CostRule {
  name: CostRuleName;
  /** One line for people, e.g. `served from the response cache of gen-…; billed 0`. */
  detail: string;
  /** `response_cache_hit` only: the generation whose stored answer was served. */
  sourceId?: string;
}

/** The endpoint whose prices explain the generation: the one that served it. */
export interface ExplainedEndpoint {
  /** e.g. `OpenAI`. */
  provider: string;
  /** The endpoint's `name`, when listed. */
  name: string | null;
  /** The endpoint's `tag`, when listed. */
  tag: string | null;
}

/** Why a cost is what it is, from {@link explainCost}. */
export interface CostExplanation {
  /** The generation explained. */
  id: string;
  model: string;
  /** The provider that served it (`provider_name`, or the last successful attempt's), or null. */
  provider: string | null;
  /** The endpoint whose prices were used; null when none matched (the parts are then unknown). */
  endpoint: ExplainedEndpoint | null;
  /** The parts, in {@link costComponentNames} order; unknown ones have `usd: null`. */
  components: CostComponent[];
  /** Sum of the components, USD; null when one of them is unknown. */
  expectedUsd: number | null;
  /** What the generation cost the account (`spendOf`: BYOK adds the upstream cost); null when unknown. */
  chargedUsd: number | null;
  /** `chargedUsd − expectedUsd`: what the price list does not explain; null when either is unknown. */
  residualUsd: number | null;
  /** The billing rules that applied. */
  rules: CostRule[];
}

/** What {@link explainCost} accepts as prices: a model's endpoints (one is picked), or one endpoint. */
export type PricingInput =
  | { endpoints: readonly ModelEndpoint[] }
  | readonly ModelEndpoint[]
  | ModelEndpoint
  | null
  | undefined;

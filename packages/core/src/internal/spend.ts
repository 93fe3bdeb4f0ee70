/** Cost figures as a completion's inline `usage` (or a generation) reports them. */
export interface InlineCost {
  /** `usage.cost` (or `total_cost`): USD charged to OpenRouter credits. */
  costUsd?: number | null | undefined;
  /** `usage.is_byok`: the provider was paid with the account's own provider key. */
  isByok?: boolean | null | undefined;
  /** `usage.cost_details.upstream_inference_cost`: what the provider charged (BYOK). */
  upstreamInferenceCostUsd?: number | null | undefined;
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * The one BYOK rule: what the user spent, in USD, or `null` when unknown (never 0).
 * - BYOK: the cost (OpenRouter's fee) plus the upstream cost; `null` without the latter.
 * - Not BYOK: the cost (the upstream cost is already inside it, never added again).
 * - BYOK not stated: `null` (one cannot tell whether the provider was paid apart).
 */
export function inlineSpendOf(cost: InlineCost): number | null {
  if (!finite(cost.costUsd)) return null;
  if (cost.isByok === true) {
    return finite(cost.upstreamInferenceCostUsd)
      ? cost.costUsd + cost.upstreamInferenceCostUsd
      : null;
  }
  return cost.isByok === false ? cost.costUsd : null;
}

/** The one USD rounding: to 1e-12 USD, far below any price, removing float noise from sums. */
export function roundUsd(amount: number): number {
  return Math.round(amount * 1e12) / 1e12;
}

import { inlineSpendOf } from './internal/spend.js';
import type { Generation } from './schemas/generation.js';

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * What a generation cost the user, in USD, or `null` when unknown (unknown is not zero).
 *
 * - BYOK (`is_byok: true`): `total_cost` (OpenRouter's fee) + `upstream_inference_cost` (what
 *   the provider charged the user's own key); `null` when the latter is null or absent.
 * - Otherwise: `total_cost`. `upstream_inference_cost` is then already inside it and is never
 *   added again.
 */
export function spendOf(generation: Generation): number | null {
  return inlineSpendOf({
    costUsd: generation.total_cost,
    isByok: generation.is_byok === true,
    upstreamInferenceCostUsd: generation.upstream_inference_cost,
  });
}

/** Spend of one group (a model or a provider) in a {@link SpendSummary}. */
export interface SpendGroup {
  /** Generations in the group. */
  count: number;
  /** Sum of known spends, USD; a lower bound when `unknownCount > 0`. */
  spendUsd: number;
  /** Generations whose spend is unknown ({@link spendOf} gave `null`). */
  unknownCount: number;
}

/** Totals over many generations, from {@link summarize}. */
export interface SpendSummary {
  /** Generations summarized. */
  count: number;
  /** Sum of known spends, USD; a lower bound when `unknownCount > 0`. */
  totalUsd: number;
  /** Generations whose spend is unknown. */
  unknownCount: number;
  /** By `model`. */
  byModel: Record<string, SpendGroup>;
  /** By `provider_name`; key `'unknown'` when it is null or absent. */
  byProvider: Record<string, SpendGroup>;
  /** Token sums (null counts as 0): normalized prompt/completion, native reasoning/cached/prompt/completion. */
  tokens: {
    prompt: number;
    completion: number;
    reasoning: number;
    cached: number;
    nativePrompt: number;
    nativeCompletion: number;
  };
}

function addTo(groups: Map<string, SpendGroup>, key: string, spend: number | null): void {
  let group = groups.get(key);
  if (group === undefined) {
    group = { count: 0, spendUsd: 0, unknownCount: 0 };
    groups.set(key, group);
  }
  group.count++;
  if (spend === null) group.unknownCount++;
  else group.spendUsd += spend;
}

function tokens(value: unknown): number {
  return finite(value) ? value : 0;
}

/** Sums spend (per {@link spendOf}), by model and provider, and token counts. */
export function summarize(generations: Iterable<Generation>): SpendSummary {
  const byModel = new Map<string, SpendGroup>();
  const byProvider = new Map<string, SpendGroup>();
  const summary: SpendSummary = {
    count: 0,
    totalUsd: 0,
    unknownCount: 0,
    byModel: {},
    byProvider: {},
    tokens: {
      prompt: 0,
      completion: 0,
      reasoning: 0,
      cached: 0,
      nativePrompt: 0,
      nativeCompletion: 0,
    },
  };
  for (const generation of generations) {
    const spend = spendOf(generation);
    summary.count++;
    if (spend === null) summary.unknownCount++;
    else summary.totalUsd += spend;
    addTo(byModel, typeof generation.model === 'string' ? generation.model : 'unknown', spend);
    addTo(byProvider, generation.provider_name ?? 'unknown', spend);
    summary.tokens.prompt += tokens(generation.tokens_prompt);
    summary.tokens.completion += tokens(generation.tokens_completion);
    summary.tokens.reasoning += tokens(generation.native_tokens_reasoning);
    summary.tokens.cached += tokens(generation.native_tokens_cached);
    summary.tokens.nativePrompt += tokens(generation.native_tokens_prompt);
    summary.tokens.nativeCompletion += tokens(generation.native_tokens_completion);
  }
  summary.byModel = Object.fromEntries(byModel);
  summary.byProvider = Object.fromEntries(byProvider);
  return summary;
}

/**
 * Formats USD for people, keeping sub-cent precision: `$0.0000954`, `$0.50`, `$1.23`,
 * `$0.00` for exactly zero, `-$0.25`, and `unknown` for null, undefined, NaN or infinities.
 */
export function formatUsd(amount: number | null | undefined): string {
  if (!finite(amount)) return 'unknown';
  if (amount === 0) return '$0.00';
  const sign = amount < 0 ? '-' : '';
  const absolute = Math.abs(amount);
  // Three significant digits below a dollar, cents above; never fewer than two decimals.
  const decimals =
    absolute >= 1 ? 2 : Math.min(20, Math.max(2, 2 - Math.floor(Math.log10(absolute))));
  let text = absolute.toFixed(decimals);
  if (decimals > 2) {
    const [whole, fraction = ''] = text.split('.');
    text = `${whole}.${fraction.replace(/0+$/, '').padEnd(2, '0')}`;
  }
  return `${sign}$${text}`;
}

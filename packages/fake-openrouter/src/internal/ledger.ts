import type { BilledAdjustment, FakeGeneration } from '../types.js';
import type { GenerationStore } from './generation-store.js';

/** What the fake billed for one generation, in OpenRouter's analytics terms. */
export interface BilledGeneration {
  id: string;
  /** Epoch ms of `created_at`. */
  at: number;
  model: string;
  provider: string;
  finishReason: string;
  isByok: boolean;
  /** Billed to credits (`total_cost`; for BYOK, OpenRouter's fee). */
  credits: number;
  /** Paid to the provider with the account's own key (BYOK `upstream_inference_cost`), else 0. */
  byok: number;
  tokensPrompt: number;
  tokensCompletion: number;
}

const numberOr = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/** `created_at` as the fake writes it (`...000+00:00`) or any ISO date-time, in epoch ms. */
function timeOf(generation: FakeGeneration): number {
  const at = Date.parse(String(generation.created_at ?? ''));
  return Number.isNaN(at) ? 0 : at;
}

/**
 * The fake's ledger: every generation it created (a finished completion, through a tracking
 * fetch or not, or one added by a test) is billed, as its stats say, unless a test adjusted the
 * billed amount after the fact (OpenRouter corrects costs now and then).
 */
export class Ledger {
  readonly #adjustments = new Map<string, BilledAdjustment>();

  constructor(private readonly store: GenerationStore) {}

  /** Bills `id` differently from its stats from now on. */
  adjust(id: string, adjustment: BilledAdjustment): void {
    if (typeof id !== 'string' || id === '')
      throw new TypeError('adjustBilled: id must be a non-empty string');
    for (const [name, value] of Object.entries(adjustment)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new RangeError(`adjustBilled: ${name} must be a non-negative number`);
      }
    }
    this.#adjustments.set(id, { ...this.#adjustments.get(id), ...adjustment });
  }

  clear(): void {
    this.#adjustments.clear();
  }

  /** Every billed generation created in [start, end) (epoch ms). */
  *billed(
    start = Number.NEGATIVE_INFINITY,
    end = Number.POSITIVE_INFINITY,
  ): IterableIterator<BilledGeneration> {
    for (const generation of this.store.finished()) {
      const at = timeOf(generation);
      if (at < start || at >= end) continue;
      const adjusted = this.#adjustments.get(generation.id) ?? {};
      const isByok = generation.is_byok === true;
      yield {
        id: generation.id,
        at,
        model: String(generation.model ?? ''),
        provider: String(generation.provider_name ?? ''),
        finishReason: String(generation.finish_reason ?? ''),
        isByok,
        credits: adjusted.total_cost ?? numberOr(generation.total_cost, 0),
        byok: isByok
          ? (adjusted.upstream_inference_cost ?? numberOr(generation.upstream_inference_cost, 0))
          : 0,
        tokensPrompt: numberOr(generation.tokens_prompt, 0),
        tokensCompletion: numberOr(generation.tokens_completion, 0),
      };
    }
  }
}

import type { InlineUsage } from '../../types.js';

/** OpenRouter's API base URL. */
export const DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1';

/** A base URL without trailing slashes. */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

/** `OPENROUTER_BASE_URL` where `process.env` has a non-blank one, else {@link DEFAULT_BASE_URL}. */
export function defaultBaseUrl(): string {
  const fromEnvironment =
    typeof process !== 'undefined' ? process.env?.OPENROUTER_BASE_URL : undefined;
  return fromEnvironment && fromEnvironment.trim() !== '' ? fromEnvironment : DEFAULT_BASE_URL;
}

/** Sums of float USD amounts, rid of binary noise (1e-12 USD is far below any price). */
export function roundUsd(amount: number): number {
  return Math.round(amount * 1e12) / 1e12;
}

/** Spend from inline usage, BYOK-aware; undefined when it cannot be known. */
export function inlineSpendOf(inline: InlineUsage | undefined): number | undefined {
  if (!inline || inline.costUsd == null) return undefined;
  if (inline.isByok === true) {
    return inline.upstreamInferenceCostUsd == null
      ? undefined
      : inline.costUsd + inline.upstreamInferenceCostUsd;
  }
  // Without is_byok we cannot tell whether the provider was paid separately.
  return inline.isByok === false ? inline.costUsd : undefined;
}

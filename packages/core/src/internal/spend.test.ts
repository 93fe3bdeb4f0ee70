import { describe, expect, it } from 'vitest';
import { spendOf } from '../cost.js';
import type { Generation } from '../schemas/generation.js';
import { inlineSpendOf, roundUsd } from './spend.js';

describe('inlineSpendOf', () => {
  it('is the cost when not BYOK, cost + upstream when BYOK, null when unknown', () => {
    expect(inlineSpendOf({ costUsd: 0.5, isByok: false, upstreamInferenceCostUsd: 0.4 })).toBe(0.5);
    expect(
      inlineSpendOf({ costUsd: 0.01, isByok: true, upstreamInferenceCostUsd: 0.2 }),
    ).toBeCloseTo(0.21, 12);
    expect(inlineSpendOf({ costUsd: 0.01, isByok: true })).toBeNull();
    expect(inlineSpendOf({ costUsd: 0.01 })).toBeNull();
    expect(inlineSpendOf({ costUsd: null, isByok: false })).toBeNull();
    expect(inlineSpendOf({ costUsd: Number.NaN, isByok: false })).toBeNull();
  });

  it('is the rule spendOf applies to a generation', () => {
    const generation = { total_cost: 0.01, is_byok: true, upstream_inference_cost: 0.2 };
    expect(spendOf(generation as Generation)).toBe(
      inlineSpendOf({ costUsd: 0.01, isByok: true, upstreamInferenceCostUsd: 0.2 }),
    );
  });
});

describe('roundUsd', () => {
  it('removes float noise below 1e-12 USD', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(roundUsd(0.1 + 0.2)).toBe(0.3);
    expect(roundUsd(0.0000954)).toBe(0.0000954);
  });
});

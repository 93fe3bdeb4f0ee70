import { describe, expect, it } from 'vitest';
import { formatUsd, spendOf, summarize } from './cost.js';
import type { Generation } from './schemas/generation.js';

function generation(fields: Partial<Generation> = {}): Generation {
  return {
    id: 'gen-1',
    total_cost: 0.01,
    created_at: '2026-01-01T00:00:00Z',
    model: 'openai/gpt-4o',
    origin: '',
    usage: 0.01,
    is_byok: false,
    ...fields,
  };
}

describe('spendOf', () => {
  it('is total_cost without BYOK, never adding upstream_inference_cost again', () => {
    expect(spendOf(generation({ total_cost: 0.01, upstream_inference_cost: 0.008 }))).toBe(0.01);
    expect(spendOf(generation({ total_cost: 0.01, upstream_inference_cost: null }))).toBe(0.01);
    expect(spendOf(generation({ total_cost: 0 }))).toBe(0);
  });

  it('adds the provider charge for BYOK', () => {
    expect(
      spendOf(generation({ is_byok: true, total_cost: 0.0005, upstream_inference_cost: 0.01 })),
    ).toBeCloseTo(0.0105, 12);
    expect(
      spendOf(generation({ is_byok: true, total_cost: 0, upstream_inference_cost: 0.01 })),
    ).toBe(0.01);
  });

  it('is null (unknown) when a BYOK upstream cost is missing, or total_cost is not a number', () => {
    expect(spendOf(generation({ is_byok: true, upstream_inference_cost: null }))).toBeNull();
    expect(spendOf(generation({ is_byok: true }))).toBeNull();
    expect(spendOf(generation({ total_cost: Number.NaN }))).toBeNull();
  });
});

describe('summarize', () => {
  it('totals known spend, counts unknowns, groups by model and provider, sums tokens', () => {
    const summary = summarize([
      generation({
        total_cost: 0.01,
        provider_name: 'OpenAI',
        tokens_prompt: 10,
        tokens_completion: 5,
        native_tokens_prompt: 11,
        native_tokens_completion: 6,
        native_tokens_reasoning: 2,
        native_tokens_cached: 3,
      }),
      generation({
        model: 'anthropic/claude',
        is_byok: true,
        total_cost: 0.001,
        upstream_inference_cost: 0.02,
        provider_name: 'Anthropic',
        tokens_prompt: null,
      }),
      generation({ model: 'anthropic/claude', is_byok: true, total_cost: 0, provider_name: null }),
    ]);
    expect(summary.count).toBe(3);
    expect(summary.unknownCount).toBe(1);
    expect(summary.totalUsd).toBeCloseTo(0.031, 12);
    expect(summary.byModel['openai/gpt-4o']).toEqual({ count: 1, spendUsd: 0.01, unknownCount: 0 });
    expect(summary.byModel['anthropic/claude']).toMatchObject({ count: 2, unknownCount: 1 });
    expect(summary.byModel['anthropic/claude']?.spendUsd).toBeCloseTo(0.021, 12);
    expect(Object.keys(summary.byProvider).sort()).toEqual(['Anthropic', 'OpenAI', 'unknown']);
    expect(summary.byProvider.unknown).toEqual({ count: 1, spendUsd: 0, unknownCount: 1 });
    expect(summary.tokens).toEqual({
      prompt: 10,
      completion: 5,
      reasoning: 2,
      cached: 3,
      nativePrompt: 11,
      nativeCompletion: 6,
    });
  });

  it('summarizes nothing to zeros and accepts any iterable', () => {
    expect(summarize(new Set<Generation>())).toMatchObject({
      count: 0,
      totalUsd: 0,
      unknownCount: 0,
    });
    function* many(): Generator<Generation> {
      yield generation();
      yield generation({ model: '__proto__' });
    }
    const summary = summarize(many());
    expect(summary.count).toBe(2);
    expect(Object.keys(summary.byModel)).toContain('__proto__');
  });
});

describe('formatUsd', () => {
  it.each([
    [0.0000954, '$0.0000954'],
    [0.00009546, '$0.0000955'],
    [0.0000162, '$0.0000162'],
    [0.5, '$0.50'],
    [0.0123, '$0.0123'],
    [0.01, '$0.01'],
    [1.23, '$1.23'],
    [1.235, '$1.24'],
    [1234.5, '$1234.50'],
    [0, '$0.00'],
    [-0, '$0.00'],
    [-0.25, '-$0.25'],
    [-0.00012, '-$0.00012'],
    [1e-9, '$0.000000001'],
    [null, 'unknown'],
    [undefined, 'unknown'],
    [Number.NaN, 'unknown'],
    [Number.POSITIVE_INFINITY, 'unknown'],
  ])('formats %s as %s', (amount, text) => {
    expect(formatUsd(amount)).toBe(text);
  });
});

import type { PricedGenerationSpec } from '@genmeta/fake-openrouter';
import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import { getModelEndpoints } from '../src/api/index.js';
import {
  type CostExplanation,
  explainCost,
  type Generation,
  type ModelEndpoints,
} from '../src/index.js';
import { clientOf } from './helpers.js';

const fake = setupFakeOpenRouter();

/** The fake's price list of a model, over its HTTP route. */
function pricingOf(model: string): Promise<ModelEndpoints> {
  return getModelEndpoints(clientOf(fake), model);
}

async function explained(spec: PricedGenerationSpec): Promise<{
  generation: Generation;
  explanation: CostExplanation;
}> {
  const { id } = fake.addPricedGeneration(spec);
  const generation = await clientOf(fake).getGeneration(id);
  const explanation = explainCost(generation, await pricingOf(generation.model));
  return { generation, explanation };
}

const sum = (explanation: CostExplanation): number =>
  explanation.components.reduce((total, component) => total + (component.usd ?? Number.NaN), 0);
const names = (explanation: CostExplanation) => explanation.components.map((part) => part.name);
const ruleNames = (explanation: CostExplanation) => explanation.rules.map((rule) => rule.name);

describe('explainCost against the fake price list', () => {
  const kinds: Array<[string, PricedGenerationSpec, string[]]> = [
    ['plain', {}, ['prompt', 'completion']],
    [
      'cache reads',
      { model: 'anthropic/claude-sonnet-4', cachedTokens: 600 },
      ['prompt', 'completion', 'cache_read'],
    ],
    [
      'cache reads and writes',
      {
        model: 'anthropic/claude-sonnet-4',
        promptTokens: 5000,
        cachedTokens: 1200,
        cacheWriteTokens: 2048,
      },
      ['prompt', 'completion', 'cache_read', 'cache_write'],
    ],
    [
      'reasoning',
      { model: 'openai/gpt-4o', completionTokens: 900, reasoningTokens: 700 },
      ['prompt', 'completion', 'reasoning'],
    ],
    ['web search', { searchResults: 5 }, ['prompt', 'completion', 'web_search']],
    [
      'discounted endpoint',
      { provider: 'Azure', cachedTokens: 100 },
      ['prompt', 'completion', 'cache_read', 'discount'],
    ],
    ['cancelled', { cancelled: true, completionTokens: 40 }, ['prompt', 'completion']],
    [
      'fallbacks',
      { failedAttempts: [{ provider: 'Azure', status: 429 }] },
      ['prompt', 'completion'],
    ],
  ];
  for (const [kind, spec, parts] of kinds) {
    it(`${kind}: the parts add up to the charge within 1e-9 USD`, async () => {
      const { generation, explanation } = await explained(spec);
      expect(names(explanation)).toEqual(parts);
      expect(explanation.chargedUsd).toBe(generation.total_cost);
      expect(explanation.expectedUsd).not.toBeNull();
      expect(Math.abs(sum(explanation) - (explanation.expectedUsd as number))).toBeLessThan(1e-12);
      expect(Math.abs(explanation.residualUsd as number)).toBeLessThan(1e-9);
      for (const part of explanation.components) {
        expect(
          Math.abs((part.quantity as number) * (part.unitUsd as number) - (part.usd as number)),
        ).toBeLessThan(1e-12);
      }
    });
  }

  it('prices cached tokens at input_cache_read, inside the prompt count', async () => {
    const { explanation } = await explained({
      model: 'anthropic/claude-sonnet-4',
      promptTokens: 1000,
      cachedTokens: 600,
    });
    const [prompt, , cacheRead] = explanation.components;
    expect(prompt).toMatchObject({ name: 'prompt', quantity: 400, unitUsd: 3e-6 });
    expect(cacheRead).toMatchObject({ name: 'cache_read', quantity: 600, unitUsd: 3e-7 });
  });

  it('counts cache writes from cache_discount and names the rule', async () => {
    const { explanation } = await explained({
      model: 'anthropic/claude-sonnet-4',
      promptTokens: 5000,
      cachedTokens: 1200,
      cacheWriteTokens: 2048,
    });
    expect(explanation.components.find((part) => part.name === 'cache_write')).toMatchObject({
      quantity: 2048,
      unitUsd: 3.75e-6,
    });
    expect(explanation.components[0]).toMatchObject({
      name: 'prompt',
      quantity: 5000 - 1200 - 2048,
    });
    expect(ruleNames(explanation)).toContain('cache_write_from_discount');
  });

  it('prices web search per result', async () => {
    const { explanation } = await explained({ searchResults: 7 });
    expect(explanation.components.at(-1)).toEqual({
      name: 'web_search',
      quantity: 7,
      unitUsd: 0.004,
      usd: 0.028,
    });
  });

  it('names the endpoint that served it, and its discount', async () => {
    const { explanation } = await explained({ provider: 'Azure' });
    expect(explanation.endpoint).toMatchObject({ provider: 'Azure' });
    expect(explanation.provider).toBe('Azure');
    expect(ruleNames(explanation)).toEqual(['endpoint_discount']);
    expect(explanation.components.at(-1)).toMatchObject({ name: 'discount', quantity: 0.25 });
  });

  it('shows exactly the amount a charge was inflated by as the residual', async () => {
    const { explanation } = await explained({ model: 'openai/gpt-4o', inflateUsd: 0.0123 });
    expect(explanation.residualUsd).toBeCloseTo(0.0123, 9);
    expect(Math.abs((explanation.residualUsd as number) - 0.0123)).toBeLessThan(1e-9);
  });

  it('applies a long-context override only above its prompt threshold', async () => {
    const long = await explained({ model: 'anthropic/claude-sonnet-4', promptTokens: 200_001 });
    expect(ruleNames(long.explanation)).toEqual(['pricing_override']);
    expect(long.explanation.components[0]).toMatchObject({ unitUsd: 6e-6 });
    expect(Math.abs(long.explanation.residualUsd as number)).toBeLessThan(1e-9);
    const atThreshold = await explained({
      model: 'anthropic/claude-sonnet-4',
      promptTokens: 200_000,
    });
    expect(ruleNames(atThreshold.explanation)).toEqual([]);
    expect(atThreshold.explanation.components[0]).toMatchObject({ unitUsd: 3e-6 });
    expect(Math.abs(atThreshold.explanation.residualUsd as number)).toBeLessThan(1e-9);
  });

  it('applies an off-peak override only inside its UTC window', async () => {
    const model = 'meta-llama/llama-3.1-8b-instruct';
    const inside = await explained({ model, createdAt: Date.UTC(2026, 0, 5, 2, 30) });
    expect(ruleNames(inside.explanation)).toEqual(['pricing_override']);
    expect(Math.abs(inside.explanation.residualUsd as number)).toBeLessThan(1e-9);
    const outside = await explained({ model, createdAt: Date.UTC(2026, 0, 5, 4, 0) });
    expect(ruleNames(outside.explanation)).toEqual([]);
    expect(Math.abs(outside.explanation.residualUsd as number)).toBeLessThan(1e-9);
  });

  it('explains a response-cache hit as 0, naming the source generation', async () => {
    const source = fake.addPricedGeneration({});
    const { explanation } = await explained({ responseCacheHitOf: source.id });
    expect(explanation).toMatchObject({
      components: [],
      expectedUsd: 0,
      chargedUsd: 0,
      residualUsd: 0,
    });
    expect(explanation.rules).toEqual([
      expect.objectContaining({ name: 'response_cache_hit', sourceId: source.id }),
    ]);
  });

  it('explains an insured generation as 0, naming the rule', async () => {
    const { explanation } = await explained({
      failed: true,
      failedAttempts: [{ provider: 'Azure', status: 503 }],
    });
    expect(explanation).toMatchObject({
      components: [],
      expectedUsd: 0,
      chargedUsd: 0,
      residualUsd: 0,
    });
    expect(ruleNames(explanation)).toEqual(['zero_completion_insurance']);
  });

  it('BYOK: the provider charge (its parts) and the fee make up the spend', async () => {
    const { generation, explanation } = await explained({ byok: true, cachedTokens: 200 });
    expect(names(explanation)).toEqual(['byok_upstream', 'byok_fee']);
    expect(explanation.chargedUsd).toBeCloseTo(
      generation.total_cost + (generation.upstream_inference_cost as number),
      12,
    );
    const [upstream, fee] = explanation.components;
    expect(upstream?.parts?.map((part) => part.name)).toEqual([
      'prompt',
      'completion',
      'cache_read',
    ]);
    expect(
      Math.abs((upstream?.usd as number) - (generation.upstream_inference_cost as number)),
    ).toBeLessThan(1e-9);
    expect(fee?.usd).toBe(generation.total_cost);
    expect(Math.abs(explanation.residualUsd as number)).toBeLessThan(1e-9);
    expect(ruleNames(explanation)).toEqual(['byok']);
  });

  it('BYOK with an inflated provider charge shows it as the residual', async () => {
    const { explanation } = await explained({ byok: true, inflateUsd: 0.5 });
    expect(Math.abs((explanation.residualUsd as number) - 0.5)).toBeLessThan(1e-9);
  });

  it('an endpoint not in the price list gives unknown parts (never 0) and no residual', async () => {
    const { id } = fake.addGeneration({
      model: 'openai/gpt-4o',
      provider_name: 'Retired Cloud',
      provider_responses: [],
    });
    const generation = await clientOf(fake).getGeneration(id);
    const explanation = explainCost(generation, await pricingOf('openai/gpt-4o'));
    expect(explanation.endpoint).toBeNull();
    expect(explanation.components).toHaveLength(2);
    for (const part of explanation.components) {
      expect(part.usd).toBeNull();
      expect(part.unknown).toMatch(/no pricing for Retired Cloud/);
    }
    expect(explanation.expectedUsd).toBeNull();
    expect(explanation.residualUsd).toBeNull();
    expect(explanation.chargedUsd).toBe(generation.total_cost);
  });
});

describe('explainCost on hand-made input', () => {
  const base = {
    id: 'gen-1',
    total_cost: 0.01,
    usage: 0.01,
    created_at: '2026-01-01T00:00:00Z',
    model: 'x/y',
    origin: '',
    is_byok: false,
    provider_name: 'P',
    native_tokens_prompt: 100,
    native_tokens_completion: 10,
  } satisfies Generation;
  const endpoint = { provider_name: 'P', pricing: { prompt: '0.0001', completion: '0' } };

  it('a missing price is unknown with a reason, never 0', () => {
    const explanation = explainCost({ ...base, num_search_results: 3 }, { endpoints: [endpoint] });
    expect(explanation.components.at(-1)).toEqual({
      name: 'web_search',
      quantity: 3,
      unitUsd: null,
      usd: null,
      unknown: 'the endpoint lists no web_search price',
    });
    expect(explanation.expectedUsd).toBeNull();
  });

  it('a variable (negative) price is unknown', () => {
    const explanation = explainCost(base, [
      { provider_name: 'P', pricing: { prompt: '-1', completion: '0' } },
    ]);
    expect(explanation.components[0]).toMatchObject({
      usd: null,
      unknown: 'the prompt price is variable',
    });
  });

  it('never forces the residual to 0', () => {
    const explanation = explainCost({ ...base, total_cost: 0.5 }, endpoint);
    expect(explanation.expectedUsd).toBe(0.01);
    expect(explanation.residualUsd).toBe(0.49);
  });

  it('no pricing at all: unknown, not 0', () => {
    const explanation = explainCost(base, null);
    expect(explanation.components.every((part) => part.usd === null)).toBe(true);
    expect(explanation.residualUsd).toBeNull();
  });
});

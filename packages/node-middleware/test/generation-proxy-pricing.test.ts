import { explainCost, type Generation, type ModelEndpoints } from '@genmeta/core';
import { createMemoryRegistry } from '@genmeta/core/engine';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generationProxy } from '../src/index.js';
import { expressVersions, startTestApp, type TestAppHandle } from './helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

const pricingCalls = () => fake.calls.filter((call) => call.path.endsWith('/endpoints'));

async function track(app: TestAppHandle, id: string): Promise<void> {
  const response = await fetch(`${app.url}/api/track/${id}`);
  expect(await response.json()).toEqual({ tracked: true });
}

describe.each(expressVersions)('generationProxy /generation/pricing on %s', (_name, express) => {
  let app: TestAppHandle;
  afterEach(async () => {
    await app?.close();
  });

  it("serves a tracked generation's model pricing: enough for explainCost in the browser", async () => {
    app = await startTestApp(express, { fake });
    const { id } = fake.addPricedGeneration({
      provider: 'Azure',
      cachedTokens: 300,
      searchResults: 2,
    });
    await track(app, id);
    const before = pricingCalls().length;
    const [generationAnswer, pricingAnswer] = await Promise.all([
      fetch(`${app.url}/api/genmeta/generation?id=${id}`),
      fetch(`${app.url}/api/genmeta/generation/pricing?id=${id}`),
    ]);
    expect(pricingAnswer.status).toBe(200);
    expect(pricingAnswer.headers.get('cache-control')).toBe('private, max-age=600');
    const { data: generation } = (await generationAnswer.json()) as { data: Generation };
    const { data: pricing } = (await pricingAnswer.json()) as { data: ModelEndpoints };
    expect(pricing.endpoints.map((endpoint) => endpoint.provider_name)).toEqual([
      'OpenAI',
      'Azure',
    ]);
    const explanation = explainCost(generation, pricing);
    expect(explanation.endpoint?.provider).toBe('Azure');
    expect(Math.abs(explanation.residualUsd as number)).toBeLessThan(1e-9);
    // Several ids of one model: one upstream pricing request.
    const more = [fake.addPricedGeneration({}).id, fake.addPricedGeneration({}).id];
    for (const other of more) {
      await track(app, other);
      expect((await fetch(`${app.url}/api/genmeta/generation/pricing?id=${other}`)).status).toBe(
        200,
      );
    }
    expect(pricingCalls().length - before).toBe(1);
  });

  it('refuses untracked and invalid ids like the generation route, before any upstream call', async () => {
    app = await startTestApp(express, { fake });
    const { id } = fake.addPricedGeneration({});
    const before = fake.calls.length;
    const untracked = await fetch(`${app.url}/api/genmeta/generation/pricing?id=${id}`);
    expect(untracked.status).toBe(403);
    const invalid = await fetch(`${app.url}/api/genmeta/generation/pricing?id=../../models`);
    expect(invalid.status).toBe(400);
    const posted = await fetch(`${app.url}/api/genmeta/generation/pricing?id=${id}`, {
      method: 'POST',
    });
    expect(posted.status).toBe(405);
    expect(fake.calls.length).toBe(before);
    const text = await untracked.text();
    expect(text).not.toContain(fake.apiKey);
  });
});

describe('generationProxy(...).fetch /generation/pricing', () => {
  it('answers a Web request with the same rule', async () => {
    const registry = createMemoryRegistry();
    const proxy = generationProxy({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      registry,
    });
    const { id } = fake.addPricedGeneration({ model: 'openai/gpt-4o' });
    const refused = await proxy.fetch(
      new Request(`http://app.local/api/genmeta/generation/pricing?id=${id}`),
    );
    expect(refused.status).toBe(403);
    registry.add(id);
    const served = await proxy.fetch(
      new Request(`http://app.local/api/genmeta/generation/pricing?id=${id}`),
    );
    expect(served.status).toBe(200);
    const body = (await served.json()) as { data: ModelEndpoints };
    expect(body.data.id).toBe('openai/gpt-4o');
  });
});

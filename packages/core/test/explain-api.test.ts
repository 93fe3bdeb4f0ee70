import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { getGenerationContent, getModelEndpoints } from '../src/api/index.js';
import { isGenmetaError } from '../src/index.js';
import { clientOf, rejectionOf } from './helpers.js';

const fake = setupFakeOpenRouter();

let hostile: Server | undefined;
afterEach(async () => {
  const open = hostile;
  hostile = undefined;
  open?.closeAllConnections();
  if (open) await new Promise((resolve) => open.close(resolve));
});

describe('getModelEndpoints', () => {
  it("reads a model's endpoints and their pricing, overrides and discount included", async () => {
    const models = await getModelEndpoints(clientOf(fake), 'openai/gpt-4o-mini');
    expect(models.endpoints.map((endpoint) => endpoint.provider_name)).toEqual(['OpenAI', 'Azure']);
    expect(models.endpoints[1]?.pricing).toMatchObject({ discount: 0.25, prompt: '0.00000015' });
    const sonnet = await getModelEndpoints(clientOf(fake), 'anthropic/claude-sonnet-4');
    expect(sonnet.endpoints[0]?.pricing.overrides?.[0]).toMatchObject({
      min_prompt_tokens: 200_000,
    });
    const calls = fake.calls.filter((call) => call.path.endsWith('/endpoints'));
    expect(calls.map((call) => call.path)).toEqual([
      '/api/v1/models/openai/gpt-4o-mini/endpoints',
      '/api/v1/models/anthropic/claude-sonnet-4/endpoints',
    ]);
  });

  it('refuses a model that is not author/slug before any request', async () => {
    const before = fake.calls.length;
    for (const model of ['gpt-4o', '../../key', 'a/b/c', '']) {
      await expect(getModelEndpoints(clientOf(fake), model)).rejects.toThrow(TypeError);
    }
    expect(fake.calls.length).toBe(before);
  });

  it('keeps unknown keys and accepts a new price kind; a wrong shape is an invalid_response naming where', async () => {
    let answer: unknown = {
      data: {
        id: 'x/y',
        endpoints: [{ provider_name: 'P', pricing: { prompt: '1', video: '2' }, brand_new: true }],
      },
    };
    hostile = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => hostile?.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/api/v1`;
    const client = clientOf(fake, { baseUrl, maxRetries: 0 });
    const models = await getModelEndpoints(client, 'x/y');
    expect(models.endpoints[0]).toMatchObject({ brand_new: true, pricing: { video: '2' } });
    answer = { data: { endpoints: [{ provider_name: 'P', pricing: { prompt: 3 } }] } };
    const error = await rejectionOf(getModelEndpoints(client, 'x/y'));
    expect(isGenmetaError(error) && error.code).toBe('invalid_response');
    expect(String((error as Error).message)).toMatch(/endpoints\.0\.pricing\.prompt/);
  });
});

describe('getGenerationContent', () => {
  it("returns a failed generation's stored error with the attempts before it", async () => {
    const { id } = fake.addPricedGeneration({
      failed: true,
      failedAttempts: [{ provider: 'Azure', status: 429, message: 'Rate limited upstream' }],
    });
    const content = await getGenerationContent(clientOf(fake), id);
    expect(content.error).toMatchObject({
      status: 502,
      previous_errors: [{ code: 429, provider_name: 'Azure', message: 'Rate limited upstream' }],
    });
  });

  it('a succeeded generation has no error; an unknown one is not_found; a bad id is refused', async () => {
    const { id } = fake.addPricedGeneration({});
    expect((await getGenerationContent(clientOf(fake), id)).error).toBeNull();
    const missing = await rejectionOf(
      getGenerationContent(
        clientOf(fake, { maxRetries: 0 }),
        'gen-1764704027-AAAAAAAAAAAAAAAAAAAA',
      ),
    );
    expect(isGenmetaError(missing) && missing.code).toBe('not_found');
    const invalid = await rejectionOf(getGenerationContent(clientOf(fake), 'not an id'));
    expect(isGenmetaError(invalid) && invalid.code).toBe('invalid_id');
  });
});

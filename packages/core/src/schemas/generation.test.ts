import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClient } from '../client/create-client.js';
import { InvalidResponseError, isGenmetaError } from '../errors.js';
import { parseGenerationBody } from '../internal/parse-generation.js';
import { errorResponseSchema } from './error-response.js';
import { generationResponseSchema, generationSchema } from './generation.js';

type Kind = 'string' | 'number' | 'boolean' | 'providers';
const required: Record<string, Kind> = {
  id: 'string',
  total_cost: 'number',
  created_at: 'string',
  model: 'string',
  origin: 'string',
  usage: 'number',
  is_byok: 'boolean',
};
const optional: Record<string, Kind> = {
  data_region: 'string',
  upstream_id: 'string',
  cache_discount: 'number',
  upstream_inference_cost: 'number',
  app_id: 'number',
  streamed: 'boolean',
  cancelled: 'boolean',
  provider_name: 'string',
  latency: 'number',
  moderation_latency: 'number',
  generation_time: 'number',
  finish_reason: 'string',
  native_finish_reason: 'string',
  tokens_prompt: 'number',
  tokens_completion: 'number',
  native_tokens_prompt: 'number',
  native_tokens_completion: 'number',
  native_tokens_completion_images: 'number',
  native_tokens_reasoning: 'number',
  native_tokens_cached: 'number',
  num_media_prompt: 'number',
  num_input_audio_prompt: 'number',
  num_media_completion: 'number',
  num_search_results: 'number',
  num_fetches: 'number',
  web_search_engine: 'string',
  external_user: 'string',
  api_type: 'string',
  router: 'string',
  provider_responses: 'providers',
  http_referer: 'string',
  user_agent: 'string',
  request_id: 'string',
  session_id: 'string',
  response_cache_source_id: 'string',
  service_tier: 'string',
  preset_id: 'string',
  workspace_id: 'string',
};
const known = { ...required, ...optional };

const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constant(12.0),
);
const providerResponse = fc.record(
  {
    status: fc.option(fc.integer({ min: 100, max: 599 }), { nil: null }),
    id: fc.option(fc.string(), { nil: null }),
    provider_name: fc.option(fc.string(), { nil: null }),
    latency: fc.option(number, { nil: null }),
    is_byok: fc.option(fc.boolean(), { nil: null }),
    routed_service_tier: fc.option(fc.string(), { nil: null }),
  },
  { requiredKeys: ['status'] },
);
const arbitraryOf = (kind: Kind): fc.Arbitrary<unknown> =>
  kind === 'string'
    ? fc.string()
    : kind === 'number'
      ? number
      : kind === 'boolean'
        ? fc.boolean()
        : fc.array(providerResponse, { maxLength: 3 });

const validRecord = fc.record(
  Object.fromEntries([
    ...Object.entries(required).map(([key, kind]) => [key, arbitraryOf(kind)]),
    ...Object.entries(optional).map(([key, kind]) => [
      key,
      fc.option(arbitraryOf(kind), { nil: null }),
    ]),
  ]) as Record<string, fc.Arbitrary<unknown>>,
  { requiredKeys: Object.keys(required) },
);
const extraKeys = fc.dictionary(
  fc.string({ minLength: 1 }).filter((key) => !(key in known) && key !== '__proto__'),
  fc.jsonValue(),
  { maxKeys: 5 },
);

/** A value of the wrong type for a field of `kind` (null counts as wrong only where required). */
function wrongValue(kind: Kind, isRequired: boolean): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [fc.constant({}), fc.constant([1])];
  if (kind !== 'string') options.push(fc.string());
  if (kind !== 'number') options.push(fc.integer());
  if (kind !== 'boolean') options.push(fc.boolean());
  if (kind === 'providers') options.push(fc.constant([{ status: 'ok' }]), fc.constant([1]));
  if (isRequired) options.push(fc.constant(null));
  return fc.oneof(...options);
}
const corruption = fc
  .constantFrom(...Object.keys(known))
  .chain((field) =>
    wrongValue(known[field] as Kind, field in required).map((value) => ({ field, value })),
  );

describe('generationSchema', () => {
  it('parses any valid record with extra keys, keeping the extras', () => {
    fc.assert(
      fc.property(validRecord, extraKeys, (record, extras) => {
        const data = { ...extras, ...record };
        const body = JSON.stringify({ data, extra_top: 1 });
        const parsed = parseGenerationBody(body);
        expect(parsed.data).toEqual(JSON.parse(JSON.stringify(data)));
        for (const key of Object.keys(extras)) expect(parsed.data).toHaveProperty([key]);
        expect(parsed.extra_top).toBe(1);
      }),
      { numRuns: 150 },
    );
  });

  it('turns any type corruption of a known field into InvalidResponseError naming it', () => {
    fc.assert(
      fc.property(validRecord, corruption, (record, { field, value }) => {
        const body = JSON.stringify({ data: { ...record, [field]: value } });
        let thrown: unknown;
        try {
          parseGenerationBody(body, 'gen-1');
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(InvalidResponseError);
        expect((thrown as Error).message).toContain(`data.${field}`);
      }),
      { numRuns: 200 },
    );
  });

  it('accepts the original 27-field shape, a new field, new open-set values and floats for integers', () => {
    const original = {
      id: 'gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG',
      total_cost: 0.0015,
      created_at: '2024-07-15T23:33:19.433273+00:00',
      model: 'openai/gpt-4o-2024-05-13',
      origin: 'https://example.com',
      usage: 0.0015,
      is_byok: false,
      upstream_id: 'chatcmpl-1',
      cache_discount: -0.0001,
      app_id: 12.0,
      streamed: true,
      cancelled: false,
      provider_name: 'A Provider Added Tomorrow',
      latency: 1234,
      moderation_latency: null,
      generation_time: 1200,
      finish_reason: 'a_new_reason',
      native_finish_reason: 'STOP',
      tokens_prompt: 10,
      tokens_completion: 20,
      native_tokens_prompt: 11,
      native_tokens_completion: 21,
      native_tokens_reasoning: 0,
      num_media_prompt: null,
      num_media_completion: null,
      num_search_results: null,
      upstream_inference_cost: null,
    };
    const text = JSON.stringify({
      data: { ...original, data_region: 'mars', api_type: 'hologram', next_month_field: [1] },
    }).replace('"app_id":12', '"app_id":12.0');
    expect(text).toContain('12.0');
    const parsed = parseGenerationBody(text).data;
    expect(parsed.app_id).toBe(12);
    expect(parsed.data_region).toBe('mars');
    expect(parsed.next_month_field).toEqual([1]);
    expect(generationSchema.safeParse(original).success).toBe(true);
    expect(generationResponseSchema.safeParse({ data: original }).success).toBe(true);
  });

  it('parses OpenRouter error bodies', () => {
    expect(
      errorResponseSchema.safeParse({
        error: { code: 429, message: 'slow down', metadata: { provider: 'x' } },
        user_id: null,
        extra: true,
      }).success,
    ).toBe(true);
    expect(errorResponseSchema.safeParse({ error: { message: 'no code' } }).success).toBe(false);
  });
});

describe('corruptions through the real client', () => {
  const fake = setupFakeOpenRouter();

  it('gives invalid_response and never another throw', async () => {
    const client = createClient({ apiKey: fake.apiKey, baseUrl: fake.url, cache: false });
    const base = fake.addGeneration();
    await fc.assert(
      fc.asyncProperty(corruption, async ({ field, value }) => {
        const body = JSON.stringify({ data: { ...base, [field]: value } });
        fake.script(base.id, [{ type: 'body', status: 200, body }]);
        const error = await client.getGeneration(base.id).then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(isGenmetaError(error)).toBe(true);
        expect(error).toMatchObject({ code: 'invalid_response', generationId: base.id });
      }),
      { numRuns: 40 },
    );
  });
});

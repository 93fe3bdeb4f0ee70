import { OpenRouter } from '@openrouter/sdk';
import { GenerationResponseData$inboundSchema } from '@openrouter/sdk/models';
import {
  NotFoundResponseError,
  TooManyRequestsResponseError,
  UnauthorizedResponseError,
} from '@openrouter/sdk/models/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FakeOpenRouter, startFakeOpenRouter } from '../src/index.js';
import { generationFields, waitForGeneration } from './support.js';

// The official SDK validates every answer with its zod schemas: if the fake drifted from
// OpenRouter's wire format, these calls would throw.

let fake: FakeOpenRouter;
let sdk: OpenRouter;

beforeAll(async () => {
  fake = await startFakeOpenRouter({ chunkDelayMs: 1 });
  sdk = new OpenRouter({ apiKey: fake.apiKey, serverURL: fake.url });
});

afterAll(async () => {
  await fake.close();
});

/** The original 27-field schema (before 2025), with its integer types, as a strict object. */
const original27 = z.strictObject({
  id: z.string(),
  upstream_id: z.string().nullable(),
  total_cost: z.number(),
  cache_discount: z.number().nullable(),
  upstream_inference_cost: z.number().nullable(),
  created_at: z.string(),
  model: z.string(),
  app_id: z.int().nullable(),
  streamed: z.boolean().nullable(),
  cancelled: z.boolean().nullable(),
  provider_name: z.string().nullable(),
  latency: z.number().nullable(),
  moderation_latency: z.number().nullable(),
  generation_time: z.number().nullable(),
  finish_reason: z.string().nullable(),
  native_finish_reason: z.string().nullable(),
  tokens_prompt: z.int().nullable(),
  tokens_completion: z.int().nullable(),
  native_tokens_prompt: z.int().nullable(),
  native_tokens_completion: z.int().nullable(),
  native_tokens_reasoning: z.int().nullable(),
  num_media_prompt: z.int().nullable(),
  num_media_completion: z.int().nullable(),
  num_search_results: z.int().nullable(),
  origin: z.string(),
  usage: z.number(),
  is_byok: z.boolean(),
});

describe('@openrouter/sdk against the fake', () => {
  it('the fake serves exactly the keys of the SDK generation schema', () => {
    // The schema is `z.object({...}).transform(camelCase)`: its input side lists the wire keys.
    const pipe = GenerationResponseData$inboundSchema as unknown as {
      in: { shape: Record<string, unknown> };
    };
    const sdkKeys = Object.keys(pipe.in.shape).sort();
    expect(sdkKeys).toEqual([...generationFields].sort());
    expect(sdkKeys).toHaveLength(45);
  });

  it('getGeneration parses a default generation (45 fields)', async () => {
    const added = fake.addGeneration();
    const response = await sdk.generations.getGeneration({ id: added.id });
    expect(response.data).toMatchObject({
      id: added.id,
      totalCost: added.total_cost,
      usage: added.usage,
      isByok: false,
      dataRegion: 'global',
      apiType: 'completions',
      providerName: 'OpenAI',
    });
    expect(response.data.providerResponses?.[0]?.status).toBe(200);
  });

  it('a default generation also satisfies the original 27-field schema', async () => {
    const added = fake.addGeneration();
    const response = await fetch(`${fake.url}/generation?id=${added.id}`, {
      headers: { authorization: `Bearer ${fake.apiKey}` },
    });
    const { data } = (await response.json()) as { data: Record<string, unknown> };
    const picked = Object.fromEntries(
      Object.keys(original27.shape).map((field) => [field, data[field]]),
    );
    expect(() => original27.parse(picked)).not.toThrow();
  });

  it('getGeneration parses BYOK, cancelled-stream and overridden generations', async () => {
    for (const fields of [
      { is_byok: true, model: 'anthropic/claude-sonnet-4' },
      { cancelled: true, finish_reason: null, native_finish_reason: null, streamed: true },
      { id: 'gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG', future_field: 'kept' },
    ]) {
      const added = fake.addGeneration(fields);
      const response = await sdk.generations.getGeneration({ id: added.id });
      expect(response.data.id).toBe(added.id);
    }
  });

  it('getGeneration parses generations created by chat completions', async () => {
    const response = await fetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], user: 'u-1' }),
    });
    const { id } = (await response.json()) as { id: string };
    await waitForGeneration(fake, id);
    const parsed = await sdk.generations.getGeneration({ id });
    expect(parsed.data.externalUser).toBe('u-1');
  });

  it('the SDK recognises the fake error bodies', async () => {
    await expect(sdk.generations.getGeneration({ id: 'gen-unknown' })).rejects.toBeInstanceOf(
      NotFoundResponseError,
    );
    fake.script('gen-limited', [{ type: 'status', status: 429, headers: { 'Retry-After': '1' } }]);
    await expect(sdk.generations.getGeneration({ id: 'gen-limited' })).rejects.toBeInstanceOf(
      TooManyRequestsResponseError,
    );
    const wrongKey = new OpenRouter({ apiKey: 'sk-or-v1-wrong', serverURL: fake.url });
    await expect(wrongKey.generations.getGeneration({ id: 'gen-x' })).rejects.toBeInstanceOf(
      UnauthorizedResponseError,
    );
  });

  it('chat.send parses the JSON completion', async () => {
    const result = await sdk.chat.send({
      chatRequest: { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'ping' }] },
    });
    expect('choices' in result).toBe(true);
    if (!('choices' in result)) return;
    expect(result.id).toMatch(/^gen-/);
    expect(result.choices[0]?.message.content).toBe('You said: ping');
    expect(result.usage?.cost).toBeGreaterThan(0);
    expect(result.usage?.costDetails?.upstreamInferenceCost).toBeGreaterThan(0);
  });

  it('chat.send parses the streamed completion', async () => {
    const stream = await sdk.chat.send({
      chatRequest: {
        model: 'openai/gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'stream this please' }],
      },
    });
    expect('choices' in stream).toBe(false);
    if ('choices' in stream) return;
    let content = '';
    const ids = new Set<string>();
    let cost: number | null | undefined;
    for await (const chunk of stream) {
      ids.add(chunk.id);
      content += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) cost = chunk.usage.cost;
    }
    expect(content).toBe('You said: stream this please');
    expect(ids.size).toBe(1);
    expect(cost).toBeGreaterThan(0);
  });
});

import { afterEach } from 'vitest';
import {
  type FakeOpenRouter,
  type FakeOpenRouterOptions,
  startFakeOpenRouter,
} from '../src/index.js';

/** A `start(options)` for tests that each need their own fake; each is closed after its test. */
export function startsFakePerTest(): (options?: FakeOpenRouterOptions) => Promise<FakeOpenRouter> {
  const started: FakeOpenRouter[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((fake) => fake.close()));
  });
  return async (options = {}) => {
    const fake = await startFakeOpenRouter(options);
    started.push(fake);
    return fake;
  };
}

/** `GET /api/v1/generation?id=` with the fake's key (or the given authorization). */
export function getGeneration(
  fake: FakeOpenRouter,
  id: string,
  authorization: string | null = `Bearer ${fake.apiKey}`,
): Promise<Response> {
  const headers: Record<string, string> = authorization === null ? {} : { authorization };
  return fetch(`${fake.url}/generation?id=${encodeURIComponent(id)}`, { headers });
}

/** `POST /api/v1/chat/completions` with the fake's key. */
export function postChat(
  fake: FakeOpenRouter,
  body: unknown,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${fake.apiKey}`,
      'content-type': 'application/json',
      ...init.headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

/** The `data:` payloads of a server-sent-event stream, in order. */
export function ssePayloads(text: string): string[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice('data: '.length));
}

/** Polls the generation endpoint until it answers 200 (or the deadline passes). */
export async function waitForGeneration(
  fake: FakeOpenRouter,
  id: string,
  deadlineMs = 10_000,
): Promise<Record<string, unknown>> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const response = await getGeneration(fake, id);
    if (response.status === 200) {
      const body = (await response.json()) as { data: Record<string, unknown> };
      return body.data;
    }
    await response.arrayBuffer();
    if (Date.now() > end) throw new Error(`generation ${id} not ready after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The 45 fields of the current generation schema. */
export const generationFields = [
  'id',
  'upstream_id',
  'total_cost',
  'cache_discount',
  'upstream_inference_cost',
  'created_at',
  'model',
  'app_id',
  'streamed',
  'cancelled',
  'provider_name',
  'latency',
  'moderation_latency',
  'generation_time',
  'finish_reason',
  'native_finish_reason',
  'tokens_prompt',
  'tokens_completion',
  'native_tokens_prompt',
  'native_tokens_completion',
  'native_tokens_completion_images',
  'native_tokens_reasoning',
  'native_tokens_cached',
  'num_media_prompt',
  'num_input_audio_prompt',
  'num_media_completion',
  'num_search_results',
  'num_fetches',
  'web_search_engine',
  'origin',
  'usage',
  'is_byok',
  'external_user',
  'api_type',
  'router',
  'provider_responses',
  'http_referer',
  'user_agent',
  'request_id',
  'session_id',
  'response_cache_source_id',
  'service_tier',
  'preset_id',
  'data_region',
  'workspace_id',
] as const;

export const integerFields = [
  'app_id',
  'tokens_prompt',
  'tokens_completion',
  'native_tokens_prompt',
  'native_tokens_completion',
  'native_tokens_completion_images',
  'native_tokens_reasoning',
  'native_tokens_cached',
  'num_media_prompt',
  'num_input_audio_prompt',
  'num_media_completion',
  'num_search_results',
  'num_fetches',
] as const;

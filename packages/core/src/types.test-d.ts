import { describe, expectTypeOf, it } from 'vitest';
import {
  createClient,
  type Generation,
  type GenerationResult,
  type GenmetaError,
  type GenmetaErrorCode,
  isGenmetaError,
  type ProviderResponse,
} from './index.js';

describe('public types', () => {
  it('Generation has typed known fields and unknown extras', () => {
    expectTypeOf<Generation['total_cost']>().toEqualTypeOf<number>();
    expectTypeOf<Generation['provider_name']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<Generation['tokens_prompt']>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<Generation['provider_responses']>().toEqualTypeOf<
      ProviderResponse[] | null | undefined
    >();
    expectTypeOf<Generation['some_future_field']>().toEqualTypeOf<unknown>();
  });

  it('getGeneration resolves to a Generation', () => {
    const client = createClient({ apiKey: 'k' });
    expectTypeOf(client.getGeneration('gen-1')).resolves.toEqualTypeOf<Generation>();
    expectTypeOf(client.getGenerations(['a'])).resolves.toEqualTypeOf<GenerationResult[]>();
  });

  it('finishedAt takes a Date or epoch ms, and the limits are numbers', () => {
    const client = createClient({ apiKey: 'k', maxResponseBytes: 100_000, cacheTimeoutMs: 50 });
    expectTypeOf(client.getGeneration).toBeCallableWith('gen-1', { finishedAt: new Date() });
    expectTypeOf(client.getGeneration).toBeCallableWith('gen-1', { finishedAt: Date.now() });
    // @ts-expect-error a string is no time
    client.getGeneration('gen-1', { finishedAt: '2026-01-01' });
  });

  it('apiKey takes a string, null (no key at all) or a function', () => {
    expectTypeOf(createClient).toBeCallableWith({ apiKey: null });
    expectTypeOf(createClient).toBeCallableWith({ apiKey: async () => undefined });
    // @ts-expect-error a number is no key
    createClient({ apiKey: 42 });
  });

  it('GenerationResult narrows on ok', () => {
    const result = {} as GenerationResult;
    if (result.ok) {
      expectTypeOf(result.generation).toEqualTypeOf<Generation>();
      // @ts-expect-error no error on a success
      void result.error;
    } else {
      expectTypeOf(result.error).toEqualTypeOf<GenmetaError>();
      expectTypeOf(result.error.code).toEqualTypeOf<GenmetaErrorCode>();
    }
  });

  it('isGenmetaError narrows unknown', () => {
    const value: unknown = null;
    if (isGenmetaError(value)) expectTypeOf(value.status).toEqualTypeOf<number | undefined>();
  });
});

describe('contract types', () => {
  it('are all exported', () => {
    expectTypeOf<import('./index.js').ClientOptions>().toHaveProperty('dangerouslyAllowBrowser');
    expectTypeOf<import('./index.js').GetGenerationsOptions>().toHaveProperty('concurrency');
    expectTypeOf<import('./index.js').WaitingInfo>().toHaveProperty('delayMs');
    expectTypeOf<import('./index.js').Logger>().toHaveProperty('warn');
    expectTypeOf<import('./index.js').GenerationCache>().toHaveProperty('set');
    expectTypeOf<import('./index.js').SpendSummary['byProvider']>().toEqualTypeOf<
      Record<string, import('./index.js').SpendGroup>
    >();
    expectTypeOf<import('./index.js').ErrorResponse['error']['code']>().toEqualTypeOf<number>();
    expectTypeOf<import('./index.js').GenerationResponse['data']>().toEqualTypeOf<Generation>();
  });
});

import { describe, expect, it } from 'vitest';
import * as engine from './index.js';

describe('@genmeta/core/engine surface', () => {
  it('exports every runtime name adapters rely on, and nothing else', () => {
    expect(Object.keys(engine).sort()).toEqual(
      [
        'API_KEY_ENV',
        'BASE_URL_ENV',
        'DEFAULT_BASE_URL',
        'DEFAULT_PROXY_BASE_URL',
        'DAY_MS',
        'GENERATION_ID_RULE',
        'MAX_WINDOW_MS',
        'SPEND_BUCKETS_PER_WINDOW',
        'IDLE_SNAPSHOT',
        'PENDING_SNAPSHOT',
        'REDACTED',
        'checkSpendWindow',
        'classifyError',
        'createGenerationStore',
        'createLookupQueue',
        'createMemoryRegistry',
        'createSseParser',
        'picoUsdToUsd',
        'usdToPicoUsd',
        'defaultBaseUrl',
        'errorCategories',
        'errorTable',
        'failedAttemptsOf',
        'generationStoreFor',
        'inlineSpendOf',
        'normalizeBaseUrl',
        'redactHeaders',
        'roundUsd',
        'scrubSecret',
        'spendBucketMs',
        'spendBucketRange',
        'successSnapshot',
        'windowOf',
        'windowSpanMs',
      ].sort(),
    );
  });

  it('has the documented defaults', () => {
    expect(engine.DEFAULT_BASE_URL).toBe('https://openrouter.ai/api/v1');
    expect(engine.API_KEY_ENV).toBe('OPENROUTER_API_KEY');
    expect(engine.BASE_URL_ENV).toBe('OPENROUTER_BASE_URL');
    expect(engine.REDACTED).toBe('[REDACTED]');
    expect(engine.normalizeBaseUrl('http://x/api//')).toBe('http://x/api');
    expect(engine.GENERATION_ID_RULE).toMatch(/at most 256 characters/);
  });

  it('reads the base URL from the environment, else the default', () => {
    const previous = process.env.OPENROUTER_BASE_URL;
    try {
      process.env.OPENROUTER_BASE_URL = 'http://127.0.0.1:9/api/v1/';
      expect(engine.defaultBaseUrl()).toBe('http://127.0.0.1:9/api/v1');
      delete process.env.OPENROUTER_BASE_URL;
      expect(engine.defaultBaseUrl()).toBe(engine.DEFAULT_BASE_URL);
    } finally {
      if (previous === undefined) delete process.env.OPENROUTER_BASE_URL;
      else process.env.OPENROUTER_BASE_URL = previous;
    }
  });
});

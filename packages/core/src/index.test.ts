import { describe, expect, it } from 'vitest';
import * as core from './index.js';

describe('public surface', () => {
  it('exports every runtime name of the contract, and nothing else', () => {
    expect(Object.keys(core).sort()).toEqual(
      [
        'providerResponseSchema',
        'generationSchema',
        'generationResponseSchema',
        'errorResponseSchema',
        'isGenerationId',
        'parseGenerationId',
        'GenmetaError',
        'InvalidIdError',
        'UnauthorizedError',
        'InsufficientCreditsError',
        'ForbiddenError',
        'NotFoundError',
        'RateLimitedError',
        'ServerError',
        'TimeoutError',
        'NetworkError',
        'InvalidResponseError',
        'isGenmetaError',
        'createMemoryCache',
        'createClient',
        'spendOf',
        'summarize',
        'formatUsd',
        'explainCost',
        'costComponentNames',
        'costRuleNames',
      ].sort(),
    );
  });
});

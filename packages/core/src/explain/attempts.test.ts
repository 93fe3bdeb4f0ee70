import { describe, expect, it } from 'vitest';
import type { Generation } from '../schemas/generation.js';
import { failedAttemptsOf } from './attempts.js';

const generation = (attempts: Generation['provider_responses']): Generation => ({
  id: 'gen-1',
  total_cost: 0,
  usage: 0,
  created_at: '2026-01-01T00:00:00Z',
  model: 'm',
  origin: '',
  is_byok: false,
  provider_responses: attempts,
});

describe('failedAttemptsOf', () => {
  it('counts the failures before the answering attempt, with their latency', () => {
    expect(
      failedAttemptsOf(
        generation([
          { status: 429, latency: 120 },
          { status: 503, latency: null },
          { status: 200, latency: 900 },
        ]),
      ),
    ).toEqual({ count: 2, latencyMs: 120 });
  });

  it('does not count the last attempt, even when it failed, nor a missing list', () => {
    expect(failedAttemptsOf(generation([{ status: 502, latency: 40 }]))).toEqual({
      count: 0,
      latencyMs: 0,
    });
    expect(failedAttemptsOf(generation(null))).toEqual({ count: 0, latencyMs: 0 });
  });
});

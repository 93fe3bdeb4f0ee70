import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorResponseSchema } from '../schemas/error-response.js';
import { generationFields, providerResponseFields } from '../schemas/fields.js';
import { generationResponseSchema, generationSchema } from '../schemas/generation.js';
import { errorResponseMessage, generationIssue } from './check-fields.js';

// Values of every JSON type (and Infinity, which JSON.parse makes of 1e999), for any field.
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.constant([{ status: 200 }, { status: 'ok' }]),
);

const valid = {
  id: 'gen-1',
  total_cost: 0.5,
  created_at: '2026-01-01T00:00:00Z',
  model: 'm',
  origin: '',
  usage: 0.5,
  is_byok: false,
  provider_responses: [{ status: 200, latency: 3 }],
};

const names = [...Object.keys(generationFields), 'provider_responses', 'extra'];
/** A valid generation with a few of its fields (or none) replaced by anything. */
const generation = fc
  .array(fc.tuple(fc.constantFrom(...names), anyValue), { maxLength: 4 })
  .map((changes) => {
    const value: Record<string, unknown> = { ...valid };
    for (const [name, replacement] of changes) value[name] = replacement;
    return value;
  });

describe('generationIssue (the client check) and the zod schemas', () => {
  it('agree on what passes and on the first failing path, wrapped or not', () => {
    fc.assert(
      fc.property(fc.oneof(generation, anyValue), (value) => {
        const zod = generationSchema.safeParse(value);
        const issue = generationIssue(value, false);
        expect(issue === undefined).toBe(zod.success);
        if (!zod.success) expect(issue?.path).toEqual(zod.error.issues[0]?.path);
        const wrapped = generationResponseSchema.safeParse({ data: value });
        expect(generationIssue({ data: value })?.path).toEqual(wrapped.error?.issues[0]?.path);
      }),
      { numRuns: 2000 },
    );
  });

  it('checks provider responses by their own table', () => {
    const status = Object.keys(providerResponseFields)[0];
    const issue = generationIssue({ ...valid, provider_responses: [{ status: 200 }, {}] }, false);
    expect(issue).toEqual({ path: ['provider_responses', 1, status], expected: 'number' });
    expect(generationIssue([], false)).toEqual({ path: [], expected: 'object' });
  });
});

describe('errorResponseMessage and errorResponseSchema', () => {
  it('agree on which bodies are OpenRouter error bodies', () => {
    const error = fc.record(
      { code: anyValue, message: anyValue, metadata: anyValue },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      anyValue,
      fc.record({ error: fc.oneof(error, anyValue), user_id: anyValue }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(body, (value) => {
        const zod = errorResponseSchema.safeParse(value);
        expect(errorResponseMessage(value)).toBe(zod.success ? zod.data.error.message : undefined);
      }),
      { numRuns: 2000 },
    );
  });
});

import { InvalidResponseError } from '../errors.js';
import { type GenerationResponse, generationResponseSchema } from '../schemas/generation.js';

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    text += typeof key === 'number' ? `[${key}]` : `${text === '' ? '' : '.'}${String(key)}`;
  }
  return text === '' ? '(root)' : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Parses the text of a success answer into the generation, or throws an
 * {@link InvalidResponseError} naming the first failing field.
 */
export function parseGenerationBody(text: string, generationId?: string): GenerationResponse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const what = text.trim() === '' ? 'an empty body' : 'a body that is not JSON';
    throw new InvalidResponseError(`OpenRouter answered with ${what}`, {
      generationId,
      isRetryable: false,
    });
  }
  const result = generationResponseSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const received = valueAt(json, path);
  const expected = issue && 'expected' in issue ? String(issue.expected) : undefined;
  const why =
    received === undefined
      ? 'is missing'
      : expected
        ? `expected ${expected}, got ${typeName(received)}`
        : 'is invalid';
  throw new InvalidResponseError(
    `OpenRouter answered with an unexpected generation: ${formatPath(path)} ${why}`,
    { generationId, isRetryable: false },
  );
}

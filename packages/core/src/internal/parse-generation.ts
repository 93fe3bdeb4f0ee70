import { InvalidResponseError } from '../errors.js';
import type { Generation, GenerationResponse } from '../schemas/generation.js';
import { generationIssue } from './check-fields.js';
import { jsonShapeProblem } from './json-shape.js';

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

const invalid = (message: string, generationId: string | undefined): InvalidResponseError =>
  new InvalidResponseError(message, { generationId, isRetryable: false });

/**
 * Parses the text of a success answer into the generation, or throws an
 * {@link InvalidResponseError} naming the first failing field. The generation must be plain
 * JSON of a sane depth (so it can always be written back) and, given `generationId`, that one.
 */
export function parseGenerationBody(text: string, generationId?: string): GenerationResponse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const what = text.trim() === '' ? 'an empty body' : 'a body that is not JSON';
    throw invalid(`OpenRouter answered with ${what}`, generationId);
  }
  const shape = jsonShapeProblem(json);
  if (shape !== undefined) {
    throw invalid(`OpenRouter answered with an unusable generation: ${shape}`, generationId);
  }
  const issue = generationIssue(json);
  if (issue === undefined) {
    const response = json as GenerationResponse;
    if (generationId !== undefined && response.data.id !== generationId) {
      // The upstream's id is not quoted: it is untrusted text of any length.
      throw invalid(
        `OpenRouter answered with another generation than ${generationId} (data.id differs)`,
        generationId,
      );
    }
    return response;
  }
  const received = valueAt(json, issue.path);
  const why =
    received === undefined ? 'is missing' : `expected ${issue.expected}, got ${typeName(received)}`;
  throw invalid(
    `OpenRouter answered with an unexpected generation: ${formatPath(issue.path)} ${why}`,
    generationId,
  );
}

/**
 * Why a value a cache handed back is not generation `id` (not one by the schema, another id,
 * or not plain JSON), or `undefined` when it is.
 */
export function cachedGenerationProblem(value: unknown, id: string): string | undefined {
  if (typeof value !== 'object' || value === null) return `it is ${typeName(value)}`;
  const shape = jsonShapeProblem(value);
  if (shape !== undefined) return shape;
  if (generationIssue(value, false) !== undefined) return 'it is not a generation';
  if ((value as Generation).id !== id) return 'it is another generation';
  return undefined;
}

import type { GenmetaClient } from '../client/types.js';
import { InvalidIdError } from '../errors.js';
import { isGenerationId } from '../generation-id.js';
import {
  type GenerationContent,
  generationContentResponseSchema,
} from '../schemas/generation-content.js';
import { type ModelEndpoints, modelEndpointsResponseSchema } from '../schemas/model-endpoints.js';
import { apiRequest } from './request.js';

/** Options of {@link getModelEndpoints} and {@link getGenerationContent}. */
export interface ExplainRequestOptions {
  /**
   * Aborts the request; the call then rejects with `signal.reason`.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
  /**
   * Time the whole request may take, retries included, in ms.
   * @default the client's deadlineMs
   */
  deadlineMs?: number | undefined;
}

// An author or a slug: letters, digits and . _ - (a slug may carry a `:variant`).
const modelPattern = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.:-]*$/;

/**
 * The endpoints of a model and their pricing: `GET /models/{author}/{slug}/endpoints`
 * (`data`). Pass it to `explainCost` with a generation of that model. Throws a `TypeError` for a
 * model that is not `author/slug`.
 *
 * @example
 * const pricing = await getModelEndpoints(client, generation.model);
 * const explanation = explainCost(generation, pricing);
 */
export async function getModelEndpoints(
  client: GenmetaClient,
  model: string,
  options: ExplainRequestOptions = {},
): Promise<ModelEndpoints> {
  if (typeof model !== 'string' || model.length > 200 || !modelPattern.test(model)) {
    throw new TypeError(
      `model must be "author/slug", got ${JSON.stringify(String(model).slice(0, 80))}`,
    );
  }
  const [author = '', slug = ''] = model.split('/');
  const answer = await apiRequest(client, {
    method: 'GET',
    path: `/models/${encodeURIComponent(author)}/${encodeURIComponent(slug)}/endpoints`,
    schema: modelEndpointsResponseSchema,
    signal: options.signal,
    deadlineMs: options.deadlineMs,
  });
  return answer.data as ModelEndpoints;
}

/**
 * What OpenRouter stored of a generation: `GET /generation/content?id=` (`data`): its input,
 * output and, for a failed one, `error` with the failed attempts before it. Empty under
 * zero-data-retention. Rejects with an `InvalidIdError` for an id that is not one.
 */
export async function getGenerationContent(
  client: GenmetaClient,
  id: string,
  options: ExplainRequestOptions = {},
): Promise<GenerationContent> {
  if (!isGenerationId(id)) {
    throw new InvalidIdError(`not a generation id: ${JSON.stringify(String(id).slice(0, 80))}`, {
      isRetryable: false,
    });
  }
  const answer = await apiRequest(client, {
    method: 'GET',
    path: '/generation/content',
    query: { id },
    schema: generationContentResponseSchema,
    signal: options.signal,
    deadlineMs: options.deadlineMs,
  });
  return answer.data as GenerationContent;
}

import type { Generation, ProviderResponse } from '../schemas/generation.js';
import type { ModelEndpoint } from '../schemas/model-endpoints.js';
import type { PricingInput } from './types.js';

const isSuccess = (status: unknown): boolean =>
  typeof status === 'number' && status >= 200 && status < 300;

/** The attempt that answered: the last `provider_responses` entry with a 2xx status. */
export function servingAttempt(generation: Generation): ProviderResponse | undefined {
  const attempts = Array.isArray(generation.provider_responses)
    ? generation.provider_responses
    : [];
  for (let index = attempts.length - 1; index >= 0; index -= 1) {
    const attempt = attempts[index];
    if (attempt && isSuccess(attempt.status)) return attempt;
  }
  return undefined;
}

/** The provider that served a generation: the answering attempt's, else `provider_name`. */
export function servingProvider(generation: Generation): string | null {
  const attempt = servingAttempt(generation);
  if (typeof attempt?.provider_name === 'string' && attempt.provider_name !== '') {
    return attempt.provider_name;
  }
  return typeof generation.provider_name === 'string' && generation.provider_name !== ''
    ? generation.provider_name
    : null;
}

function endpointsOf(pricing: PricingInput): readonly ModelEndpoint[] {
  if (pricing === null || pricing === undefined) return [];
  if (Array.isArray(pricing)) return pricing as readonly ModelEndpoint[];
  const value = pricing as { endpoints?: unknown; pricing?: unknown };
  if (Array.isArray(value.endpoints)) return value.endpoints as readonly ModelEndpoint[];
  return typeof value.pricing === 'object' && value.pricing !== null
    ? [pricing as ModelEndpoint]
    : [];
}

/** The endpoint that served the generation, or why none can be named. */
export type EndpointChoice = { endpoint: ModelEndpoint } | { endpoint: null; reason: string };

/**
 * Picks the serving endpoint from the price list: same provider (case aside), and among several
 * of one provider the one whose `model_id` is the attempt's `model_permaslug`.
 */
export function selectEndpoint(generation: Generation, pricing: PricingInput): EndpointChoice {
  const provider = servingProvider(generation);
  if (provider === null) {
    return { endpoint: null, reason: 'the generation names no provider that served it' };
  }
  const endpoints = endpointsOf(pricing);
  if (endpoints.length === 0) return { endpoint: null, reason: `no pricing for ${provider}` };
  const wanted = provider.toLowerCase();
  const matches = endpoints.filter(
    (endpoint) =>
      typeof endpoint?.provider_name === 'string' &&
      endpoint.provider_name.toLowerCase() === wanted &&
      typeof endpoint.pricing === 'object' &&
      endpoint.pricing !== null,
  );
  if (matches.length === 0) {
    return { endpoint: null, reason: `no pricing for ${provider} (the endpoint is not listed)` };
  }
  const permaslug = servingAttempt(generation)?.model_permaslug;
  const exact = matches.find((endpoint) => endpoint.model_id === permaslug);
  return { endpoint: exact ?? (matches[0] as ModelEndpoint) };
}

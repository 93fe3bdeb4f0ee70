/**
 * `@genmeta/core/api`: OpenRouter's endpoints besides the generation lookup (billing, analytics,
 * pricing), as standalone functions over a client, so a bundle that only looks generations up
 * carries none of them.
 */
export { type ApiRequestOptions, apiRequest, type QueryValue } from './request.js';

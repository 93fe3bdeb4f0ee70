import { type Generation, type GenmetaClient, isGenmetaError } from '@genmeta/core';

/** Error codes worth one more whole lookup after core's own retries gave up: transient ones. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'rate_limited',
  'server_error',
  'timeout',
  'network',
]);

/** What {@link generationQueryOptions} returns; structurally what TanStack Query's `useQuery` takes. */
export interface GenerationQueryOptions {
  /** `['genmeta', 'generation', id]` */
  queryKey: readonly ['genmeta', 'generation', string];
  /** Looks the id up with core's client, aborted through the query's `signal`. */
  queryFn: (context: { signal: AbortSignal }) => Promise<Generation>;
  /** A found generation never changes. */
  staleTime: number;
  /** See {@link generationQueryOptions}. */
  retry: (failureCount: number, error: unknown) => boolean;
}

/**
 * Query options for TanStack Query (`useQuery(generationQueryOptions(id, client))`), without
 * this package depending on it. `staleTime` is `Infinity`: a found generation never changes.
 *
 * `retry`: core already retried transient failures with backoff and waited out not-ready 404s
 * within its deadline, so the query does not multiply that. Client errors (`invalid_id`,
 * `unauthorized`, `insufficient_credits`, `forbidden`), `not_found` after waiting and
 * `invalid_response` are never retried; a transient failure core gave up on (`rate_limited`,
 * `server_error`, `timeout`, `network`) gets one more whole lookup after TanStack's retry delay.
 *
 * @example
 * const client = useGenmetaClient();
 * const query = useQuery(generationQueryOptions(id, client));
 */
export function generationQueryOptions(id: string, client: GenmetaClient): GenerationQueryOptions {
  return {
    queryKey: ['genmeta', 'generation', id] as const,
    queryFn: ({ signal }) => client.getGeneration(id, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    retry: (failureCount, error) =>
      failureCount < 1 && isGenmetaError(error) && TRANSIENT_CODES.has(error.code),
  };
}

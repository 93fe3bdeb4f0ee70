import {
  type Generation,
  type GenmetaClient,
  isGenmetaError,
  type WaitingInfo,
} from '@genmeta/core';
import { classifyError } from '@genmeta/core/rules';

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

/** Options of {@link generationQueryOptions}. */
export interface GenerationQueryOptionsOptions {
  /**
   * Called each time OpenRouter answers "not ready yet" (404) and the lookup waits to ask
   * again: a query has no `isWaiting`, so keep it in state to render "waiting for stats".
   * @default undefined
   */
  onWaiting?: (info: WaitingInfo) => void;
}

/**
 * Query options for TanStack Query (`useQuery(generationQueryOptions(id, client))`), without
 * this package depending on it. `staleTime` is `Infinity`: a found generation never changes.
 *
 * `retry`: core already retried transient failures with backoff and waited out not-ready 404s
 * within its deadline, so the query does not multiply that. Errors of core's `transient`
 * category (`rate_limited`, `server_error`, `timeout`, `network`) that core gave up on get one
 * more whole lookup after TanStack's retry delay; every other code (`invalid_id`, `unauthorized`,
 * `insufficient_credits`, `forbidden`, `not_found` after waiting, `invalid_response`) is final.
 *
 * @example
 * const client = useGenmetaClient();
 * const [waiting, setWaiting] = useState(false);
 * const query = useQuery(generationQueryOptions(id, client, { onWaiting: () => setWaiting(true) }));
 */
export function generationQueryOptions(
  id: string,
  client: GenmetaClient,
  options: GenerationQueryOptionsOptions = {},
): GenerationQueryOptions {
  const { onWaiting } = options;
  return {
    queryKey: ['genmeta', 'generation', id] as const,
    queryFn: ({ signal }) =>
      client.getGeneration(id, onWaiting ? { signal, onWaiting } : { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    retry: (failureCount, error) =>
      failureCount < 1 && isGenmetaError(error) && classifyError(error).category === 'transient',
  };
}

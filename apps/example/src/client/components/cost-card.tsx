import { formatUsd, spendOf } from '@genmeta/core';
import { useGeneration } from '@genmeta/react-hooks';
import { formatMilliseconds, formatTokens } from '../format.ts';
import { CostParts } from './cost-parts.tsx';

/** Where the server's generationProxy is mounted (the same base URL as the GenmetaProvider's). */
const proxyBaseUrl = '/api/genmeta';

/** Props of {@link CostCard}. */
export interface CostCardProps {
  /** The generation to show; null before the first reply. */
  generationId: string | null;
  /** Shell line with `<id>` where the id goes, shown so the same numbers can be read from a terminal. */
  cliCommand: string | null;
}

/**
 * Live cost of one generation, read through the server's generationProxy with useGeneration:
 * waiting while OpenRouter still answers "not ready", then cost, tokens, latency, model and provider,
 * and the parts the cost is made of (from the proxy's pricing route).
 */
export function CostCard({ generationId, cliCommand }: CostCardProps) {
  const { data, error, status, isWaiting, refetch } = useGeneration(generationId);

  return (
    <div
      className="cost-card"
      data-testid="cost-card"
      data-state={status}
      data-generation-id={generationId ?? undefined}
    >
      {/* Only the stats are announced; the id and the command line below are reference. */}
      <div className="cost-status" aria-live="polite">
        {status === 'idle' && (
          <p className="muted">
            Send a prompt: its cost appears here once OpenRouter has the stats.
          </p>
        )}

        {status === 'pending' && (
          <p className="waiting">
            <span className="spinner" aria-hidden="true" />
            <span>
              <strong>Waiting for stats…</strong>{' '}
              {isWaiting
                ? 'OpenRouter has not finished accounting for this generation yet; asking again shortly.'
                : 'Looking the generation up.'}
            </span>
          </p>
        )}

        {status === 'success' && data && (
          <>
            <p className="cost">
              <span className="cost-label">Spend</span>
              <span className="cost-amount" data-testid="cost-amount">
                {formatUsd(spendOf(data))}
              </span>
              {data.is_byok && <span className="badge">BYOK</span>}
            </p>
            <dl className="facts">
              <div>
                <dt>Tokens</dt>
                <dd data-testid="cost-tokens">
                  {formatTokens(data.tokens_prompt)} in · {formatTokens(data.tokens_completion)} out
                </dd>
              </div>
              <div>
                <dt>Latency</dt>
                <dd data-testid="cost-latency">{formatMilliseconds(data.latency)}</dd>
              </div>
              <div>
                <dt>Model</dt>
                <dd data-testid="cost-model">{data.model}</dd>
              </div>
              <div>
                <dt>Provider</dt>
                <dd data-testid="cost-provider">{data.provider_name ?? 'unknown'}</dd>
              </div>
              <div>
                <dt>Generation time</dt>
                <dd>{formatMilliseconds(data.generation_time)}</dd>
              </div>
              <div>
                <dt>Finish</dt>
                <dd>{data.finish_reason ?? '—'}</dd>
              </div>
            </dl>
            <CostParts generation={data} baseUrl={proxyBaseUrl} />
          </>
        )}

        {status === 'error' && error && (
          <div className="error" role="alert">
            <p>Could not read the stats: {error.message}</p>
            <button type="button" onClick={() => void refetch()}>
              Try again
            </button>
          </div>
        )}
      </div>

      {generationId && (
        <p className="generation-id">
          Generation <code>{generationId}</code>
        </p>
      )}
      {generationId && cliCommand && (
        <div className="cli">
          <p className="cli-label">Same numbers from a terminal:</p>
          <pre>
            <code>{cliCommand.replace('<id>', generationId)}</code>
          </pre>
        </div>
      )}
    </div>
  );
}

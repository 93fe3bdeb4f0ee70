import { type CostExplanation, explainCost, formatUsd, type Generation } from '@genmeta/core';
import { useEffect, useState } from 'react';
import { formatTokens } from '../format.ts';

/** Props of {@link CostParts}. */
export interface CostPartsProps {
  /** The generation, as the proxy served it. */
  generation: Generation;
  /**
   * Where the server's generationProxy is mounted; its `/generation/pricing?id=` answers the
   * pricing of the endpoint's model under the same rule as the generation itself.
   */
  baseUrl: string;
}

type PartsState =
  | { status: 'pending' }
  | { status: 'success'; explanation: CostExplanation }
  | { status: 'error'; message: string };

/**
 * Why the generation cost what it did: its parts (prompt, completion, cache, search...) priced at
 * the endpoint that served it, summing to the expected cost, the rules that applied and the
 * residual (what the price list does not explain). Unknown parts say "unknown", never $0.
 */
export function CostParts({ generation, baseUrl }: CostPartsProps) {
  const [state, setState] = useState<PartsState>({ status: 'pending' });
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'pending' });
    fetch(`${baseUrl}/generation/pricing?id=${encodeURIComponent(generation.id)}`, {
      signal: controller.signal,
    })
      .then(async (response) => {
        if (!response.ok) throw new Error(`pricing answered ${response.status}`);
        const body = (await response.json()) as { data?: unknown };
        // explainCost reads the pricing defensively: a shape it does not know gives unknown parts.
        const pricing = (body.data ?? null) as Parameters<typeof explainCost>[1];
        setState({ status: 'success', explanation: explainCost(generation, pricing) });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          status: 'error',
          message: error instanceof Error ? error.message : String(error),
        });
      });
    return () => controller.abort();
  }, [generation, baseUrl]);

  if (state.status === 'pending') {
    return (
      <p className="muted parts-note" data-testid="cost-parts" data-state="pending">
        Pricing the parts…
      </p>
    );
  }
  if (state.status === 'error') {
    return (
      <p className="muted parts-note" data-testid="cost-parts" data-state="error">
        Parts unavailable: {state.message}
      </p>
    );
  }
  const { explanation } = state;
  const rows = explanation.components.flatMap((component) => [
    { key: component.name, component, nested: false },
    ...(component.parts ?? []).map((part) => ({
      key: `${component.name}.${part.name}`,
      component: part,
      nested: true,
    })),
  ]);
  return (
    <div className="cost-parts" data-testid="cost-parts" data-state="success">
      <table>
        <caption>
          Parts{explanation.endpoint ? ` at ${explanation.endpoint.provider}'s prices` : ''}
        </caption>
        <tbody>
          {rows.map(({ key, component, nested }) => (
            <tr key={key} data-part={component.name} className={nested ? 'nested' : undefined}>
              <th scope="row">{component.name.replace('_', ' ')}</th>
              <td>{component.quantity === null ? '?' : formatTokens(component.quantity)}</td>
              <td data-testid="part-usd" data-usd={component.usd ?? ''}>
                {component.usd === null ? 'unknown' : formatUsd(component.usd)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">expected</th>
            <td />
            <td data-testid="parts-expected">{formatUsd(explanation.expectedUsd)}</td>
          </tr>
          <tr>
            <th scope="row">residual</th>
            <td />
            <td data-testid="parts-residual">{formatUsd(explanation.residualUsd)}</td>
          </tr>
        </tfoot>
      </table>
      {explanation.rules.length > 0 && (
        <ul className="parts-rules">
          {explanation.rules.map((rule) => (
            <li key={rule.name} data-rule={rule.name}>
              {rule.detail}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

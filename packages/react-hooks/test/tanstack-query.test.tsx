// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { type ReactNode, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { generationQueryOptions } from '../src/index.js';
import { type Harness, harnessForSuite } from './harness.js';

const harness = harnessForSuite();

/** What a TanStack Query user writes: a query on generationQueryOptions, "waiting" kept in state. */
function Cost({
  id,
  client,
  seen,
}: {
  id: string;
  client: ReturnType<Harness['client']>;
  seen: string[];
}): ReactNode {
  const [waiting, setWaiting] = useState(false);
  const query = useQuery(generationQueryOptions(id, client, { onWaiting: () => setWaiting(true) }));
  const text = query.data
    ? `cost ${query.data.total_cost}`
    : query.error
      ? `error ${String(query.error)}`
      : waiting
        ? 'waiting for stats'
        : 'loading';
  if (seen.at(-1) !== text) seen.push(text);
  return <output>{text}</output>;
}

describe('generationQueryOptions with @tanstack/react-query', () => {
  it('renders the waiting signal while the stats are not ready, then the data', async () => {
    const { id, total_cost } = harness.fake.addGeneration({}, { readyInMs: 600 });
    const queryClient = new QueryClient();
    const seen: string[] = [];
    try {
      render(
        <QueryClientProvider client={queryClient}>
          <Cost id={id} client={harness.client()} seen={seen} />
        </QueryClientProvider>,
      );
      await screen.findByText('waiting for stats', undefined, { timeout: 10_000 });
      await screen.findByText(`cost ${total_cost}`, undefined, { timeout: 10_000 });
    } finally {
      await act(async () => queryClient.clear());
    }
    // Loading, then waiting (a not-ready 404 came back), then the data: in that order.
    expect(seen).toEqual(['loading', 'waiting for stats', `cost ${total_cost}`]);
    // The 404s that made it wait reached the fake, then one success.
    expect(harness.gets(id).filter((call) => call.status === 404).length).toBeGreaterThan(0);
    expect(harness.gets(id).at(-1)?.status).toBe(200);
  });
});

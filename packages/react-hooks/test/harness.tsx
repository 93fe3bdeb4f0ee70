import { type ClientOptions, createClient, type GenmetaClient } from '@genmeta/core';
import type { FakeCall } from '@genmeta/fake-openrouter';
import { type SuiteFake, setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import type { ReactNode } from 'react';
import {
  type GenerationState,
  GenmetaProvider,
  type UseGenerationOptions,
  useGeneration,
} from '../src/index.js';

/** One request as the browser's fetch saw it, with the signal that can abort it. */
export interface SeenRequest {
  id: string | null;
  signal: AbortSignal | undefined;
}

/** The suite's fake OpenRouter plus clients that talk to it over HTTP and record each request's signal. */
export interface Harness {
  fake: SuiteFake;
  requests: SeenRequest[];
  /** Every getGeneration call the hooks made on the clients below: id and signal. */
  lookups: SeenRequest[];
  /** A fresh client (fresh cache) pointing at the fake. */
  client(options?: ClientOptions): GenmetaClient;
  /** GET /generation calls the fake received, for one id or all. */
  gets(id?: string): FakeCall[];
}

/** One harness per suite, on the test kit's fake (started before the suite, closed after it). */
export function harnessForSuite(): Harness {
  const fake = setupFakeOpenRouter();
  const requests: SeenRequest[] = [];
  // Records, then forwards to the real fetch: nothing of ours is replaced.
  const recordingFetch: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const signal =
      init?.signal ?? (typeof input === 'object' && 'signal' in input ? input.signal : undefined);
    requests.push({
      id: new URL(url, 'http://localhost').searchParams.get('id'),
      signal: signal ?? undefined,
    });
    return fetch(input, init);
  };
  const lookups: SeenRequest[] = [];
  return {
    fake,
    requests,
    lookups,
    client: (options = {}) => {
      const real = createClient({
        baseUrl: fake.url,
        apiKey: fake.apiKey,
        dangerouslyAllowBrowser: true,
        fetch: recordingFetch,
        ...options,
      });
      // Delegates to the real client, noting each lookup the hooks start.
      return {
        baseUrl: real.baseUrl,
        getGeneration: (id, lookupOptions) => {
          lookups.push({ id, signal: lookupOptions?.signal });
          return real.getGeneration(id, lookupOptions);
        },
        getGenerations: (ids, lookupOptions) => real.getGenerations(ids, lookupOptions),
      };
    },
    gets: (id) => fake.generationCalls(id),
  };
}

export interface Render {
  id: string | null | undefined;
  state: GenerationState;
}

/** Renders one hook and records every state it rendered with, next to the id it was given. */
export function Probe({
  id,
  options,
  renders,
}: {
  id: string | null | undefined;
  options?: UseGenerationOptions;
  renders?: Render[];
}): ReactNode {
  const state = useGeneration(id, options);
  renders?.push({ id, state });
  let text: string = state.status;
  if (state.isWaiting) text += ' waiting';
  if (state.data) text += ` ${state.data.id} ${state.data.model}`;
  if (state.error) text += ` ${state.error.code}`;
  return <output data-id={id ?? ''}>{text}</output>;
}

/** A testing-library `wrapper` giving the hooks this client. */
export const withClient =
  (client: GenmetaClient) =>
  ({ children }: { children: ReactNode }) => (
    <GenmetaProvider client={client}>{children}</GenmetaProvider>
  );

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

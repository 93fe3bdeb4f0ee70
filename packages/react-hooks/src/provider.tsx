'use client';
import type { GenmetaClient } from '@genmeta/core';
import { type ReactElement, type ReactNode, useContext } from 'react';
import { DEFAULT_PROXY_BASE_URL, getBrowserClient } from './internal/clients.js';
import { GenmetaContext } from './internal/context.js';

/** Props of {@link GenmetaProvider}. */
export interface GenmetaProviderProps {
  /**
   * Base URL of the app's generation proxy route (the hooks call `<baseUrl>/generation?id=`).
   * Relative URLs resolve against the page. Ignored when `client` is given.
   * @default '/api/genmeta' (DEFAULT_PROXY_BASE_URL)
   */
  baseUrl?: string;
  /**
   * A ready `@genmeta/core` client (custom fetch, deadline, headers, cache). Takes precedence
   * over `baseUrl`. Hooks under providers sharing one client share its requests and cache.
   * @default a keyless client for `baseUrl`, shared by every provider with that `baseUrl`
   */
  client?: GenmetaClient;
  /** The part of the app that uses the hooks. */
  children?: ReactNode;
}

/**
 * Gives the hooks below it a client: the `client` passed in, or a keyless one for `baseUrl`
 * (the app's proxy route). Without any provider the hooks use a default client for
 * `DEFAULT_PROXY_BASE_URL` (`/api/genmeta`).
 *
 * @example
 * <GenmetaProvider baseUrl="/api/genmeta">
 *   <App />
 * </GenmetaProvider>
 */
export function GenmetaProvider({ baseUrl, client, children }: GenmetaProviderProps): ReactElement {
  const value = client ?? getBrowserClient(baseUrl ?? DEFAULT_PROXY_BASE_URL);
  return <GenmetaContext.Provider value={value}>{children}</GenmetaContext.Provider>;
}

/**
 * The client the hooks use at this point of the tree: the nearest `GenmetaProvider`'s, or the
 * default one for `DEFAULT_PROXY_BASE_URL`. Handy for `client.getGenerations(...)` or
 * `generationQueryOptions(id, client)`.
 */
export function useGenmetaClient(): GenmetaClient {
  return useContext(GenmetaContext) ?? getBrowserClient(DEFAULT_PROXY_BASE_URL);
}

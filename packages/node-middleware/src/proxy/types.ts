import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientOptions, GenmetaClient } from '@genmeta/core';
import type { GenerationRegistry } from '@genmeta/core/server';

/** Options of {@link generationProxy}. */
export interface GenerationProxyOptions {
  /**
   * The `@genmeta/core` client that calls OpenRouter with the server's key.
   * @default the process's shared default client for `clientOptions` (the same one
   *   `costLogger` uses with equal `clientOptions`: one cache, one single-flight)
   */
  client?: GenmetaClient;
  /**
   * Options for the default client, used when `client` is not given. Equal options (primitives
   * and headers by value, functions and objects by identity) share one client.
   * @default {} (key from OPENROUTER_API_KEY, base URL from OPENROUTER_BASE_URL)
   */
  clientOptions?: ClientOptions;
  /**
   * Where the ids this proxy may serve are read (`costLogger` writes them when tracked). An
   * async registry that answers no is asked again twice (after 100 and 200 ms) before the
   * proxy refuses, so an id tracked by another instance a moment ago is not refused while its
   * write lands. A registry that throws or rejects gets a 503 answer (fails closed).
   * @default the process-wide memory registry (the last 10,000 ids), shared with costLogger
   */
  registry?: GenerationRegistry;
  /**
   * Decides whether a request may read a generation. It receives whether the registry holds
   * the id (a `costLogger` tracked it recently), so
   * `(request, id, { tracked }) => tracked || isAdmin(request)` widens the default and
   * `(request, id, { tracked }) => tracked && ownsGeneration(request, id)` narrows it.
   * Async allowed; a throw answers 500. For `.fetch`, see `authorizeFetch`.
   * @default (request, id, { tracked }) => tracked
   */
  authorize?: (
    request: IncomingMessage,
    id: string,
    details: { tracked: boolean },
  ) => boolean | Promise<boolean>;
  /**
   * `authorize` for {@link GenerationProxy.fetch}, which gets a Web `Request`. When only
   * `authorize` is given, `.fetch` cannot apply it and answers 500 (reported once) rather than
   * serve with a different policy.
   * @default (request, id, { tracked }) => tracked
   */
  authorizeFetch?: (
    request: Request,
    id: string,
    details: { tracked: boolean },
  ) => boolean | Promise<boolean>;
  /**
   * Path prefix in front of `/generation` as seen in `request.url`. Express strips the mount
   * path of `app.use('/api/genmeta', proxy)`, so leave it empty there; on plain node:http
   * (or `app.get('/api/genmeta/generation', proxy)`) pass the full prefix, e.g. `/api/genmeta`.
   * `.fetch` answers any request whose path ENDS with `<basePath>/generation` (frameworks route
   * it there and do not strip their mount path).
   * @default ''
   */
  basePath?: string;
  /**
   * Cache-Control of a finished generation (they never change). `private`, because a
   * generation can hold per-user data (`external_user`, `origin`) and the authorization
   * decision must not be bypassed by a shared cache. Successful answers also carry
   * `Vary: Cookie, Authorization`, so a browser profile shared by two users does not serve one
   * user's cached answer to the other after a switch.
   * @default 'private, max-age=31536000, immutable'
   */
  cacheControl?: string;
}

/** The handler returned by {@link generationProxy}. */
export interface GenerationProxy {
  /** The node:http / Express / connect handler. */
  (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void;
  /**
   * The same proxy for fetch-style hosts (Next.js route handlers, Hono, Bun, Deno): answers a
   * Web `Request` with the same statuses, headers and JSON as the node handler. Never rejects.
   *
   * @example
   * // app/api/genmeta/generation/route.ts
   * const proxy = generationProxy();
   * export const GET = proxy.fetch;
   */
  fetch(request: Request): Promise<Response>;
}

/** Options of {@link createTrackingFetch}. */
export interface TrackingFetchOptions {
  /**
   * The fetch to wrap (captured when the tracking fetch is created).
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
  /**
   * Base URL(s) of the OpenRouter API: responses to URLs under one of them are tracked. URLs
   * are compared parsed: scheme and host case, default ports and trailing slashes do not
   * matter. Inside a request handled by a `costLogger`, the base URL of that logger's client
   * (`clientOptions.baseUrl`) counts too, so one setting scopes both. Whatever the URL, a
   * request carrying an OpenRouter key (`Authorization: Bearer sk-or-...`) or a response
   * carrying a valid `X-Generation-Id` is tracked as well; but only answers from these base
   * URLs' origins (or `trustedOrigins`) or to a request carrying an OpenRouter key are trusted
   * (README, "Trust").
   * @default process.env.OPENROUTER_BASE_URL ?? 'https://openrouter.ai/api/v1'
   */
  baseUrl?: string | readonly string[];
  /**
   * The incoming request whose record this fetch's ids go to: the `Request` a `handle`d
   * handler received (or Hono's `c.req.raw`). Needed only where no AsyncLocalStorage carries
   * the request's context (Cloudflare Workers without `nodejs_compat`); create the tracking
   * fetch inside the handler then.
   * @default the request of the current async context (AsyncLocalStorage)
   */
  request?: Request;
  /**
   * More origins (`https://gateway.example.com`) whose answers are trusted: their ids may be
   * served by generationProxy and their inline costs counted (README, "Trust").
   * @default []
   */
  trustedOrigins?: readonly string[];
}

/** OpenRouter's API base URL: the client's default when no `baseUrl` is given. */
export const DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1';
/**
 * Where the browser finds the app's generation proxy route by default (the path
 * `generationProxy` is mounted on in the docs): `@genmeta/react-hooks`' default `baseUrl`.
 */
export const DEFAULT_PROXY_BASE_URL = '/api/genmeta';
/** Environment variable holding the OpenRouter API key. */
export const API_KEY_ENV = 'OPENROUTER_API_KEY';
/** Environment variable overriding the default base URL. */
export const BASE_URL_ENV = 'OPENROUTER_BASE_URL';

/** `process.env[name]` where a `process.env` exists (Node, Bun, Deno's compat), else undefined. */
export function environmentVariable(name: string): string | undefined {
  if (typeof process === 'undefined' || typeof process.env !== 'object' || process.env === null) {
    return undefined;
  }
  const value = process.env[name];
  return value === '' ? undefined : value;
}

/** The one trailing-slash rule: a base URL is kept without trailing slashes. */
export function normalizeBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** `OPENROUTER_BASE_URL` where the environment sets it, else {@link DEFAULT_BASE_URL}; normalized. */
export function defaultBaseUrl(): string {
  return normalizeBaseUrl(environmentVariable(BASE_URL_ENV) ?? DEFAULT_BASE_URL);
}

/** OpenRouter's API base URL: the client's default when no `baseUrl` is given. */
export const OPENROUTER_API_BASE_URL = 'https://openrouter.ai/api/v1';
/** @deprecated The same URL as {@link OPENROUTER_API_BASE_URL}, whose name says which one it is. */
export const DEFAULT_BASE_URL = OPENROUTER_API_BASE_URL;
/**
 * Where the browser finds the app's generation proxy route by default (the path
 * `generationProxy` is mounted on in the docs): `@genmeta/react-hooks`' default `baseUrl`.
 */
export const DEFAULT_PROXY_BASE_URL = '/api/genmeta';
/** Environment variable holding the OpenRouter API key. */
export const API_KEY_ENV = 'OPENROUTER_API_KEY';
/** Environment variable overriding the default base URL. */
export const BASE_URL_ENV = 'OPENROUTER_BASE_URL';

/**
 * What reading one environment variable gave: its value (an empty one counts as unset), or, when
 * the runtime lets no one read it, why (`unreadable`).
 */
export interface EnvironmentReading {
  readonly value: string | undefined;
  /**
   * Set when the environment cannot be read here: Deno without `--allow-env` (reading throws
   * `NotCapable`), or a runtime without `process.env` (workerd, edge runtimes).
   */
  readonly unreadable: string | undefined;
}

/**
 * Reads `process.env[name]` where a `process.env` exists (Node, Bun, Deno's compat). Never
 * throws: a runtime that forbids the read (Deno without `--allow-env`) or has no `process.env`
 * (workerd without `nodejs_compat`) gives no value and says why in `unreadable`.
 */
export function readEnvironment(name: string): EnvironmentReading {
  let value: unknown;
  try {
    const environment = typeof process === 'undefined' ? undefined : process.env;
    if (typeof environment !== 'object' || environment === null) {
      return { value: undefined, unreadable: 'this runtime has no process.env' };
    }
    value = environment[name];
  } catch (error) {
    const kind = error instanceof Error ? error.name : 'an error';
    return {
      value: undefined,
      unreadable: `this runtime does not allow reading the environment (${kind}; Deno needs --allow-env=${name})`,
    };
  }
  return {
    value: typeof value === 'string' && value !== '' ? value : undefined,
    unreadable: undefined,
  };
}

/** `process.env[name]` where it can be read, else undefined. Never throws. */
export function environmentVariable(name: string): string | undefined {
  return readEnvironment(name).value;
}

/** The trailing-slash rule every package follows: a base URL is kept without trailing slashes. */
export function normalizeBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** `OPENROUTER_BASE_URL` where the environment sets it, else {@link OPENROUTER_API_BASE_URL}; normalized. */
export function defaultBaseUrl(): string {
  return normalizeBaseUrl(environmentVariable(BASE_URL_ENV) ?? OPENROUTER_API_BASE_URL);
}

import { DEFAULT_PROXY_BASE_URL } from '@genmeta/core/rules';

/** Where the hooks look generations up when no provider says otherwise: the app's own proxy route, mounted with `generationProxy` from `@genmeta/node-middleware`. */
export { DEFAULT_PROXY_BASE_URL };

/**
 * @deprecated Use {@link DEFAULT_PROXY_BASE_URL} (the same `'/api/genmeta'`): in `@genmeta/core`
 * a default base URL is OpenRouter's, so this name meant two URLs.
 */
export const DEFAULT_BASE_URL = DEFAULT_PROXY_BASE_URL;

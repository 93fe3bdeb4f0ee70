import { DEFAULT_PROXY_BASE_URL } from '@genmeta/core/engine';

/** Where the hooks look generations up when no provider says otherwise: the app's own proxy route, mounted with `generationProxy` from `@genmeta/node-middleware`. */
export const DEFAULT_BASE_URL = DEFAULT_PROXY_BASE_URL;

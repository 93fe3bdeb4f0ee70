/** Where the hooks look generations up when no provider says otherwise: the app's own proxy route, mounted with `generationProxy` from `@genmeta/node-middleware`. */
export const DEFAULT_BASE_URL = '/api/genmeta';

import { costLogger, createTrackingFetch, generationProxy } from '@genmeta/node-middleware';

/**
 * One cost logger for the app: a JSON line per request on stdout. Key and base URL come from
 * OPENROUTER_API_KEY / OPENROUTER_BASE_URL, shared by the lookups, the tracking fetch and the
 * proxy.
 */
export const genmeta = costLogger();

/** Pass to any SDK's `fetch` option; here it is used as is. */
export const trackingFetch = createTrackingFetch();

/** Serves `GET /api/genmeta/generation?id=` for the page's `useGeneration`. */
export const proxy = generationProxy();

import { normalizeBaseUrl } from './defaults.js';

export { environmentVariable } from './defaults.js';

/** True in a browser (or a DOM emulation): both `window` and `document` exist. */
export function isBrowserLike(): boolean {
  return typeof window !== 'undefined' && typeof document !== 'undefined';
}

/**
 * An absolute base URL without trailing slashes. A relative one ('/api/genmeta') is resolved
 * against `location.href` where there is a location.
 */
export function resolveBaseUrl(baseUrl: string): string {
  let absolute: string;
  try {
    absolute = new URL(baseUrl).href;
  } catch {
    const here = typeof location === 'undefined' ? undefined : location.href;
    try {
      absolute = new URL(baseUrl, here).href;
    } catch {
      throw new TypeError(
        `baseUrl "${baseUrl}" is not an absolute URL, and there is no page location to resolve it against`,
      );
    }
  }
  return normalizeBaseUrl(absolute);
}

import { normalizeBaseUrl } from './defaults.js';

export { environmentVariable, readEnvironment } from './defaults.js';

/** True in a browser (or a DOM emulation): both `window` and `document` exist. */
export function isBrowserLike(): boolean {
  return typeof window !== 'undefined' && typeof document !== 'undefined';
}

/** `url` with any `user:password@` part replaced, so a message can name the URL safely. */
export function withoutUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#@]*@/i, (_, scheme: string | undefined) =>
    scheme === undefined ? '[REDACTED]@' : `${scheme}[REDACTED]@`,
  );
}

/**
 * What makes `url` unusable as a base URL (`must be ...`, to follow its name in a message), or
 * `undefined` when it is usable: it must be http(s), and hold no credentials (they would
 * appear wherever the URL is named). The message never repeats the URL.
 */
export function baseUrlProblem(url: URL): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `must be an http: or https: URL, got a ${url.protocol} one`;
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not contain credentials (user:password@host): they would appear wherever the URL is named; give them separately';
  }
  return undefined;
}

/**
 * An absolute base URL without trailing slashes. A relative one ('/api/genmeta') is resolved
 * against `location.href` where there is a location. Credentials in it (`user:pass@`) are
 * refused: they would travel in every message that names the URL.
 */
export function resolveBaseUrl(baseUrl: string): string {
  if (typeof baseUrl !== 'string') {
    throw new TypeError(`baseUrl must be a string, got ${typeof baseUrl}`);
  }
  let absolute: URL;
  try {
    absolute = new URL(baseUrl);
  } catch {
    const here = typeof location === 'undefined' ? undefined : location.href;
    try {
      absolute = new URL(baseUrl, here);
    } catch {
      throw new TypeError(
        `baseUrl "${withoutUserinfo(baseUrl)}" is not an absolute URL, and there is no page location to resolve it against`,
      );
    }
  }
  const problem = baseUrlProblem(absolute);
  if (problem !== undefined) throw new TypeError(`baseUrl ${problem}`);
  return normalizeBaseUrl(absolute.href);
}

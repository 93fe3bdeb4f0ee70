import { normalizeBaseUrl } from '@genmeta/core/engine';

/**
 * A URL reduced to what decides where a request goes: scheme and host lower-cased, default port
 * dropped (the URL parser does both), path without trailing slashes, no query or fragment.
 * undefined when it does not parse.
 */
export function comparableUrl(url: string): string | undefined {
  return comparableAndOrigin(url)?.path;
}

/**
 * {@link comparableUrl} and the origin (`scheme://host[:port]`, undefined when opaque) of a URL,
 * from one parse: the tracking fetch needs both on every call.
 */
export function comparableAndOrigin(
  url: string,
): { path: string; origin: string | undefined } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const { origin } = parsed;
  return {
    path: `${parsed.protocol}//${parsed.host}${normalizeBaseUrl(parsed.pathname)}`,
    origin: origin === 'null' ? undefined : origin,
  };
}

/** A URL fit for a record: no credentials, query or fragment. */
export function displayUrl(url: string): string {
  return comparableUrl(url) ?? '(unparsable URL)';
}

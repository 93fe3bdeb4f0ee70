import { normalizeBaseUrl } from '@genmeta/core/engine';

/**
 * A URL reduced to what decides where a request goes: scheme and host lower-cased, default port
 * dropped (the URL parser does both), path without trailing slashes, no query or fragment.
 * undefined when it does not parse.
 */
export function comparableUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return `${parsed.protocol}//${parsed.host}${normalizeBaseUrl(parsed.pathname)}`;
}

/** A URL fit for a record: no credentials, query or fragment. */
export function displayUrl(url: string): string {
  return comparableUrl(url) ?? '(unparsable URL)';
}

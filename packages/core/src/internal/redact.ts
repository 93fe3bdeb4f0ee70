/** The one marker put in place of a secret, everywhere genmeta redacts. */
export const REDACTED = '[REDACTED]';

const secretHeaders: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
]);

/** Headers as a plain object, with credentials replaced by {@link REDACTED}. */
export function redactHeaders(
  headers: Headers | Readonly<Record<string, string | readonly string[] | number | undefined>>,
): Record<string, string> {
  const plain: Record<string, string> = {};
  const entries: Iterable<[string, unknown]> =
    headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    plain[name] = secretHeaders.has(name.toLowerCase())
      ? REDACTED
      : Array.isArray(value)
        ? value.join(', ')
        : String(value);
  }
  return plain;
}

/**
 * Replaces every occurrence of `secret` in `text`, also URL-encoded (defence against servers
 * echoing the key). Secrets shorter than 4 characters are left alone (they would match noise).
 */
export function scrubSecret(text: string, secret: string | null | undefined): string {
  if (secret === undefined || secret === null || secret.length < 4) return text;
  let scrubbed = text.split(secret).join(REDACTED);
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) scrubbed = scrubbed.split(encoded).join(REDACTED);
  return scrubbed;
}

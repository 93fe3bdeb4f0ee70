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

/** Whether a header carries a credential (its value is never logged). */
export function isSecretHeader(name: string): boolean {
  return secretHeaders.has(name.toLowerCase());
}

/** Request headers as a plain object, with credentials replaced by {@link REDACTED}. */
export function redactRequestHeaders(headers: Headers): Record<string, string> {
  const plain: Record<string, string> = {};
  headers.forEach((value, name) => {
    plain[name] = isSecretHeader(name) ? REDACTED : value;
  });
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

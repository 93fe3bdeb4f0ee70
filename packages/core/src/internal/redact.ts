const secretHeaders: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'api-key',
]);

/** Request headers as a plain object, with credentials replaced by '[REDACTED]'. */
export function redactHeaders(headers: Headers): Record<string, string> {
  const plain: Record<string, string> = {};
  headers.forEach((value, name) => {
    plain[name] = secretHeaders.has(name.toLowerCase()) ? '[REDACTED]' : value;
  });
  return plain;
}

/** Replaces every occurrence of `secret` in `text` (defence against servers echoing the key). */
export function scrub(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length < 4) return text;
  return text.split(secret).join('[REDACTED]');
}

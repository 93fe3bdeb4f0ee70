import { isSecretHeader, REDACTED, redactRequestHeaders } from '../internal/redact.js';

/** Headers as Node (`IncomingHttpHeaders`, `OutgoingHttpHeaders`) or plain objects hold them. */
export type HeaderRecord = Readonly<
  Record<string, string | readonly string[] | number | undefined>
>;

/**
 * Headers as a plain object for a log line, with credentials (`authorization`, `cookie`,
 * `set-cookie`, `x-api-key`, ...) replaced by {@link REDACTED}. Takes `Headers` or a record.
 */
export function redactHeaders(headers: Headers | HeaderRecord): Record<string, string> {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    return redactRequestHeaders(headers);
  }
  const plain: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers as HeaderRecord)) {
    if (value === undefined) continue;
    plain[name] = isSecretHeader(name)
      ? REDACTED
      : Array.isArray(value)
        ? value.join(', ')
        : String(value);
  }
  return plain;
}

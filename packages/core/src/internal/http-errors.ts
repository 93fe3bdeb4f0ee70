import { codeOfStatus, isRetryableByDefault } from '../errors/table.js';
import { errorClasses, type GenmetaError, type GenmetaErrorOptions } from '../errors.js';
import { errorResponseMessage } from './check-fields.js';
import { scrubSecret } from './redact.js';

/**
 * Collapses whitespace and cuts long text so it reads well inside an error message. The secret
 * is scrubbed before the cut (so no head of it survives) and again after (a piece at the cut).
 */
function shorten(text: string, secret: string | undefined, max = 200): string {
  const flat = scrubSecret(text.replace(/\s+/g, ' ').trim(), secret);
  return flat.length > max ? `${scrubSecret(flat.slice(0, max - 1), secret)}…` : flat;
}

const entities: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  amp: '&',
};

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => entities[name] ?? '');
}

/**
 * What the server said, readable: the `error.message` of OpenRouter's JSON shape, the `<title>`
 * of an HTML page (or its text), other text shortened, or `undefined` for an empty body; with
 * `secret` scrubbed from it.
 */
export function describeErrorBody(
  body: string,
  contentType: string | null,
  secret?: string,
): string | undefined {
  const trimmed = body.trim();
  if (trimmed === '') return undefined;
  if (trimmed.startsWith('{')) {
    try {
      const message = errorResponseMessage(JSON.parse(trimmed));
      if (message !== undefined) return shorten(message, secret);
    } catch {
      // not JSON after all: described as text below
    }
  }
  if (contentType?.includes('html') || trimmed.startsWith('<')) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1];
    if (title?.trim()) return shorten(decodeEntities(title), secret);
    const text = trimmed.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
    const described = shorten(decodeEntities(text), secret);
    return described === '' ? 'an HTML page' : described;
  }
  return shorten(trimmed, secret);
}

/**
 * The one place a non-success HTTP status becomes a typed error (per the error table). A status
 * in no row is an unexpected `server_error`, not retryable (nothing says trying again helps).
 */
export function errorFromStatus(
  status: number,
  serverMessage: string | undefined,
  details: Omit<GenmetaErrorOptions, 'status' | 'isRetryable'> = {},
): GenmetaError {
  const message = `OpenRouter answered ${status}${serverMessage ? `: ${serverMessage}` : ' with an empty body'}`;
  const code = codeOfStatus(status);
  return new errorClasses[code ?? 'server_error'](
    code || status >= 500 ? message : `${message} (unexpected status)`,
    { ...details, status, isRetryable: code !== undefined && isRetryableByDefault(code) },
  );
}

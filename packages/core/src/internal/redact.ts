/** The marker put in place of a secret, everywhere genmeta redacts (logs, errors, alerts, reports). */
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
 * Secrets at least this long are scrubbed wherever they occur, and so is any piece of them this
 * long at the start or end of a text (where a cut may have left it); shorter secrets only as
 * whole tokens, so a 3-character key does not turn every word containing it into a marker.
 */
export const SCRUB_ANYWHERE_LENGTH = 8;

const hex = (character: string): string => character.charCodeAt(0).toString(16).padStart(4, '0');

/** The secret as a server may echo it: raw, URL-encoded (either hex case, form style), JSON-escaped. */
function echoedForms(secret: string): string[] {
  const uri = encodeURIComponent(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = new Set([
    secret,
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (sequence) => sequence.toLowerCase()),
    json,
    json.replace(/\//g, '\\/'),
    // Encoders that write every symbol as \uXXXX (e.g. `+` as \u002b, `=` as \u003d).
    secret.replace(/[^A-Za-z0-9_-]/g, (character) => `\\u${hex(character)}`),
    secret.replace(/[^A-Za-z0-9_-]/g, (character) => `\\u${hex(character).toUpperCase()}`),
  ]);
  // Longest first, so a longer form is not broken up by a shorter one.
  return [...forms].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces a piece of `form` of at least {@link SCRUB_ANYWHERE_LENGTH} left at either edge of `text`. */
function scrubEdges(text: string, form: string): string {
  let scrubbed = text;
  for (
    let length = Math.min(form.length - 1, scrubbed.length);
    length >= SCRUB_ANYWHERE_LENGTH;
    length--
  ) {
    if (scrubbed.endsWith(form.slice(0, length))) {
      scrubbed = scrubbed.slice(0, -length) + REDACTED;
      break;
    }
  }
  for (
    let length = Math.min(form.length - 1, scrubbed.length);
    length >= SCRUB_ANYWHERE_LENGTH;
    length--
  ) {
    if (scrubbed.startsWith(form.slice(-length))) {
      scrubbed = REDACTED + scrubbed.slice(length);
      break;
    }
  }
  return scrubbed;
}

/**
 * Replaces every occurrence of `secret` in `text` with {@link REDACTED}: raw, URL-encoded and
 * JSON-escaped (servers echo keys in all of these), and a piece of it of 8 or more characters
 * left at the start or end of the text by a cut. Any non-empty secret is scrubbed; one shorter
 * than 8 characters only where it stands as a whole token (not inside a longer word).
 */
export function scrubSecret(text: string, secret: string | null | undefined): string {
  if (secret === undefined || secret === null || secret === '') return text;
  let scrubbed = text;
  for (const form of echoedForms(secret)) {
    if (form.length >= SCRUB_ANYWHERE_LENGTH) {
      scrubbed = scrubEdges(scrubbed.split(form).join(REDACTED), form);
    } else {
      const token = new RegExp(`(?<![A-Za-z0-9_-])${escapeRegExp(form)}(?![A-Za-z0-9_-])`, 'g');
      scrubbed = scrubbed.replace(token, REDACTED);
    }
  }
  return scrubbed;
}

/** Anything shaped like an OpenRouter key: `sk-or-` and the key characters after it. */
const OPENROUTER_KEY_SHAPE = /sk-or-[A-Za-z0-9_-]*/g;

/**
 * Masks anything shaped like an OpenRouter key (`sk-or-...` → `sk-or-[REDACTED]`), for text that
 * may carry a key nobody named (an attribute value, a path pasted into a log).
 */
export function maskKeyShapes(text: string): string {
  return text.includes('sk-or-') ? text.replace(OPENROUTER_KEY_SHAPE, `sk-or-${REDACTED}`) : text;
}

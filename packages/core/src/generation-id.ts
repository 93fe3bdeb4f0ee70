import { InvalidIdError } from './errors.js';

const maxLength = 256;

function whyInvalid(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return `must be a string, got ${value === null ? 'null' : typeof value}`;
  }
  if (value.length === 0) return 'must not be empty';
  if (value.length > maxLength)
    return `must be at most ${maxLength} characters, got ${value.length}`;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code <= 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f)) {
      return `must not contain whitespace or control characters (position ${index})`;
    }
    const character = value[index];
    if (character === '/' || character === '?' || character === '#' || character === '&') {
      return `must not contain '${character}' (position ${index})`;
    }
    if (/\s/.test(character as string)) {
      return `must not contain whitespace (position ${index})`;
    }
  }
  return undefined;
}

/**
 * True for a plausible generation id: a non-empty string of at most 256 characters with no
 * whitespace, control characters or `/ ? # &`.
 */
export function isGenerationId(value: unknown): value is string {
  return whyInvalid(value) === undefined;
}

/** A short, printable preview of a rejected value (never the whole input). */
function preview(value: unknown): string {
  if (typeof value !== 'string') return '';
  const safe = value.slice(0, 16).replace(/[^\w.:-]/g, '?');
  return ` "${safe}${value.length > 16 ? '…' : ''}"`;
}

/**
 * Returns `value` when it is a valid generation id ({@link isGenerationId}), else throws an
 * {@link InvalidIdError} saying why.
 */
export function parseGenerationId(value: unknown): string {
  const reason = whyInvalid(value);
  if (reason === undefined) return value as string;
  throw new InvalidIdError(`Invalid generation id${preview(value)}: ${reason}`, {
    isRetryable: false,
  });
}

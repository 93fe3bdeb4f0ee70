import { InvalidIdError } from './errors.js';

const maxLength = 256;

/** The id rule in words, as messages and READMEs state it. */
export const GENERATION_ID_RULE =
  'a non-empty string of at most 256 characters with no whitespace, control characters or / ? # &';
/** Whitespace, control characters and the characters that would break out of a query value. */
const forbidden = /[\s\p{Cc}/?#&]/u;

function whyInvalid(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return `must be a string, got ${value === null ? 'null' : typeof value}`;
  }
  if (value.length === 0) return 'must not be empty';
  if (value.length > maxLength)
    return `must be at most ${maxLength} characters, got ${value.length}`;
  const match = forbidden.exec(value);
  if (match !== null) {
    const character = match[0];
    const what =
      character === '/' || character === '?' || character === '#' || character === '&'
        ? `'${character}'`
        : /\s/.test(character)
          ? 'whitespace'
          : 'control characters';
    return `must not contain ${what} (position ${match.index})`;
  }
  return undefined;
}

/** True for a plausible generation id: {@link GENERATION_ID_RULE}. */
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

/** A value that cannot be written as JSON (nested too deeply for the serialiser, a cycle). */
export class UnprintableError extends Error {
  override readonly name = 'UnprintableError';
}

// JSON.stringify escapes C0 controls already; these survive it and still act on a terminal.
// They can only occur inside JSON strings, so escaping them never touches the structure.
const unsafeInJson = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function unicodeEscape(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `JSON.stringify(value)` with DEL, C1 controls, bidi controls and line separators escaped as
 * `\uXXXX`. Throws {@link UnprintableError} instead of a RangeError or TypeError.
 */
export function jsonText(value: unknown, pretty = false): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, null, pretty ? 2 : undefined);
  } catch (error) {
    const why = error instanceof RangeError ? 'nested too deeply' : 'not serialisable';
    throw new UnprintableError(`it is ${why} to print as JSON`);
  }
  return (text ?? 'null').replace(unsafeInJson, unicodeEscape);
}

/** {@link jsonText}, or `fallback` when the value cannot be printed (for human output). */
export function jsonTextOr(value: unknown, fallback: string): string {
  try {
    return jsonText(value);
  } catch (error) {
    if (error instanceof UnprintableError) return fallback;
    throw error;
  }
}

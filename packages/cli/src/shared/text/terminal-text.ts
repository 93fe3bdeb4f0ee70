// The one place that decides what text may reach a terminal. Upstream values (model names, error
// bodies, unknown fields) are untrusted: an escape sequence in them could retitle the window,
// clear the screen or fake output, and a bidi override could make text read differently.

const escapeSequence =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point
  /\u001b(?:\[[0-?]*[ -/]*[@-~]|[\]PX^_][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[ -/]*[0-~])?/g;
// C0 controls, DEL, C1 controls, bidi embeddings/overrides/isolates, line/paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const unsafeCharacter = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const unsafeCharacterButNewline =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the same set, newline kept
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** What an unsafe character or escape sequence becomes on a terminal. */
export const replacementCharacter = '?';

/**
 * Text made safe for a terminal: escape sequences and control, C1 and bidi characters each
 * become `?`. With `keepNewlines`, `\n` stays (where it is structure, like a quoted CSV cell).
 */
export function terminalSafe(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text
    .replace(escapeSequence, replacementCharacter)
    .replace(
      options.keepNewlines ? unsafeCharacterButNewline : unsafeCharacter,
      replacementCharacter,
    );
}

/** Terminal-safe and at most `maxLength` characters (then ending in …), for echoing values. */
export function printable(value: string, maxLength = 40): string {
  const clean = terminalSafe(value);
  return clean.length > maxLength ? `${clean.slice(0, maxLength)}…` : clean;
}

/** Whitespace collapsed to single spaces, terminal-safe, cut to `maxLength`: one stderr line. */
export function oneLine(text: string, maxLength = 300): string {
  return printable(text.replace(/\s+/g, ' ').trim(), maxLength);
}

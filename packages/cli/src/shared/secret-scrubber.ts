import { REDACTED, scrubSecret } from '@genmeta/core/rules';
import type { RunOutput } from './io.js';

/** A piece of the key this long is a leak too (a message cut in the middle of the key). */
const minimumPieceLength = 8;

/** Replaces secrets in text; `identity` when there is no key. */
export interface Scrubber {
  /** the whole key, also URL-encoded or JSON-escaped: cheap enough for every output chunk */
  whole(text: string): string;
  /** {@link whole}, then any run of 8 or more characters of the key: for error text */
  pieces(text: string): string;
}

// The forms of the key to look for: core's scrubSecret covers the key and its URL encoding
// (not under 4 characters); lower-case percent escapes and JSON escapes are added here.
function keyForms(key: string): string[] {
  const urlEncoded = encodeURIComponent(key);
  const forms = [
    key,
    urlEncoded,
    urlEncoded.replace(/%[0-9A-F]{2}/g, (percent) => percent.toLowerCase()),
    JSON.stringify(key).slice(1, -1),
  ];
  // Longest first, so that a form containing another is replaced whole.
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

function replacePieces(text: string, key: string, windows: ReadonlySet<string>): string {
  let result = '';
  let copiedUpTo = 0;
  let index = 0;
  while (index + minimumPieceLength <= text.length) {
    if (!windows.has(text.slice(index, index + minimumPieceLength))) {
      index += 1;
      continue;
    }
    let end = index + minimumPieceLength;
    while (end < text.length && key.includes(text.slice(index, end + 1))) end += 1;
    result += text.slice(copiedUpTo, index) + REDACTED;
    copiedUpTo = end;
    index = end;
  }
  return result + text.slice(copiedUpTo);
}

/** A {@link Scrubber} for `key` (none when the command runs without a key). */
export function createScrubber(key: string | undefined): Scrubber {
  if (key === undefined || key === '') return { whole: (text) => text, pieces: (text) => text };
  const forms = keyForms(key);
  const windows = new Set<string>();
  for (let start = 0; start + minimumPieceLength <= key.length; start += 1) {
    windows.add(key.slice(start, start + minimumPieceLength));
  }
  const whole = (text: string): string => {
    // The common case, no trace of the key, costs a few scans and no copy.
    if (!forms.some((form) => text.includes(form))) return text;
    let result = scrubSecret(text, key);
    for (const form of forms) {
      if (result.includes(form)) result = result.replaceAll(form, REDACTED);
    }
    return result;
  };
  return {
    whole,
    pieces: (text) => (windows.size === 0 ? whole(text) : replacePieces(whole(text), key, windows)),
  };
}

/** `output` with every chunk scrubbed: whole key on results, any piece of it on error text. */
export function redacting(output: RunOutput, scrub: (text: string) => string): RunOutput {
  return {
    isTTY: output.isTTY,
    columns: output.columns,
    write: (chunk: string) => output.write(scrub(chunk)),
  };
}

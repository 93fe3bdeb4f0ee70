import { jsonText } from './json-text.js';
import { terminalSafe } from './terminal-text.js';

// A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...), +cmd|...,
// @SUM(...)); tab and CR start one too in some. OWASP's advice: prefix such a cell with '.
const formulaStart = /^[=+\-@\t\r]/;

/** Options of {@link csvValue} and {@link csvRow}. */
export interface CsvOptions {
  /** replace control, escape and bidi characters (line breaks kept): the CSV goes to a terminal */
  terminal?: boolean;
}

/**
 * One CSV value, quoted when it must be (RFC 4180); null is empty; objects are JSON. A text cell
 * that a spreadsheet would run as a formula gets a leading `'` (numbers and booleans are written
 * as they are, so `-0.5` stays a number). Throws `UnprintableError` for an unprintable object.
 */
export function csvValue(value: unknown, options: CsvOptions = {}): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else {
    text = typeof value === 'string' ? value : jsonText(value);
    if (formulaStart.test(text)) text = `'${text}`;
  }
  if (options.terminal) text = terminalSafe(text, { keepNewlines: true });
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV row. */
export function csvRow(values: readonly unknown[], options: CsvOptions = {}): string {
  return `${values.map((value) => csvValue(value, options)).join(',')}\n`;
}

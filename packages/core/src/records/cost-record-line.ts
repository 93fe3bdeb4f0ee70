/**
 * The cost-record wire format, read side. `@genmeta/node-middleware`'s costLogger writes each
 * record as one JSON line (or merged into a pino line, beside `level`, `time`, `msg`); this is
 * the one reader of that line, used by the CLI (`report`, `reconcile`, `cost -`/`get -` over a
 * log), the example app and the tests. It decides only "is this line a record": what a reader
 * keeps of the record (and how it checks those fields) is the reader's business.
 */

/**
 * The fields that make a JSON value a cost record, at the top level of the line. The full shape
 * is `@genmeta/node-middleware`'s `CostRecord` (a reader that trusts the writer may cast to it);
 * the record's other fields, and those of a pino line around it, are there unchecked. A type
 * rather than an interface, so that it reads as a `Record<string, unknown>` for those fields.
 */
export type CostRecordFields = {
  /** the request's id */
  requestId: string;
  /** resolved generations (not checked item by item) */
  generations: unknown[];
  /** tracked ids without stats (not checked item by item) */
  unresolved: unknown[];
};

/**
 * Why a non-blank line is not a cost record: `not_json` (not a JSON object), `not_a_record` (JSON,
 * but without a record's fields at its top level).
 */
export type CostRecordLineSkip = 'not_json' | 'not_a_record';

/**
 * Whether a parsed JSON value is a costLogger record: `requestId` a string, `generations` and
 * `unresolved` arrays, at the top level. A request body or any other value an app logs is not a
 * record, even when it holds a `generationIds` array somewhere: an attacker must not add ids to a
 * total by logging a body.
 */
export function isCostRecord(value: unknown): value is CostRecordFields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.requestId === 'string' &&
    Array.isArray(record.generations) &&
    Array.isArray(record.unresolved)
  );
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

/**
 * Reads one line of a log: the cost record it holds (plain or pino-wrapped), why it holds none
 * (a {@link CostRecordLineSkip}), or `undefined` for a blank line. Never throws. A line not
 * starting with `{` is refused before any parsing, without copying it, so garbage costs little;
 * the result is the parsed value itself (no wrapper allocated per line).
 */
export function parseCostRecordLine(
  line: string,
): CostRecordFields | CostRecordLineSkip | undefined {
  let first = 0;
  while (first < line.length && isSpace(line.charCodeAt(first))) first += 1;
  if (first === line.length) return undefined;
  if (line.charCodeAt(first) !== 0x7b) return 'not_json';
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not_json';
  }
  return isCostRecord(value) ? value : 'not_a_record';
}

/**
 * Every cost record in `text` (NDJSON, such as a server's stdout), in order; other lines skipped.
 * For tests and small logs: a large log is read line by line with {@link parseCostRecordLine}.
 */
export function costRecordsIn(text: string | readonly string[]): CostRecordFields[] {
  const lines = typeof text === 'string' ? text.split('\n') : text;
  const records: CostRecordFields[] = [];
  for (const line of lines) {
    const parsed = parseCostRecordLine(line);
    if (typeof parsed === 'object') records.push(parsed);
  }
  return records;
}

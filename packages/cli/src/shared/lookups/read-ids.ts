import { isGenerationId } from '@genmeta/core';
import { GENERATION_ID_RULE, parseCostRecordLine } from '@genmeta/core/rules';
import type { RunInput } from '../io.js';
import { maxLineBytes, readLines as readLinesWithCap } from '../records/read-lines.js';
import { printable } from '../text/terminal-text.js';
import { UsageError } from '../usage-errors.js';

/** One id and where it came from, for error messages. */
export interface IdSource {
  id: string;
  /** `argument 2` or `stdin line 14` */
  origin: string;
}

/**
 * The longest stdin line read, in bytes: far more than an id (at most 256 characters) or a cost
 * record line needs, and a bound on what one line can make genmeta buffer.
 */
export const maxLineLength = maxLineBytes;

/**
 * Calls `onLine` with each line of `input` (without its `\n`), as it arrives, through the CLI's
 * line reader: a line over {@link maxLineLength} stops the read with a {@link UsageError} naming
 * its number.
 */
export async function readLines(
  input: AsyncIterable<string | Uint8Array>,
  signal: AbortSignal | undefined,
  onLine: (line: string, lineNumber: number) => void,
): Promise<void> {
  let lineNumber = 0;
  await readLinesWithCap(
    input,
    (event) => {
      lineNumber += 1;
      if (event.kind === 'too_long') {
        throw new UsageError(
          `stdin line ${lineNumber} is longer than ${maxLineLength} bytes (an id has at most 256)`,
        );
      }
      onLine(event.text, lineNumber);
    },
    { signal },
  );
}

/**
 * The `generationIds` of a line that is a whole costLogger record (core's
 * `parseCostRecordLine`), else undefined: other JSON an app logs (a request body, a pino line
 * with a nested object) is never read for ids.
 */
function recordIds(line: string): unknown[] | undefined {
  const record = parseCostRecordLine(line);
  if (typeof record !== 'object') return undefined;
  const fields: Record<string, unknown> = record;
  const ids = fields.generationIds;
  return Array.isArray(ids) ? ids : undefined;
}

/** The outcome of gathering ids from arguments and stdin. */
export interface GatheredIds {
  /** every id once, in the order it first appeared */
  ids: string[];
  /** whether stdin was read */
  readStdin: boolean;
  /** stdin lines that were JSON but not a cost record: how many, and the first one's number */
  skippedLines: { count: number; first: number | undefined };
  /** values in cost records' `generationIds` that are not generation ids: never looked up */
  skippedIds: { count: number; first: number | undefined };
}

const shownInvalid = 5;

/**
 * Expands the command's positional ids: `-` reads stdin there; with no id at all, stdin is read
 * when it is not a terminal. A stdin line is an id (blank lines and `#` comments skipped) or a
 * JSON line: a whole costLogger record gives its `generationIds` (a value there that is not an
 * id is skipped and counted), any other JSON line is skipped and counted. Duplicates are dropped
 * (first appearance wins). Invalid ids among arguments and plain lines are a
 * {@link UsageError} listing the first few with their line.
 */
export async function gatherIds(
  positionals: readonly string[],
  stdin: RunInput | undefined,
  signal?: AbortSignal,
): Promise<GatheredIds> {
  const ids: string[] = [];
  const seen = new Set<string>();
  const invalid: IdSource[] = [];
  let invalidCount = 0;
  const skippedLines = { count: 0, first: undefined as number | undefined };
  const skippedIds = { count: 0, first: undefined as number | undefined };
  const add = (id: unknown, origin: () => string) => {
    if (typeof id === 'string' && /sk-or-/i.test(id)) {
      throw new UsageError(
        `${origin()} looks like an API key, not a generation id; refusing to send it in a URL`,
      );
    }
    if (!isGenerationId(id)) {
      invalidCount += 1;
      if (invalid.length < shownInvalid) invalid.push({ id: String(id), origin: origin() });
      return;
    }
    if (seen.has(id)) return;
    seen.add(id);
    ids.push(id);
  };
  const onLine = (line: string, lineNumber: number) => {
    const origin = () => `stdin line ${lineNumber}`;
    const trimmed = line.trim();
    if (trimmed.startsWith('{')) {
      const fromRecord = recordIds(trimmed);
      if (fromRecord) {
        for (const id of fromRecord) {
          // A log's record is data, not a command line: a bad value there is counted, and one
          // shaped like a key is never sent in a URL.
          if (isGenerationId(id) && !/sk-or-/i.test(id)) add(id, origin);
          else {
            skippedIds.count += 1;
            skippedIds.first ??= lineNumber;
          }
        }
      } else {
        skippedLines.count += 1;
        skippedLines.first ??= lineNumber;
      }
      return;
    }
    const id = (trimmed.split('#', 1)[0] ?? '').trim();
    if (id !== '') add(id, origin);
  };

  let readStdin = false;
  const implicit = positionals.length === 0 && stdin !== undefined && stdin.isTTY !== true;
  const items = implicit ? ['-'] : positionals;
  for (const [index, item] of items.entries()) {
    if (item === '-') {
      readStdin = true;
      if (stdin) await readLines(stdin, signal, onLine);
    } else {
      add(item, () => `argument ${index + 1}`);
    }
  }
  if (invalidCount > 0) {
    const shown = invalid.map((source) => `  ${source.origin}: "${printable(source.id, 40)}"`);
    const more =
      invalidCount > shownInvalid ? `\n  ... and ${invalidCount - shownInvalid} more` : '';
    throw new UsageError(
      `not a generation id (an id is ${GENERATION_ID_RULE}):\n${shown.join('\n')}${more}`,
    );
  }
  return { ids, readStdin, skippedLines, skippedIds };
}

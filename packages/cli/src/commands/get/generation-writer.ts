import type { Generation } from '@genmeta/core';
import type { RunOutput } from '../../shared/io.js';
import { csvRow } from '../../shared/text/csv.js';
import { defaultCsvFields } from '../../shared/text/fields.js';
import { fieldValue, pickFields } from '../../shared/text/format.js';
import { jsonText } from '../../shared/text/json-text.js';
import type { Style } from '../../shared/text/style.js';
import type { CommandOptions } from '../arguments.js';
import { renderCard } from './card.js';
import { createTableWriter } from './table.js';

/** Writes the generations of `get` in the chosen format, one at a time, as they resolve. */
export interface GenerationWriter {
  /** Writes one generation; throws `UnprintableError` (writing nothing) when it cannot. */
  write(generation: Generation): void;
  /** Writes what is still held (a CSV header with no rows, a short table). */
  end(): void;
}

/**
 * One object per line for `--json` (pretty-printed for a single id on a terminal), a header
 * then rows for `--csv`, a card for one id, else a streamed table.
 */
export function createGenerationWriter(
  stdout: RunOutput,
  options: Pick<CommandOptions, 'format' | 'fields'>,
  style: Style,
  single: boolean,
): GenerationWriter {
  const { fields } = options;
  const terminal = stdout.isTTY === true;
  if (options.format === 'json') {
    const pretty = single && terminal;
    return {
      write: (generation) =>
        stdout.write(`${jsonText(fields ? pickFields(generation, fields) : generation, pretty)}\n`),
      end() {},
    };
  }
  if (options.format === 'csv') {
    const columns = fields ?? defaultCsvFields;
    let headerWritten = false;
    const header = () => {
      if (!headerWritten) stdout.write(csvRow(columns));
      headerWritten = true;
    };
    return {
      write(generation) {
        const row = csvRow(
          columns.map((field) => fieldValue(generation, field)),
          { terminal },
        );
        header();
        stdout.write(row);
      },
      end: header,
    };
  }
  if (single) {
    return { write: (generation) => stdout.write(renderCard(generation, style, fields)), end() {} };
  }
  return createTableWriter(stdout, style, fields, terminal ? stdout.columns : undefined);
}

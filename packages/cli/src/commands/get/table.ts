import type { Generation } from '@genmeta/core';
import type { RunOutput } from '../../shared/io.js';
import type { Style } from '../../shared/text/style.js';
import {
  type Column,
  defaultColumns,
  fieldColumns,
  fitColumns,
  gap,
  shortenMiddle,
} from './table-columns.js';

/** Rows whose widths set the table's layout; later rows are written as they come. */
export const layoutRows = 100;

interface Layout {
  columns: Column[];
  widths: number[];
  kept: number[];
  /** on a terminal: text cells are cut to their column; piped: a longer cell widens its row */
  cut: boolean;
}

function renderLine(
  layout: Layout,
  values: readonly string[],
  decorate: (text: string, column: Column) => string,
): string {
  return layout.kept
    .map((index) => {
      const column = layout.columns[index] as Column;
      const width = layout.widths[index] ?? 0;
      const value = values[index] ?? '';
      // A number is never cut: a later row's longer cost widens that row instead.
      const text = layout.cut && column.flexible ? shortenMiddle(value, width) : value;
      return decorate(column.alignRight ? text.padStart(width) : text.padEnd(width), column);
    })
    .join(gap)
    .trimEnd();
}

/** Writes the table of `get` as rows arrive; see {@link createTableWriter}. */
export interface TableWriter {
  write(generation: Generation): void;
  /** writes what is still held (a table shorter than {@link layoutRows}) */
  end(): void;
}

/**
 * An aligned table, one row per generation, streamed: the first {@link layoutRows} rows (or all,
 * when fewer) decide the column widths, then every row is written as it arrives. Given a
 * terminal width, it is fitted to it: text columns shortened from the middle with …, the least
 * important columns dropped.
 */
export function createTableWriter(
  output: RunOutput,
  style: Style,
  fields: readonly string[] | undefined,
  terminalWidth: number | undefined,
): TableWriter {
  const columns = fields ? fieldColumns(fields) : defaultColumns();
  let held: string[][] = [];
  let layout: Layout | undefined;
  const row = (cells: readonly string[], current: Layout) =>
    renderLine(current, cells, (text, column) =>
      column.header === 'COST' && text.trim() === 'unknown' ? style.yellow(text) : text,
    );
  const settleLayout = (): Layout => {
    const naturalWidths = columns.map((column, index) =>
      held.reduce(
        (widest, cells) => Math.max(widest, cells[index]?.length ?? 0),
        column.header.length,
      ),
    );
    const fits = terminalWidth !== undefined && terminalWidth > 0;
    const fitted = fits
      ? fitColumns(columns, naturalWidths, terminalWidth)
      : { kept: columns.map((_, index) => index), widths: naturalWidths };
    const settled = { columns, ...fitted, cut: fits };
    const header = renderLine(
      settled,
      columns.map((column) => column.header),
      (text) => style.bold(text),
    );
    output.write(`${[header, ...held.map((cells) => row(cells, settled))].join('\n')}\n`);
    held = [];
    return settled;
  };
  return {
    write(generation) {
      const cells = columns.map((column) => column.cell(generation));
      if (layout) {
        output.write(`${row(cells, layout)}\n`);
        return;
      }
      held.push(cells);
      if (held.length >= layoutRows) layout = settleLayout();
    },
    end() {
      if (!layout && held.length > 0) layout = settleLayout();
    },
  };
}

/** One column of an aligned table. */
export interface TextColumn {
  header: string;
  align: 'left' | 'right';
  /** the column that gives up width when the terminal is narrow */
  flexible?: boolean;
}

/**
 * Shortens from the middle, keeping the start and the distinguishing tail:
 * `openai/gpt-4o-mini` and `openai/gpt-4o` stay apart where cutting the end would merge them.
 */
export function shortenMiddle(text: string, width: number): string {
  const characters = [...text];
  if (characters.length <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  const tail = Math.floor((width - 1) / 2);
  const head = width - 1 - tail;
  return `${characters.slice(0, head).join('')}…${characters.slice(characters.length - tail).join('')}`;
}

/** Below this many characters a shortened name stops being recognisable. */
const minReadableWidth = 24;

function visibleLength(text: string): number {
  return [...text].length;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const gap = ' '.repeat(Math.max(0, width - visibleLength(text)));
  return align === 'right' ? `${gap}${text}` : `${text}${gap}`;
}

/**
 * Lays rows out in aligned columns, two spaces apart. When `maxWidth` is given the flexible
 * column shrinks (from the middle) to fit; `suffixes` (share bars, already styled) follow each
 * row and are not measured.
 */
export function renderTextTable(
  columns: readonly TextColumn[],
  rows: readonly (readonly string[])[],
  options: {
    maxWidth?: number | undefined;
    maxFlexibleWidth?: number;
    suffixes?: readonly string[];
    suffixWidth?: number;
    header: (text: string) => string;
    indent?: string;
  },
): string {
  const indent = options.indent ?? '  ';
  // A loop, not Math.max(...rows): a breakdown may have thousands of rows.
  const widths = columns.map((column, index) =>
    rows.reduce(
      (width, row) => Math.max(width, visibleLength(row[index] ?? '')),
      visibleLength(column.header),
    ),
  );
  const flexible = columns.findIndex((column) => column.flexible);
  let suffixes = options.suffixes;
  if (flexible !== -1) {
    const cap = options.maxFlexibleWidth ?? 60;
    const natural = Math.min(widths[flexible] ?? 0, cap);
    let width = natural;
    const maxWidth = options.maxWidth;
    if (maxWidth !== undefined) {
      const others = widths.reduce(
        (sum, value, index) => (index === flexible ? sum : sum + value),
        0,
      );
      const fixed = indent.length + others + 2 * (columns.length - 1);
      const room = (suffixWidth: number) => maxWidth - fixed - suffixWidth - 1;
      // On a narrow terminal the bars go before the names get unreadable.
      if (suffixes && room(options.suffixWidth ?? 0) < Math.min(natural, minReadableWidth)) {
        suffixes = undefined;
      }
      width = Math.min(width, Math.max(8, room(suffixes ? (options.suffixWidth ?? 0) : 0)));
    }
    widths[flexible] = Math.max(width, visibleLength(columns[flexible]?.header ?? ''));
  }
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => {
        const width = widths[index] ?? 0;
        const column = columns[index];
        const text = index === flexible ? shortenMiddle(cell, width) : cell;
        return pad(text, width, column?.align ?? 'left');
      })
      .join('  ')
      .trimEnd();
  const header = options.header(line(columns.map((column) => column.header)));
  const body = rows.map((row, index) => {
    const suffix = suffixes?.[index];
    return `${indent}${line(row)}${suffix ? `  ${suffix}` : ''}`;
  });
  return [`${indent}${header}`, ...body].join('\n');
}

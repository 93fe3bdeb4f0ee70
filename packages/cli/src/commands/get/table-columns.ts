import { type Generation, spendOf } from '@genmeta/core';
import { spendField } from '../../shared/text/fields.js';
import {
  fieldValue,
  flagsOf,
  formatCount,
  formatField,
  formatMilliseconds,
  nativeOr,
  numericFields,
} from '../../shared/text/format.js';
import { printable } from '../../shared/text/terminal-text.js';

/** A table column: its header, layout rules and how a generation fills its cell. */
export interface Column {
  header: string;
  alignRight: boolean;
  /** may be shortened with … to fit the terminal */
  flexible: boolean;
  /** columns of lower priority are dropped first when the terminal is too narrow */
  priority: number;
  cell(generation: Generation): string;
}

/** The table of `get` without `--fields`. */
export function defaultColumns(): Column[] {
  return [
    {
      header: 'ID',
      alignRight: false,
      flexible: true,
      priority: 100,
      cell: (g) => printable(g.id, 200),
    },
    {
      header: 'MODEL',
      alignRight: false,
      flexible: true,
      priority: 80,
      cell: (g) => formatField('model', g.model),
    },
    {
      header: 'PROVIDER',
      alignRight: false,
      flexible: true,
      priority: 50,
      cell: (g) => formatField('provider_name', g.provider_name),
    },
    {
      header: 'COST',
      alignRight: true,
      flexible: false,
      priority: 90,
      cell: (g) => formatField(spendField, spendOf(g)),
    },
    {
      header: 'PROMPT',
      alignRight: true,
      flexible: false,
      priority: 40,
      cell: (g) => formatCount(nativeOr(g, 'native_tokens_prompt', 'tokens_prompt')),
    },
    {
      header: 'COMPLETION',
      alignRight: true,
      flexible: false,
      priority: 39,
      cell: (g) => formatCount(nativeOr(g, 'native_tokens_completion', 'tokens_completion')),
    },
    {
      header: 'LATENCY',
      alignRight: true,
      flexible: false,
      priority: 30,
      cell: (g) => formatMilliseconds(g.latency),
    },
    {
      header: 'FINISH',
      alignRight: false,
      flexible: false,
      priority: 20,
      cell: (g) => formatField('finish_reason', g.finish_reason),
    },
    {
      header: 'FLAGS',
      alignRight: false,
      flexible: false,
      priority: 10,
      cell: (g) => flagsOf(g).join(','),
    },
  ];
}

/** One column per `--fields` name, in order. */
export function fieldColumns(fields: readonly string[]): Column[] {
  return fields.map((field, index) => ({
    header: field.toUpperCase(),
    priority: fields.length - index,
    alignRight: numericFields.has(field),
    flexible: !numericFields.has(field),
    cell: (g: Generation) => formatField(field, fieldValue(g, field)),
  }));
}

/** Between two columns. */
export const gap = '  ';
const minimumFlexibleWidth = 12;

/**
 * Which columns to keep, and how wide, for a terminal of `terminalWidth`: first the secondary
 * text columns are shortened, then the least important columns dropped, and only then is the
 * first column (the id) shortened.
 */
export function fitColumns(
  columns: readonly Column[],
  naturalWidths: readonly number[],
  terminalWidth: number,
): { kept: number[]; widths: number[] } {
  const widths = [...naturalWidths];
  let kept = columns.map((_, index) => index);
  const total = () =>
    kept.reduce((sum, index) => sum + (widths[index] ?? 0), 0) + gap.length * (kept.length - 1);
  const shrink = (candidates: readonly number[]) => {
    while (total() > terminalWidth) {
      let widest = -1;
      for (const index of candidates) {
        const width = widths[index] ?? 0;
        if (width > minimumFlexibleWidth && (widest < 0 || width > (widths[widest] ?? 0))) {
          widest = index;
        }
      }
      if (widest < 0) return;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  };
  shrink(kept.filter((index) => index > 0 && columns[index]?.flexible));
  while (total() > terminalWidth && kept.length > 1) {
    let victim = -1;
    for (const index of kept.slice(1)) {
      const priority = columns[index]?.priority ?? 0;
      if (victim < 0 || priority <= (columns[victim]?.priority ?? 0)) victim = index;
    }
    kept = kept.filter((index) => index !== victim);
  }
  if (columns[0]?.flexible) shrink([0]);
  return { kept, widths };
}

/**
 * `text` cut to `width` from the middle, keeping its head and its tail: ids and model names
 * differ at the end (`openai/gpt-4o` vs `openai/gpt-4o-mini`), so a cut tail would make two
 * values look the same.
 */
export function shortenMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return '…'.slice(0, Math.max(0, width));
  const tail = Math.floor((width - 1) / 2);
  return `${text.slice(0, width - 1 - tail)}…${tail > 0 ? text.slice(-tail) : ''}`;
}

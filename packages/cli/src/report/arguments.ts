import { printable, UsageError } from '../internal/arguments.js';
import { type BudgetRule, parseBudget } from './budgets.js';

/** A way to group records in `genmeta report --by`. */
export type Dimension =
  | { kind: 'route' }
  | { kind: 'path' }
  | { kind: 'model' }
  | { kind: 'provider' }
  | { kind: 'status' }
  | { kind: 'day' }
  | { kind: 'hour' }
  | { kind: 'finish_reason' }
  | { kind: 'user' }
  | { kind: 'session' }
  | { kind: 'attribute'; name: string }
  /** a `--budget` rule's hidden breakdown (group value × window) */
  | { kind: 'budget'; rule: BudgetRule };

/** The names `--by` accepts, besides `attribute:<name>`. */
export const dimensionNames = [
  'route',
  'path',
  'model',
  'provider',
  'status',
  'day',
  'hour',
  'finish_reason',
  'user',
  'session',
] as const;

/** What `genmeta report` needs from argv beyond the common flags. */
export interface ReportSettings {
  /** breakdowns, in the order asked, each once */
  by: readonly Dimension[];
  /** how many of the most expensive requests to list */
  top: number;
  /** where to write the HTML report, when asked */
  htmlFile: string | undefined;
  /** `--budget` rules, in the order given */
  budgets?: readonly BudgetRule[];
}

/** Flags only `genmeta report` takes, for `parseArgs`. */
export const reportFlagDefinitions = {
  by: { type: 'string', multiple: true },
  top: { type: 'string' },
  html: { type: 'string' },
  budget: { type: 'string', multiple: true },
} as const;

/** Flags of `get` and `cost` that mean nothing to a report (it looks nothing up). */
const lookupFlags = [
  'fields',
  'base-url',
  'deadline',
  'no-wait',
  'concurrency',
  'api-key-file',
] as const;

export const defaultTop = 10;
const maxTop = 1000;
const defaultDimensions: readonly Dimension[] = [{ kind: 'model' }, { kind: 'route' }];

/** The label of a dimension, as `--by` spells it. */
export function dimensionLabel(dimension: Dimension): string {
  if (dimension.kind === 'budget') return `budget:${dimension.rule.text}`;
  return dimension.kind === 'attribute' ? `attribute:${dimension.name}` : dimension.kind;
}

function parseDimension(name: string): Dimension {
  if (name.startsWith('attribute:')) {
    const attribute = name.slice('attribute:'.length);
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(attribute)) {
      throw new UsageError(
        `--by "${printable(name)}": an attribute name is 1 to 64 letters, digits, _ . or -, like attribute:user`,
        'report',
      );
    }
    return { kind: 'attribute', name: attribute };
  }
  const known = dimensionNames.find((candidate) => candidate === name);
  if (known === undefined) {
    throw new UsageError(
      `--by "${printable(name)}" is not a breakdown. Valid: ${dimensionNames.join(', ')}, attribute:<name>`,
      'report',
    );
  }
  return { kind: known };
}

/** Parses every `--by` value (repeatable, comma-separated) into distinct dimensions. */
export function parseBy(values: readonly string[]): Dimension[] {
  if (values.length === 0) return [...defaultDimensions];
  const dimensions: Dimension[] = [];
  for (const value of values) {
    const names = value.split(',').map((name) => name.trim());
    if (names.some((name) => name === '')) {
      throw new UsageError('--by needs comma-separated breakdowns, like model,route,day', 'report');
    }
    for (const name of names) {
      const dimension = parseDimension(name);
      const label = dimensionLabel(dimension);
      if (!dimensions.some((seen) => dimensionLabel(seen) === label)) dimensions.push(dimension);
    }
  }
  return dimensions;
}

function parseTop(value: string | undefined): number {
  if (value === undefined) return defaultTop;
  const trimmed = value.trim();
  const number = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(number) || number > maxTop) {
    throw new UsageError(`--top must be a whole number from 0 to ${maxTop}`, 'report');
  }
  return number;
}

/**
 * Checks the report flags against the command: `--by`, `--top` and `--html` belong to `report`,
 * and the lookup flags do not. Returns the report's settings, or undefined for other commands.
 */
export function parseReportFlags(
  command: string,
  values: {
    by: readonly string[];
    top: string | undefined;
    html: string | undefined;
    budget?: readonly string[];
    given: (name: string) => boolean;
  },
): ReportSettings | undefined {
  if (command !== 'report') {
    // reconcile writes an HTML page too.
    const used = (['by', 'top', 'html', 'budget'] as const).find((name) =>
      name === 'by'
        ? values.by.length > 0
        : name === 'budget'
          ? (values.budget?.length ?? 0) > 0
          : values.given(name) && !(name === 'html' && command === 'reconcile'),
    );
    if (used) throw new UsageError(`--${used} applies to "genmeta report" only`);
    return undefined;
  }
  const lookupFlag = lookupFlags.find((name) => values.given(name));
  if (lookupFlag) {
    throw new UsageError(
      `--${lookupFlag} applies to "genmeta get" and "genmeta cost"; a report reads logs and looks nothing up`,
      'report',
    );
  }
  if (values.html !== undefined && values.html.trim() === '') {
    throw new UsageError('--html needs a file name, like --html report.html', 'report');
  }
  return {
    by: parseBy(values.by),
    top: parseTop(values.top),
    htmlFile: values.html,
    budgets: (values.budget ?? []).map(parseBudget),
  };
}

import {
  type CostComponent,
  type CostExplanation,
  formatUsd,
  type GenerationContentError,
} from '@genmeta/core';
import { formatCount } from '../internal/format.js';
import type { Style } from '../internal/style.js';
import { printable } from '../internal/terminal-text.js';
import { renderTextTable, type TextColumn, terminalSafe } from '../report/text-table.js';
import type { ExplainedAttempt } from './explanation-json.js';

/** The stored errors of a failed generation, or why they could not be read. */
export type StoredErrors =
  | { kind: 'none' }
  | { kind: 'stored'; error: GenerationContentError }
  | { kind: 'unavailable'; reason: string };

function quantityText(component: CostComponent): string {
  if (component.quantity === null) return '?';
  if (component.name === 'discount') return `${+(component.quantity * 100).toPrecision(6)}%`;
  return formatCount(component.quantity);
}

function rowsOf(components: readonly CostComponent[], indent = ''): string[][] {
  const rows: string[][] = [];
  for (const component of components) {
    rows.push([
      `${indent}${component.name}`,
      quantityText(component),
      component.unitUsd === null ? '-' : formatUsd(component.unitUsd),
      component.usd === null ? 'unknown' : formatUsd(component.usd),
    ]);
    if (component.parts) rows.push(...rowsOf(component.parts, `${indent}  · `));
  }
  return rows;
}

function unknownNotes(components: readonly CostComponent[]): string[] {
  const notes: string[] = [];
  for (const component of components) {
    if (component.unknown !== undefined) notes.push(`${component.name}: ${component.unknown}`);
    if (component.parts) notes.push(...unknownNotes(component.parts));
  }
  return notes;
}

function attemptText(attempt: ExplainedAttempt): string {
  const latency =
    attempt.latencyMs === null ? '' : ` ${formatCount(Math.round(attempt.latencyMs))} ms`;
  return `${attempt.provider ?? '?'} ${attempt.status ?? '?'}${latency}`;
}

function storedErrorLines(errors: StoredErrors): string[] {
  if (errors.kind === 'none') return [];
  if (errors.kind === 'unavailable') return [`not available (${errors.reason})`];
  const { error } = errors;
  const lines = (error.previous_errors ?? []).map(
    (attempt) =>
      `${attempt.provider_name ?? '?'} ${attempt.code ?? '?'}: ${printable(attempt.message ?? '', 200)}`,
  );
  lines.push(
    `${error.provider_name ?? '?'} ${error.status ?? '?'}: ${printable(error.message ?? '', 200)} (returned)`,
  );
  return lines;
}

/** The card of one explained generation: who served it, its parts, rules, residual, errors. */
export function renderExplanationCard(
  explanation: CostExplanation,
  attempts: readonly ExplainedAttempt[],
  errors: StoredErrors,
  style: Style,
  columns: number | undefined,
): string {
  const endpoint = explanation.endpoint;
  const head: [string, string][] = [
    ['model', terminalSafe(explanation.model)],
    [
      'provider',
      `${terminalSafe(explanation.provider ?? '-')}${endpoint?.name ? style.dim(` (priced as "${terminalSafe(endpoint.name)}")`) : ''}`,
    ],
    [
      'attempts',
      attempts.length === 0 ? '-' : attempts.map(attemptText).map(terminalSafe).join(' → '),
    ],
    [
      'charged',
      explanation.chargedUsd === null
        ? style.yellow('unknown')
        : style.green(formatUsd(explanation.chargedUsd)),
    ],
  ];
  const tableColumns: TextColumn[] = [
    { header: 'PART', align: 'left', flexible: true },
    { header: 'QUANTITY', align: 'right' },
    { header: 'UNIT', align: 'right' },
    { header: 'USD', align: 'right' },
  ];
  const rows = rowsOf(explanation.components);
  rows.push([
    'expected',
    '',
    '',
    explanation.expectedUsd === null ? 'unknown' : formatUsd(explanation.expectedUsd),
  ]);
  rows.push([
    'residual',
    '',
    '',
    explanation.residualUsd === null ? 'unknown' : formatUsd(explanation.residualUsd),
  ]);
  const table = renderTextTable(tableColumns, rows, { maxWidth: columns, header: style.dim });
  const tail: [string, string][] = [];
  for (const rule of explanation.rules)
    tail.push(['rule', `${rule.name}: ${terminalSafe(rule.detail)}`]);
  for (const note of unknownNotes(explanation.components))
    tail.push(['unknown', terminalSafe(note)]);
  for (const line of storedErrorLines(errors)) tail.push(['error', terminalSafe(line)]);
  const width = Math.max(...[...head, ...tail].map(([label]) => label.length));
  const lines = (items: [string, string][]) =>
    items.map(([label, value]) => `  ${style.dim(label.padEnd(width))}  ${value}`).join('\n');
  return `${style.bold(printable(explanation.id, 200))}\n${lines(head)}\n\n${table}\n${tail.length > 0 ? `\n${lines(tail)}\n` : ''}`;
}

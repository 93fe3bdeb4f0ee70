import { formatUsd } from '@genmeta/core';
import { escapeHtml } from '../../shared/text/escape-html.js';
import { contentPolicy, css } from '../report/render/render-html.js';
import type { ActivityDay, ReconcileResult } from './compare.js';

/** Rows per table in the page. */
const maxRows = 500;

const usd = (amount: number | null): string => (amount === null ? 'unknown' : formatUsd(amount));

function card(label: string, value: string, metric: string, warn = false): string {
  return `<div class="card${warn ? ' warn' : ''}"><div class="label">${escapeHtml(label)}</div><div class="value" data-metric="${metric}">${escapeHtml(value)}</div></div>`;
}

function table(
  title: string,
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  if (rows.length === 0) return '';
  const head = headers
    .map((header, index) => `<th${index === 0 ? ' class="text"' : ''}>${escapeHtml(header)}</th>`)
    .join('');
  const body = rows
    .slice(0, maxRows)
    .map(
      (cells) =>
        `<tr>${cells.map((cell, index) => `<td${index === 0 ? ' class="text wrap"' : ''}>${escapeHtml(cell)}</td>`).join('')}</tr>`,
    )
    .join('');
  const cut =
    rows.length > maxRows
      ? `<p class="note muted">${rows.length - maxRows} more in --json or --csv</p>`
      : '';
  return `<section><h2>${escapeHtml(title)} (${rows.length})</h2><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${cut}</section>`;
}

/** A self-contained page (no script, nothing external), in the style of `report --html`. */
export function renderReconcileHtml(
  result: ReconcileResult,
  activity: readonly ActivityDay[],
  generatedAt: Date,
): string {
  const cards = [
    card('billed', `${result.billed.generations} · ${usd(result.billed.usd)}`, 'billed'),
    card('recorded', `${result.recorded.generations} · ${usd(result.recorded.usd)}`, 'recorded'),
    card(
      'untracked',
      `${result.untracked.length} · ${usd(result.untrackedUsd)}`,
      'untracked',
      result.untracked.length > 0,
    ),
    card(
      'verdict',
      result.reconciled ? 'reconciled' : 'NOT reconciled',
      'reconciled',
      !result.reconciled,
    ),
  ].join('');
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${contentPolicy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>genmeta reconcile ${escapeHtml(result.from)} .. ${escapeHtml(result.to)}</title>
<style>${css}</style></head>
<body>
<h1>Is that everything we paid?</h1>
<p class="muted">${escapeHtml(result.from)} .. ${escapeHtml(result.to)} · matched ${result.matched} · drift ${escapeHtml(usd(result.driftUsd))} (billed minus recorded) · made ${escapeHtml(generatedAt.toISOString())}</p>
<div class="cards">${cards}</div>
${table(
  'Untracked: billed, in no record',
  ['id', 'USD', 'model', 'provider'],
  result.untracked.map((row) => [row.id, usd(row.usd), row.model ?? '-', row.provider ?? '-']),
)}
${table(
  'Phantom: recorded, not billed',
  ['id', 'recorded USD'],
  result.phantom.map((row) => [row.id, usd(row.usd)]),
)}
${table(
  'Mismatched',
  ['id', 'recorded USD', 'billed USD', 'difference'],
  result.mismatched.map((row) => [
    row.id,
    usd(row.recordedUsd),
    usd(row.billedUsd),
    usd(row.diffUsd),
  ]),
)}
${table(
  'Completed days: /activity beside the per-generation rows',
  ['date', 'activity USD', 'generations USD'],
  activity.map((day) => [day.date, usd(day.activityUsd), usd(day.generationsUsd)]),
)}
</body></html>
`;
}

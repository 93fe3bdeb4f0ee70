// `genmeta report --budget 'feature=search:10/month'`: the same budget rule costAlerts watches,
// checked against logs. Each rule becomes a hidden breakdown keyed by group value and window;
// its rows say how much each group spent in each window and whether that passed the limit.
import { formatUsd } from '@genmeta/core';
import { type SpendWindow, windowOf } from '@genmeta/core/engine';
import { printable, UsageError } from '../internal/arguments.js';
import type { Style } from '../internal/style.js';
import { escapeHtml } from './escape-html.js';
import { noneKey } from './group-keys.js';
import type { ReportRecord } from './parse-record.js';
import type { Breakdown } from './report-data.js';

/** One `--budget` rule. */
export interface BudgetRule {
  /** as given, e.g. `feature=search:10/month` */
  text: string;
  /** `route`, or an attribute name */
  group: string;
  /** the group's value, or `*` for each value */
  value: string;
  limitUsd: number;
  window: 'day' | 'week' | 'month';
}

/** One group's spend in one window, against its budget. */
export interface BudgetRow {
  value: string;
  /** the window's id, e.g. `month:2026-12` */
  window: string;
  knownSpendUsd: number;
  /** generations of unknown spend in it (not counted: the spend is then a lower bound) */
  unknownCount: number;
  /** knownSpendUsd / limitUsd */
  share: number;
  over: boolean;
}

/** A rule's result, as `--json` prints it. */
export interface BudgetResult {
  rule: string;
  group: string;
  value: string;
  limitUsd: number;
  window: 'day' | 'week' | 'month';
  /** true when any group passed the budget in any window */
  over: boolean;
  /** every group and window seen, most spent first */
  rows: BudgetRow[];
}

const syntax = '<group>=<value|*>:<limit USD>/<day|week|month>, like feature=search:10/month';
const rulePattern =
  /^(route|(?:attribute:)?[A-Za-z0-9_.-]{1,64})=([^:]{1,256}):(\d+(?:\.\d+)?)\/(day|week|month)$/;

/** Parses one `--budget` value. */
export function parseBudget(text: string): BudgetRule {
  const match = rulePattern.exec(text.trim());
  const limitUsd = match === null ? Number.NaN : Number(match[3]);
  if (match === null || !(limitUsd > 0)) {
    throw new UsageError(`--budget "${printable(text)}": expected ${syntax}`, 'report');
  }
  return {
    text: text.trim(),
    group: match[1]!.replace(/^attribute:/, ''),
    value: match[2]!,
    limitUsd,
    window: match[4] as BudgetRule['window'],
  };
}

// A separator no attribute value or window id holds, between the two parts of a row's key.
const separator = '\u0001';

/** The hidden breakdown key of a request for a rule: its group value and window, or (none). */
export function budgetKey(rule: BudgetRule, record: ReportRecord): string {
  const value = rule.group === 'route' ? record.route : record.attributes?.[rule.group];
  if (value === undefined || value === null) return noneKey;
  const text = String(value);
  if (rule.value !== '*' && text !== rule.value) return noneKey;
  return `${text}${separator}${windowOf(rule.window as SpendWindow, record.startedAtMs).id}`;
}

/** The rule's result from its hidden breakdown. */
export function budgetResult(rule: BudgetRule, breakdown: Breakdown): BudgetResult {
  const rows: BudgetRow[] = [];
  for (const row of breakdown.rows) {
    const cut = row.key.indexOf(separator);
    if (cut < 0) continue; // (none), or (other) past the group limit
    const share = row.knownSpendUsd / rule.limitUsd;
    rows.push({
      value: row.key.slice(0, cut),
      window: row.key.slice(cut + 1),
      knownSpendUsd: row.knownSpendUsd,
      unknownCount: row.unknownCount,
      share: Math.round(share * 10_000) / 10_000,
      over: row.knownSpendUsd >= rule.limitUsd,
    });
  }
  rows.sort((a, b) => b.knownSpendUsd - a.knownSpendUsd);
  return {
    rule: rule.text,
    group: rule.group,
    value: rule.value,
    limitUsd: rule.limitUsd,
    window: rule.window,
    over: rows.some((row) => row.over),
    rows,
  };
}

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/** The text section: one line per group and window, over budget marked. */
export function renderBudgetsText(results: readonly BudgetResult[], style: Style): string {
  if (results.length === 0) return '';
  const lines = ['', style.bold('Budgets')];
  for (const result of results) {
    lines.push(
      `  ${result.rule}${result.over ? `  ${style.red('OVER BUDGET')}` : '  within budget'}`,
    );
    if (result.rows.length === 0) lines.push('    no spend of that group');
    for (const row of result.rows.slice(0, 20)) {
      const mark = row.over ? style.red('OVER') : 'ok  ';
      const known =
        row.unknownCount > 0 ? `>= ${formatUsd(row.knownSpendUsd)}` : formatUsd(row.knownSpendUsd);
      lines.push(
        `    ${mark}  ${printable(`${result.group}=${row.value}`, 80)}  ${row.window}  ${known} of ${formatUsd(result.limitUsd)} (${percent(row.share)})`,
      );
    }
    if (result.rows.length > 20) lines.push(`    … ${result.rows.length - 20} more (see --json)`);
  }
  return `${lines.join('\n')}\n`;
}

/** The HTML section. */
export function renderBudgetsHtml(results: readonly BudgetResult[]): string {
  if (results.length === 0) return '';
  const tables = results.map((result) => {
    const rows = result.rows
      .slice(0, 200)
      .map(
        (row) =>
          `<tr class="${row.over ? 'over' : 'within'}"><td class="text">${escapeHtml(row.value)}</td><td class="text">${escapeHtml(row.window)}</td><td>${escapeHtml(formatUsd(row.knownSpendUsd))}</td><td>${percent(row.share)}</td><td class="text">${row.over ? '<strong>over budget</strong>' : 'within'}</td></tr>`,
      )
      .join('');
    return `<h3>${escapeHtml(result.rule)}: ${result.over ? '<strong>over budget</strong>' : 'within budget'}</h3><table><thead><tr><th class="text">${escapeHtml(result.group)}</th><th class="text">window</th><th>known spend</th><th>of ${escapeHtml(formatUsd(result.limitUsd))}</th><th class="text"></th></tr></thead><tbody>${rows}</tbody></table>`;
  });
  return `<section data-section="budgets"><h2>Budgets</h2>${tables.join('')}</section>`;
}

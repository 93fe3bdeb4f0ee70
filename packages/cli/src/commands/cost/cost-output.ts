import type { RunOutput } from '../../shared/io.js';
import { csvRow } from '../../shared/text/csv.js';
import { jsonText } from '../../shared/text/json-text.js';
import type { Style } from '../../shared/text/style.js';
import type { OutputFormat } from '../arguments.js';
import { renderCostReport } from './cost-report.js';
import { type CostTotals, countByCode } from './cost-tally.js';

/**
 * The one summary of `genmeta cost`, written once at the end (also after a signal, then with
 * the ids never looked up counted): JSON, CSV group rows, or the human report.
 */
export function writeCostTotals(
  stdout: RunOutput,
  totals: CostTotals,
  format: OutputFormat,
  style: Style,
): void {
  const { summary, unresolved, notLookedUp } = totals;
  if (format === 'json') {
    const report = {
      ...summary,
      unresolvedCount: unresolved.length,
      unresolvedByCode: countByCode(unresolved),
      unresolved,
      notLookedUpCount: notLookedUp,
      interrupted: totals.interrupted,
    };
    stdout.write(`${jsonText(report, stdout.isTTY === true)}\n`);
    return;
  }
  if (format === 'csv') {
    const terminal = { terminal: stdout.isTTY === true };
    let text = csvRow(['group', 'name', 'count', 'spend_usd', 'unknown_count']);
    text += csvRow(['total', '', summary.count, summary.totalUsd, summary.unknownCount]);
    for (const [group, entries] of [
      ['model', summary.byModel],
      ['provider', summary.byProvider],
    ] as const) {
      for (const [name, entry] of Object.entries(entries)) {
        text += csvRow([group, name, entry.count, entry.spendUsd, entry.unknownCount], terminal);
      }
    }
    for (const [code, count] of Object.entries(countByCode(unresolved))) {
      text += csvRow(['unresolved', code, count, '', '']);
    }
    if (notLookedUp > 0) {
      text += csvRow([
        'not_looked_up',
        totals.interrupted ? 'interrupted' : 'stopped',
        notLookedUp,
        '',
        '',
      ]);
    }
    stdout.write(text);
    return;
  }
  stdout.write(renderCostReport(totals, style));
}

import type { BudgetRule } from './budgets.js';
import { budgetResult } from './budgets.js';
import type { ReportData } from './report-data.js';

/**
 * Takes the rules' hidden breakdowns (right after the `--by` ones) out of the report and puts
 * their results in `budgets` (only when rules were given: a report without them is unchanged).
 */
export function withBudgets(
  report: ReportData,
  asked: number,
  rules: readonly BudgetRule[],
): ReportData {
  if (rules.length === 0) return report;
  const hidden = report.breakdowns.slice(asked, asked + rules.length);
  return {
    ...report,
    breakdowns: [
      ...report.breakdowns.slice(0, asked),
      ...report.breakdowns.slice(asked + rules.length),
    ],
    budgets: rules.map((rule, index) => budgetResult(rule, hidden[index]!)),
  };
}

export { costAlerts } from './cost-alerts.js';
export type {
  AlertGroup,
  AlertWebhook,
  AnomalyRule,
  BudgetRule,
  CostAlert,
  CostAlertKind,
  CostAlerts,
  CostAlertsOptions,
  CostAlertsStats,
  KeyLimitState,
  KeyRule,
  UnknownSpendRule,
} from './types.js';
export type { SpendWindow, WindowRange } from './window-standin.js';

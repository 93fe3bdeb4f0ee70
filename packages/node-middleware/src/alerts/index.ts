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

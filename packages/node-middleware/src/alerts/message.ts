import { formatUsd } from '@genmeta/core';
import type { AlertContributor, WindowRange } from '@genmeta/core/engine';
import type { CostAlert } from './types.js';

/** Top contributors named in an alert, per dimension. */
export const TOP_DIMENSIONS = ['requests', 'models', 'users'] as const;
export const TOP_LIMIT = 3;

const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`;

/** The window as an alert carries it. */
export function alertWindow(bounds: WindowRange): CostAlert['window'] {
  return {
    id: bounds.id,
    start: new Date(bounds.startMs).toISOString(),
    end: new Date(bounds.endMs).toISOString(),
  };
}

/** `models openai/gpt-4o $6.10, x $1.00; users u-1 $5.00` (empty when nobody). */
function topText(top: Record<string, AlertContributor[]> | undefined): string {
  if (top === undefined) return '';
  const parts: string[] = [];
  for (const dimension of TOP_DIMENSIONS) {
    const list = top[dimension];
    if (list === undefined || list.length === 0) continue;
    parts.push(
      `${dimension} ${list.map((entry) => `${entry.name} ${formatUsd(entry.amountUsd)}`).join(', ')}`,
    );
  }
  return parts.length === 0 ? '' : ` Top: ${parts.join('; ')}.`;
}

export function budgetText(alert: CostAlert, limitUsd: number, share: number): string {
  const group = alert.group === undefined ? '' : `${alert.group.by}=${alert.group.value} `;
  return `genmeta budget: ${group}reached ${percent(share)} of its ${formatUsd(limitUsd)} budget: ${formatUsd(alert.amount)} spent in window ${alert.window.id} (UTC, ${alert.window.start} to ${alert.window.end}).${topText(alert.top)}`;
}

export function anomalyText(alert: CostAlert, medianUsd: number, score: number): string {
  const group = alert.group === undefined ? '' : `${alert.group.by}=${alert.group.value} `;
  return `genmeta anomaly: ${group}spent ${formatUsd(alert.amount)} in the interval from ${alert.window.start}, against a median of ${formatUsd(medianUsd)} per interval (score ${Math.round(score * 10) / 10}).`;
}

export function keyText(alert: CostAlert, share: number, remainingUsd: number): string {
  return `genmeta key: the OpenRouter key has used ${percent(share)} of its ${formatUsd(alert.limit)} limit (${formatUsd(alert.amount)} used, ${formatUsd(remainingUsd)} left, window ${alert.window.id}).`;
}

export function unknownSpendText(alert: CostAlert, unknown: number, total: number): string {
  return `genmeta unknown spend: ${unknown} of ${total} generations (${percent(alert.amount)}) have an unknown cost in window ${alert.window.id}, above the ${percent(alert.limit ?? 0)} allowed: something is losing their stats.`;
}

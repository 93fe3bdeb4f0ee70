import type { ClientOptions, GenmetaClient } from '@genmeta/core';
import type { AlertStore } from '@genmeta/core/engine';
import { checkSpendWindow, type SpendWindow } from '@genmeta/core/engine';
import { durationOption, integerOption } from '../internal/options.js';
import type {
  AlertWebhook,
  AnomalyRule,
  BudgetRule,
  CostAlertsOptions,
  KeyRule,
  UnknownSpendRule,
} from './types.js';

const OWNER = 'costAlerts';
const DEFAULT_THRESHOLDS = [0.5, 0.8, 1] as const;

export interface CheckedBudget {
  group: string;
  limitUsd: number;
  window: SpendWindow;
  thresholds: readonly number[];
}

export interface CheckedAnomaly {
  group: string;
  intervalMs: number;
  historyIntervals: number;
  minIntervals: number;
  threshold: number;
  minSpendUsd: number;
}

export interface CheckedKey {
  thresholds: readonly number[];
  intervalMs: number;
  client: GenmetaClient | undefined;
  clientOptions: ClientOptions;
}

export interface CheckedUnknownSpend {
  ratio: number;
  window: SpendWindow;
  minGenerations: number;
}

export interface CheckedWebhook {
  url: URL;
  format: 'slack' | 'json';
  secret: string | undefined;
  timeoutMs: number;
  attempts: number;
  backoffMs: number;
  maxQueue: number;
  headers: Record<string, string>;
}

export interface CheckedOptions {
  budgets: CheckedBudget[];
  anomalies: CheckedAnomaly[];
  key: CheckedKey | undefined;
  unknownSpend: CheckedUnknownSpend | undefined;
  webhook: CheckedWebhook | undefined;
  store: AlertStore | undefined;
  userAttribute: string;
  maxGroups: number;
  now: () => number;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function positiveNumber(name: string, value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(
      `${OWNER}: option "${name}" must be a finite number above 0 (got ${String(value)})`,
    );
  }
  return value;
}

function groupOption(name: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(value)) {
    throw new TypeError(
      `${OWNER}: option "${name}" must be an attribute name (1 to 64 of [A-Za-z0-9_.-]), 'route' or 'model'`,
    );
  }
  return value;
}

/** The `window` option (spendLimit's calendar windows, the same values and checks). */
function windowOption(name: string, value: unknown, fallback: SpendWindow): SpendWindow {
  return value === undefined ? fallback : checkSpendWindow(OWNER, name, value);
}

function thresholdsOption(name: string, value: unknown): readonly number[] {
  if (value === undefined) return DEFAULT_THRESHOLDS;
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`${OWNER}: option "${name}" must be a non-empty array of numbers`);
  }
  for (const share of value) {
    if (typeof share !== 'number' || !Number.isFinite(share) || share <= 0 || share > 10) {
      throw new RangeError(
        `${OWNER}: option "${name}" must hold shares above 0 and at most 10 (got ${String(share)})`,
      );
    }
  }
  return [...new Set(value as number[])].sort((a, b) => a - b);
}

function listOption<T>(name: string, value: unknown): readonly T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`${OWNER}: option "${name}" must be an array`);
  value.forEach((rule, index) => {
    if (!isObject(rule))
      throw new TypeError(`${OWNER}: option "${name}[${index}]" must be an object`);
  });
  return value as readonly T[];
}

function checkBudget(rule: BudgetRule, index: number): CheckedBudget {
  const at = `budgets[${index}]`;
  return {
    group: groupOption(`${at}.group`, rule.group),
    limitUsd: positiveNumber(`${at}.limitUsd`, rule.limitUsd),
    window: windowOption(`${at}.window`, rule.window, 'month'),
    thresholds: thresholdsOption(`${at}.thresholds`, rule.thresholds),
  };
}

function checkAnomaly(rule: AnomalyRule, index: number): CheckedAnomaly {
  const at = `anomalies[${index}]`;
  const historyIntervals = integerOption(
    OWNER,
    `${at}.historyIntervals`,
    rule.historyIntervals,
    30,
    3,
    1000,
  );
  const minIntervals = integerOption(OWNER, `${at}.minIntervals`, rule.minIntervals, 10, 1, 1000);
  if (minIntervals > historyIntervals) {
    throw new RangeError(
      `${OWNER}: option "${at}.minIntervals" must be at most "${at}.historyIntervals" (${minIntervals} > ${historyIntervals})`,
    );
  }
  return {
    group: groupOption(`${at}.group`, rule.group),
    intervalMs: durationOption(OWNER, `${at}.intervalMs`, rule.intervalMs, 3_600_000, 1),
    historyIntervals,
    minIntervals,
    threshold: positiveNumber(`${at}.threshold`, rule.threshold, 5),
    minSpendUsd: positiveNumber(`${at}.minSpendUsd`, rule.minSpendUsd, 0.01),
  };
}

function checkKey(rule: KeyRule | undefined): CheckedKey | undefined {
  if (rule === undefined) return undefined;
  if (!isObject(rule)) throw new TypeError(`${OWNER}: option "key" must be an object`);
  if (
    rule.client !== undefined &&
    typeof (rule.client as { baseUrl?: unknown })?.baseUrl !== 'string'
  ) {
    throw new TypeError(`${OWNER}: option "key.client" must be a @genmeta/core client`);
  }
  if (rule.clientOptions !== undefined && !isObject(rule.clientOptions)) {
    throw new TypeError(`${OWNER}: option "key.clientOptions" must be an object`);
  }
  return {
    thresholds: thresholdsOption('key.thresholds', rule.thresholds),
    intervalMs: durationOption(OWNER, 'key.intervalMs', rule.intervalMs, 60_000, 1),
    client: rule.client,
    clientOptions: rule.clientOptions ?? {},
  };
}

function checkUnknownSpend(rule: UnknownSpendRule | undefined): CheckedUnknownSpend | undefined {
  if (rule === undefined) return undefined;
  if (!isObject(rule)) throw new TypeError(`${OWNER}: option "unknownSpend" must be an object`);
  if (typeof rule.ratio !== 'number' || !(rule.ratio >= 0 && rule.ratio < 1)) {
    throw new RangeError(
      `${OWNER}: option "unknownSpend.ratio" must be a number from 0 to below 1 (got ${String(rule.ratio)})`,
    );
  }
  return {
    ratio: rule.ratio,
    window: windowOption('unknownSpend.window', rule.window, 'day'),
    minGenerations: integerOption(OWNER, 'unknownSpend.minGenerations', rule.minGenerations, 20, 1),
  };
}

function checkWebhook(webhook: AlertWebhook | undefined): CheckedWebhook | undefined {
  if (webhook === undefined) return undefined;
  if (!isObject(webhook)) throw new TypeError(`${OWNER}: option "webhook" must be an object`);
  let url: URL | undefined;
  try {
    url = typeof webhook.url === 'string' ? new URL(webhook.url) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    // the URL itself is not repeated: a webhook URL is often a secret
    throw new TypeError(`${OWNER}: option "webhook.url" must be an http(s) URL`);
  }
  const format = webhook.format ?? 'slack';
  if (format !== 'slack' && format !== 'json') {
    throw new TypeError(`${OWNER}: option "webhook.format" must be 'slack' or 'json'`);
  }
  if (
    webhook.secret !== undefined &&
    (typeof webhook.secret !== 'string' || webhook.secret === '')
  ) {
    throw new TypeError(`${OWNER}: option "webhook.secret" must be a non-empty string`);
  }
  if (webhook.headers !== undefined && !isObject(webhook.headers)) {
    throw new TypeError(`${OWNER}: option "webhook.headers" must be an object of strings`);
  }
  return {
    url,
    format,
    secret: webhook.secret,
    timeoutMs: durationOption(OWNER, 'webhook.timeoutMs', webhook.timeoutMs, 5_000, 1),
    attempts: integerOption(OWNER, 'webhook.attempts', webhook.attempts, 6, 1, 100),
    backoffMs: durationOption(OWNER, 'webhook.backoffMs', webhook.backoffMs, 1_000, 0),
    maxQueue: integerOption(OWNER, 'webhook.maxQueue', webhook.maxQueue, 100, 1),
    headers: { ...(webhook.headers ?? {}) },
  };
}

function storeOption(value: CostAlertsOptions['store']): AlertStore | undefined {
  if (value === undefined) return undefined;
  const store = (
    isObject(value) && 'alerts' in (value as object) ? (value as { alerts: unknown }).alerts : value
  ) as AlertStore;
  if (
    !isObject(store) ||
    typeof store.add !== 'function' ||
    typeof store.top !== 'function' ||
    typeof store.claim !== 'function'
  ) {
    throw new TypeError(
      `${OWNER}: option "store" must be @genmeta/redis's stores or an AlertStore (add, top, claim)`,
    );
  }
  return store;
}

/** Every option checked once, at construction: a bad rule throws naming the option. */
export function checkCostAlertsOptions(options: CostAlertsOptions): CheckedOptions {
  if (!isObject(options)) throw new TypeError(`${OWNER}: options must be an object`);
  if (options.logger !== undefined && typeof options.logger?.info !== 'function') {
    throw new TypeError(`${OWNER}: option "logger" must have info(object, message)`);
  }
  if (options.onAlert !== undefined && typeof options.onAlert !== 'function') {
    throw new TypeError(`${OWNER}: option "onAlert" must be a function`);
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new TypeError(`${OWNER}: option "now" must be a function returning ms`);
  }
  const checked: CheckedOptions = {
    budgets: listOption<BudgetRule>('budgets', options.budgets).map(checkBudget),
    anomalies: listOption<AnomalyRule>('anomalies', options.anomalies).map(checkAnomaly),
    key: checkKey(options.key),
    unknownSpend: checkUnknownSpend(options.unknownSpend),
    webhook: checkWebhook(options.webhook),
    store: storeOption(options.store),
    userAttribute: groupOption('userAttribute', options.userAttribute ?? 'user'),
    maxGroups: integerOption(OWNER, 'maxGroups', options.maxGroups, 10_000, 1),
    now: options.now ?? Date.now,
  };
  if (
    checked.budgets.length + checked.anomalies.length === 0 &&
    checked.key === undefined &&
    checked.unknownSpend === undefined
  ) {
    throw new TypeError(
      `${OWNER}: give at least one rule: option "budgets", "anomalies", "key" or "unknownSpend"`,
    );
  }
  return checked;
}

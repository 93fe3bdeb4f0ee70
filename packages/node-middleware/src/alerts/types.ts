import type { ClientOptions, GenmetaClient } from '@genmeta/core';
import type { AlertContributor, AlertStore, SpendWindow } from '@genmeta/core/engine';
import type { CostLoggerLogger, RecordSink } from '../types.js';

/**
 * What a rule groups spend by: a record attribute's name (`user`, `feature`, ...), or `route`
 * (the matched route pattern, else the path) or `model` (each generation's model).
 */
export type AlertGroup = string;

/** A budget rule of {@link costAlerts}. */
export interface BudgetRule {
  /** What the budget is per: an attribute name, `route` or `model`. Records without it are not counted. */
  group: AlertGroup;
  /** Budget per group and window, USD (above 0). */
  limitUsd: number;
  /**
   * The window: a UTC calendar `day`, `week` (from Monday) or `month`, or `{ windowMs }`
   * (fixed slices of that length from the epoch).
   * @default 'month'
   */
  window?: SpendWindow;
  /**
   * Shares of `limitUsd` that raise an alert, each at most once per group and window.
   * @default [0.5, 0.8, 1]
   */
  thresholds?: readonly number[];
}

/**
 * An anomaly rule of {@link costAlerts}: a group's spend in the current interval far above its
 * own recent history. Score = (spend − median) / max(1.4826 × MAD, 0.25 × median, mean) over
 * the last `historyIntervals` intervals (empty ones count as 0; MAD is the median absolute
 * deviation). It fires when the score reaches `threshold`, the interval's spend reaches
 * `minSpendUsd` and the group has `minIntervals` of history: once per burst (until an interval
 * ends below the rule again). The floors mean steady spend never fires, and with the default
 * threshold a group must spend about 6× its usual level: a tenfold jump fires.
 */
export interface AnomalyRule {
  /** What the history is per: an attribute name, `route` or `model`. */
  group: AlertGroup;
  /**
   * Length of one interval, ms.
   * @default 3_600_000 (an hour)
   */
  intervalMs?: number;
  /**
   * Intervals of history kept per group.
   * @default 30
   */
  historyIntervals?: number;
  /**
   * Intervals of history a group needs before it may fire.
   * @default 10
   */
  minIntervals?: number;
  /**
   * Robust score that fires.
   * @default 5
   */
  threshold?: number;
  /**
   * Least spend in the interval that may fire (a quiet group does not alert on noise), USD.
   * @default 0.01
   */
  minSpendUsd?: number;
}

/** The key rule of {@link costAlerts}: the OpenRouter key's own `limit` (from `GET /key`). */
export interface KeyRule {
  /**
   * Shares of the key's `limit` used (`limit - limit_remaining`) that raise an alert, each once
   * per `limit_reset` period.
   * @default [0.5, 0.8, 1]
   */
  thresholds?: readonly number[];
  /**
   * Least time between two `GET /key` reads, ms (read when a record arrives and this much has
   * passed, or through `checkKey()`).
   * @default 60_000
   */
  intervalMs?: number;
  /**
   * The `@genmeta/core` client `GET /key` is read with (`getKey` of `@genmeta/core/api`).
   * @default the process's default client for `clientOptions` (shared with costLogger)
   */
  client?: GenmetaClient;
  /**
   * The client options `GET /key` is read with, when `client` is not given: the key whose limit is watched (`apiKey`),
   * `baseUrl`, `fetch`, `headers`.
   * @default {} (key from OPENROUTER_API_KEY, base URL from OPENROUTER_BASE_URL)
   */
  clientOptions?: ClientOptions;
}

/** The unknown-spend rule of {@link costAlerts}: too many generations of unknown cost. */
export interface UnknownSpendRule {
  /** Share of generations with unknown cost in the window that raises the alert (0 to 1). */
  ratio: number;
  /**
   * The window.
   * @default 'day'
   */
  window?: SpendWindow;
  /**
   * Generations a window needs before the share is judged.
   * @default 20
   */
  minGenerations?: number;
}

/** Where alerts are posted. */
export interface AlertWebhook {
  /** The URL (Slack incoming webhook or any receiver). Never logged whole: it is often a secret. */
  url: string;
  /**
   * `slack`: `{ text }` (Slack, Mattermost, Discord's `/slack` endpoint); `json`: the {@link CostAlert} itself.
   * @default 'slack'
   */
  format?: 'slack' | 'json';
  /**
   * When set, each post carries `x-genmeta-signature: sha256=<hex HMAC-SHA256 of the body>`.
   * @default undefined
   */
  secret?: string;
  /**
   * Bound on one attempt, ms.
   * @default 5_000
   */
  timeoutMs?: number;
  /**
   * Attempts per alert (network errors, timeouts, 408, 429 and 5xx are retried).
   * @default 6
   */
  attempts?: number;
  /**
   * First retry delay, doubled each time (1, 2, 4, 8, 16 s: an outage under ~30 s loses nothing).
   * @default 1_000
   */
  backoffMs?: number;
  /**
   * Alerts waiting for delivery at most; past it the oldest is dropped, counted and logged.
   * @default 100
   */
  maxQueue?: number;
  /**
   * Extra request headers.
   * @default {}
   */
  headers?: Record<string, string>;
}

/** Options of {@link costAlerts}. */
export interface CostAlertsOptions {
  /**
   * Budgets per group and window.
   * @default []
   */
  budgets?: readonly BudgetRule[];
  /**
   * Spend anomalies per group.
   * @default []
   */
  anomalies?: readonly AnomalyRule[];
  /**
   * Watch the OpenRouter key's own limit.
   * @default undefined (not watched)
   */
  key?: KeyRule;
  /**
   * Alert when too many generations have unknown cost.
   * @default undefined (not watched)
   */
  unknownSpend?: UnknownSpendRule;
  /**
   * Post each alert to a webhook.
   * @default undefined
   */
  webhook?: AlertWebhook;
  /**
   * pino-like logger: each alert goes to `logger.warn(alert, text)` (or `info`), and so do the
   * alerts' own problems (once each).
   * @default undefined
   */
  logger?: CostLoggerLogger;
  /**
   * Called with each alert (async allowed; a failure is contained and reported once).
   * @default undefined
   */
  onAlert?: (alert: CostAlert) => void | Promise<void>;
  /**
   * Shared counters and claims, so that spend is summed and each alert raised once across all
   * instances: `@genmeta/redis`'s stores (or their `alerts`). While it fails, alerting is per
   * process (one warning).
   * @default undefined (this process only: each instance alerts on its own spend)
   */
  store?: AlertStore | { readonly alerts: AlertStore };
  /**
   * The attribute that names a user (for the top contributors).
   * @default 'user'
   */
  userAttribute?: string;
  /**
   * Counters (group × window, all rules together), claims, and per anomaly rule group
   * histories held in memory at most, each; past it the least recently used half is forgotten.
   * @default 10_000
   */
  maxGroups?: number;
  /**
   * The clock, ms since the epoch (for tests and replays).
   * @default Date.now
   */
  now?: () => number;
}

/** What kind of alert. */
export type CostAlertKind = 'budget' | 'anomaly' | 'key' | 'unknown_spend';

/** One alert, as delivered to the webhook (`json`), `onAlert` and the logger. */
export interface CostAlert {
  kind: CostAlertKind;
  /** Unique per rule, group, window and threshold: the once-only claim's name. */
  id: string;
  /** One line for people (the Slack `text`), no secret, no prompt text. */
  text: string;
  /** The group (`{ by: 'user', value: 'u-42' }`) for budget and anomaly alerts. */
  group?: { by: string; value: string };
  /** The share crossed (budget, key) or the score reached (anomaly). */
  threshold?: number;
  /** Spend (or, for unknown spend, the share of unknown generations) that crossed it. */
  amount: number;
  /** The limit (budget, key), the median (anomaly), the ratio (unknown spend). */
  limit?: number;
  /** The window (or interval) the amount is in, ISO 8601. */
  window: { id: string; start: string; end: string };
  /** Largest contributors in the window: `requests`, `models`, `users` (budget alerts). */
  top?: Record<string, AlertContributor[]>;
  /** ISO 8601 time the alert was raised. */
  at: string;
}

/** The OpenRouter key's limit as last read (`GET /key`). */
export interface KeyLimitState {
  /** The key's `limit`, USD, or null when it has none (or it was not read yet). */
  readonly limitUsd: number | null;
  /** `limit_remaining`, USD, or null. */
  readonly remainingUsd: number | null;
  /** `limit_reset`: `daily`, `weekly`, `monthly` or null. */
  readonly reset: string | null;
  /** When it was read, ms since the epoch (0: never). */
  readonly checkedAtMs: number;
  /** True when `remainingUsd` is known and at most `reserveUsd`: refuse before OpenRouter does. */
  exhausted(reserveUsd?: number): boolean;
}

/** Counts of what happened to alerts (for health checks and tests). */
export interface CostAlertsStats {
  /** Alerts raised (claimed) by this process. */
  raised: number;
  /** Alerts the webhook accepted. */
  delivered: number;
  /** Alerts the webhook did not accept after every attempt. */
  failed: number;
  /** Alerts dropped from a full webhook queue. */
  dropped: number;
  /** Groups held in memory. */
  groups: number;
}

/** The sink returned by {@link costAlerts}: pass it to `costLogger({ onRecord })`. */
export interface CostAlerts extends RecordSink {
  /** The key's limit as last read (`key` rule), for `spendLimit({ keyLimit })`. */
  readonly keyLimit: KeyLimitState;
  /** Reads `GET /key` now (the `key` rule) and raises its alerts. */
  checkKey(): Promise<void>;
  /** Resolves once the records seen so far are counted and their alerts delivered (or given up). */
  flush(): Promise<void>;
  /** Counts of raised, delivered, failed and dropped alerts. */
  stats(): CostAlertsStats;
}

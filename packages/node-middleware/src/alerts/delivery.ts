import { scrubSecret } from '@genmeta/core/engine';
import type { Reporter } from '../internal/report.js';
import type { CostLoggerLogger } from '../types.js';
import type { CheckedWebhook } from './options.js';
import type { CostAlert } from './types.js';
import { createWebhookQueue, type WebhookQueue } from './webhook.js';

/** Anything shaped like an OpenRouter key, wherever an attribute value may have carried one. */
const OPENROUTER_KEY_SHAPE = /sk-or-[A-Za-z0-9_-]*/g;

export interface AlertDelivery {
  /** Sends an alert to the logger, the callback and the webhook; never throws, never waits. */
  deliver(alert: CostAlert): void;
  idle(): Promise<void>;
  readonly webhook: WebhookQueue | undefined;
}

export interface DeliverySettings {
  logger: CostLoggerLogger | undefined;
  onAlert: ((alert: CostAlert) => void | Promise<void>) | undefined;
  webhook: CheckedWebhook | undefined;
  /** Secrets that must never leave in an alert (the API key, the webhook's URL and secret). */
  secrets: () => Array<string | undefined>;
  report: Reporter;
}

export function createAlertDelivery(settings: DeliverySettings): AlertDelivery {
  const { logger, onAlert, report } = settings;
  const webhook =
    settings.webhook === undefined ? undefined : createWebhookQueue(settings.webhook, report);
  const callbacks = new Set<Promise<void>>();

  function scrubbed(alert: CostAlert): CostAlert {
    let json = JSON.stringify(alert);
    if (json.includes('sk-or-')) json = json.replace(OPENROUTER_KEY_SHAPE, 'sk-or-[REDACTED]');
    for (const secret of settings.secrets()) json = scrubSecret(json, secret);
    return JSON.parse(json) as CostAlert;
  }

  return {
    deliver(raw) {
      const alert = scrubbed(raw);
      try {
        (logger?.warn ?? logger?.info)?.call(logger, { alert }, alert.text);
      } catch (error) {
        report('costAlerts:logger', 'genmeta: costAlerts: the logger threw (reported once)', error);
      }
      if (onAlert !== undefined) {
        const failed = (error: unknown) =>
          report(
            'costAlerts:onAlert',
            'genmeta: costAlerts: onAlert failed (reported once)',
            error,
          );
        try {
          const result = onAlert(alert);
          if (result !== undefined && typeof result.then === 'function') {
            const settled = result.then(undefined, failed).finally(() => callbacks.delete(settled));
            callbacks.add(settled);
          }
        } catch (error) {
          failed(error);
        }
      }
      if (webhook !== undefined && settings.webhook !== undefined) {
        const body =
          settings.webhook.format === 'slack'
            ? JSON.stringify({ text: alert.text })
            : JSON.stringify(alert);
        webhook.post(body, alert.id);
      }
    },
    async idle() {
      await Promise.all([...callbacks]);
      await webhook?.idle();
    },
    webhook,
  };
}

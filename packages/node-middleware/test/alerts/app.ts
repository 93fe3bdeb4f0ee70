// An Express app in this process with costLogger + costAlerts over the fake, for the rule tests.
// POST /spend?id=&user= tracks a generation the test made at the fake and answers at once.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  type CostAlert,
  type CostAlerts,
  type CostAlertsOptions,
  type CostLogger,
  costAlerts,
  costLogger,
  setCostAttributes,
  trackGeneration,
} from '../../src/index.js';

export interface AlertsApp {
  url: string;
  alerts: CostAlerts;
  logger: CostLogger;
  /** Alerts given to onAlert, in order. */
  raised: CostAlert[];
  /** What the alerts' logger was told, besides alerts. */
  warnings: Array<{ details: unknown; message?: string }>;
  spend(id: string, user?: string): Promise<{ status: number; body: unknown }>;
  /** Waits for the records and the alerts they raise (delivery included). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startAlertsApp(
  fake: { url: string; apiKey: string },
  options: Omit<CostAlertsOptions, 'onAlert' | 'logger'>,
): Promise<AlertsApp> {
  const raised: CostAlert[] = [];
  const warnings: AlertsApp['warnings'] = [];
  const alerts = costAlerts({
    ...options,
    onAlert: (alert) => {
      raised.push(alert);
    },
    logger: {
      info: () => undefined,
      warn: (details, message) => {
        if (!(details as { alert?: unknown }).alert) warnings.push({ details, message });
      },
    },
  });
  const logger = costLogger({
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    onRecord: [alerts],
  });
  const app = express();
  app.use(logger);
  app.post('/spend', (request, response) => {
    trackGeneration(String(request.query.id));
    setCostAttributes({ user: String(request.query.user ?? 'u-1') });
    response.json({ ok: true, id: request.query.id });
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    alerts,
    logger,
    raised,
    warnings,
    async spend(id, user = 'u-1') {
      const response = await fetch(
        `${url}/spend?id=${encodeURIComponent(id)}&user=${encodeURIComponent(user)}`,
        { method: 'POST' },
      );
      return { status: response.status, body: await response.json() };
    },
    async settle() {
      await logger.flush();
      await alerts.flush();
    },
    async close() {
      await logger.close();
      await alerts.flush();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

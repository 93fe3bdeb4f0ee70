import { existsSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '@genmeta/core';
import {
  type CostRecord,
  costLogger,
  createTrackingFetch,
  generationProxy,
  spendLimit,
} from '@genmeta/node-middleware';
import { createRedisStores, type RedisStores } from '@genmeta/redis';
import express, { type Express, type Request, type Response } from 'express';
import type { AppInfo, UserLimit } from '../shared/protocol.ts';
import { createAlertsDemo } from './alerts-demo.ts';
import { readPrompt, streamChat } from './chat-route.ts';
import { demoUserOf, demoUsers } from './demo-users.ts';
import { RecordStore } from './record-store.ts';
import { toLogEntry } from './to-log-entry.ts';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** OpenRouter's API base URL (the fake's `url` in offline mode), without a trailing slash. */
  baseUrl: string;
  /** The key the server uses upstream. Never sent to the browser, never logged. */
  apiKey: string;
  /** `offline` when `baseUrl` is the in-process fake. */
  mode: AppInfo['mode'];
  /** Model slug for chat completions. @default 'openai/gpt-4o-mini' */
  model?: string;
  /** Folder of the built page (Vite's output). @default the package's dist/client */
  clientDir?: string;
  /** Shell line shown to look a generation up with the CLI; `<id>` marks the id. */
  cliCommand: string;
  /** How many cost records the page's log keeps. @default 50 */
  recordLimit?: number;
  /**
   * A Redis to share the generation cache and the proxy's registry with other instances of this
   * server (behind a load balancer): `redis://…`. Unset, both stay in this process.
   * @default undefined
   */
  redisUrl?: string;
  /**
   * Where costAlerts posts the demo budget's alerts (JSON, signed with `alertsSecret`): the
   * example's receiver page. Unset, no alert is raised.
   * @default undefined
   */
  alertsWebhookUrl?: string;
  /** The HMAC secret of the alerts webhook. @default undefined */
  alertsSecret?: string;
  /** Human-readable lines (startup, one per chat). @default a line on stderr */
  log?: (line: string) => void;
  /**
   * Where each cost record goes as one JSON line, in addition to the page's log.
   * @default a line on stdout
   */
  writeRecord?: (line: string) => void;
}

/** The Express app with its cost logger, whose `close()` emits the records still pending. */
export interface ExampleApp {
  app: Express;
  records: RecordStore;
  /** Emits every pending cost record, then stops the cost logger. */
  close(): Promise<void>;
}

/**
 * Builds the example server: `POST /api/chat` (streams a reply from OpenRouter), the request log
 * (`GET /api/records`, live at `/api/records/events`), `GET /api/info`, the generation proxy at
 * `/api/genmeta`, and the built page.
 */
export function createApp(options: AppOptions): ExampleApp {
  const {
    baseUrl,
    apiKey,
    mode,
    model = 'openai/gpt-4o-mini',
    // Both src/server and dist/server sit two levels below the package folder.
    clientDir = path.resolve(import.meta.dirname, '../../dist/client'),
    cliCommand,
    recordLimit = 50,
    log = (line) => process.stderr.write(`${line}\n`),
    writeRecord = (line) => process.stdout.write(`${line}\n`),
  } = options;
  const records = new RecordStore(recordLimit);
  // With REDIS_URL, what another instance tracked or looked up is shared: an id tracked where
  // the chat was answered is servable by every instance's proxy, and looked up once in all.
  const stores = options.redisUrl ? sharedStores(options.redisUrl, log) : undefined;
  // One client for the logger and the proxy: a generation the logger resolved is then served
  // to the page from the cache, without a second upstream call.
  const client = createClient({ baseUrl, apiKey, ...(stores && { cache: stores.cache }) });
  const registry = stores && { registry: stores.registry };
  const alertsDemo =
    options.alertsWebhookUrl === undefined
      ? undefined
      : createAlertsDemo({
          webhookUrl: options.alertsWebhookUrl,
          secret: options.alertsSecret ?? 'example-alerts-secret',
          stores,
          log,
        });

  const logger = costLogger({
    client,
    ...registry,
    // Each record says which demo user spent it: the page groups its log by user.
    attributes: (request) => {
      const user = demoUserOf(request);
      return user === undefined ? undefined : { user: user.id };
    },
    onRecord: [
      (record: CostRecord) => {
        writeRecord(JSON.stringify(record));
        records.add(toLogEntry(record));
      },
      ...(alertsDemo ? [alertsDemo.sink] : []),
    ],
  });
  const trackingFetch = createTrackingFetch(fetch, { baseUrl });
  // One limiter per demo user with a budget, counting that user's spend from the logger's records.
  const limited = demoUsers.flatMap((user) =>
    user.limitUsd === null || user.limitWindowMs === null
      ? []
      : [
          {
            user,
            limiter: spendLimit({
              logger,
              key: (request) =>
                demoUserOf(request as Request)?.id === user.id ? user.id : undefined,
              limitUsd: user.limitUsd,
              windowMs: user.limitWindowMs,
              message: (limit) =>
                `${user.name}'s spend limit is reached: ${limit.spentUsd} of ${limit.limitUsd} USD in the last ${limit.windowMs / 60_000} minutes. Try again in ${limit.retryAfterSeconds} s, or pick another user.`,
            }),
          },
        ],
  );
  const limiters = limited.map(({ limiter }) => limiter);

  const app = express();
  app.disable('x-powered-by');
  // Long-lived and tracking nothing: mounted before the cost logger.
  app.get('/api/records/events', (request, response) => {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const send = (data: unknown) =>
      response.write(`event: records\ndata: ${JSON.stringify(data)}\n\n`);
    send(records.snapshot());
    const unsubscribe = records.subscribe(send);
    // A comment every 25 s keeps proxies from closing an idle stream.
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 25_000);
    request.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });

  // Every API request runs in its own cost context; only those that track ids emit a record.
  app.use('/api', logger);
  app.use('/api/genmeta', generationProxy({ client, ...registry }));

  app.get('/api/info', (_request, response) => {
    const info: AppInfo = { mode, model, cliCommand, users: [...demoUsers] };
    response.json(info);
  });

  // Where each limited demo user stands in their window (the page shows it beside their log).
  app.get('/api/limits', async (_request, response, next) => {
    try {
      const limits: UserLimit[] = await Promise.all(
        limited.map(async ({ user, limiter }) => {
          const status = await limiter.status(user.id);
          return {
            user: user.id,
            spentUsd: status.spentUsd,
            limitUsd: status.limitUsd,
            limited: status.limited,
            retryAfterSeconds: status.retryAfterSeconds ?? null,
          };
        }),
      );
      response.set('cache-control', 'no-store').json(limits);
    } catch (error) {
      next(error);
    }
  });

  app.get('/api/records', (_request, response) => {
    response.set('cache-control', 'no-store').json(records.snapshot());
  });

  app.post('/api/chat', ...limiters, express.json({ limit: '32kb' }), async (request, response) => {
    const prompt = readPrompt(request.body);
    if (typeof prompt !== 'string') {
      response.status(400).json({ error: { message: prompt.error } });
      return;
    }
    await streamChat({
      request,
      response,
      prompt,
      baseUrl,
      apiKey,
      model,
      trackingFetch,
      log,
      cliCommand,
    });
  });

  app.use('/api', (_request, response) => {
    response.status(404).json({ error: { message: 'No such API route' } });
  });

  if (existsSync(clientDir)) {
    app.use(
      '/assets',
      express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y' }),
    );
    app.use(express.static(clientDir, { maxAge: 0 }));
  } else {
    app.get('/', (_request, response) => {
      response
        .status(503)
        .type('text/plain')
        .send('The page is not built yet: run `pnpm --filter @genmeta/example build`.');
    });
  }

  app.use((error: unknown, _request: Request, response: Response, _next: express.NextFunction) => {
    const status = statusOf(error);
    if (response.headersSent) {
      response.end();
      return;
    }
    response
      .status(status)
      .json({ error: { message: status < 500 ? 'Bad request' : 'Internal error' } });
  });

  return {
    app,
    records,
    async close() {
      await logger.close({ timeoutMs: 5_000 });
      await alertsDemo?.alerts.flush();
      await stores?.close();
    },
  };
}

/** The Redis stores, reporting an outage (and the recovery) once as a human-readable line. */
function sharedStores(url: string, log: (line: string) => void): RedisStores {
  const line = (details: object, message?: string) =>
    log(`redis: ${message ?? ''} ${JSON.stringify(details)}`.trim());
  return createRedisStores({ url }, { logger: { warn: line, info: line } });
}

function statusOf(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const status = (error as { status: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 600) return status;
  }
  return 500;
}

import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { type AlertReceiver, startAlertReceiver } from './alert-receiver.ts';
import { type AppOptions, createApp, type ExampleApp } from './app.ts';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Port to listen on; 0 picks a free one. @default 3000 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /**
   * A real OpenRouter key. Without one the server starts a fake OpenRouter in-process.
   * @default undefined (offline)
   */
  apiKey?: string;
  /** OpenRouter's API base URL when `apiKey` is given. @default 'https://openrouter.ai/api/v1' */
  baseUrl?: string;
  /**
   * Offline only: how long the fake answers "not ready" (404) for a new generation's stats,
   * so the page's "waiting for stats" state is visible, as with the real OpenRouter.
   * @default 1500
   */
  statsDelayMs?: number;
  /** Passed to {@link createApp}. */
  app?: Partial<
    Pick<AppOptions, 'model' | 'clientDir' | 'recordLimit' | 'log' | 'writeRecord' | 'redisUrl'>
  >;
}

/** A listening example server. */
export interface RunningServer {
  /** e.g. 'http://127.0.0.1:3000' */
  url: string;
  mode: 'offline' | 'openrouter';
  /** Base URL of the OpenRouter API the server talks to. */
  openRouterUrl: string;
  /** The in-process fake, offline only. */
  fake: FakeOpenRouter | undefined;
  /** Shell line that looks a generation up with the CLI; `<id>` marks the id. */
  cliCommand: string;
  example: ExampleApp;
  /** The webhook receiver page where the demo budget's spend alerts arrive. */
  alerts: AlertReceiver;
  /** Stops accepting requests, emits pending cost records, stops the fake. */
  close(): Promise<void>;
}

const cliInvocation = 'pnpm --filter @genmeta/example exec genmeta get <id>';

/** Starts the example: the fake OpenRouter when there is no key, then the Express app. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const { port = 3000, host = '127.0.0.1', statsDelayMs = 1500 } = options;
  const apiKey = options.apiKey?.trim() || undefined;

  let fake: FakeOpenRouter | undefined;
  let openRouterUrl: string;
  let key: string;
  let cliCommand: string;
  if (apiKey) {
    openRouterUrl = trimSlash(options.baseUrl?.trim() || 'https://openrouter.ai/api/v1');
    key = apiKey;
    // The real key stays in the user's environment; the line never contains it.
    cliCommand =
      openRouterUrl === 'https://openrouter.ai/api/v1'
        ? cliInvocation
        : `OPENROUTER_BASE_URL=${openRouterUrl} ${cliInvocation}`;
  } else {
    fake = await startFakeOpenRouter({ statsDelayMs });
    openRouterUrl = trimSlash(fake.url);
    key = fake.apiKey;
    cliCommand = `OPENROUTER_BASE_URL=${openRouterUrl} OPENROUTER_API_KEY=${fake.apiKey} ${cliInvocation}`;
  }

  const alertsSecret = randomBytes(16).toString('hex');
  const alerts = await startAlertReceiver({ host, secret: alertsSecret });
  const example = createApp({
    ...options.app,
    alertsWebhookUrl: alerts.webhookUrl,
    alertsSecret,
    baseUrl: openRouterUrl,
    apiKey: key,
    mode: fake ? 'offline' : 'openrouter',
    cliCommand,
  });

  let server: ReturnType<typeof example.app.listen>;
  try {
    server = await new Promise((resolve, reject) => {
      const listening = example.app.listen(port, host, (error?: Error) => {
        if (error) reject(error);
        else resolve(listening);
      });
    });
  } catch (error) {
    await example.close();
    await alerts.close();
    await fake?.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    mode: fake ? 'offline' : 'openrouter',
    openRouterUrl,
    fake,
    cliCommand,
    example,
    alerts,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Live request-log streams would otherwise hold the server open.
        server.closeAllConnections();
        await closed;
        await example.close();
        await alerts.close();
        await fake?.close();
      })();
      return closing;
    },
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

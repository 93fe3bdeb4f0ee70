import type { Reporter } from '../internal/report.js';
import type { CheckedWebhook } from './options.js';

/** What the webhook queue counts. */
export interface WebhookCounts {
  delivered: number;
  failed: number;
  dropped: number;
}

export interface WebhookQueue {
  /** Queues a body for delivery; never blocks, never throws. */
  post(body: string, title: string): void;
  /** Resolves once the queue is empty (every body delivered or given up). */
  idle(): Promise<void>;
  readonly counts: WebhookCounts;
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref?.());

const isRetryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/**
 * Posts alert bodies one at a time, in order, off the request path: each with `attempts` tries
 * (timeout per try, backoff doubling from `backoffMs`). Past `maxQueue` waiting bodies the oldest
 * is dropped. Every body given up or dropped is counted and reported through the logger, by
 * title only: the URL (often a secret) never appears in a log line.
 */
export function createWebhookQueue(
  webhook: CheckedWebhook,
  report: Reporter,
  fetchImpl: typeof fetch = globalThis.fetch,
): WebhookQueue {
  const counts: WebhookCounts = { delivered: 0, failed: 0, dropped: 0 };
  const queue: Array<{ body: string; title: string }> = [];
  let running: Promise<void> | undefined;
  const target = webhook.url.href;
  const origin = webhook.url.origin;

  async function attempt(body: string): Promise<{ ok: boolean; retry: boolean; why: string }> {
    const headers: Record<string, string> = {
      ...webhook.headers,
      'content-type': 'application/json',
      'user-agent': 'genmeta-alerts',
    };
    if (webhook.secret !== undefined) {
      headers['x-genmeta-signature'] = `sha256=${await hmacSha256Hex(webhook.secret, body)}`;
    }
    try {
      const response = await fetchImpl(target, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(webhook.timeoutMs),
        redirect: 'error',
      });
      // the body is not needed; read it off so the connection is reused
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, retry: false, why: '' };
      return { ok: false, retry: isRetryable(response.status), why: `HTTP ${response.status}` };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      return { ok: false, retry: true, why: name === 'TimeoutError' ? 'timeout' : 'network error' };
    }
  }

  async function deliver(body: string, title: string): Promise<void> {
    let why = '';
    for (let index = 0; index < webhook.attempts; index += 1) {
      if (index > 0) await sleep(webhook.backoffMs * 2 ** (index - 1));
      const outcome = await attempt(body);
      if (outcome.ok) {
        counts.delivered += 1;
        return;
      }
      why = outcome.why;
      if (!outcome.retry) break;
    }
    counts.failed += 1;
    report.always(
      { alertId: title, webhook: origin, why, failed: counts.failed },
      'genmeta: costAlerts: an alert could not be delivered to the webhook after every attempt',
    );
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const next = queue.shift()!;
      await deliver(next.body, next.title);
    }
    running = undefined;
  }

  return {
    post(body, title) {
      if (queue.length >= webhook.maxQueue) {
        const dropped = queue.shift()!;
        counts.dropped += 1;
        report.always(
          {
            alertId: dropped.title,
            webhook: origin,
            dropped: counts.dropped,
            maxQueue: webhook.maxQueue,
          },
          'genmeta: costAlerts: the webhook queue is full; the oldest alert waiting was dropped',
        );
      }
      queue.push({ body, title });
      running ??= drain();
    },
    async idle() {
      while (running !== undefined) await running;
    },
    counts,
  };
}

/**
 * HMAC-SHA256 of `body` under `secret`, as hex, through Web Crypto: the same on Node, Bun, Deno,
 * workerd and edge runtimes, where a static `node:crypto` import would keep the package from
 * loading.
 */
async function hmacSha256Hex(secret: string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(body)));
  let hex = '';
  for (const byte of signature) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

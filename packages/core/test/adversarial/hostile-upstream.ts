import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Logger } from '../../src/index.js';

/** How a hostile upstream answers one request. */
export type HostileHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** A real `node:http` server whose answers each test scripts, as an attacker would write it. */
export interface HostileUpstream {
  /** Base URL to give the client (`…/api/v1`). */
  readonly url: string;
  /** Requests received, in order (method, url, headers). */
  readonly requests: IncomingMessage[];
  /** How the next requests are answered (until changed). */
  answer(handler: HostileHandler): void;
}

/** Starts a hostile upstream for the suite (closed after it). */
export function setupHostileUpstream(): HostileUpstream {
  let handler: HostileHandler = (_request, response) => response.writeHead(500).end();
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    requests.push(request);
    handler(request, response);
  });
  const upstream = {
    url: '',
    requests,
    answer(next: HostileHandler) {
      handler = next;
      requests.length = 0;
    },
  };
  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    upstream.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  return upstream;
}

/** A well-formed generation body for `id` (what OpenRouter answers), with `extra` fields. */
export function generationBody(id: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    data: {
      id,
      total_cost: 0.001,
      created_at: '2026-01-01T00:00:00Z',
      model: 'openai/gpt-4o-mini',
      origin: '',
      usage: 0.001,
      is_byok: false,
      ...extra,
    },
  });
}

/** A logger keeping every line as text (details and message), for secret checks. */
export function textLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (details: Record<string, unknown>, message: string): void => {
    lines.push(`${message} ${inspect(details, { depth: 10 })}`);
  };
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}

/** Every way an error usually reaches a log: message, String, JSON, inspect, the cause chain. */
export function renderings(value: unknown): string[] {
  const texts = [
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value),
    inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
  ];
  let current: unknown = value;
  for (let depth = 0; current instanceof Error && depth < 10; depth++) {
    texts.push(current.message, current.stack ?? '', String(current));
    current = current.cause;
  }
  if (current !== undefined) texts.push(inspect(current));
  return texts;
}

/** Fails if any `windowLength`-character piece of `secret` appears in any of `texts`. */
export function expectNoPieceOf(secret: string, texts: readonly string[], windowLength = 8): void {
  for (const text of texts) {
    for (let start = 0; start + windowLength <= secret.length; start++) {
      const piece = secret.slice(start, start + windowLength);
      if (text.includes(piece)) {
        expect.fail(
          `a ${windowLength}-character piece of the secret leaked: …${piece}… in ${text.slice(0, 300)}`,
        );
      }
    }
  }
}

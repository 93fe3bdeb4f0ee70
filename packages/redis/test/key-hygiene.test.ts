// The Redis password in the URL never reaches a log line, an error, its cause or its JSON.

import { type RedisServer, startRedisServer } from '@genmeta/fixture-redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStores, isRedisUnavailableError } from '../src/index.ts';
import { eventually, recordingLogger, rejectionOf, urlKind } from './clients.ts';

const password = 'pw-Zq81/x+secret';
const wrongPassword = 'wrong-Kv93!secret';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer({ password });
});
afterAll(async () => {
  await server?.close();
});

function encodings(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
}

/** Everything an error shows: message, stack, JSON, and its cause chain. */
function exposedText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? '', JSON.stringify(current), String(current));
      current = current.cause;
    } else {
      parts.push(String(current));
      current = undefined;
    }
  }
  return parts.join('\n');
}

describe('a password in the URL', () => {
  it('a wrong password: refusals and warnings never show it', async () => {
    const url = server.url.replace(encodeURIComponent(password), encodeURIComponent(wrongPassword));
    expect(url).toContain(encodeURIComponent(wrongPassword));
    const logger = recordingLogger();
    const opened = await urlKind.open(url, { logger, operationTimeoutMs: 200 });
    try {
      await eventually(async () => expect(logger.lines.length).toBeGreaterThan(0));
      const error = await rejectionOf(Promise.resolve(opened.stores.registry.has('gen-x')));
      expect(isRedisUnavailableError(error)).toBe(true);
      const seen = `${exposedText(error)}\n${JSON.stringify(logger.lines)}`;
      for (const secret of [...encodings(wrongPassword), ...encodings(password)]) {
        expect(seen).not.toContain(secret);
      }
    } finally {
      await opened.close();
    }
  });

  it('the right password, then Redis killed: refusals and warnings never show it', async () => {
    const logger = recordingLogger();
    const opened = await urlKind.open(server.url, { logger, operationTimeoutMs: 200 });
    try {
      await opened.stores.registry.add('gen-y');
      await server.kill();
      const error = await eventually(async () => {
        const caught = await rejectionOf(Promise.resolve(opened.stores.registry.has('gen-y')));
        expect(isRedisUnavailableError(caught)).toBe(true);
        return caught;
      });
      const seen = `${exposedText(error)}\n${JSON.stringify(logger.lines)}`;
      expect(logger.lines.length).toBeGreaterThan(0);
      for (const secret of encodings(password)) expect(seen).not.toContain(secret);
    } finally {
      await opened.close();
      await server.start();
    }
  });
});

describe('a URL that does not parse', () => {
  it.each([
    ['another protocol', 'http://user:pw-Qx71secret@host:1'],
    ['not a URL', 'pw-Qx71secret'],
    ['a bad escape', 'redis://:pw-Qx71secret%zz@host:1'],
  ])('%s: a TypeError that names the problem, not the URL', (_, url) => {
    let caught: unknown;
    try {
      createRedisStores({ url });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as Error).message).toMatch(/createRedisStores: url is not a valid/);
    const seen = `${exposedText(caught)}\n${JSON.stringify(caught, Object.getOwnPropertyNames(caught))}`;
    expect(seen).not.toContain('pw-Qx71secret');
  });
});

// Issue 10 items 15, 19 and 21: sinks that never settle, bounded memory, checked options.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CostLoggerOptions, type CostRecord, costLogger } from '../../src/index.js';
import { expressVersions, startTestApp, type TestAppHandle, waitUntil } from '../helpers.js';

const never = () => new Promise<void>(() => undefined);

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

const [, express] = expressVersions[1]!;

describe('a sink that never settles', () => {
  let app: TestAppHandle | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function trackOne(options: CostLoggerOptions): Promise<TestAppHandle> {
    app = await startTestApp(express, { fake, logger: options });
    const id = fake.addGeneration().id;
    expect((await fetch(`${app.url}/api/track/${id}`)).status).toBe(200);
    return app;
  }

  it('does not block flush past sinkTimeoutMs, and is reported once', async () => {
    const warnings: unknown[] = [];
    let calls = 0;
    const handle = await trackOne({
      onRecord: () => {
        calls += 1;
        return never();
      },
      sinkTimeoutMs: 200,
      logger: {
        info: () => undefined,
        warn: (object, message) => warnings.push([object, message]),
      },
    });
    await waitUntil(() => calls === 1);
    await handle.logger.flush();
    expect(handle.logger.pending).toBe(0);
    expect(JSON.stringify(warnings)).toContain('did not settle within sinkTimeoutMs');
  });

  it('does not block close({ timeoutMs }), which bounds the whole close', async () => {
    let calls = 0;
    const handle = await trackOne({
      onRecord: () => {
        calls += 1;
        return never();
      },
    });
    await waitUntil(() => calls === 1);
    await handle.logger.close({ timeoutMs: 200 });
    expect(handle.logger.pending).toBe(0);
  });

  it('counts records waiting for it toward maxPending, and reports the dropped ones', async () => {
    const warnings: Array<Record<string, unknown>> = [];
    let calls = 0;
    const handle = await trackOne({
      onRecord: () => {
        calls += 1;
        return never();
      },
      maxPending: 3,
      sinkTimeoutMs: 1_000,
      logger: {
        info: () => undefined,
        warn: (object) => warnings.push(object as Record<string, unknown>),
      },
    });
    for (let index = 0; index < 9; index += 1) {
      const id = fake.addGeneration().id;
      expect((await fetch(`${handle.url}/api/track/${id}`)).status).toBe(200);
    }
    await waitUntil(() => handle.logger.pending <= 3);
    await handle.logger.flush();
    const dropped = warnings.reduce((sum, warning) => sum + Number(warning.dropped ?? 0), 0);
    expect(calls).toBe(3);
    expect(dropped).toBe(10 - 3);
  });
});

describe('maxPending: 0', () => {
  it('holds nothing for lookups, and loses nothing silently', async () => {
    const seen: CostRecord[] = [];
    const warnings: Array<Record<string, unknown>> = [];
    const app = await startTestApp(express, {
      fake,
      logger: {
        maxPending: 0,
        logger: {
          info: () => undefined,
          warn: (object) => warnings.push(object as Record<string, unknown>),
        },
        // async: each record waits for this sink a moment
        onRecord: async (record) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          seen.push(record);
        },
      },
    });
    try {
      const ids = [fake.addGeneration().id, fake.addGeneration().id, fake.addGeneration().id];
      await Promise.all(ids.map((id) => fetch(`${app.url}/api/track/${id}`)));
      await waitUntil(() => app.logger.pending === 0);
      await app.logger.flush();
      const dropped = warnings.reduce((sum, warning) => sum + Number(warning.dropped ?? 0), 0);
      expect(seen.length).toBeGreaterThanOrEqual(1);
      expect(seen.length + dropped).toBe(3);
      for (const record of seen) expect(record.unresolved[0]?.reason).toBe('overloaded');
    } finally {
      await app.close();
    }
  });
});

describe('a default client that cannot be made', () => {
  it('leaves the app unchanged and the record says internal_error, reported once', async () => {
    const warnings: unknown[] = [];
    const app = await startTestApp(express, {
      fake,
      logger: {
        clientOptions: { baseUrl: 'not a url', apiKey: fake.apiKey },
        logger: { info: () => undefined, warn: (object) => warnings.push(object) },
      },
    });
    try {
      for (let index = 0; index < 2; index += 1) {
        const id = fake.addGeneration().id;
        const answer = await fetch(`${app.url}/api/track/${id}`);
        expect(await answer.json()).toEqual({ tracked: true });
      }
      const records = await app.waitForRecords(2);
      for (const record of records) {
        expect(record.unresolved[0]?.reason).toBe('internal_error');
      }
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(warnings)).toContain('not a url');
    } finally {
      await app.close();
    }
  });
});

describe('numeric options', () => {
  it.each([
    ['maxPending', Number.NaN],
    ['maxPending', -1],
    ['concurrency', Number.NaN],
    ['concurrency', 0],
    ['concurrency', 1.5],
    ['deadlineMs', -5],
    ['shutdownTimeoutMs', Number.NaN],
    ['inflightWaitMs', Number.POSITIVE_INFINITY],
    ['shutdownTimeoutMs', 3e9],
  ])('rejects %s: %s with a RangeError naming it', (name, value) => {
    expect(() => costLogger({ [name]: value } as CostLoggerOptions)).toThrow(RangeError);
    expect(() => costLogger({ [name]: value } as CostLoggerOptions)).toThrow(`"${name}"`);
  });

  it('rejects a number given as a string with a TypeError naming it (a type fault, not a range one)', () => {
    const options = { sinkTimeoutMs: '1000' } as unknown as CostLoggerOptions;
    expect(() => costLogger(options)).toThrow(TypeError);
    expect(() => costLogger(options)).toThrow('"sinkTimeoutMs"');
  });

  it('rejects a close timeout that is not a duration', async () => {
    const logger = costLogger({ onRecord: () => undefined });
    await expect(logger.close({ timeoutMs: Number.NaN })).rejects.toThrow(/"timeoutMs"/);
    await logger.close();
  });
});

const fixture = fileURLToPath(new URL('../fixtures/signal-app.mjs', import.meta.url));

/** Starts the fixture with a hanging sink; resolves once one record reached the sink. */
async function startHanging(shutdownMs: number) {
  const child = spawn(process.execPath, [fixture], {
    env: {
      ...process.env,
      FAKE_URL: fake.url,
      FAKE_KEY: fake.apiKey,
      SINK: 'hang',
      SHUTDOWN_MS: String(shutdownMs),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const seen = (text: string) => stderr.includes(text);
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  await waitUntil(() => seen('listening '));
  const port = /listening (\d+)/.exec(stderr)![1];
  const { id } = fake.addGeneration();
  expect(await (await fetch(`http://127.0.0.1:${port}/?id=${id}`)).text()).toBe('ok');
  await waitUntil(() => seen('sink called'));
  return child;
}

describe('signal shutdown with a sink that never settles (built package)', () => {
  it('ends by the signal once shutdownTimeoutMs has passed', async () => {
    const child = await startHanging(300);
    try {
      child.kill('SIGTERM');
      const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
      expect([code, signal]).toEqual([null, 'SIGTERM']);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('ends at once on a second signal during the close', async () => {
    const child = await startHanging(600_000);
    try {
      child.kill('SIGTERM');
      // the first signal started the close (it waits up to 10 minutes for the sink)
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(child.exitCode).toBeNull();
      child.kill('SIGINT');
      const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
      expect([code, signal]).toEqual([null, 'SIGINT']);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** What a CLI test file shares: one fake OpenRouter and one scratch folder for its tests. */
export interface CliTestbed {
  /** The fake, started before the file's tests and reset (calls and scripts) before each. */
  readonly fake: FakeOpenRouter;
  /** A scratch folder, removed after the file's tests. */
  readonly directory: string;
  /** The environment that points the CLI at the fake with its key, plus `extra`. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** The fake's generation lookups so far. */
  generationCalls(): FakeOpenRouter['calls'];
}

/** Registers the file's setup and teardown hooks and returns the testbed they manage. */
export function useCliTestbed(prefix: string): CliTestbed {
  let fake: FakeOpenRouter | undefined;
  let directory: string | undefined;
  beforeAll(async () => {
    fake = await startFakeOpenRouter();
    directory = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await fake?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });
  beforeEach(() => fake?.reset({ all: true }));

  const started = () => {
    if (!fake || !directory) throw new Error('the CLI testbed is used before its beforeAll ran');
    return { fake, directory };
  };
  return {
    get fake() {
      return started().fake;
    },
    get directory() {
      return started().directory;
    },
    env: (extra = {}) => ({
      OPENROUTER_API_KEY: started().fake.apiKey,
      OPENROUTER_BASE_URL: started().fake.url,
      ...extra,
    }),
    generationCalls: () => started().fake.calls.filter((call) => call.path.endsWith('/generation')),
  };
}

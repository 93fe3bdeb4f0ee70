// Issue 19 item 10: flush() under steady traffic.
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expressVersions, startTestApp } from '../helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  // every lookup takes a while: records of overlapping requests are always in flight
  fake = await startFakeOpenRouter({ latencyMs: 150 });
});
afterAll(async () => {
  await fake.close();
});

const [, express] = expressVersions[1]!;

describe('flush() under steady traffic', () => {
  it('settles once the records of requests finished before the call are emitted', async () => {
    const app = await startTestApp(express, { fake });
    let running = true;
    const answered: string[] = [];
    const traffic = (async () => {
      while (running) {
        const { id } = fake.addGeneration();
        const pending = fetch(`${app.url}/api/track/${id}`).then(async (answer) => {
          await answer.text();
          answered.push(id);
        });
        await new Promise((resolve) => setTimeout(resolve, 25));
        void pending;
      }
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, 400));
      const before = [...answered];
      expect(before.length).toBeGreaterThan(3);
      // their responses are over on the server too
      await new Promise((resolve) => setTimeout(resolve, 50));
      let flushed = false;
      const flush = app.logger.flush().then(() => {
        flushed = true;
      });
      // (a guard against a hang, not a timing assertion)
      await Promise.race([flush, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      expect(flushed).toBe(true);
      const recorded = new Set(app.records.flatMap((record) => record.generationIds));
      for (const id of before) expect(recorded.has(id)).toBe(true);
    } finally {
      running = false;
      await traffic;
      await app.close();
    }
  });
});

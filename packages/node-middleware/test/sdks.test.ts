// Each SDK with only its own configuration (base URL, key) plus the tracking fetch: the
// tracking fetch is given no options, and the record still gets the generation.
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { createOpenRouter } from '@openrouter/ai-sdk-provider';
import { HTTPClient, OpenRouter } from '@openrouter/sdk';
import { chat } from '@tanstack/ai';
import { createOpenRouterText } from '@tanstack/ai-openrouter';
import { generateText, streamText } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CostRecord, costLogger, createTrackingFetch } from '../src/index.js';
import { serveFetch } from './fetch-host.js';
import { waitUntil } from './helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

const MODEL = 'openai/gpt-4o-mini';
const messages = [{ role: 'user' as const, content: 'say something' }];

/**
 * Runs `work` as the handler of one real request under costLogger (over a socket) and
 * returns what it answered and the request's record.
 */
async function inRequest(work: () => Promise<{ id: string; text: string }>) {
  const records: CostRecord[] = [];
  const genmeta = costLogger({
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    onRecord: (record) => {
      records.push(record);
    },
  });
  const served = await serveFetch(genmeta.handle(async () => Response.json(await work())));
  try {
    const response = await fetch(`${served.url}/api/chat`, { method: 'POST' });
    const answer = (await response.json()) as { id: string; text: string };
    await waitUntil(() => records.length === 1);
    await genmeta.flush();
    return { answer, record: records[0] as CostRecord, records };
  } finally {
    await served.close();
    await genmeta.close();
  }
}

function expectTracked(result: Awaited<ReturnType<typeof inRequest>>) {
  const { answer, record, records } = result;
  expect(records).toHaveLength(1);
  expect(answer.text.length).toBeGreaterThan(0);
  expect(record.generationIds).toEqual([answer.id]);
  expect(record.generations.map((generation) => generation.id)).toEqual([answer.id]);
  expect(record.spendUsd).toBe(fake.generation(answer.id)?.total_cost);
}

describe('SDKs over the fake, wired by the tracking fetch alone', () => {
  it('openai: chat completion', async () => {
    const result = await inRequest(async () => {
      const openai = new OpenAI({
        baseURL: fake.url,
        apiKey: fake.apiKey,
        fetch: createTrackingFetch(),
      });
      const completion = await openai.chat.completions.create({ model: MODEL, messages });
      return { id: completion.id, text: completion.choices[0]?.message.content ?? '' };
    });
    expectTracked(result);
  });

  it('openai: streamed chat completion', async () => {
    const result = await inRequest(async () => {
      const openai = new OpenAI({
        baseURL: fake.url,
        apiKey: fake.apiKey,
        fetch: createTrackingFetch(),
      });
      const stream = await openai.chat.completions.create({ model: MODEL, messages, stream: true });
      let id = '';
      let text = '';
      for await (const chunk of stream) {
        id ||= chunk.id;
        text += chunk.choices[0]?.delta?.content ?? '';
      }
      return { id, text };
    });
    expectTracked(result);
  });

  it('Vercel AI SDK: generateText', async () => {
    const result = await inRequest(async () => {
      const openrouter = createOpenRouter({
        baseURL: fake.url,
        apiKey: fake.apiKey,
        fetch: createTrackingFetch(),
      });
      const answer = await generateText({ model: openrouter(MODEL), prompt: 'say something' });
      return { id: answer.response.id, text: answer.text };
    });
    expectTracked(result);
  });

  it('Vercel AI SDK: streamText', async () => {
    const result = await inRequest(async () => {
      const openrouter = createOpenRouter({
        baseURL: fake.url,
        apiKey: fake.apiKey,
        fetch: createTrackingFetch(),
      });
      const answer = streamText({ model: openrouter(MODEL), prompt: 'say something' });
      const text = await answer.text;
      return { id: (await answer.response).id, text };
    });
    expectTracked(result);
  });

  it('@openrouter/sdk through its HTTPClient', async () => {
    const result = await inRequest(async () => {
      const openrouter = new OpenRouter({
        apiKey: fake.apiKey,
        serverURL: fake.url,
        httpClient: new HTTPClient({ fetcher: createTrackingFetch() }),
      });
      const completion = (await openrouter.chat.send({
        chatRequest: { model: MODEL, messages },
      })) as unknown as { id: string; choices: Array<{ message: { content: unknown } }> };
      return { id: completion.id, text: String(completion.choices[0]?.message.content ?? '') };
    });
    expectTracked(result);
  });

  it('TanStack AI: chat through its OpenRouter adapter', async () => {
    // The adapter reports the cost OpenRouter put in the answer, not the generation's id: the
    // record must hold one generation of the fake whose stored cost is the one the SDK saw.
    let reportedCost: number | undefined;
    const { record, records } = await inRequest(async () => {
      const adapter = createOpenRouterText(MODEL, fake.apiKey, {
        serverURL: fake.url,
        // The adapter pins its own @openrouter/sdk (0.13): its HTTPClient type has private
        // members, so 1.3's class (the same `request(Request)` at run time) needs a cast.
        httpClient: new HTTPClient({ fetcher: createTrackingFetch() }) as never,
      });
      let text = '';
      for await (const chunk of chat({ adapter, messages, stream: true })) {
        if (chunk.type === 'TEXT_MESSAGE_CONTENT') text += chunk.delta;
        if (chunk.type === 'RUN_FINISHED' && chunk.usage && !Array.isArray(chunk.usage)) {
          reportedCost = chunk.usage.cost;
        }
        if (chunk.type === 'RUN_ERROR') throw new Error(chunk.message);
      }
      return { id: '', text };
    });
    expect(records).toHaveLength(1);
    expect(record.generationIds).toHaveLength(1);
    const generation = fake.generation(record.generationIds[0] as string);
    expect(generation).toBeDefined();
    expect(record.generations.map((g) => g.id)).toEqual(record.generationIds);
    expect(reportedCost).toBeGreaterThan(0);
    expect(record.spendUsd).toBe(generation?.total_cost);
    expect(record.spendUsd).toBe(reportedCost);
  });

  it('plain fetch', async () => {
    const result = await inRequest(async () => {
      const trackingFetch = createTrackingFetch();
      const response = await trackingFetch(`${fake.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL, messages }),
      });
      const body = (await response.json()) as {
        id: string;
        choices: Array<{ message: { content: string } }>;
      };
      return { id: body.id, text: body.choices[0]?.message.content ?? '' };
    });
    expectTracked(result);
  });
});

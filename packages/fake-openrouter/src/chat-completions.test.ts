import { describe, expect, it } from 'vitest';
import {
  getGeneration,
  postChat,
  ssePayloads,
  startsFakePerTest,
  waitForGeneration,
} from '../test/support.js';

const start = startsFakePerTest();

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost: number;
  is_byok: boolean;
  cost_details: { upstream_inference_cost: number | null };
}

interface Completion {
  id: string;
  model: string;
  object: string;
  choices: { message: { role: string; content: string }; finish_reason: string }[];
  usage: Usage;
}

interface Chunk {
  id: string;
  object: string;
  choices: { delta: { content?: string }; finish_reason: string | null }[];
  usage?: Usage;
}

describe('POST /api/v1/chat/completions (JSON)', () => {
  it('answers a deterministic reply with the generation id and inline usage', async () => {
    const server = await start();
    const response = await postChat(server, {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is two plus two?' },
      ],
      user: 'user-42',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const header = response.headers.get('x-generation-id');
    const body = (await response.json()) as Completion;
    expect(header).toMatch(/^gen-\d{10}-[A-Za-z0-9]{20}$/);
    expect(body.id).toBe(header);
    expect(body.object).toBe('chat.completion');
    expect(body.model).toBe('openai/gpt-4o-mini');
    expect(body.choices[0]?.message).toMatchObject({
      role: 'assistant',
      content: 'You said: What is two plus two?',
    });
    expect(body.choices[0]?.finish_reason).toBe('stop');
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
    expect(body.usage.is_byok).toBe(false);
    expect(body.usage.cost).toBeGreaterThan(0);

    const data = await waitForGeneration(server, body.id);
    expect(data).toMatchObject({
      id: body.id,
      model: 'openai/gpt-4o-mini',
      streamed: false,
      cancelled: false,
      external_user: 'user-42',
      tokens_prompt: body.usage.prompt_tokens,
      tokens_completion: body.usage.completion_tokens,
      total_cost: body.usage.cost,
      usage: body.usage.cost,
      upstream_inference_cost: body.usage.cost_details.upstream_inference_cost,
      finish_reason: 'stop',
      user_agent: 'node',
    });
  });

  it('derives tokens and cost deterministically from the prompt and the model', async () => {
    const server = await start();
    const ask = async (model: string) => {
      const response = await postChat(server, {
        model,
        messages: [{ role: 'user', content: 'x'.repeat(400) }],
      });
      return (await response.json()) as Completion;
    };
    const first = await ask('openai/gpt-4o');
    const second = await ask('openai/gpt-4o');
    expect(first.usage).toEqual(second.usage);
    expect(first.model).toBe('openai/gpt-4o');
    // 400 chars ≈ 100 tokens + 3 for the message; reply "You said: " + 400 chars ≈ 103 tokens
    expect(first.usage.prompt_tokens).toBe(103);
    expect(first.usage.completion_tokens).toBe(103);
    expect(first.usage.cost).toBeCloseTo(103 * 2.5e-6 + 103 * 10e-6, 12);
    const cheap = await ask('openai/gpt-4o-mini');
    expect(cheap.usage.cost).toBeLessThan(first.usage.cost);
    const free = await ask('meta-llama/llama-3.1-8b-instruct:free');
    expect(free.usage.cost).toBe(0);
  });

  it('reads text parts of array content', async () => {
    const server = await start();
    const response = await postChat(server, {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look at ' },
            { type: 'image_url', image_url: { url: 'data:,' } },
            { type: 'text', text: 'this' },
          ],
        },
      ],
    });
    const body = (await response.json()) as Completion;
    expect(body.choices[0]?.message.content).toBe('You said: look at this');
  });

  it('reports BYOK: cost is the 5% fee, upstream_inference_cost the provider charge', async () => {
    const server = await start();
    const response = await postChat(
      server,
      { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(400) }] },
      { headers: { 'x-fake-byok': 'true' } },
    );
    const body = (await response.json()) as Completion;
    const upstream = 103 * 2.5e-6 + 103 * 10e-6;
    expect(body.usage.is_byok).toBe(true);
    expect(body.usage.cost_details.upstream_inference_cost).toBeCloseTo(upstream, 12);
    expect(body.usage.cost).toBeCloseTo(upstream * 0.05, 12);
    const data = await waitForGeneration(server, body.id);
    expect(data.is_byok).toBe(true);
    expect(data.total_cost).toBe(body.usage.cost);
    expect(data.upstream_inference_cost).toBe(body.usage.cost_details.upstream_inference_cost);
  });

  it('reports BYOK for every completion with the byok option', async () => {
    const server = await start({ byok: true });
    const body = (await (
      await postChat(server, { messages: [{ role: 'user', content: 'hi' }] })
    ).json()) as Completion;
    expect(body.usage.is_byok).toBe(true);
  });

  it('serves the generation only after statsDelayMs', async () => {
    const server = await start({ statsDelayMs: 300 });
    const response = await postChat(server, { messages: [{ role: 'user', content: 'hi' }] });
    const { id } = (await response.json()) as Completion;
    expect((await getGeneration(server, id)).status).toBe(404);
    expect(server.generation(id)).toBeDefined();
    await waitForGeneration(server, id);
  });

  it('copies HTTP-Referer into the generation', async () => {
    const server = await start();
    const response = await postChat(
      server,
      { messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'http-referer': 'https://app.example.com/chat' } },
    );
    const { id } = (await response.json()) as Completion;
    const data = await waitForGeneration(server, id);
    expect(data.http_referer).toBe('https://app.example.com/chat');
    expect(data.origin).toBe('https://app.example.com');
    expect(Number.isInteger(data.app_id)).toBe(true);
  });

  it('answers 400 JSON errors to bad bodies and 401 without the key', async () => {
    const server = await start();
    for (const body of [
      '{not json',
      '[]',
      '{}',
      '{"messages":[]}',
      '{"messages":[{"content":"no role"}]}',
      '{"model":5,"messages":[{"role":"user","content":"x"}]}',
      '{"stream":"yes","messages":[{"role":"user","content":"x"}]}',
    ]) {
      const response = await postChat(server, body);
      expect(response.status, body).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/json');
      const error = (await response.json()) as { error: { code: number; message: string } };
      expect(error.error.code).toBe(400);
      expect(error.error.message.length).toBeGreaterThan(0);
    }
    const unauthorized = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      body: '{}',
    });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({
      error: { code: 401, message: 'No auth credentials found' },
      user_id: null,
    });
    const get = await fetch(`${server.url}/chat/completions`);
    expect(get.status).toBe(405);
  });
});

describe('POST /api/v1/chat/completions (stream: true)', () => {
  it('streams SSE chunks with one id, usage at the end, then [DONE]', async () => {
    const server = await start({ chunkDelayMs: 1 });
    const prompt = 'please tell me a rather long story about streams';
    const response = await postChat(server, {
      stream: true,
      model: 'anthropic/claude-sonnet-4',
      messages: [{ role: 'user', content: prompt }],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const id = response.headers.get('x-generation-id');
    const text = await response.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const payloads = ssePayloads(text);
    expect(payloads.at(-1)).toBe('[DONE]');
    const chunks = payloads.slice(0, -1).map((payload) => JSON.parse(payload) as Chunk);
    for (const chunk of chunks) {
      expect(chunk.id).toBe(id);
      expect(chunk.object).toBe('chat.completion.chunk');
    }
    const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(content).toBe(`You said: ${prompt}`);
    const contentChunks = chunks.filter((chunk) => chunk.choices[0]?.delta.content);
    expect(contentChunks.length).toBeGreaterThan(2);
    expect(chunks.filter((chunk) => chunk.usage)).toHaveLength(1);
    const last = chunks.at(-1);
    expect(last?.usage?.cost).toBeGreaterThan(0);
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === 'stop')).toBe(true);

    const data = await waitForGeneration(server, id ?? '');
    expect(data).toMatchObject({
      streamed: true,
      cancelled: false,
      finish_reason: 'stop',
      provider_name: 'Anthropic',
      model: 'anthropic/claude-sonnet-4',
      total_cost: last?.usage?.cost,
      tokens_completion: last?.usage?.completion_tokens,
    });
    expect(String(data.upstream_id)).toMatch(/^msg_01/);
  });

  it('serves the generation only once the stream has ended', async () => {
    const server = await start({ chunkDelayMs: 100 });
    const response = await postChat(server, {
      stream: true,
      messages: [{ role: 'user', content: 'one two three four five six seven eight' }],
    });
    const id = response.headers.get('x-generation-id') ?? '';
    expect((await getGeneration(server, id)).status).toBe(404);
    expect(server.generation(id)).toMatchObject({ id, streamed: true });
    await response.text();
    const data = await waitForGeneration(server, id);
    expect(data.cancelled).toBe(false);
  });

  it('spaces chunks by chunkDelayMs', async () => {
    const server = await start({ chunkDelayMs: 60 });
    const before = Date.now();
    const response = await postChat(server, {
      stream: true,
      messages: [{ role: 'user', content: 'one two three four five six' }],
    });
    await response.text();
    // at least four content chunks and the closing chunk, each after one delay
    expect(Date.now() - before).toBeGreaterThanOrEqual(4 * 60);
  });

  it('records a stream aborted by the client as a cancelled generation', async () => {
    const server = await start({ chunkDelayMs: 100 });
    const controller = new AbortController();
    const prompt = 'a b c d e f g h i j k l m n o p q r s t u v w x y z';
    const response = await postChat(
      server,
      { stream: true, messages: [{ role: 'user', content: prompt }] },
      { signal: controller.signal },
    );
    const id = response.headers.get('x-generation-id') ?? '';
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain(id);
    controller.abort();
    await reader?.read().catch(() => undefined);

    const data = await waitForGeneration(server, id);
    expect(data).toMatchObject({ id, streamed: true, cancelled: true, finish_reason: null });
    const completion = Number(data.tokens_completion);
    expect(Number.isInteger(completion)).toBe(true);
    expect(completion).toBeLessThan(Math.ceil(`You said: ${prompt}`.length / 4));
    expect(data.usage).toBe(data.total_cost);
  });
});

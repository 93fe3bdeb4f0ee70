import { describe, expect, it } from 'vitest';
import {
  type CompletionChunk,
  readCompletionChunks,
  upstreamErrorMessage,
} from './openrouter-stream.ts';

function streamOf(parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

async function collect(parts: string[]): Promise<CompletionChunk[]> {
  const chunks: CompletionChunk[] = [];
  for await (const chunk of readCompletionChunks(streamOf(parts))) chunks.push(chunk);
  return chunks;
}

describe('readCompletionChunks', () => {
  it('reads data lines split anywhere, skips comments, stops at [DONE]', async () => {
    const chunks = await collect([
      ': OPENROUTER PROCESSING\n\n',
      'data: {"id":"gen-1","choices":[{"delta":{"content":"Hel"}}]}\n',
      '\ndata: {"id":"gen-1","choi',
      'ces":[{"delta":{"content":"lo"}}]}\r\n\r\n',
      'data: {"id":"gen-1","choices":[],"usage":{"cost":0.0001}}\n\n',
      'data: [DONE]\n\n',
      'data: {"id":"after-done"}\n\n',
    ]);
    expect(chunks.map((chunk) => chunk.choices?.[0]?.delta?.content ?? null)).toEqual([
      'Hel',
      'lo',
      null,
    ]);
    expect(chunks.at(-1)?.usage?.cost).toBe(0.0001);
  });

  it('keeps going past a line that is not JSON, and reads a last line without newline', async () => {
    const chunks = await collect(['data: {not json\n', 'data: {"id":"gen-2"}']);
    expect(chunks).toEqual([{ id: 'gen-2' }]);
  });

  it('decodes characters split across network chunks', async () => {
    const bytes = new TextEncoder().encode('data: {"choices":[{"delta":{"content":"é€"}}]}\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(Uint8Array.of(byte));
        controller.close();
      },
    });
    const texts: string[] = [];
    for await (const chunk of readCompletionChunks(stream)) {
      texts.push(chunk.choices?.[0]?.delta?.content ?? '');
    }
    expect(texts).toEqual(['é€']);
  });
});

describe('upstreamErrorMessage', () => {
  it("quotes OpenRouter's error message", async () => {
    const response = new Response(JSON.stringify({ error: { code: 402, message: 'No credits' } }), {
      status: 402,
    });
    expect(await upstreamErrorMessage(response)).toBe('OpenRouter answered 402: No credits');
  });

  it('falls back to the status for an HTML page', async () => {
    const response = new Response('<html>Bad gateway</html>', { status: 502 });
    expect(await upstreamErrorMessage(response)).toBe('OpenRouter answered 502');
  });
});

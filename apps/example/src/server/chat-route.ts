// The example's chat route: a prompt in, OpenRouter's streamed reply out as NDJSON.
import type { Request, Response } from 'express';
import type { ChatEvent } from '../shared/protocol.ts';
import { readCompletionChunks, upstreamErrorMessage } from './openrouter-stream.ts';

const maxPromptLength = 4000;

/** The prompt of a chat request's JSON body, or why it cannot be used. */
export function readPrompt(body: unknown): string | { error: string } {
  const prompt =
    typeof body === 'object' && body !== null ? (body as { prompt?: unknown }).prompt : undefined;
  if (typeof prompt !== 'string') return { error: 'Send JSON {"prompt": "..."}.' };
  const trimmed = prompt.trim();
  if (!trimmed) return { error: 'The prompt is empty.' };
  if (trimmed.length > maxPromptLength) {
    return { error: `The prompt is longer than ${maxPromptLength} characters.` };
  }
  return trimmed;
}

export interface StreamChatContext {
  request: Request;
  response: Response;
  prompt: string;
  baseUrl: string;
  apiKey: string;
  model: string;
  trackingFetch: typeof fetch;
  log: (line: string) => void;
  cliCommand: string;
}

/** Calls OpenRouter with stream: true and relays the text deltas to the page as NDJSON. */
export async function streamChat(context: StreamChatContext): Promise<void> {
  const { request, response, prompt, baseUrl, apiKey, model, trackingFetch, log } = context;
  const controller = new AbortController();
  // The browser went away: stop paying for tokens nobody reads.
  response.on('close', () => {
    if (!response.writableFinished) controller.abort();
  });

  let upstream: globalThis.Response;
  try {
    upstream = await trackingFetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        'http-referer': 'https://github.com/genmeta/genmeta',
        'x-openrouter-title': 'genmeta example',
      },
      body: JSON.stringify({
        model,
        stream: true,
        messages: [{ role: 'user', content: prompt }],
      }),
      signal: controller.signal,
    });
  } catch (error) {
    if (controller.signal.aborted) return;
    const reason = error instanceof Error ? error.message : 'network error';
    response.status(502).json({ error: { message: `Could not reach OpenRouter (${reason}).` } });
    return;
  }
  if (!upstream.ok || !upstream.body) {
    response.status(502).json({ error: { message: await upstreamErrorMessage(upstream) } });
    return;
  }

  let generationId = upstream.headers.get('x-generation-id');
  const requestId = String(response.getHeader('x-request-id') ?? '') || null;
  response.status(200);
  response.set({
    'content-type': 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  if (generationId) response.set('x-generation-id', generationId);
  const send = (event: ChatEvent) => response.write(`${JSON.stringify(event)}\n`);
  send({ type: 'start', generationId, requestId });

  let replyModel: string | null = null;
  let inlineCostUsd: number | null = null;
  try {
    for await (const chunk of readCompletionChunks(upstream.body)) {
      generationId ??= chunk.id ?? null;
      replyModel = chunk.model ?? replyModel;
      if (chunk.error?.message) {
        send({ type: 'error', message: `OpenRouter: ${chunk.error.message}` });
        break;
      }
      const text = chunk.choices?.[0]?.delta?.content;
      if (text) send({ type: 'delta', text });
      if (typeof chunk.usage?.cost === 'number') inlineCostUsd = chunk.usage.cost;
    }
  } catch {
    if (controller.signal.aborted || request.destroyed) return;
    send({ type: 'error', message: 'The reply stream broke off.' });
    response.end();
    return;
  }
  send({ type: 'done', generationId, model: replyModel, inlineCostUsd });
  response.end();
  if (generationId) {
    log(`chat request ${requestId ?? '(no id)'}: generation ${generationId}`);
    log(`  look it up: ${context.cliCommand.replace('<id>', generationId)}`);
  }
}

import {
  chunkBody,
  chunksOf,
  completionBody,
  finishGeneration,
  parseChatRequest,
  replyTo,
  startGeneration,
  usageChunkBody,
} from '../chat-completions.js';
import type { Exchange } from '../exchange.js';
import { corsHeaders } from '../http.js';
import type { FakeState } from '../state.js';

/** `POST /api/v1/chat/completions`: a JSON answer, or an SSE stream when `stream: true`. */
export async function handleChatCompletion(state: FakeState, exchange: Exchange): Promise<void> {
  const { responder, store, options } = state;
  if (!responder.authorize(exchange)) return;
  const parsed = await responder.readJson(exchange);
  if (!parsed) return;
  const chat = parseChatRequest(parsed.value, exchange.request, options.byokByDefault);
  if (typeof chat === 'string') {
    responder.sendError(exchange, 400, chat);
    return;
  }
  const startedAt = Date.now();
  const generation = startGeneration(chat, exchange.request, startedAt);
  store.put(generation, Number.POSITIVE_INFINITY);
  const reply = replyTo(chat.prompt);

  if (!chat.stream) {
    finishGeneration(generation, reply, startedAt, false);
    store.markReady(generation.id, Date.now() + options.statsDelayMs);
    responder.sendJson(exchange, 200, completionBody(generation, reply, startedAt), {
      'x-generation-id': generation.id,
    });
    return;
  }

  const { response, call } = exchange;
  const { sleep } = state.sleeper;
  let sent = '';
  let done = false;
  response.on('close', () => {
    if (done) return;
    // The client went away mid-stream: OpenRouter records a cancelled generation.
    done = true;
    finishGeneration(generation, sent, startedAt, true);
    store.markReady(generation.id, Date.now() + options.statsDelayMs);
  });
  call.status = 200;
  response.writeHead(200, {
    ...corsHeaders,
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-generation-id': generation.id,
  });
  responder.log(call);
  const write = (text: string) => {
    if (!response.destroyed) response.write(text);
  };
  const event = (value: unknown) => write(`data: ${JSON.stringify(value)}\n\n`);

  write(': OPENROUTER PROCESSING\n\n');
  event(chunkBody(generation, startedAt, { role: 'assistant', content: '' }, null));
  for (const piece of chunksOf(reply)) {
    await sleep(options.chunkDelayMs);
    if (done || response.destroyed) return;
    sent += piece;
    event(chunkBody(generation, startedAt, { role: 'assistant', content: piece }, null));
  }
  await sleep(options.chunkDelayMs);
  if (done || response.destroyed) return;
  done = true;
  finishGeneration(generation, sent, startedAt, false);
  store.markReady(generation.id, Date.now() + options.statsDelayMs);
  event(chunkBody(generation, startedAt, { role: 'assistant', content: '' }, 'stop'));
  event(usageChunkBody(generation, startedAt));
  write('data: [DONE]\n\n');
  response.end();
}

import type { IncomingMessage } from 'node:http';
import type { FakeGeneration } from '../types.js';
import {
  buildGeneration,
  costsOf,
  countTokens,
  createGenerationId,
  defaultModel,
  modelInfo,
  roundUsd,
} from './generations.js';
import { isJsonObject, type JsonObject } from './http.js';

/** A validated chat completion request. */
export interface ChatRequest {
  model: string;
  stream: boolean;
  user: string | null;
  sessionId: string | null;
  prompt: string;
  promptTokens: number;
  byok: boolean;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (isJsonObject(part) && typeof part.text === 'string' ? part.text : ''))
      .join('');
  }
  return '';
}

/** Checks the body like OpenRouter does; returns a message for a 400 when it is unusable. */
export function parseChatRequest(
  body: unknown,
  request: IncomingMessage,
  byokByDefault: boolean,
): ChatRequest | string {
  if (!isJsonObject(body)) return 'Request body must be a JSON object';
  const { model, messages, stream, user, session_id: sessionId } = body;
  if (model !== undefined && (typeof model !== 'string' || model === '')) {
    return 'model must be a non-empty string';
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    return 'messages must be a non-empty array';
  }
  let prompt = '';
  let promptTokens = 0;
  for (const message of messages) {
    if (!isJsonObject(message) || typeof message.role !== 'string') {
      return 'each message must be an object with a role';
    }
    const text = textOf(message.content);
    promptTokens += countTokens(text) + 3;
    if (message.role === 'user') prompt = text;
  }
  if (stream !== undefined && typeof stream !== 'boolean') return 'stream must be a boolean';
  if (user !== undefined && typeof user !== 'string') return 'user must be a string';
  const byokHeader = request.headers['x-fake-byok'];
  return {
    model: model ?? defaultModel,
    stream: stream === true,
    user: user ?? null,
    sessionId: typeof sessionId === 'string' ? sessionId : null,
    prompt,
    promptTokens,
    byok: byokHeader === undefined ? byokByDefault : byokHeader === 'true' || byokHeader === '1',
  };
}

/** The deterministic reply to a prompt. */
export function replyTo(prompt: string): string {
  return `You said: ${prompt}`;
}

/** Splits a reply into a few chunks (word boundaries kept with their spaces). */
export function chunksOf(reply: string): string[] {
  const words = reply.match(/\S+\s*/g) ?? [reply];
  const size = Math.max(1, Math.ceil(words.length / 4));
  const chunks: string[] = [];
  for (let index = 0; index < words.length; index += size) {
    chunks.push(words.slice(index, index + size).join(''));
  }
  return chunks.length > 0 ? chunks : [''];
}

/** Header values copied into the generation record, as OpenRouter reports them. */
function requestContext(request: IncomingMessage): JsonObject {
  const referer = request.headers['http-referer'] ?? request.headers.referer;
  const userAgent = request.headers['user-agent'];
  const fields: JsonObject = {
    http_referer: typeof referer === 'string' ? referer : null,
    user_agent: typeof userAgent === 'string' ? userAgent : null,
    origin: '',
  };
  if (typeof referer === 'string') {
    try {
      fields.origin = new URL(referer).origin;
    } catch {
      fields.origin = referer;
    }
    let hash = 0;
    for (const character of referer) hash = (hash * 31 + character.charCodeAt(0)) % 1_000_000;
    fields.app_id = 100_000 + hash;
  }
  return fields;
}

/** The pending generation of a completion that has just started. */
export function startGeneration(chat: ChatRequest, request: IncomingMessage, now: number) {
  const id = createGenerationId(now);
  return buildGeneration(
    {
      id,
      model: chat.model,
      is_byok: chat.byok,
      streamed: chat.stream,
      external_user: chat.user,
      session_id: chat.sessionId,
      tokens_prompt: chat.promptTokens,
      native_tokens_prompt: chat.promptTokens,
      ...requestContext(request),
    },
    now,
  );
}

/**
 * Fills in the outcome of a completion: tokens, costs, timings, and cancellation when the
 * client went away before the end of the stream.
 */
export function finishGeneration(
  generation: FakeGeneration,
  completionText: string,
  startedAt: number,
  cancelled: boolean,
): void {
  const model = String(generation.model);
  const isByok = generation.is_byok === true;
  const promptTokens = Number(generation.tokens_prompt);
  const completionTokens = completionText === '' ? 0 : countTokens(completionText);
  const costs = costsOf(model, promptTokens, completionTokens, isByok);
  const elapsed = Math.max(1, Date.now() - startedAt);
  Object.assign(generation, costs, {
    tokens_completion: completionTokens,
    native_tokens_completion: completionTokens,
    latency: elapsed + 120,
    generation_time: elapsed,
    cancelled,
    finish_reason: cancelled ? null : 'stop',
    native_finish_reason: cancelled ? null : 'stop',
  });
  const attempts = generation.provider_responses;
  if (Array.isArray(attempts) && isJsonObject(attempts[0])) attempts[0].latency = elapsed + 60;
}

/** The inline `usage` of a completion answer, with OpenRouter's cost fields. */
export function usageOf(generation: FakeGeneration): JsonObject {
  const info = modelInfo(String(generation.model));
  const promptTokens = Number(generation.tokens_prompt);
  const completionTokens = Number(generation.tokens_completion);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    cost: generation.total_cost,
    is_byok: generation.is_byok,
    prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0, audio_tokens: 0 },
    cost_details: {
      upstream_inference_cost: generation.upstream_inference_cost,
      upstream_inference_prompt_cost: roundUsd(promptTokens * info.prompt),
      upstream_inference_completions_cost: roundUsd(completionTokens * info.completion),
    },
    completion_tokens_details: { reasoning_tokens: 0, image_tokens: 0 },
  };
}

/** The fields every completion body and chunk starts with. */
function envelope(generation: FakeGeneration, object: string, createdAt: number) {
  return {
    id: generation.id,
    provider: generation.provider_name,
    model: generation.model,
    object,
    created: Math.floor(createdAt / 1000),
  };
}

/** The JSON answer of a non-streamed completion. */
export function completionBody(generation: FakeGeneration, reply: string, createdAt: number) {
  return {
    ...envelope(generation, 'chat.completion', createdAt),
    choices: [
      {
        logprobs: null,
        finish_reason: 'stop',
        native_finish_reason: 'stop',
        index: 0,
        message: { role: 'assistant', content: reply, refusal: null, reasoning: null },
      },
    ],
    system_fingerprint: null,
    usage: usageOf(generation),
  };
}

/** One `chat.completion.chunk` of a stream. */
export function chunkBody(
  generation: FakeGeneration,
  createdAt: number,
  delta: JsonObject,
  finishReason: string | null,
): JsonObject {
  return {
    ...envelope(generation, 'chat.completion.chunk', createdAt),
    choices: [
      {
        index: 0,
        delta,
        finish_reason: finishReason,
        native_finish_reason: finishReason,
        logprobs: null,
      },
    ],
  };
}

/** The closing chunk carrying `usage`, with no choices (as OpenAI-style streams end). */
export function usageChunkBody(generation: FakeGeneration, createdAt: number): JsonObject {
  return {
    ...envelope(generation, 'chat.completion.chunk', createdAt),
    choices: [],
    usage: usageOf(generation),
  };
}

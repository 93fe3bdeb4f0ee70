import { inlineSpendOf, roundUsd } from '@genmeta/core/engine';
import type { CostRecordGeneration, InlineUsage } from '../types.js';

/**
 * What a trusted completion answer told about its generation beside `usage.cost`: enough for a
 * record entry without a lookup (`lookup: 'missing'` / `'never'`).
 */
export interface AnswerFacts {
  model: string | undefined;
  provider: string | undefined;
  /** `created`, unix seconds */
  created: number | undefined;
  finishReason: string | undefined;
  streamed: boolean;
  promptTokens: number | undefined;
  completionTokens: number | undefined;
  reasoningTokens: number | undefined;
  cachedTokens: number | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function numberIn(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stringIn(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The facts of a completion body (or of a stream's usage chunk) that carried `usage`. */
export function answerFactsOf(body: unknown, streamed: boolean): AnswerFacts | undefined {
  if (!isRecord(body) || !isRecord(body.usage)) return undefined;
  const { usage, choices } = body;
  const first = Array.isArray(choices) && isRecord(choices[0]) ? choices[0] : undefined;
  const completion = isRecord(usage.completion_tokens_details)
    ? usage.completion_tokens_details
    : undefined;
  const prompt = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : undefined;
  return {
    model: stringIn(body.model),
    provider: stringIn(body.provider),
    created: numberIn(body.created),
    finishReason: stringIn(first?.finish_reason),
    streamed,
    promptTokens: numberIn(usage.prompt_tokens),
    completionTokens: numberIn(usage.completion_tokens),
    reasoningTokens: numberIn(completion?.reasoning_tokens),
    cachedTokens: numberIn(prompt?.cached_tokens),
  };
}

/** The inline spend of usage fit to count (core's BYOK rule), or null when it prices nothing. */
export function usableInlineSpend(usage: InlineUsage | undefined): number | null {
  return usage === undefined ? null : inlineSpendOf(usage);
}

function isoOfSeconds(seconds: number | undefined): string | undefined {
  if (seconds === undefined) return undefined;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * A record entry priced from the answer itself (`costSource: 'inline'`): the figures only a
 * lookup knows (latency, generation time, native tokens, cancellation) are `null`.
 */
export function inlineGenerationEntry(
  id: string,
  usage: InlineUsage,
  answer: AnswerFacts | undefined,
  requestModel: string | undefined,
  startedAtIso: string,
): CostRecordGeneration {
  const spend = inlineSpendOf(usage);
  return {
    id,
    costSource: 'inline',
    model: answer?.model ?? requestModel ?? 'unknown',
    provider: answer?.provider ?? null,
    created_at: isoOfSeconds(answer?.created) ?? startedAtIso,
    spendUsd: spend === null ? null : roundUsd(spend),
    total_cost: usage.costUsd ?? 0, // (a usable inline cost always has one)
    upstream_inference_cost: usage.upstreamInferenceCostUsd ?? null,
    cache_discount: null,
    is_byok: usage.isByok === true,
    tokens: {
      prompt: answer?.promptTokens ?? null,
      completion: answer?.completionTokens ?? null,
      nativePrompt: null,
      nativeCompletion: null,
      reasoning: answer?.reasoningTokens ?? null,
      cached: answer?.cachedTokens ?? null,
    },
    latency: null,
    generation_time: null,
    finish_reason: answer?.finishReason ?? null,
    api_type: null,
    cancelled: null,
    streamed: answer === undefined ? null : answer.streamed,
    ...(usage.costUsd == null ? {} : { inlineCostUsd: usage.costUsd }),
  };
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { isGenerationId } from '@genmeta/core';
import type { InlineUsage } from '../types.js';
import { trackedIds } from './registry.js';

/** What one incoming request collects while it runs. */
export interface RequestContext {
  readonly requestId: string;
  /** tracked ids in order, without duplicates */
  readonly ids: string[];
  /** created on first use: most requests carry no inline usage */
  inline: Map<string, InlineUsage> | undefined;
  /** set once the response finished: later ids belong to no record */
  sealed: boolean;
  /** inline usage still being read from cloned JSON bodies */
  pendingInline: Set<Promise<void>> | undefined;
  /** the OpenTelemetry context active when the request started (when OTel is set up) */
  otelContext: unknown;
}

// `undefined` marks work that belongs to no request (cheaper than `exit`, which toggles hooks).
export const requestStorage = new AsyncLocalStorage<RequestContext | undefined>();

export function createRequestContext(requestId: string, otelContext: unknown): RequestContext {
  return {
    requestId,
    ids: [],
    inline: undefined,
    sealed: false,
    pendingInline: undefined,
    otelContext,
  };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function cleanInline(inline: InlineUsage): InlineUsage | undefined {
  const cleaned: InlineUsage = {};
  if (isFiniteNumber(inline.costUsd)) cleaned.costUsd = inline.costUsd;
  if (typeof inline.isByok === 'boolean') cleaned.isByok = inline.isByok;
  if (isFiniteNumber(inline.upstreamInferenceCostUsd)) {
    cleaned.upstreamInferenceCostUsd = inline.upstreamInferenceCostUsd;
  }
  return Object.keys(cleaned).length > 0 ? cleaned : undefined;
}

/** Records an id (and its inline usage) in a request context. Never throws. */
export function trackInContext(
  context: RequestContext,
  id: unknown,
  inline?: InlineUsage | null,
): boolean {
  if (!isGenerationId(id)) return false;
  if (!context.ids.includes(id)) {
    if (context.sealed) return false;
    context.ids.push(id);
    trackedIds.add(id);
  }
  if (inline && typeof inline === 'object') {
    const cleaned = cleanInline(inline);
    if (cleaned) {
      context.inline ??= new Map();
      context.inline.set(id, { ...context.inline.get(id), ...cleaned });
    }
  }
  return true;
}

/** Spend from inline usage, BYOK-aware; undefined when it cannot be known. */
export function inlineSpendOf(inline: InlineUsage | undefined): number | undefined {
  if (!inline || inline.costUsd == null) return undefined;
  if (inline.isByok === true) {
    return inline.upstreamInferenceCostUsd == null
      ? undefined
      : inline.costUsd + inline.upstreamInferenceCostUsd;
  }
  // Without is_byok we cannot tell whether the provider was paid separately.
  return inline.isByok === false ? inline.costUsd : undefined;
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { isGenerationId } from '@genmeta/core';
import type { GenerationRegistry } from '@genmeta/core/engine';
import type { InlineUsage } from '../types.js';

/** Where a costLogger writes the ids its requests track (for generationProxy). */
export interface Tracker {
  readonly registry: GenerationRegistry;
  /** A registry write failed (reported once; never thrown into the app). */
  registryFailed(error: unknown): void;
  /**
   * The OpenRouter base URL of the logger's client, compared parsed (`comparableUrl`): the
   * tracking fetch also tracks responses under it, so a base URL is configured once.
   */
  readonly baseUrl?: string | undefined;
  /** A tracked-nowhere fetch got an OpenRouter-shaped answer (warned once, with the fix). */
  readonly untracked?: (url: string) => void;
}

/** A tracked fetch started inside a request that has not told all it will tell yet. */
export interface FetchInFlight {
  /** The URL without credentials, query or fragment. */
  readonly url: string;
  /** Settles once the id (and inline usage) are known, or nothing more can be learnt. */
  readonly settled: Promise<void>;
  /** The response is over and nobody reads this body: read it far enough to find the id. */
  drain?(): void;
  /** The `model` of the request's JSON body, when it had one. */
  requestModel?: string | undefined;
}

/** What one incoming request collects while it runs. */
export interface RequestContext {
  readonly requestId: string;
  /** tracked ids in order, without duplicates */
  readonly ids: string[];
  /** created on first use: most requests carry no inline usage */
  inline: Map<string, InlineUsage> | undefined;
  /** set once the record is sealed: later ids belong to no record */
  sealed: boolean;
  /** tracked fetches still in flight (created on first use) */
  fetchesInFlight: Set<FetchInFlight> | undefined;
  /** the `model` each id's request asked for, when the tracking fetch read it (on first use) */
  requestModels: Map<string, string> | undefined;
  /** the OpenTelemetry context active when the request started (when OTel is set up) */
  readonly otelContext: unknown;
  readonly tracker: Tracker;
}

// `undefined` marks work that belongs to no request (cheaper than `exit`, which toggles hooks).
export const requestStorage = new AsyncLocalStorage<RequestContext | undefined>();

export function createRequestContext(
  requestId: string,
  otelContext: unknown,
  tracker: Tracker,
): RequestContext {
  return {
    requestId,
    ids: [],
    inline: undefined,
    sealed: false,
    fetchesInFlight: undefined,
    requestModels: undefined,
    otelContext,
    tracker,
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

/**
 * Inline usage an app passes by hand: a missing `isByok` means not BYOK (documented on
 * InlineUsage), so the cost it gave is never lost.
 */
export function inlineFromApp(inline: InlineUsage | undefined): InlineUsage | undefined {
  if (!inline || typeof inline !== 'object' || typeof inline.isByok === 'boolean') return inline;
  return inline.costUsd == null ? inline : { ...inline, isByok: false };
}

function writeToRegistry(tracker: Tracker, id: string): void {
  try {
    const written = tracker.registry.add(id);
    if (written !== undefined && typeof written.then === 'function') {
      written.then(undefined, tracker.registryFailed);
    }
  } catch (error) {
    tracker.registryFailed(error);
  }
}

/** Records an id (and its inline usage) in a request context. Never throws. */
export function trackInContext(
  context: RequestContext,
  id: unknown,
  inline?: InlineUsage | null,
  requestModel?: string,
): boolean {
  if (!isGenerationId(id)) return false;
  if (!context.ids.includes(id)) {
    if (context.sealed) return false;
    context.ids.push(id);
    writeToRegistry(context.tracker, id);
  }
  if (requestModel !== undefined) {
    context.requestModels ??= new Map();
    context.requestModels.set(id, requestModel);
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

/** Registers a tracked fetch of this request; call the returned function once it settled. */
export function fetchStarted(
  context: RequestContext,
  url: string,
): { entry: FetchInFlight & { drain?: () => void }; done: () => void } {
  let done!: () => void;
  const settled = new Promise<void>((resolve) => {
    done = resolve;
  });
  const entry: FetchInFlight & { drain?: () => void } = { url, settled };
  context.fetchesInFlight ??= new Set();
  context.fetchesInFlight.add(entry);
  return {
    entry,
    done: () => {
      context.fetchesInFlight?.delete(entry);
      done();
    },
  };
}

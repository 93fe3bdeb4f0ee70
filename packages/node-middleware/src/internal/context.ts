import { isGenerationId } from '@genmeta/core';
import type { GenerationRegistry } from '@genmeta/core/engine';
import type { CostAttributes, CostRecord, InlineUsage } from '../types.js';
import { mergeAttributes } from './attributes.js';
import { createAsyncStorage } from './platform.js';

/** Where a costLogger writes the ids its requests track (for generationProxy). */
export interface Tracker {
  readonly registry: GenerationRegistry;
  /** A registry write failed (reported once; never thrown into the app). */
  registryFailed(error: unknown): void;
  /** An attribute was dropped (reported once; never thrown into the app). */
  invalidAttribute(message: string): void;
  /**
   * The OpenRouter base URL of the logger's client, compared parsed (`comparableUrl`): the
   * tracking fetch also tracks responses under it, so a base URL is configured once.
   */
  readonly baseUrl?: string | undefined;
  /** A tracked-nowhere fetch got an OpenRouter-shaped answer (warned once, with the fix). */
  readonly untracked?: (url: string) => void;
}

/** Follows a request's spend as it becomes known (a spend limiter counting it). */
export interface SpendObserver {
  /** An id was tracked, or its inline usage learnt (`inline` is all that is known of it). */
  tracked(id: string, inline: InlineUsage | undefined): void;
  /** The request's record was built: the looked-up spend corrects the inline one. */
  emitted(record: CostRecord): void;
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
  /** set through setCostAttributes / res.locals.genmeta.setAttributes (created on first use) */
  attributes: CostAttributes | undefined;
  /** spend limiters counting this request's spend (created on first use) */
  spendObservers: SpendObserver[] | undefined;
}

// `undefined` marks work that belongs to no request (cheaper than `exit`, which toggles hooks).
// Where the host has no AsyncLocalStorage, it carries nothing: see `contextOfRequest`.
export const requestStorage = createAsyncStorage<RequestContext | undefined>();

/**
 * The context of each fetch-style request being handled, by its `Request`: what a tracking
 * fetch given `{ request }` finds its record by where no AsyncLocalStorage carries it.
 */
const contextsByRequest = new WeakMap<Request, RequestContext>();

export function bindRequest(request: Request, context: RequestContext): void {
  contextsByRequest.set(request, context);
}

/** The context of `request` when it is being handled by a costLogger, else undefined. */
export function contextOfRequest(request: Request | undefined): RequestContext | undefined {
  return request === undefined ? undefined : contextsByRequest.get(request);
}

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
    attributes: undefined,
    spendObservers: undefined,
  };
}

/** Adds attributes to a request's record. Never throws; false once the record is sealed. */
export function setAttributesInContext(context: RequestContext, attributes: unknown): boolean {
  if (context.sealed) return false;
  context.attributes = mergeAttributes(
    context.attributes,
    attributes,
    context.tracker.invalidAttribute,
  );
  return true;
}

/** The record of this context was built: its spend observers correct what they counted. */
export function notifyEmitted(context: RequestContext, record: CostRecord): void {
  for (const observer of context.spendObservers ?? []) {
    try {
      observer.emitted(record);
    } catch {
      // an observer reports its own failures
    }
  }
}

function notifyTracked(context: RequestContext, id: string): void {
  const observers = context.spendObservers;
  if (observers === undefined) return;
  const inline = context.inline?.get(id);
  for (const observer of observers) {
    try {
      observer.tracked(id, inline);
    } catch {
      // an observer reports its own failures
    }
  }
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
  let learnt = false;
  if (!context.ids.includes(id)) {
    if (context.sealed) return false;
    context.ids.push(id);
    writeToRegistry(context.tracker, id);
    learnt = true;
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
      learnt = true;
    }
  }
  if (learnt) notifyTracked(context, id);
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

import { isGenerationId } from '@genmeta/core';
import type { GenerationRegistry } from '@genmeta/core/engine';
import type {
  CostAttributes,
  CostRecord,
  CostRecordUnresolvedFetch,
  InlineCostIgnoredReason,
  InlineUsage,
} from '../types.js';
import { mergeAttributes } from './attributes.js';
import type { AnswerFacts } from './inline-generation.js';
import { createAsyncStorage } from './platform.js';
import { MAX_IDS_PER_REQUEST, saneInline, type Trust } from './trust.js';

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
  /**
   * Origins whose answers are trusted (README, "Trust"): the client's base URL's and the
   * logger's `trustedOrigins`.
   */
  readonly trustedOrigins?: ReadonlySet<string>;
  /** Inline costs above this (USD, one generation) are not counted. */
  readonly maxInlineCostUsd?: number;
  /** Record the `X-Generation-Id` of OpenRouter answers seen on undici's diagnostics channel. */
  readonly instrument?: boolean;
  /** Called as each request begins (subscribes to undici's channels on first use). */
  readonly requestBegun?: () => void;
}

/** A longest list of distinct dropped ids remembered, so a repeated one is not counted again. */
const MAX_DROPPED_REMEMBERED = 1_000;

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
  /** tracked ids in order, without duplicates (at most MAX_IDS_PER_REQUEST) */
  readonly ids: string[];
  /** the same ids, for lookups in O(1) */
  readonly idSet: Set<string>;
  /** ids learnt only from untrusted answers: not registered, their inline cost ignored */
  untrusted: Set<string> | undefined;
  /** why an id's inline cost was not counted (created on first use) */
  inlineIgnored: Map<string, InlineCostIgnoredReason> | undefined;
  /** distinct ids offered past MAX_IDS_PER_REQUEST */
  droppedIds: number;
  droppedSeen: Set<string> | undefined;
  /** tracked fetches that ended without an id for a bounded reason (created on first use) */
  endedUnresolved: CostRecordUnresolvedFetch[] | undefined;
  /** the first trusted OpenRouter answer with an id seen on undici's channel (URL) */
  openRouterAnswer: string | undefined;
  /** created on first use: most requests carry no inline usage */
  inline: Map<string, InlineUsage> | undefined;
  /** what trusted answers with inline usage told beside it (model, tokens; on first use) */
  answers: Map<string, AnswerFacts> | undefined;
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
  tracker.requestBegun?.();
  return {
    requestId,
    ids: [],
    idSet: new Set(),
    untrusted: undefined,
    inlineIgnored: undefined,
    droppedIds: 0,
    droppedSeen: undefined,
    endedUnresolved: undefined,
    openRouterAnswer: undefined,
    inline: undefined,
    answers: undefined,
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

function countDropped(context: RequestContext, id: string): void {
  context.droppedSeen ??= new Set();
  if (context.droppedSeen.has(id)) return;
  if (context.droppedSeen.size < MAX_DROPPED_REMEMBERED) context.droppedSeen.add(id);
  context.droppedIds += 1;
}

/** Keeps what may be counted of an id's inline usage; says in the record why the rest is not. */
function learnInline(
  context: RequestContext,
  id: string,
  inline: InlineUsage,
  trust: Trust,
  answer: AnswerFacts | undefined,
): boolean {
  if (trust === 'untrusted' || context.untrusted?.has(id)) {
    if (inline.costUsd == null && inline.upstreamInferenceCostUsd == null) return false;
    context.inlineIgnored ??= new Map();
    context.inlineIgnored.set(id, 'untrusted');
    return false;
  }
  const { usage, problem } = saneInline(inline, context.tracker.maxInlineCostUsd ?? Infinity);
  if (problem !== undefined) {
    context.inlineIgnored ??= new Map();
    context.inlineIgnored.set(id, problem);
  }
  if (usage === undefined) return false;
  context.inline ??= new Map();
  context.inline.set(id, { ...context.inline.get(id), ...usage });
  if (answer !== undefined) {
    context.answers ??= new Map();
    context.answers.set(id, answer);
  }
  return true;
}

/**
 * Records an id (and its inline usage) in a request context, under the trust rule (trust.ts):
 * an untrusted id is recorded and looked up, never registered, its inline cost never counted.
 * At most MAX_IDS_PER_REQUEST ids; later ones are counted as dropped. Never throws.
 */
export function trackInContext(
  context: RequestContext,
  id: unknown,
  inline?: InlineUsage | null,
  requestModel?: string,
  trust: Trust = 'trusted',
  answer?: AnswerFacts,
): boolean {
  if (!isGenerationId(id)) return false;
  let learnt = false;
  if (!context.idSet.has(id)) {
    if (context.sealed) return false;
    if (context.ids.length >= MAX_IDS_PER_REQUEST) {
      countDropped(context, id);
      return false;
    }
    context.ids.push(id);
    context.idSet.add(id);
    if (trust === 'trusted') writeToRegistry(context.tracker, id);
    else {
      context.untrusted ??= new Set();
      context.untrusted.add(id);
    }
    learnt = true;
  } else if (trust === 'trusted' && context.untrusted?.delete(id)) {
    // a trusted answer confirms an id an untrusted one told first
    writeToRegistry(context.tracker, id);
  }
  if (requestModel !== undefined) {
    context.requestModels ??= new Map();
    context.requestModels.set(id, requestModel);
  }
  if (inline && typeof inline === 'object' && learnInline(context, id, inline, trust, answer)) {
    learnt = true;
  }
  if (learnt) notifyTracked(context, id);
  return true;
}

/**
 * The record of this context is sealed: later ids belong to no record. A request that called
 * OpenRouter (seen on undici's channel) and tracked nothing is reported (once per logger).
 */
export function sealContext(context: RequestContext): void {
  if (context.sealed) return;
  context.sealed = true;
  const answer = context.openRouterAnswer;
  if (answer !== undefined && context.ids.length === 0) context.tracker.untracked?.(answer);
}

/** Why a tracked fetch ended without telling an id, when it was a bound of ours. */
export type FetchEndReason = 'drain_limit' | 'scan_limit';

/** A tracked fetch of a request, registered by {@link fetchStarted}. */
export interface InFlightFetch {
  entry: FetchInFlight & { drain?: () => void };
  /** It settled; with a reason, it ended without an id because of a bound (shown in the record). */
  done: (unresolved?: FetchEndReason) => void;
}

/** Registers a tracked fetch of this request; call the returned function once it settled. */
export function fetchStarted(context: RequestContext, url: string): InFlightFetch {
  let done!: () => void;
  const settled = new Promise<void>((resolve) => {
    done = resolve;
  });
  const entry: FetchInFlight & { drain?: () => void } = { url, settled };
  context.fetchesInFlight ??= new Set();
  context.fetchesInFlight.add(entry);
  return {
    entry,
    done: (unresolved) => {
      const wasInFlight = context.fetchesInFlight?.delete(entry) === true;
      if (wasInFlight && unresolved !== undefined && !context.sealed) {
        context.endedUnresolved ??= [];
        context.endedUnresolved.push({ url, reason: unresolved });
      }
      done();
    },
  };
}

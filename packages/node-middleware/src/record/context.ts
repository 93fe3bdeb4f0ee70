import type { GenerationRegistry } from '@genmeta/core/server';
import { createAsyncStorage } from '../hosts/platform.js';
import type { SpendObserver } from '../hosts/types.js';
import { mergeAttributes } from './attributes.js';
import type { AnswerFacts } from './inline-generation.js';
import { isSealed, moveTo, type RequestState } from './states.js';
import type {
  CostAttributes,
  CostRecord,
  CostRecordUnresolvedFetch,
  InlineCostIgnoredReason,
  InlineUsage,
} from './types.js';

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
  /** where the request and its record are in their life (states.ts); changed by `moveTo` only */
  state: RequestState;
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
    state: 'open',
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
  if (isSealed(context)) return false;
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

/**
 * The record of this context is sealed (`sealed`), or the request will have none (`dropped`):
 * later ids belong to no record. A request that called OpenRouter (seen on undici's channel)
 * and tracked nothing is reported (once per logger).
 */
export function sealContext(context: RequestContext, next: 'sealed' | 'dropped' = 'sealed'): void {
  moveTo(context, next);
  const answer = context.openRouterAnswer;
  if (answer !== undefined && context.ids.length === 0) context.tracker.untracked?.(answer);
}

/**
 * A host's hook failed before the request's record started its life: the request has no record
 * (and later ids belong to none). Never throws.
 */
export function dropRequest(context: RequestContext): void {
  // past `open`, the record pipeline owns the request's state
  if (context.state === 'open') moveTo(context, 'dropped');
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
      if (wasInFlight && unresolved !== undefined && !isSealed(context)) {
        context.endedUnresolved ??= [];
        context.endedUnresolved.push({ url, reason: unresolved });
      }
      done();
    },
  };
}

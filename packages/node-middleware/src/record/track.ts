import { isGenerationId } from '@genmeta/core';
import { MAX_IDS_PER_REQUEST, saneInline, type Trust } from '../tracking/trust.js';
import type { RequestContext, Tracker } from './context.js';
import type { AnswerFacts } from './inline-generation.js';
import { isSealed } from './states.js';
import type { InlineUsage } from './types.js';

// How an id joins a request's record: deduplicated, bounded, registered when trusted, with
// what may be counted of its inline usage.

/** A longest list of distinct dropped ids remembered, so a repeated one is not counted again. */
const MAX_DROPPED_REMEMBERED = 1_000;

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
 * Records an id (and its inline usage) in a request context, under the trust rule (tracking/trust.ts):
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
    if (isSealed(context)) return false;
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

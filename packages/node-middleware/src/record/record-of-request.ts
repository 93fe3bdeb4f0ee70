import { recordAttributes } from './attributes.js';
import type { RequestContext } from './context.js';
import { buildRecord, type LookupOutcome, type RequestFacts } from './record.js';
import type { CostRecord, CostRecordUnresolvedFetch, RecordMeta } from './types.js';

const NO_META: RecordMeta = Object.freeze({});

function metaOf(context: RequestContext): RecordMeta {
  const { otelContext } = context;
  const { baseUrl } = context.tracker;
  if (otelContext === undefined && baseUrl === undefined) return NO_META;
  const meta: { otelContext?: unknown; baseUrl?: string } = {};
  if (otelContext !== undefined) meta.otelContext = otelContext;
  if (baseUrl !== undefined) meta.baseUrl = baseUrl;
  return meta;
}

/**
 * The record of a finished request, built from what its context collected, and the meta its
 * sinks receive beside it (the OpenTelemetry parent, the client's base URL).
 */
export function recordOfRequest(
  context: RequestContext,
  facts: RequestFacts,
  outcomes: readonly LookupOutcome[],
  unresolvedFetches: CostRecordUnresolvedFetch[] | undefined,
): { built: CostRecord; meta: RecordMeta } {
  const ended = context.endedUnresolved;
  const fetches =
    ended === undefined ? unresolvedFetches : [...ended, ...(unresolvedFetches ?? [])];
  // values set in the request's flow win over the option's, key by key
  const attributes = recordAttributes(
    facts.attributes,
    context.attributes,
    context.tracker.invalidAttribute,
  );
  const built = buildRecord(facts, context.ids, outcomes, context.inline, fetches, attributes);
  const ignored = context.inlineIgnored;
  if (ignored !== undefined) {
    for (const entry of [...built.generations, ...built.unresolved]) {
      const reason = ignored.get(entry.id);
      if (reason !== undefined) entry.inlineCostIgnored = reason;
    }
  }
  if (context.droppedIds > 0) {
    // ids past the cap may have cost something: the spend is a lower bound
    built.droppedIds = context.droppedIds;
    built.spendComplete = false;
    built.spendUsd = null;
  }
  const models = context.requestModels;
  if (models !== undefined) {
    for (const generation of built.generations) {
      const model = models.get(generation.id);
      if (model !== undefined) generation.requestModel = model;
    }
  }
  return { built, meta: metaOf(context) };
}

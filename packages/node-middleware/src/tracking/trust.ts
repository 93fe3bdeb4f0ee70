import type { InlineCostIgnoredReason, InlineUsage } from '../record/types.js';

/**
 * The trust rule, in one place (README, "Trust"): an answer is trusted when its request went
 * to an OpenRouter origin the app configured (a client's, costLogger's or tracking fetch's
 * `baseUrl`, plus `trustedOrigins`) or carried an OpenRouter key (`Authorization: Bearer
 * sk-or-...`). Only trusted answers add ids to the registry and inline costs to a record or a
 * spend limit; an id from an untrusted answer is still looked up, and counts once OpenRouter's
 * lookup confirms it.
 */
export type Trust = 'trusted' | 'untrusted';

/** Most generation ids one request tracks; later ones are counted in `droppedIds`. */
export const MAX_IDS_PER_REQUEST = 1_000;

/** Default cap of one generation's inline cost (`maxInlineCostUsd`). */
export const DEFAULT_MAX_INLINE_COST_USD = 1_000;

/** OpenRouter's key form: a request carrying one goes to OpenRouter (or a gateway to it). */
const OPENROUTER_BEARER = /^bearer\s+sk-or-/i;

/** Whether an `Authorization` header value carries an OpenRouter key. */
export function carriesOpenRouterKey(authorization: string | null | undefined): boolean {
  return typeof authorization === 'string' && OPENROUTER_BEARER.test(authorization);
}

/** `scheme://host[:port]` of a URL (lower-cased, default port dropped), undefined when invalid. */
export function originOf(url: string | URL): string | undefined {
  try {
    const { origin } = typeof url === 'string' ? new URL(url) : url;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** The origins of base URLs and origins given in options (invalid ones are left out). */
export function trustedOriginsOf(
  ...lists: ReadonlyArray<string | readonly string[] | undefined>
): ReadonlySet<string> {
  const origins = new Set<string>();
  for (const list of lists) {
    for (const url of typeof list === 'string' ? [list] : (list ?? [])) {
      const origin = originOf(url);
      if (origin !== undefined) origins.add(origin);
    }
  }
  return origins;
}

/** The trust of an answer to a request sent to `origin` with `authorization`. */
export function trustOf(
  origin: string | undefined,
  authorization: string | null | undefined,
  ...trusted: ReadonlyArray<ReadonlySet<string> | undefined>
): Trust {
  if (carriesOpenRouterKey(authorization)) return 'trusted';
  if (origin !== undefined && trusted.some((origins) => origins?.has(origin))) return 'trusted';
  return 'untrusted';
}

/** Why an inline amount cannot be counted, or undefined when it can. */
function amountProblem(value: number, capUsd: number): InlineCostIgnoredReason | undefined {
  if (!Number.isFinite(value)) return 'not_finite';
  if (value < 0) return 'negative';
  if (value > capUsd) return 'above_cap';
  return undefined;
}

/**
 * Inline usage fit to count: amounts that are not finite, negative or above `capUsd` are left
 * out (never counted anywhere), and the first such problem is returned to be shown in the record.
 */
export function saneInline(
  inline: InlineUsage,
  capUsd: number,
): { usage: InlineUsage | undefined; problem: InlineCostIgnoredReason | undefined } {
  const usage: InlineUsage = {};
  let problem: InlineCostIgnoredReason | undefined;
  for (const field of ['costUsd', 'upstreamInferenceCostUsd'] as const) {
    const value = inline[field];
    if (value === undefined || value === null) continue;
    const wrong = typeof value === 'number' ? amountProblem(value, capUsd) : 'not_finite';
    if (wrong === undefined) usage[field] = value;
    else problem ??= wrong;
  }
  if (typeof inline.isByok === 'boolean') usage.isByok = inline.isByok;
  return { usage: Object.keys(usage).length > 0 ? usage : undefined, problem };
}

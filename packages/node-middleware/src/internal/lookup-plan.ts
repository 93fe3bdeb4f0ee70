import type { LookupMode } from '../cost-logger-types.js';
import type { RequestContext } from './context.js';
import { usableInlineSpend } from './inline-generation.js';
import type { LookupOutcome } from './record.js';

/**
 * Which of a request's ids are looked up, under costLogger's `lookup` option (README, "Cost
 * from the answer"). The others get their outcome here: priced from their trusted answer, or
 * (`never`) unresolved with `not_looked_up`. Returns the indexes to look up, or undefined for
 * all of them (`always`: nothing allocated on the hot path).
 */
export function planLookups(
  context: RequestContext,
  outcomes: LookupOutcome[],
  mode: LookupMode,
  counts: { inline: number },
): number[] | undefined {
  if (mode === 'always') return undefined;
  const { ids, inline } = context;
  const toLookUp: number[] = [];
  for (let index = 0; index < ids.length; index += 1) {
    const id = ids[index]!;
    // only trusted, sane usage reaches `context.inline` (trust.ts); BYOK without its upstream
    // cost prices nothing
    const usage = inline?.get(id);
    if (usage !== undefined && usableInlineSpend(usage) !== null) {
      counts.inline += 1;
      outcomes[index] = {
        id,
        ok: true,
        usage,
        answer: context.answers?.get(id),
        requestModel: context.requestModels?.get(id),
      };
    } else if (mode === 'never') {
      outcomes[index] = { id, ok: false, reason: 'not_looked_up' };
    } else {
      toLookUp.push(index);
    }
  }
  return toLookUp;
}

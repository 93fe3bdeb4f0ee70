/** An object as zod's `looseObject` accepts one: not null, not an array. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Deepest nesting of arrays and objects a generation may have. Its own fields go three levels
 * deep; unknown fields get room, but not the thousands of levels that make `JSON.stringify`
 * overflow the stack.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Why `value` is not plain JSON data that `JSON.stringify` can write back (too deep, a cycle,
 * or a bigint, function or symbol inside), or `undefined` when it is. The recursion stops at
 * `maxDepth`, so a hostile depth cannot overflow the stack here.
 */
export function jsonShapeProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | undefined {
  return problemAt(value, 1, maxDepth);
}

function problemAt(value: unknown, depth: number, maxDepth: number): string | undefined {
  if (typeof value !== 'object') {
    return typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol'
      ? `it holds a ${typeof value}, which JSON cannot carry`
      : undefined;
  }
  if (value === null) return undefined;
  if (depth > maxDepth) return `it nests deeper than ${maxDepth} levels`;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = problemAt(item, depth + 1, maxDepth);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  for (const key in value) {
    const problem = problemAt((value as Record<string, unknown>)[key], depth + 1, maxDepth);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

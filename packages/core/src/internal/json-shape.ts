/**
 * Deepest nesting of arrays and objects a generation may have. Its own fields go three levels
 * deep; unknown fields get room, but not the thousands of levels that make `JSON.stringify`
 * overflow the stack.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Why `value` is not plain JSON data that `JSON.stringify` can write back (too deep, a cycle,
 * or a bigint, function or symbol inside), or `undefined` when it is. Iterative, so a hostile
 * depth cannot overflow the stack here either.
 */
export function jsonShapeProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    const type = typeof current;
    if (type === 'bigint' || type === 'function' || type === 'symbol') {
      return `it holds a ${type}, which JSON cannot carry`;
    }
    if (type !== 'object' || current === null) continue;
    if (depth > maxDepth) return `it nests deeper than ${maxDepth} levels`;
    const children = Array.isArray(current) ? current : Object.values(current as object);
    for (const child of children) {
      if (typeof child === 'object' ? child !== null : typeof child !== 'string') {
        stack.push([child, depth + 1]);
      }
    }
  }
  return undefined;
}

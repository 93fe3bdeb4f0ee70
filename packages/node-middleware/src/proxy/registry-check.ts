import type { GenerationRegistry } from '@genmeta/core/server';

/**
 * Waits before asking an async registry again, when it said no: the write of an id tracked by
 * another instance a moment ago may not have landed yet (≤ 300 ms in all).
 */
export const RECHECK_DELAYS_MS: readonly number[] = [100, 200];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Whether the registry holds the id. A synchronous registry is in this process, where a
 * tracked id is written at once: its answer is final. An async one (a shared store) that says
 * no is asked again after each of {@link RECHECK_DELAYS_MS}. Throws what the registry threw.
 */
export async function registryHas(registry: GenerationRegistry, id: string): Promise<boolean> {
  const first = registry.has(id);
  if (typeof first === 'boolean') return first;
  if ((await first) === true) return true;
  for (const delay of RECHECK_DELAYS_MS) {
    await sleep(delay);
    if ((await registry.has(id)) === true) return true;
  }
  return false;
}

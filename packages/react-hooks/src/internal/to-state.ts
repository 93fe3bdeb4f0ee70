import type { GenerationSnapshot } from '@genmeta/core/store';
import type { GenerationState } from '../generation-state.js';

/** Public state from a snapshot; `isPending` spelled out so the union narrows on it as well. */
export function toState(
  snapshot: GenerationSnapshot,
  refetch: () => Promise<void>,
): GenerationState {
  switch (snapshot.status) {
    case 'pending':
      return { ...snapshot, isPending: true, refetch };
    case 'idle':
      return { ...snapshot, isPending: false, refetch };
    case 'success':
      return { ...snapshot, isPending: false, refetch };
    case 'error':
      return { ...snapshot, isPending: false, refetch };
  }
}

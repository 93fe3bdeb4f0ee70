import { useEffect, useState } from 'react';
import type { UserLimit } from '../shared/protocol.ts';

/** `GET /api/limits`, asked again whenever `version` changes (a new record, a refused chat). */
export function useLimits(version: unknown): UserLimit[] {
  const [limits, setLimits] = useState<UserLimit[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    fetch('/api/limits', { signal: controller.signal })
      .then((response) => (response.ok ? (response.json() as Promise<UserLimit[]>) : []))
      .then(setLimits)
      .catch(() => {
        // aborted by a newer refresh, or the server is away: keep what is shown
      });
    return () => controller.abort();
  }, [version]);
  return limits;
}

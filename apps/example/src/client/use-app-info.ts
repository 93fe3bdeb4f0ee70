import { useEffect, useState } from 'react';
import type { AppInfo } from '../shared/protocol.ts';

/** `GET /api/info`, once: offline or real OpenRouter, the model, the CLI line. */
export function useAppInfo(): AppInfo | null {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetch('/api/info', { signal: controller.signal })
      .then((response) => (response.ok ? (response.json() as Promise<AppInfo>) : null))
      .then(setInfo)
      .catch(() => {
        // aborted on unmount, or the server is away: the header simply shows no mode
      });
    return () => controller.abort();
  }, []);
  return info;
}

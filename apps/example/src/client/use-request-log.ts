import { useEffect, useState } from 'react';
import type { RequestLog } from '../shared/protocol.ts';

const empty: RequestLog = { entries: [], totalUsd: 0, count: 0, unknownCount: 0, users: [] };

/**
 * The server's cost records, live: `GET /api/records/events` sends the whole (bounded) log
 * whenever costLogger emits a record. EventSource reconnects by itself if the server restarts.
 */
export function useRequestLog(): { log: RequestLog; connected: boolean } {
  const [log, setLog] = useState<RequestLog>(empty);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource('/api/records/events');
    source.addEventListener('records', (event) => {
      setLog(JSON.parse((event as MessageEvent<string>).data) as RequestLog);
    });
    source.addEventListener('open', () => setConnected(true));
    source.addEventListener('error', () => setConnected(false));
    return () => source.close();
  }, []);
  return { log, connected };
}

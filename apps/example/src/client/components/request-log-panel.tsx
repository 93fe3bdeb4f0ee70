import { formatUsd } from '@genmeta/core';
import type { LogEntry } from '../../shared/protocol.ts';
import { formatMilliseconds, formatTime } from '../format.ts';
import { useRequestLog } from '../use-request-log.ts';

/**
 * The server's cost records (costLogger's onRecord), newest first, with each request's spend and
 * the running total. Records arrive a moment after each reply: the server waits for the stats.
 */
export function RequestLogPanel({ currentRequestId }: { currentRequestId: string | null }) {
  const { log } = useRequestLog();

  return (
    <div className="request-log" data-testid="request-log">
      <p className="total" aria-live="polite">
        <span className="total-label">
          <span>Running total</span>
          <span className="total-count muted">
            {log.count} {log.count === 1 ? 'request' : 'requests'}
            {log.unknownCount > 0 && `, ${log.unknownCount} with unknown cost`}
          </span>
        </span>
        <strong data-testid="log-total">{formatUsd(log.totalUsd)}</strong>
      </p>
      {log.entries.length === 0 ? (
        <p className="muted">No cost records yet.</p>
      ) : (
        <ol className="log-entries">
          {log.entries.map((entry) => (
            <LogRow
              key={entry.requestId}
              entry={entry}
              current={entry.requestId === currentRequestId}
            />
          ))}
        </ol>
      )}
    </div>
  );
}

function LogRow({ entry, current }: { entry: LogEntry; current: boolean }) {
  const models = [...new Set(entry.generations.map((generation) => generation.model ?? '?'))];
  return (
    <li className="log-entry" data-request-id={entry.requestId} aria-current={current || undefined}>
      <div className="log-main">
        <span className="log-route">
          <time dateTime={entry.startedAt}>{formatTime(entry.startedAt)}</time> {entry.method}{' '}
          {entry.path}
          {current && <span className="badge current-badge">this reply</span>}
        </span>
        <span className="log-spend" data-testid="log-spend">
          {formatUsd(entry.spendUsd)}
        </span>
      </div>
      <div className="log-detail muted">
        {models.join(', ') || 'no generation'} · {entry.generations.length}{' '}
        {entry.generations.length === 1 ? 'generation' : 'generations'} · status {entry.statusCode}{' '}
        in {formatMilliseconds(entry.durationMs)}
      </div>
      {entry.unresolved.length > 0 && (
        <ul className="log-unresolved">
          {entry.unresolved.map((item) => (
            <li key={item.id}>
              <code>{item.id}</code>: {item.reason}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

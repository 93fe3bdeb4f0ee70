import { formatUsd } from '@genmeta/core';
import type { DemoUser, LogEntry, UserLimit, UserTotal } from '../../shared/protocol.ts';
import { formatMilliseconds, formatTime } from '../format.ts';
import { useLimits } from '../use-limits.ts';
import { useRequestLog } from '../use-request-log.ts';

/**
 * The server's cost records (costLogger's onRecord), grouped by the demo user each request was
 * attributed to, newest first, with each user's running total and the overall one. Records arrive
 * a moment after each reply: the server waits for the stats.
 */
export function RequestLogPanel({
  currentRequestId,
  users,
  refusals,
}: {
  currentRequestId: string | null;
  users: readonly DemoUser[];
  /** chats refused so far: the limits are asked again after each */
  refusals: number;
}) {
  const { log } = useRequestLog();
  const limits = useLimits(`${log.count}:${refusals}`);
  const nameOf = (user: string | null) =>
    user === null ? 'No user' : (users.find((demoUser) => demoUser.id === user)?.name ?? user);

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
        log.users.map((total) => (
          <UserGroup
            key={total.user ?? ''}
            name={nameOf(total.user)}
            total={total}
            limit={limits.find((limit) => limit.user === total.user)}
            entries={log.entries.filter((entry) => entry.user === total.user)}
            currentRequestId={currentRequestId}
          />
        ))
      )}
    </div>
  );
}

function UserGroup({
  name,
  total,
  limit,
  entries,
  currentRequestId,
}: {
  name: string;
  total: UserTotal;
  limit: UserLimit | undefined;
  entries: LogEntry[];
  currentRequestId: string | null;
}) {
  const headingId = `log-user-${total.user ?? 'none'}`;
  return (
    <section
      className="log-group"
      data-testid="log-group"
      data-user={total.user ?? ''}
      aria-labelledby={headingId}
    >
      <h3 id={headingId} className="log-group-heading">
        <span>{name}</span>
        <span className="muted total-count">
          {total.count} {total.count === 1 ? 'request' : 'requests'}
        </span>
        <strong data-testid="user-total">{formatUsd(total.totalUsd)}</strong>
      </h3>
      {limit && (
        <p className="user-limit muted" data-testid="user-limit" data-limited={limit.limited}>
          Spend limit: {formatUsd(limit.spentUsd)} of {formatUsd(limit.limitUsd)} in the window
          {limit.limited && (
            <>
              {' '}
              <span className="badge limit-badge">limit reached</span> next chat in{' '}
              {limit.retryAfterSeconds} s
            </>
          )}
        </p>
      )}
      <ol className="log-entries">
        {entries.map((entry) => (
          <LogRow
            key={entry.requestId}
            entry={entry}
            current={entry.requestId === currentRequestId}
          />
        ))}
      </ol>
    </section>
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

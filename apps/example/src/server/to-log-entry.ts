import type { CostRecord } from '@genmeta/node-middleware';
import type { LogEntry } from '../shared/protocol.ts';

/** Trims one costLogger record to what the page's request log shows. */
export function toLogEntry(record: CostRecord): LogEntry {
  return {
    requestId: record.requestId,
    user: typeof record.attributes.user === 'string' ? record.attributes.user : null,
    startedAt: record.startedAt,
    method: record.method,
    path: record.path,
    statusCode: record.statusCode,
    durationMs: record.durationMs,
    generations: record.generations.map((generation) => ({
      id: generation.id,
      model: generation.model,
      provider: generation.provider,
      spendUsd: generation.spendUsd,
    })),
    spendUsd: record.spendUsd,
    knownSpendUsd: record.knownSpendUsd,
    unresolved: record.unresolved.map(({ id, reason }) => ({ id, reason })),
  };
}

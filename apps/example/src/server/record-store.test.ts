import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../shared/protocol.ts';
import { RecordStore } from './record-store.ts';

function entry(
  requestId: string,
  spendUsd: number | null,
  knownSpendUsd = spendUsd ?? 0,
  user: string | null = null,
): LogEntry {
  return {
    requestId,
    user,
    startedAt: '2026-01-01T00:00:00.000Z',
    method: 'POST',
    path: '/api/chat',
    statusCode: 200,
    durationMs: 10,
    generations: [],
    spendUsd,
    knownSpendUsd,
    unresolved: [],
  };
}

describe('RecordStore', () => {
  it('keeps the newest entries first, at most `limit`, and totals every record', () => {
    const store = new RecordStore(2);
    store.add(entry('a', 0.1));
    store.add(entry('b', 0.2));
    store.add(entry('c', null, 0.05));
    const log = store.snapshot();
    expect(log.entries.map((item) => item.requestId)).toEqual(['c', 'b']);
    expect(log.count).toBe(3);
    expect(log.unknownCount).toBe(1);
    // 0.1 + 0.2 + 0.05 without float noise; an unknown spend adds only what is known.
    expect(log.totalUsd).toBe(0.35);
  });

  it('keeps a running total per user', () => {
    const store = new RecordStore(1);
    store.add(entry('a', 0.1, 0.1, 'ada'));
    store.add(entry('b', 0.2, 0.2, 'grace'));
    store.add(entry('c', null, 0.05, 'ada'));
    store.add(entry('d', 0.3));
    expect(store.snapshot().users).toEqual([
      { user: 'ada', totalUsd: 0.15, count: 2, unknownCount: 1 },
      { user: 'grace', totalUsd: 0.2, count: 1, unknownCount: 0 },
      { user: null, totalUsd: 0.3, count: 1, unknownCount: 0 },
    ]);
  });

  it('tells subscribers about each record until they unsubscribe', () => {
    const store = new RecordStore();
    const seen: number[] = [];
    const unsubscribe = store.subscribe((log) => seen.push(log.count));
    store.add(entry('a', 0.1));
    unsubscribe();
    store.add(entry('b', 0.1));
    expect(seen).toEqual([1]);
  });
});

/**
 * The life of an incoming request and of its cost record, one state at a time. Every change
 * goes through {@link moveTo}, which refuses a change the table below does not list.
 *
 * ```text
 * open ──(response over)──► awaiting-fetches ──(fetches settled or waited out)──► sealed
 *   │                              │                                                │
 *   └──► dropped                   └──► done (a fault)          ┌───────────────────┤
 *   (no record: nothing tracked,                                ▼                   ▼
 *    or the host hook failed)                              looking-up ──► emitting ──► done
 * ```
 *
 * - `open`: the request runs; ids, inline usage and attributes are collected.
 * - `awaiting-fetches`: its response is over, tracked fetches it started still run (waited for,
 *   bounded); they may still add ids.
 * - `sealed`: later ids belong to no record; batched once per event-loop turn, then admitted or
 *   not against `maxPending`.
 * - `looking-up`: its ids are on the lookup queue.
 * - `emitting`: its sinks are called and waited for (bounded).
 * - `done`: its record is out (or was dropped on the way, counted and reported).
 * - `dropped`: it never had a record (it tracked nothing, or the host's hook failed).
 */
export type RequestState =
  | 'open'
  | 'awaiting-fetches'
  | 'sealed'
  | 'looking-up'
  | 'emitting'
  | 'done'
  | 'dropped';

/** The legal changes: from each state, the states it may move to. */
export const TRANSITIONS: Readonly<Record<RequestState, readonly RequestState[]>> = {
  open: ['awaiting-fetches', 'dropped'],
  'awaiting-fetches': ['sealed', 'done'],
  // `emitting` at once when there is nothing to look up; `done` when there is nothing to record
  sealed: ['looking-up', 'emitting', 'done'],
  'looking-up': ['emitting', 'done'],
  emitting: ['done'],
  done: [],
  dropped: [],
};

/** Whatever carries a request's state (its context). */
export interface HasRequestState {
  state: RequestState;
}

/** Thrown by {@link moveTo} for a change the table does not list: a fault of this package. */
export class IllegalTransitionError extends Error {
  constructor(
    readonly from: RequestState,
    readonly to: RequestState,
  ) {
    super(`genmeta: a request's record cannot move from "${from}" to "${to}"`);
    this.name = 'IllegalTransitionError';
  }
}

/** The one place a request's state changes; throws {@link IllegalTransitionError} when illegal. */
export function moveTo(subject: HasRequestState, next: RequestState): void {
  if (!TRANSITIONS[subject.state].includes(next)) {
    throw new IllegalTransitionError(subject.state, next);
  }
  subject.state = next;
}

/** Whether later ids, attributes and fetch endings belong to no record any more. */
export function isSealed(subject: HasRequestState): boolean {
  return subject.state !== 'open' && subject.state !== 'awaiting-fetches';
}

/** Whether the request's life is over (`done` or `dropped`). */
export function isFinal(subject: HasRequestState): boolean {
  return subject.state === 'done' || subject.state === 'dropped';
}

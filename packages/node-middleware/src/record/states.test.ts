import { describe, expect, it } from 'vitest';
import {
  type HasRequestState,
  IllegalTransitionError,
  isFinal,
  isSealed,
  moveTo,
  type RequestState,
  TRANSITIONS,
} from './states.js';

const STATES = Object.keys(TRANSITIONS) as RequestState[];

/** The life the README and the pipeline describe, written out once more by hand. */
const EXPECTED: Record<RequestState, RequestState[]> = {
  open: ['awaiting-fetches', 'dropped'],
  'awaiting-fetches': ['sealed', 'done'],
  sealed: ['looking-up', 'emitting', 'done'],
  'looking-up': ['emitting', 'done'],
  emitting: ['done'],
  done: [],
  dropped: [],
};

describe('the request and record state machine', () => {
  it('allows exactly the listed transitions, and refuses every other pair', () => {
    for (const from of STATES) {
      for (const to of STATES) {
        const subject: HasRequestState = { state: from };
        if (EXPECTED[from].includes(to)) {
          moveTo(subject, to);
          expect(subject.state).toBe(to);
        } else {
          expect(() => moveTo(subject, to), `${from} -> ${to}`).toThrow(IllegalTransitionError);
          expect(subject.state).toBe(from);
        }
      }
    }
  });

  it('names both ends of a refused transition', () => {
    const subject: HasRequestState = { state: 'done' };
    expect(() => moveTo(subject, 'open')).toThrow(/from "done" to "open"/);
  });

  it('reaches an end from every state, and nothing leaves an end', () => {
    const reachesEnd = (state: RequestState, seen = new Set<RequestState>()): boolean => {
      if (isFinal({ state })) return true;
      seen.add(state);
      return TRANSITIONS[state].some((next) => !seen.has(next) && reachesEnd(next, seen));
    };
    for (const state of STATES) expect(reachesEnd(state), state).toBe(true);
    expect(TRANSITIONS.done).toEqual([]);
    expect(TRANSITIONS.dropped).toEqual([]);
  });

  it('is sealed from `sealed` on: while open or awaiting fetches, ids still join the record', () => {
    const sealed = STATES.filter((state) => isSealed({ state }));
    expect(sealed.sort()).toEqual(['done', 'dropped', 'emitting', 'looking-up', 'sealed']);
  });

  it('walks the common life: open, awaiting fetches, sealed, looking up, emitting, done', () => {
    const subject: HasRequestState = { state: 'open' };
    for (const next of ['awaiting-fetches', 'sealed', 'looking-up', 'emitting', 'done'] as const) {
      moveTo(subject, next);
    }
    expect(isFinal(subject)).toBe(true);
  });
});

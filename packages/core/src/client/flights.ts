import type { Generation } from '../schemas/generation.js';
import type { AttemptController, AttemptOutcome } from './attempt.js';
import type { WaitingInfo } from './types.js';

/**
 * Sends one attempt at the flight's id, or shares the attempt already on the wire for it (a
 * waiting and a non-waiting lookup of one id ask once between them).
 */
export type SendAttempt = (
  timeoutMs: number,
  controller: AttemptController,
) => Promise<AttemptOutcome>;

/** A started lookup a flight shares: its promise and how to stop it. */
export interface FlightRun {
  promise: Promise<Generation>;
  abort(reason: unknown): void;
}

/** One caller's share of a lookup. */
export interface FlightTicket {
  /** Settles as the shared lookup does. */
  readonly promise: Promise<Generation>;
  /** This caller is done; the last one to leave an unfinished lookup aborts it with `reason`. */
  leave(reason?: unknown): void;
}

/**
 * The client's one "one request per id" point, everything in flight per id: at most one
 * waiting and one non-waiting lookup (reference-counted, aborted when their last caller
 * leaves), and at most one attempt on the wire, which both lookups share.
 */
export interface Flights {
  /**
   * Joins the id's lookup of that kind (`wait`), or starts one with `start`, which gets a
   * `notify` reaching every present caller's `listener` and the id's {@link SendAttempt}. A
   * finished lookup is forgotten: the next join starts anew.
   */
  join(
    id: string,
    wait: boolean,
    start: (notify: (info: WaitingInfo) => void, send: SendAttempt) => FlightRun,
    listener?: (info: WaitingInfo) => void,
  ): FlightTicket;
}

interface Lookup {
  readonly run: FlightRun;
  callers: number;
  readonly listeners: Set<(info: WaitingInfo) => void>;
}

interface IdFlight {
  /** Keyed by `wait`: waiting out not-ready 404s, or not. */
  readonly lookups: Map<boolean, Lookup>;
  /** The attempt on the wire, if one is. */
  request: Promise<AttemptOutcome> | undefined;
  readonly send: SendAttempt;
}

export function createFlights(): Flights {
  const flights = new Map<string, IdFlight>();

  const flightOf = (id: string): IdFlight => {
    const flight = flights.get(id);
    if (flight !== undefined) return flight;
    const created: IdFlight = {
      lookups: new Map(),
      request: undefined,
      send: (timeoutMs, controller) => {
        const shared = created.request;
        if (shared !== undefined) {
          // undefined: that attempt was abandoned (all its callers left): send one of our own.
          return controller
            .join(shared, timeoutMs)
            .then((outcome) => outcome ?? created.send(timeoutMs, controller));
        }
        const own = controller.attempt(id, timeoutMs);
        created.request = own;
        // Runs before the lookup resumes (registered first): a settled attempt is not joined.
        const forget = (): void => {
          if (created.request === own) created.request = undefined;
        };
        own.then(forget, forget);
        return own;
      },
    };
    flights.set(id, created);
    return created;
  };

  const drop = (id: string, flight: IdFlight, wait: boolean, lookup: Lookup): void => {
    if (flight.lookups.get(wait) === lookup) flight.lookups.delete(wait);
    if (flight.lookups.size === 0 && flights.get(id) === flight) flights.delete(id);
  };

  return {
    join(id, wait, start, listener) {
      const flight = flightOf(id);
      let lookup = flight.lookups.get(wait);
      if (lookup === undefined) {
        const listeners = new Set<(info: WaitingInfo) => void>();
        const notify = (info: WaitingInfo): void => {
          for (const each of listeners) {
            try {
              each(info);
            } catch {
              // a failing listener must not fail the shared lookup
            }
          }
        };
        const created: Lookup = { run: start(notify, flight.send), callers: 0, listeners };
        // Registered before any caller's await, so a settled lookup is forgotten before its
        // callers resume; it also marks the rejection handled for an abandoned lookup.
        const forget = (): void => drop(id, flight, wait, created);
        created.run.promise.then(forget, forget);
        flight.lookups.set(wait, created);
        lookup = created;
      }
      const joined = lookup;
      joined.callers++;
      // A caller's listener is its own entry, even when two callers pass the same function.
      const own = listener && ((info: WaitingInfo) => listener(info));
      if (own) joined.listeners.add(own);
      let left = false;
      return {
        promise: joined.run.promise,
        leave(reason) {
          if (left) return;
          left = true;
          joined.callers--;
          if (own) joined.listeners.delete(own);
          if (joined.callers === 0 && flight.lookups.get(wait) === joined) {
            drop(id, flight, wait, joined);
            joined.run.abort(reason);
          }
        },
      };
    },
  };
}

/** A started piece of work a flight shares: its promise and how to stop it. */
export interface FlightRun<T> {
  promise: Promise<T>;
  abort(reason: unknown): void;
}

/** One caller's share of a flight. */
export interface FlightTicket<T> {
  /** Settles as the shared work does. */
  readonly promise: Promise<T>;
  /** This caller is done; the last one to leave an unfinished flight aborts it with `reason`. */
  leave(reason?: unknown): void;
}

/** Work shared per key: single-flight, reference-counted, aborted when the last caller leaves. */
export interface Flights<T, E> {
  /**
   * Joins the key's flight, or starts one with `start` (which gets a `notify` reaching every
   * present caller's `listener`). A finished flight is forgotten: the next join starts anew.
   */
  join(
    key: string,
    start: (notify: (event: E) => void) => FlightRun<T>,
    listener?: (event: E) => void,
  ): FlightTicket<T>;
}

interface Flight<T, E> {
  promise: Promise<T>;
  run: FlightRun<T>;
  callers: number;
  listeners: Set<(event: E) => void>;
}

export function createFlights<T, E = never>(): Flights<T, E> {
  const flights = new Map<string, Flight<T, E>>();

  return {
    join(key, start, listener) {
      let flight = flights.get(key);
      if (flight === undefined) {
        const listeners = new Set<(event: E) => void>();
        const notify = (event: E): void => {
          for (const each of listeners) {
            try {
              each(event);
            } catch {
              // a failing listener must not fail the shared work
            }
          }
        };
        const run = start(notify);
        const created: Flight<T, E> = { run, listeners, callers: 0, promise: run.promise };
        // Registered before any caller's await, so a settled flight is forgotten before its
        // callers resume; it also marks the rejection handled for an abandoned flight.
        const forget = (): void => {
          if (flights.get(key) === created) flights.delete(key);
        };
        run.promise.then(forget, forget);
        flights.set(key, created);
        flight = created;
      }
      const joined = flight;
      joined.callers++;
      // A caller's listener is its own entry, even when two callers pass the same function.
      const own = listener && ((event: E) => listener(event));
      if (own) joined.listeners.add(own);
      let left = false;
      return {
        promise: joined.promise,
        leave(reason) {
          if (left) return;
          left = true;
          joined.callers--;
          if (own) joined.listeners.delete(own);
          if (joined.callers === 0 && flights.get(key) === joined) {
            flights.delete(key);
            joined.run.abort(reason);
          }
        },
      };
    },
  };
}

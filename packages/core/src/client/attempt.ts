import { type GenmetaError, isGenmetaError } from '../errors.js';
import { abortable, sleep } from '../internal/abort.js';
import type { Generation } from '../schemas/generation.js';
import { isPromise, type KeyReading } from './api-key.js';
import type { Transport } from './transport.js';

/**
 * One attempt's end: the generation, a typed error, or the attempt's own timeout (`waitingFor`:
 * the key function's answer, or the server's).
 */
export type AttemptOutcome =
  | { generation: Generation }
  | { error: GenmetaError }
  | { timedOut: true; waitingFor: 'key' | 'server' };

/**
 * Owns the abort controller of one lookup: it aborts whatever the lookup does now (a request
 * or a wait). An attempt that times out aborts it and puts a fresh one in its place, so the
 * common path needs one controller per lookup, not one per attempt.
 */
export interface AttemptController {
  /**
   * Reads the key, then one GET, both within the attempt's own timeout. Rejects with the
   * abandon reason once abandoned.
   */
  attempt(id: string, timeoutMs: number): Promise<AttemptOutcome>;
  /**
   * Waits for `shared`, another lookup's attempt at the same id, as if it were this one's:
   * its outcome, `undefined` when that attempt was abandoned (rejected), or a timeout after
   * `timeoutMs`. Rejects with the abandon reason once this lookup is abandoned.
   */
  join(shared: Promise<AttemptOutcome>, timeoutMs: number): Promise<AttemptOutcome | undefined>;
  /** Waits `ms`; rejects with the abandon reason once abandoned. */
  sleep(ms: number): Promise<void>;
  /** Stops the lookup for good (every caller left); what it does now rejects with `reason`. */
  abandon(reason: unknown): void;
}

/** An {@link AttemptController} over the client's transport and key reader. */
export function createAttemptController(
  transport: Transport,
  readKey: () => KeyReading,
): AttemptController {
  let controller = new AbortController();
  let abandoned = false;

  return {
    async attempt(id, timeoutMs) {
      const current = controller;
      const signal = current.signal;
      if (signal.aborted) throw signal.reason;
      let timedOut = false;
      let waitingFor: 'key' | 'server' = 'key';
      const timer = setTimeout(() => {
        timedOut = true;
        current.abort();
      }, timeoutMs);
      let key: string | undefined;
      try {
        const reading = readKey();
        // A key function that never answers is bounded like a server that never answers.
        key = isPromise(reading) ? await abortable(reading, signal) : reading;
        waitingFor = 'server';
        return await transport.get(id, key, signal);
      } catch (error) {
        if (abandoned) throw signal.reason;
        if (timedOut) return { timedOut: true, waitingFor };
        if (isGenmetaError(error)) return { error };
        return { error: transport.networkError(error, id, key) };
      } finally {
        clearTimeout(timer);
        // The timeout aborted this controller: the next attempt or wait gets a fresh one.
        if (timedOut && !abandoned) controller = new AbortController();
      }
    },
    join(shared, timeoutMs) {
      const signal = controller.signal;
      return new Promise((resolve, reject) => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        const settle = (outcome: AttemptOutcome | undefined): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(outcome);
        };
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(signal.reason);
        };
        // Nothing of this lookup's own is in flight, so its timeout aborts nothing.
        const timer = setTimeout(() => settle({ timedOut: true, waitingFor: 'server' }), timeoutMs);
        signal.addEventListener('abort', onAbort, { once: true });
        shared.then(settle, () => settle(undefined));
      });
    },
    sleep: (ms) => sleep(ms, controller.signal),
    abandon(reason) {
      abandoned = true;
      controller.abort(reason);
    },
  };
}

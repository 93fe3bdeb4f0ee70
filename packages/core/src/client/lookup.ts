import type { GenmetaError } from '../errors.js';
import type { Generation } from '../schemas/generation.js';
import { isPromise } from './api-key.js';
import type { AttemptController } from './attempt.js';
import type { Log } from './log.js';
import { attemptTimeoutError, notFoundError, pastDeadlineError } from './lookup-errors.js';
import type { ResolvedOptions } from './options.js';
import { nextStep, type PolicyState } from './policy.js';
import type { WaitingInfo } from './types.js';

/**
 * The lookup loop: cache, attempts, and what {@link nextStep} says after each failure. `wait`:
 * wait out not-ready 404s; `onWaiting` hears each wait.
 */
export type Lookup = (
  id: string,
  deadlineMs: number,
  wait: boolean,
  onWaiting: (info: WaitingInfo) => void,
  controller: AttemptController,
) => Promise<Generation>;

export function createLookup(options: ResolvedOptions, log: Log): Lookup {
  const { cache, timeoutMs, maxRetries, retryDelayMs } = options;

  /** The cached generation; a synchronous cache (the default) is read without an await. */
  const cached = (id: string): Generation | undefined | Promise<Generation | undefined> => {
    if (cache === undefined) return undefined;
    const failed = (error: unknown): undefined => {
      log('warn', { id, error: String(error) }, 'cache get failed');
      return undefined;
    };
    try {
      const got = cache.get(id);
      return isPromise(got) ? got.catch(failed) : got;
    } catch (error) {
      return failed(error);
    }
  };

  const remember = async (id: string, generation: Generation): Promise<void> => {
    if (cache === undefined) return;
    try {
      const stored = cache.set(id, generation);
      if (isPromise(stored)) await stored;
    } catch (error) {
      log('warn', { id, error: String(error) }, 'cache set failed');
    }
  };

  return async (id, deadlineMs, wait, onWaiting, controller) => {
    let hit = cached(id);
    if (isPromise(hit)) hit = await hit;
    if (hit !== undefined) return hit;
    const startedAt = Date.now();
    const deadlineAt = startedAt + deadlineMs;
    let attempts = 0;
    let last: GenmetaError | undefined;
    // One policy state per lookup, updated in place.
    const state: PolicyState = {
      wait,
      notReady: 0,
      retries: 0,
      maxRetries,
      retryDelayMs,
      remainingMs: deadlineMs,
      random: Math.random,
    };

    for (;;) {
      const remaining = deadlineAt - Date.now();
      if (remaining <= 0) throw pastDeadlineError(id, deadlineMs, last);
      const attemptTimeoutMs = Math.min(timeoutMs, remaining);
      attempts++;
      const outcome = await controller.attempt(id, attemptTimeoutMs);
      if ('generation' in outcome) {
        if (cache) await remember(id, outcome.generation);
        return outcome.generation;
      }
      let error: GenmetaError;
      if ('timedOut' in outcome) {
        if (attemptTimeoutMs < timeoutMs) throw pastDeadlineError(id, deadlineMs, last);
        error = attemptTimeoutError(id, timeoutMs);
      } else {
        error = outcome.error;
      }
      last = error;
      state.remainingMs = deadlineAt - Date.now();
      const step = nextStep(error, state);
      if (step.kind === 'fail') {
        if (step.reason === 'not_ready') throw notFoundError(id, { said: error.message });
        if (step.reason === 'deadline') throw pastDeadlineError(id, deadlineMs, last);
        throw error;
      }
      if (step.kind === 'wait') {
        state.notReady++;
        const info: WaitingInfo = {
          id,
          attempt: attempts,
          elapsedMs: Date.now() - startedAt,
          delayMs: step.delayMs,
        };
        log('info', { ...info }, 'generation not ready, waiting');
        onWaiting(info);
        await controller.sleep(step.delayMs);
        // With a shared cache another instance may have stored it meanwhile.
        let stored = cached(id);
        if (isPromise(stored)) stored = await stored;
        if (stored !== undefined) return stored;
        continue;
      }
      state.retries++;
      log(
        'warn',
        {
          id,
          attempt: attempts,
          retry: state.retries,
          code: error.code,
          status: error.status,
          delayMs: step.delayMs,
        },
        'retrying',
      );
      await controller.sleep(step.delayMs);
    }
  };
}

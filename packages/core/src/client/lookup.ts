import type { GenmetaError } from '../errors.js';
import type { Generation } from '../schemas/generation.js';
import { isPromise } from './api-key.js';
import type { AttemptController, AttemptOutcome } from './attempt.js';
import { createCacheAccess } from './cache-access.js';
import type { Log } from './log.js';
import { attemptTimeoutError, notFoundError, pastDeadlineError } from './lookup-errors.js';
import type { ResolvedOptions } from './options.js';
import { nextStep, notReadyStep, type PolicyState } from './policy.js';
import type { WaitingInfo } from './types.js';

/** What one lookup was asked: see {@link GetGenerationOptions}. */
export interface LookupRequest {
  id: string;
  deadlineMs: number;
  /** Wait out not-ready 404s. */
  wait: boolean;
  /** When the completion ended (epoch ms), if the caller knows: the not-ready schedule's anchor. */
  finishedAt: number | undefined;
  /** Hears each not-ready wait. */
  onWaiting: (info: WaitingInfo) => void;
}

/** The lookup loop: cache, attempts, and what {@link nextStep} says after each failure. */
export type Lookup = (request: LookupRequest, controller: AttemptController) => Promise<Generation>;

export function createLookup(options: ResolvedOptions, log: Log): Lookup {
  const { timeoutMs, maxRetries, retryDelayMs, cacheTimeoutMs } = options;
  const cache = createCacheAccess(options.cache, log);
  // The attempt in flight per id. Waiting and non-waiting lookups of one id are separate
  // flights; one that would send a request while the other has one in flight joins it instead.
  const inFlight = new Map<string, Promise<AttemptOutcome>>();

  /** One attempt, or a share of the one in flight for `id`. */
  function attempt(
    id: string,
    attemptTimeoutMs: number,
    controller: AttemptController,
  ): Promise<AttemptOutcome> {
    const shared = inFlight.get(id);
    if (shared !== undefined) return joinOrSend(id, attemptTimeoutMs, controller, shared);
    const own = controller.attempt(id, attemptTimeoutMs);
    inFlight.set(id, own);
    // Runs before the lookup resumes (registered first): a settled attempt is not joined.
    const forget = (): void => {
      if (inFlight.get(id) === own) inFlight.delete(id);
    };
    own.then(forget, forget);
    return own;
  }

  async function joinOrSend(
    id: string,
    attemptTimeoutMs: number,
    controller: AttemptController,
    shared: Promise<AttemptOutcome>,
  ): Promise<AttemptOutcome> {
    const outcome = await controller.join(shared, attemptTimeoutMs);
    // undefined: that attempt was abandoned (all its callers left), so this lookup sends its own.
    return outcome ?? attempt(id, attemptTimeoutMs, controller);
  }

  return async ({ id, deadlineMs, wait, finishedAt, onWaiting }, controller) => {
    const startedAt = Date.now();
    const deadlineAt = startedAt + deadlineMs;
    // The cache is bounded by the deadline too: a hung read is skipped, not waited for.
    const cacheBound = (): number => Math.max(1, Math.min(cacheTimeoutMs, deadlineAt - Date.now()));
    let hit = cache.get(id, cacheBound());
    if (isPromise(hit)) hit = await hit;
    if (hit !== undefined) return hit;
    const anchor = finishedAt === undefined ? startedAt : Math.min(finishedAt, startedAt);
    let attempts = 0;
    let last: GenmetaError | undefined;
    // One policy state per lookup, updated in place; built at the first failure (most lookups
    // succeed at once and never need it).
    let state: PolicyState | undefined;
    const stateOf = (): PolicyState => {
      state ??= {
        wait,
        notReady: 0,
        retries: 0,
        maxRetries,
        retryDelayMs,
        remainingMs: deadlineMs,
        sinceAnchorMs: 0,
        lastAttemptMs: 0,
        lastChance: false,
        random: Math.random,
      };
      return state;
    };
    // A caller that knows when the completion ended spends no request before its stats can be ready.
    if (finishedAt !== undefined && wait) {
      const before = stateOf();
      const first = notReadyStep({ ...before, sinceAnchorMs: startedAt - anchor });
      if (first.kind === 'wait' && first.delayMs > 0) {
        before.notReady++;
        if (first.last) before.lastChance = true;
        await controller.sleep(first.delayMs);
      }
    }

    for (;;) {
      const attemptStart = Date.now();
      const remaining = deadlineAt - attemptStart;
      if (remaining <= 0) throw pastDeadlineError(id, deadlineMs, last);
      const attemptTimeoutMs = Math.min(timeoutMs, remaining);
      attempts++;
      const outcome = await attempt(id, attemptTimeoutMs, controller);
      if ('generation' in outcome) {
        const stored = cache.set(id, outcome.generation, cacheBound());
        if (isPromise(stored)) await stored;
        return outcome.generation;
      }
      let error: GenmetaError;
      if ('timedOut' in outcome) {
        if (attemptTimeoutMs < timeoutMs) throw pastDeadlineError(id, deadlineMs, last);
        error = attemptTimeoutError(id, timeoutMs, outcome.waitingFor);
      } else {
        error = outcome.error;
      }
      last = error;
      const now = Date.now();
      const state = stateOf();
      state.remainingMs = deadlineAt - now;
      state.sinceAnchorMs = now - anchor;
      state.lastAttemptMs = now - attemptStart;
      const step = nextStep(error, state);
      if (step.kind === 'fail') {
        if (step.reason === 'not_ready') throw notFoundError(id, { said: error.message });
        if (step.reason === 'deadline') throw pastDeadlineError(id, deadlineMs, last);
        throw error;
      }
      if (step.kind === 'wait') {
        state.notReady++;
        if (step.last) state.lastChance = true;
        const info: WaitingInfo = {
          id,
          attempt: attempts,
          elapsedMs: now - startedAt,
          delayMs: step.delayMs,
        };
        log('info', { ...info }, 'generation not ready, waiting');
        onWaiting(info);
        await controller.sleep(step.delayMs);
        // With a shared cache another instance may have stored it meanwhile.
        let stored = cache.get(id, cacheBound());
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

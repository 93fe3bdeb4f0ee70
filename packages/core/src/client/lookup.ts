import type { GenmetaError } from '../errors.js';
import { createReadinessLearner } from '../internal/readiness-learner.js';
import type { Generation } from '../schemas/generation.js';
import { isPromise } from './api-key.js';
import type { AttemptController } from './attempt.js';
import { createCacheAccess } from './cache-access.js';
import type { SendAttempt } from './flights.js';
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
  /** Sends an attempt, or shares the one on the wire for this id (see `flights.ts`). */
  send: SendAttempt;
}

/** The lookup loop: cache, attempts, and what {@link nextStep} says after each failure. */
export type Lookup = (request: LookupRequest, controller: AttemptController) => Promise<Generation>;

export function createLookup(options: ResolvedOptions, log: Log): Lookup {
  const { timeoutMs, maxRetries, retryDelayMs, cacheTimeoutMs } = options;
  const cache = createCacheAccess(options.cache, log);
  // What this client's waits taught it of when stats appear: where later waits aim.
  const readiness = createReadinessLearner(retryDelayMs / 250);
  // How often a lookup that found another instance asking re-reads the shared cache.
  const claimPollMs = Math.max(10, Math.round(retryDelayMs * 0.4));
  return async ({ id, deadlineMs, wait, finishedAt, onWaiting, send }, controller) => {
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
    // ms after the anchor of the last not-ready 404, if one came.
    let notReadyAt: number | undefined;
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
        learnedAims: wait ? readiness.aims() : undefined,
      };
      return state;
    };
    // A caller that knows when the completion ended spends no request before its stats can be
    // ready; nor does one whose client learned that lookups asking at once are told "not ready".
    const learnedSkip = wait && finishedAt === undefined && readiness.skipFirst();
    const skipFirst = learnedSkip || (wait && finishedAt !== undefined);
    // Not asked before the first aim: the stats appeared after the anchor, that is all we know.
    if (learnedSkip) notReadyAt = 0;
    if (skipFirst) {
      const before = stateOf();
      const first = notReadyStep({ ...before, sinceAnchorMs: startedAt - anchor });
      if (first.kind === 'wait' && first.delayMs > 0) {
        before.notReady++;
        if (first.last) before.lastChance = true;
        await controller.sleep(first.delayMs);
        // Like every not-ready wait: another lookup or instance may have stored it meanwhile.
        let stored = cache.get(id, cacheBound());
        if (isPromise(stored)) stored = await stored;
        if (stored !== undefined) return stored;
      }
    }

    for (;;) {
      const attemptStart = Date.now();
      const remaining = deadlineAt - attemptStart;
      if (remaining <= 0) throw pastDeadlineError(id, deadlineMs, last);
      const attemptTimeoutMs = Math.min(timeoutMs, remaining);
      let claimed = cache.claim(id, attemptTimeoutMs, cacheBound());
      if (isPromise(claimed)) claimed = await claimed;
      if (!claimed) {
        // Another instance is asking upstream for this id: its answer lands in the shared cache.
        await controller.sleep(Math.min(claimPollMs, remaining));
        let stored = cache.get(id, cacheBound());
        if (isPromise(stored)) stored = await stored;
        if (stored !== undefined) return stored;
        continue;
      }
      if (cache.claims) {
        // Another instance may have stored it and given its claim back between our last read
        // and our claim: read once more before asking upstream.
        let stored = cache.get(id, cacheBound());
        if (isPromise(stored)) stored = await stored;
        if (stored !== undefined) {
          cache.release(id);
          return stored;
        }
      }
      attempts++;
      const outcome = await send(attemptTimeoutMs, controller);
      if (attempts === 1 && wait && !skipFirst) {
        const ready = 'generation' in outcome;
        if (ready || ('error' in outcome && outcome.error.status === 404)) {
          readiness.firstAnswered(ready);
        }
      }
      if ('generation' in outcome) {
        if (notReadyAt !== undefined) readiness.observe(notReadyAt, Date.now() - anchor);
        const stored = cache.set(id, outcome.generation, cacheBound());
        if (isPromise(stored)) await stored;
        // After the write: an instance that finds the claim gone finds the generation stored.
        cache.release(id);
        return outcome.generation;
      }
      cache.release(id);
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
        notReadyAt = state.sinceAnchorMs;
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

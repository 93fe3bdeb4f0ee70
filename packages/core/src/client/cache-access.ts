import type { GenerationCache } from '../cache.js';
import { cachedGenerationProblem } from '../internal/parse-generation.js';
import type { Generation } from '../schemas/generation.js';
import { isPromise } from './api-key.js';
import type { Log } from './log.js';

/** The client's side of its cache: reads and writes bounded in time, hits checked. */
export interface CacheAccess {
  /**
   * The cached generation `id`, or `undefined` (a miss, a failure, a read slower than
   * `boundMs`, or a value that is not that generation). A synchronous cache is read without
   * an await.
   */
  get(id: string, boundMs: number): Generation | undefined | Promise<Generation | undefined>;
  /** Stores `generation`, waiting at most `boundMs` for a slow cache (the write goes on). */
  set(id: string, generation: Generation, boundMs: number): void | Promise<void>;
  /**
   * Whether this lookup may ask upstream for `id` now: `false` only when the cache says another
   * instance is asking (see {@link GenerationCache.claim}); a cache without claims, a failure or
   * an answer slower than `boundMs` say `true`.
   */
  claim(id: string, ttlMs: number, boundMs: number): boolean | Promise<boolean>;
  /** Gives the claim back, not waited for. */
  release(id: string): void;
  /** Whether the cache takes claims (one shared by several instances, such as Redis). */
  readonly claims: boolean;
}

/** Settles like `promise`, or with `undefined` after `ms` (`onLate` then hears of it). */
function within<T>(promise: Promise<T>, ms: number, onLate: () => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      onLate();
      resolve(undefined);
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** A {@link CacheAccess} over `cache`; with no cache every read misses. */
export function createCacheAccess(cache: GenerationCache | undefined, log: Log): CacheAccess {
  const checked = (id: string, value: Generation | undefined): Generation | undefined => {
    if (value === undefined || value === null) return undefined;
    const problem = cachedGenerationProblem(value, id);
    if (problem === undefined) return value;
    log('warn', { id, problem }, 'cache returned something that is not the generation; ignored');
    return undefined;
  };
  return {
    claims: cache?.claim !== undefined,
    claim(id, ttlMs, boundMs) {
      if (cache?.claim === undefined) return true;
      const failed = (error: unknown): true => {
        log('warn', { id, error: String(error) }, 'cache claim failed; asking upstream');
        return true;
      };
      try {
        const claimed = cache.claim(id, ttlMs);
        if (!isPromise(claimed)) return claimed !== false;
        const late = (): void => log('warn', { id, boundMs }, 'cache claim too slow; skipped');
        return within(claimed, boundMs, late).then((value) => value !== false, failed);
      } catch (error) {
        return failed(error);
      }
    },
    release(id) {
      if (cache?.release === undefined) return;
      const failed = (error: unknown): void => {
        log('warn', { id, error: String(error) }, 'cache release failed');
      };
      try {
        const released = cache.release(id);
        if (isPromise(released)) released.then(undefined, failed);
      } catch (error) {
        failed(error);
      }
    },
    get(id, boundMs) {
      if (cache === undefined) return undefined;
      const failed = (error: unknown): undefined => {
        log('warn', { id, error: String(error) }, 'cache get failed');
        return undefined;
      };
      try {
        const got = cache.get(id);
        if (!isPromise(got)) return checked(id, got);
        const late = (): void => log('warn', { id, boundMs }, 'cache get too slow; skipped');
        return within(got, boundMs, late).then((value) => checked(id, value), failed);
      } catch (error) {
        return failed(error);
      }
    },
    set(id, generation, boundMs) {
      if (cache === undefined) return;
      const failed = (error: unknown): void => {
        log('warn', { id, error: String(error) }, 'cache set failed');
      };
      try {
        const stored = cache.set(id, generation);
        if (!isPromise(stored)) return;
        const late = (): void => log('warn', { id, boundMs }, 'cache set too slow; not waited for');
        return within(stored, boundMs, late).then(() => undefined, failed);
      } catch (error) {
        failed(error);
      }
    },
  };
}

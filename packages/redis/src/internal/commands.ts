import { createHash } from 'node:crypto';
import { RedisUnavailableError } from '../errors.js';
import type { RedisConnection } from './connection.js';
import { type Health, type Redactor, summarizeFailure } from './health.js';

/** Runs commands with one time bound each and reports every outcome to the shared health. */
export interface CommandRunner {
  /**
   * Sends one command; rejects with a {@link RedisUnavailableError} (its cause log-safe) on a
   * Redis error, a connection failure, no answer within the bound, or after close.
   */
  send(operation: string, args: readonly string[], options?: CallOptions): Promise<unknown>;
  /** Runs a Lua script by its SHA1, loading it once more after a Redis restart flushed it. */
  script(
    operation: string,
    script: LuaScript,
    keys: readonly string[],
    args: readonly string[],
    options?: CallOptions,
  ): Promise<unknown>;
  /** Later calls reject with reason `closed`. */
  close(): void;
}

/** How a call's failure counts toward the shared health. */
export interface CallOptions {
  /**
   * The call reads or writes one key of one user (a cache entry): its timeout says something
   * about that key (a huge or slow value), not about Redis, so it does not start an outage.
   */
  perKey?: boolean;
}

// Error replies that say the server as a whole cannot serve (not this call's key or script).
const serverWideReply =
  /^(BUSY|LOADING|MASTERDOWN|READONLY|NOAUTH|WRONGPASS|NOPERM|OOM|CLUSTERDOWN)\b/;

/**
 * An error reply of this call (WRONGTYPE, a script's own error...): Redis answered, so it is
 * not an outage. node-redis' `ErrorReply` and ioredis' `ReplyError`, told by class name so that
 * an app's own copy of either client is recognised.
 */
function isCallErrorReply(error: unknown): boolean {
  if (!(error instanceof Error) || serverWideReply.test(error.message)) return false;
  for (
    let proto = Object.getPrototypeOf(error);
    proto !== null;
    proto = Object.getPrototypeOf(proto)
  ) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name;
    if (name === 'ErrorReply' || name === 'ReplyError') return true;
    if (name === 'Error') return false;
  }
  return false;
}

export interface LuaScript {
  source: string;
  sha1: string;
}

export function luaScript(source: string): LuaScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

export interface CommandRunnerSettings {
  connection: RedisConnection;
  timeoutMs: number;
  health: Health;
  redact: Redactor;
}

/** A copy of a failure without anything that could carry a secret. */
function safeCause(error: unknown, redact: Redactor): Error {
  const summary = summarizeFailure(error, redact);
  const cause = new Error(summary.message);
  cause.name = summary.name;
  if (summary.code !== undefined) Object.assign(cause, { code: summary.code });
  return cause;
}

export function createCommandRunner(settings: CommandRunnerSettings): CommandRunner {
  const { connection, timeoutMs, health, redact } = settings;
  let closed = false;
  // While Redis is known to be away, one call at a time (the probe) goes to it and the others
  // fail at once with the outage's reason: a hung Redis then costs one request the time bound,
  // not every request, and the client does not pile up commands that will never be answered.
  let probing = false;
  let outageReason: 'error' | 'timeout' = 'error';

  // `expected` marks a Redis error reply that is part of the protocol (NOSCRIPT), not an outage.
  const send = (
    operation: string,
    args: readonly string[],
    options: CallOptions = {},
    expected?: (error: unknown) => boolean,
  ): Promise<unknown> => {
    if (closed) return Promise.reject(new RedisUnavailableError(operation, 'closed'));
    const isProbe = !health.available;
    if (isProbe && probing)
      return Promise.reject(new RedisUnavailableError(operation, outageReason));
    if (isProbe) probing = true;
    const settled = () => {
      if (isProbe) probing = false;
    };
    const controller = new AbortController();
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        controller.abort();
        settled();
        const error = new RedisUnavailableError(operation, 'timeout');
        if (options.perKey !== true) {
          outageReason = 'timeout';
          health.failed(operation, summarizeFailure(error, redact));
        }
        reject(error);
      }, timeoutMs);
      timer.unref?.();
      let reply: Promise<unknown>;
      try {
        reply = connection.send(args, controller.signal);
      } catch (error) {
        reply = Promise.reject(error);
      }
      reply.then(
        (value) => {
          if (controller.signal.aborted) return;
          clearTimeout(timer);
          settled();
          health.succeeded();
          resolve(value);
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          clearTimeout(timer);
          settled();
          if (expected?.(error)) {
            reject(error);
            return;
          }
          if (isCallErrorReply(error)) health.succeeded();
          else {
            outageReason = 'error';
            health.failed(operation, summarizeFailure(error, redact));
          }
          reject(
            new RedisUnavailableError(operation, 'error', { cause: safeCause(error, redact) }),
          );
        },
      );
    });
  };

  const isNoScript = (error: unknown): boolean =>
    error instanceof Error && error.message.startsWith('NOSCRIPT');

  return {
    send: (operation, args, options) => send(operation, args, options),
    async script(operation, script, keys, args, options) {
      const tail = [String(keys.length), ...keys, ...args];
      try {
        return await send(operation, ['EVALSHA', script.sha1, ...tail], options, isNoScript);
      } catch (error) {
        if (!isNoScript(error)) throw error;
        return send(operation, ['EVAL', script.source, ...tail], options);
      }
    },
    close() {
      closed = true;
    },
  };
}

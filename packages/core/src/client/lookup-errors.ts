import { type GenmetaError, NotFoundError, TimeoutError } from '../errors.js';

/**
 * The one place a lookup's NotFoundError is built: `said` for a 404 while not waiting,
 * `deadlineMs` when the stats were still not ready at the deadline.
 */
export function notFoundError(
  id: string,
  why: { said: string } | { deadlineMs: number; cause: GenmetaError },
): NotFoundError {
  if ('said' in why) {
    return new NotFoundError(
      `Generation ${id} was not found (${why.said}). If it just finished, it may still be processing: try again in a few seconds.`,
      { status: 404, generationId: id },
    );
  }
  return new NotFoundError(
    `Generation ${id} was not found within ${why.deadlineMs} ms. It may still be processing: OpenRouter serves a generation's stats a few seconds after it ends. Try again later, or allow a longer deadline.`,
    { status: 404, generationId: id, cause: why.cause },
  );
}

/** The lookup's answer once its deadline passed: not found when the last answer was a 404. */
export function pastDeadlineError(
  id: string,
  deadlineMs: number,
  last: GenmetaError | undefined,
): GenmetaError {
  if (last?.code === 'not_found') return notFoundError(id, { deadlineMs, cause: last });
  return new TimeoutError(
    `Lookup of generation ${id} did not finish within its ${deadlineMs} ms deadline${last ? ` (last error: ${last.message})` : ''}`,
    { generationId: id, cause: last },
  );
}

/** One attempt that got no answer within `timeoutMs` (from the server, or the key function). */
export function attemptTimeoutError(
  id: string,
  timeoutMs: number,
  waitingFor: 'key' | 'server' = 'server',
): TimeoutError {
  const what =
    waitingFor === 'key'
      ? `The apiKey function gave no key for generation ${id}`
      : `No answer for generation ${id}`;
  return new TimeoutError(`${what} within ${timeoutMs} ms`, { generationId: id });
}

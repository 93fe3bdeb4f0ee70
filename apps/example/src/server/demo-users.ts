import type { IncomingMessage } from 'node:http';
import { type DemoUser, demoUserHeader } from '../shared/protocol.ts';

/** How long the limited demo user's budget lasts. */
export const demoLimitWindowMs = 120_000;

/**
 * The page's demo users. Grace has a tiny budget (one millionth of a dollar per two minutes): her
 * first chat goes through, and the next ones are refused until it slides out of the window.
 */
export const demoUsers: readonly DemoUser[] = [
  { id: 'ada', name: 'Ada', limitUsd: null, limitWindowMs: null },
  { id: 'grace', name: 'Grace', limitUsd: 0.000001, limitWindowMs: demoLimitWindowMs },
  { id: 'linus', name: 'Linus', limitUsd: null, limitWindowMs: null },
];

/** The demo user a request is made for (`x-demo-user`), or undefined for none or an unknown one. */
export function demoUserOf(request: IncomingMessage): DemoUser | undefined {
  const id = request.headers[demoUserHeader];
  return demoUsers.find((user) => user.id === id);
}

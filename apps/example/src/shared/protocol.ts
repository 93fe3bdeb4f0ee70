/**
 * What the server and the page say to each other. The page never sees an OpenRouter key:
 * it reads replies and cost records from these shapes, and generation metadata from the proxy.
 */

/** One line of the NDJSON stream that `POST /api/chat` answers with. */
export type ChatEvent =
  | {
      type: 'start';
      /** From OpenRouter's `X-Generation-Id` header; null until the first chunk names it. */
      generationId: string | null;
      /** This request's id in the cost log (costLogger's `x-request-id`). */
      requestId: string | null;
    }
  | { type: 'delta'; text: string }
  | {
      type: 'done';
      generationId: string | null;
      model: string | null;
      /** `usage.cost` from the stream's last chunk, when OpenRouter sent it. */
      inlineCostUsd: number | null;
    }
  | { type: 'error'; message: string };

/** A generation inside one request's cost record, as the page's request log shows it. */
export interface LogGeneration {
  id: string;
  model: string | null;
  provider: string | null;
  /** null when the cost could not be obtained (never 0 for unknown). */
  spendUsd: number | null;
}

/** One incoming request's cost record, trimmed for the page. */
export interface LogEntry {
  requestId: string;
  /** The demo user the request was attributed to (the record's `attributes.user`), if any. */
  user: string | null;
  startedAt: string;
  method: string;
  path: string;
  statusCode: number;
  durationMs: number;
  generations: LogGeneration[];
  /** The request's total spend; null when any part of it is unknown. */
  spendUsd: number | null;
  /** Sum of the spends that are known (equals `spendUsd` when that is not null). */
  knownSpendUsd: number;
  unresolved: { id: string; reason: string }[];
}

/** The request log: the latest records, newest first, and totals over every record so far. */
export interface RequestLog {
  entries: LogEntry[];
  /** Sum of every known spend since the server started (a lower bound when `unknownCount > 0`). */
  totalUsd: number;
  /** Records seen since the server started (may exceed `entries.length`). */
  count: number;
  /** Records whose spend is unknown. */
  unknownCount: number;
  /** Running totals per attributed user (records without a user under `user: null`). */
  users: UserTotal[];
}

/** One user's running total in the request log. */
export interface UserTotal {
  user: string | null;
  /** Sum of this user's known spends since the server started. */
  totalUsd: number;
  count: number;
  unknownCount: number;
}

/** A demo user of the picker; requests carry its id in the `x-demo-user` header. */
export interface DemoUser {
  id: string;
  name: string;
  /** This user's spend limit (USD per `limitWindowMs`), or null for none. */
  limitUsd: number | null;
  limitWindowMs: number | null;
}

/** `GET /api/limits`: a limited demo user's spend in the current window. */
export interface UserLimit {
  user: string;
  /** known spend in the window, USD */
  spentUsd: number;
  limitUsd: number;
  /** true when the user's next chat is refused */
  limited: boolean;
  /** when limited: seconds until the user may chat again */
  retryAfterSeconds: number | null;
}

/** `GET /api/info`: how the server is wired. */
export interface AppInfo {
  /** `offline`: an in-process fake OpenRouter; `openrouter`: the real one (or OPENROUTER_BASE_URL). */
  mode: 'offline' | 'openrouter';
  model: string;
  /** A shell line that looks a generation up with the CLI; `<id>` marks where the id goes. */
  cliCommand: string;
  /** The users of the page's picker. */
  users: DemoUser[];
}

/** The header that says which demo user a request is made for. */
export const demoUserHeader = 'x-demo-user';

/**
 * One scripted answer to `GET /api/v1/generation` for a given id, consumed in order.
 *
 * - `status`: OpenRouter's JSON error body `{"error":{"code","message"},"user_id":null}`.
 * - `html`: a CDN-style HTML error page (`text/html`).
 * - `empty`: an empty body.
 * - `malformed`: invalid JSON served as `application/json` (status defaults to 200).
 * - `body`: any raw body, with optional headers.
 * - `drop`: the socket is destroyed without an answer.
 * - `slow`: wait `delayMs`, then answer normally.
 */
export type FaultStep =
  | { type: 'status'; status: number; headers?: Record<string, string>; message?: string }
  | { type: 'html'; status: number }
  | { type: 'empty'; status: number }
  | { type: 'malformed'; status?: number }
  | { type: 'body'; status: number; body: string; headers?: Record<string, string> }
  | { type: 'drop' }
  | { type: 'slow'; delayMs: number };

/**
 * A generation record as served in `data` by `GET /api/v1/generation`: all 45 documented fields
 * are present (null where not applicable), plus any extra field given to `addGeneration`.
 */
export interface FakeGeneration {
  /** The generation id, e.g. `gen-1764704027-YmgZuzDAKrAywxh1aHQW`. */
  id: string;
  [field: string]: unknown;
}

/** One request received by the fake, recorded in arrival order. */
export interface FakeCall {
  /** HTTP method, upper case. */
  method: string;
  /** URL path without the query string, e.g. `/api/v1/generation`. */
  path: string;
  /** The `id` query parameter for `/api/v1/generation`. */
  id?: string;
  /** Status sent, or 0 when the connection was dropped before any answer. */
  status: number;
  /** Whether the request carried the right Bearer key. */
  authorized: boolean;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** Request headers (lower-case names), with `authorization` replaced by `'[redacted]'`. */
  headers: Record<string, string>;
}

/** Options of {@link startFakeOpenRouter}. */
export interface FakeOpenRouterOptions {
  /**
   * Port to listen on; 0 picks a random free port.
   * @default 0
   */
  port?: number;
  /**
   * Interface to listen on.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * The only Bearer key the fake accepts.
   * @default a random `'sk-or-v1-fake-…'` string
   */
  apiKey?: string;
  /**
   * The management key: the only key `/credits`, `/activity` and `/analytics/*` accept (the
   * inference `apiKey` gets 403 there, as on OpenRouter); `/key` accepts both.
   * @default a random `'sk-or-v1-fake-mgmt-…'` string
   */
  managementKey?: string;
  /**
   * How many `POST /analytics/query` requests a window allows before answering 429 with
   * `Retry-After` (OpenRouter: 64 a minute).
   * @default { requests: 64, windowMs: 60_000 }
   */
  analyticsRateLimit?: { requests?: number; windowMs?: number };
  /**
   * Most rows one analytics answer carries, whatever the query's `limit` (OpenRouter: 10,000);
   * more set `metadata.truncated`. Lower it to make tests page.
   * @default 10_000
   */
  analyticsMaxRows?: number;
  /**
   * `total_credits` of `GET /credits`, USD.
   * @default 100
   */
  totalCredits?: number;
  /**
   * Milliseconds after a generation is created (or a completion finishes) before its stats are
   * served; `GET /api/v1/generation` answers 404 before then, like OpenRouter does.
   * @default 0
   */
  statsDelayMs?: number;
  /**
   * Delay before every answer under `/api/`.
   * @default 0
   */
  latencyMs?: number;
  /**
   * Delay between server-sent-event chunks of a streamed chat completion.
   * @default 5
   */
  chunkDelayMs?: number;
  /**
   * Treat every chat completion as bring-your-own-key (`is_byok: true`: `total_cost` is the 5%
   * fee, `upstream_inference_cost` the provider's charge). A request can also ask for it with
   * the header `X-Fake-Byok: true`.
   * @default false
   */
  byok?: boolean;
  /**
   * The key's credit limit in USD, served by `GET /api/v1/key` (`limit`, `limit_remaining`:
   * the limit less the `total_cost` of every generation so far, `limit_reset`).
   * @default null (no limit)
   */
  keyLimitUsd?: number | null;
  /**
   * `limit_reset` of `GET /api/v1/key`.
   * @default null
   */
  keyLimitReset?: 'daily' | 'weekly' | 'monthly' | null;
  /**
   * Log one line per request (method, path, status; never headers) to stderr.
   * @default false
   */
  verbose?: boolean;
}

/** A billed amount changed after the fact: see {@link FakeOpenRouter.adjustBilled}. */
export interface BilledAdjustment {
  /** USD billed to credits. */
  total_cost?: number;
  /** USD the provider charged a BYOK generation. */
  upstream_inference_cost?: number;
}

/** Options of {@link FakeOpenRouter.addGeneration}. */
export interface AddGenerationOptions {
  /**
   * Milliseconds before the generation's stats are served (404 before).
   * @default the server's `statsDelayMs`
   */
  readyInMs?: number;
}

/** Options of {@link FakeOpenRouter.script}. */
export interface ScriptOptions {
  /**
   * Cycle through the steps forever instead of falling back to normal answers once consumed.
   * @default false
   */
  repeat?: boolean;
}

/** Options of {@link FakeOpenRouter.reset}. */
export interface ResetOptions {
  /**
   * Forget generations and scripts too, not only the recorded calls.
   * @default false
   */
  all?: boolean;
}

/** A running fake OpenRouter server. */
export interface FakeOpenRouter {
  /** Base URL to give clients, e.g. `'http://127.0.0.1:53211/api/v1'`. */
  url: string;
  /** Scheme, host and port, e.g. `'http://127.0.0.1:53211'`. */
  origin: string;
  /** The port actually listened on. */
  port: number;
  /** The inference key: the Bearer key the generation and chat endpoints accept. */
  apiKey: string;
  /** The management key: the one the billing endpoints accept. */
  managementKey: string;
  /**
   * Bills generation `id` differently from its stats from now on (OpenRouter corrects billed
   * amounts after the fact): `total_cost` (credits) and, for BYOK, `upstream_inference_cost`.
   */
  adjustBilled(id: string, amounts: BilledAdjustment): void;
  /** Every request received, in order (authorization redacted). */
  calls: FakeCall[];
  /**
   * Create a finished generation with realistic defaults for all 45 fields; `fields` override
   * them (and any extra field is served too). Ready after `readyInMs` (default `statsDelayMs`).
   */
  addGeneration(fields?: Partial<FakeGeneration>, options?: AddGenerationOptions): FakeGeneration;
  /**
   * Create a generation whose cost the fake computes from its own price list (cache reads and
   * writes, reasoning, web search, BYOK, response-cache hits, failures, fallbacks), with its
   * `/generation/content` (the stored error of a failed one).
   */
  addPricedGeneration(spec?: PricedGenerationSpec, options?: AddGenerationOptions): FakeGeneration;
  /** The fake's endpoints of a model, with their pricing, as it serves them. */
  endpoints(model: string): FakeModelEndpoint[];
  /** The stored generation with this id, ready or not. */
  generation(id: string): FakeGeneration | undefined;
  /**
   * Script the answers of `GET /api/v1/generation` for one id, or `'*'` for every id without
   * its own script. Steps are consumed in order; with `repeat` they cycle forever.
   */
  script(id: string, steps: FaultStep[], options?: ScriptOptions): void;
  /** Forget recorded calls (and with `{ all: true }` generations and scripts too). */
  reset(options?: ResetOptions): void;
  /** Stop listening and close every open connection, streams included. */
  close(): Promise<void>;
}

/** A failed attempt before the one that answered, in a {@link PricedGenerationSpec}. */
export interface FakeFailedAttempt {
  /** e.g. `'Anthropic'`. */
  provider: string;
  /** HTTP status of the attempt, e.g. 429. */
  status: number;
  /**
   * ms
   * @default 250
   */
  latencyMs?: number;
  /**
   * The stored error message (served by `/generation/content` when the generation failed).
   * @default 'Provider returned error'
   */
  message?: string;
}

/**
 * A generation whose cost the fake computes from its own endpoint price list
 * ({@link FakeOpenRouter.endpoints}), for {@link FakeOpenRouter.addPricedGeneration}.
 */
export interface PricedGenerationSpec {
  /** @default 'openai/gpt-4o-mini' */
  model?: string;
  /**
   * The endpoint that serves it (a `provider_name` of the model's endpoints).
   * @default the model's first endpoint
   */
  provider?: string;
  /**
   * Native prompt tokens, cached and cache-written ones included.
   * @default 1000
   */
  promptTokens?: number;
  /**
   * Native completion tokens, reasoning included.
   * @default 200
   */
  completionTokens?: number;
  /** @default 0 */
  cachedTokens?: number;
  /** @default 0 */
  cacheWriteTokens?: number;
  /** @default 0 */
  reasoningTokens?: number;
  /** @default 0 */
  searchResults?: number;
  /** @default false */
  byok?: boolean;
  /** Served from the response cache of this generation: billed 0. */
  responseCacheHitOf?: string;
  /** @default false */
  cancelled?: boolean;
  /**
   * No output and an error finish: billed 0 (zero-completion insurance); the failure is stored.
   * @default false
   */
  failed?: boolean;
  /** Attempts that failed before the answering one (or before the failure). */
  failedAttempts?: FakeFailedAttempt[];
  /**
   * When it was created (overrides with a UTC window depend on it), ms since the epoch.
   * @default Date.now()
   */
  createdAt?: number;
  /**
   * USD added to the charge (`total_cost`, or for BYOK `upstream_inference_cost`), so a test
   * knows the residual an explanation must show.
   * @default 0
   */
  inflateUsd?: number;
  /** Any field to set on top (e.g. `id`). */
  fields?: Partial<FakeGeneration>;
}

/** One endpoint of the fake's price list, as `GET /api/v1/models/{author}/{slug}/endpoints` serves it. */
export interface FakeModelEndpoint {
  provider_name: string;
  name: string;
  tag: string;
  model_id: string;
  pricing: {
    prompt: string;
    completion: string;
    discount?: number;
    overrides?: Array<Record<string, string | number | undefined>>;
    [price: string]: unknown;
  };
  [field: string]: unknown;
}

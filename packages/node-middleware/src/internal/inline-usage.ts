import type { InlineUsage } from '../types.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Reads `usage.cost`, `usage.is_byok` and the upstream cost out of a completion body or chunk. */
export function inlineUsageOf(body: unknown): InlineUsage | undefined {
  if (!isRecord(body) || !isRecord(body.usage)) return undefined;
  const usage = body.usage;
  if (typeof usage.cost !== 'number') return undefined;
  const inline: InlineUsage = { costUsd: usage.cost };
  if (typeof usage.is_byok === 'boolean') inline.isByok = usage.is_byok;
  const details = usage.cost_details;
  if (isRecord(details) && typeof details.upstream_inference_cost === 'number') {
    inline.upstreamInferenceCostUsd = details.upstream_inference_cost;
  }
  return inline;
}

/** The `id` of a completion body or chunk, when it is a string. */
export function bodyIdOf(body: unknown): string | undefined {
  return isRecord(body) && typeof body.id === 'string' ? body.id : undefined;
}

/** Largest partial SSE event kept while scanning a stream; past it scanning stops. */
const MAX_PENDING_EVENT_CHARS = 1_000_000;

/**
 * Incremental scanner of an OpenAI-style SSE stream: reports the first chunk's id and the usage
 * of any chunk carrying one. It only parses events that can hold what it still looks for.
 */
export class SseScanner {
  readonly #decoder = new TextDecoder();
  #buffer = '';
  #stopped = false;
  #seenId = false;

  constructor(
    private readonly onId: (id: string) => void,
    private readonly onUsage: (id: string | undefined, usage: InlineUsage) => void,
  ) {}

  #lastId: string | undefined;

  push(chunk: Uint8Array): void {
    if (this.#stopped) return;
    this.#buffer += this.#decoder.decode(chunk, { stream: true });
    let boundary = this.#nextBoundary();
    while (boundary !== -1) {
      const event = this.#buffer.slice(0, boundary);
      this.#buffer = this.#buffer.slice(boundary).replace(/^(\r?\n)+/, '');
      this.#handleEvent(event);
      boundary = this.#nextBoundary();
    }
    if (this.#buffer.length > MAX_PENDING_EVENT_CHARS) this.stop();
  }

  end(): void {
    if (!this.#stopped && this.#buffer.trim() !== '') this.#handleEvent(this.#buffer);
    this.stop();
  }

  stop(): void {
    this.#stopped = true;
    this.#buffer = '';
  }

  #nextBoundary(): number {
    const lf = this.#buffer.indexOf('\n\n');
    const crlf = this.#buffer.indexOf('\r\n\r\n');
    if (lf === -1) return crlf;
    if (crlf === -1) return lf;
    return Math.min(lf, crlf);
  }

  #handleEvent(event: string): void {
    let data = '';
    for (const line of event.split(/\r?\n/)) {
      if (line.startsWith('data:')) {
        const value = line.slice(5);
        data += data === '' ? value.trimStart() : `\n${value.trimStart()}`;
      }
    }
    if (data === '' || data === '[DONE]') return;
    // Parsing every chunk would cost CPU on the caller's path: only parse what can help.
    if (this.#seenId && !data.includes('"usage"')) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    const id = bodyIdOf(parsed);
    if (id !== undefined) {
      this.#lastId = id;
      if (!this.#seenId) {
        this.#seenId = true;
        this.onId(id);
      }
    }
    const usage = inlineUsageOf(parsed);
    if (usage) this.onUsage(id ?? this.#lastId, usage);
  }
}

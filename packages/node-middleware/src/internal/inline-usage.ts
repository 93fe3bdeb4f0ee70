import { createSseParser } from '@genmeta/core/engine';
import type { InlineUsage } from '../types.js';
import type { BodyScanner } from './scan-stream.js';

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

/**
 * Longest SSE event scanned, in characters: a first chunk can be large (a long prompt echoed,
 * tool calls), and memory stays bounded. A longer event is skipped; later ones are scanned.
 */
const MAX_SSE_EVENT_CHARS = 8_000_000;

/**
 * Incremental scanner of an OpenAI-style SSE stream: reports the first chunk's id and the usage
 * of any chunk carrying one. It only parses events that can hold what it still looks for.
 */
export class SseScanner implements BodyScanner {
  readonly #decoder = new TextDecoder();
  readonly #parser = createSseParser((event) => this.#handleData(event.data), {
    maxLineLength: MAX_SSE_EVENT_CHARS,
  });
  #stopped = false;
  #seenId = false;
  #lastId: string | undefined;

  /**
   * @param headerKnown - the answer's `X-Generation-Id` is known: only the usage is left to
   *   learn, which the caller's reading brings (the fetch settles at once).
   */
  constructor(
    private readonly onId: (id: string) => void,
    private readonly onUsage: (id: string | undefined, usage: InlineUsage, chunk: unknown) => void,
    private readonly headerKnown = false,
  ) {}

  /** true once the first chunk's id was seen (or the header gave it) */
  get settled(): boolean {
    return this.headerKnown || this.#seenId;
  }

  push(chunk: Uint8Array): void {
    if (this.#stopped) return;
    this.#parser.push(this.#decoder.decode(chunk, { stream: true }));
  }

  end(): void {
    if (this.#stopped) return;
    this.#parser.push(this.#decoder.decode());
    this.#parser.end();
    this.stop();
  }

  stop(): void {
    this.#stopped = true;
  }

  #handleData(data: string): void {
    if (this.#stopped || data === '' || data === '[DONE]') return;
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
    if (usage) this.onUsage(id ?? this.#lastId, usage, parsed);
  }
}

import type { BodyScanner } from './scan-stream.js';

/**
 * JSON bodies larger than this, in decoded bytes (whatever `Content-Length` or
 * `Content-Encoding` say), are not parsed for `id` / `usage`: what was kept is dropped.
 */
export const MAX_JSON_SCAN_BYTES = 4 * 1024 * 1024;

/** Untracked JSON answers are sniffed for an OpenRouter shape in their first bytes only. */
export const MAX_SNIFF_BYTES = 64 * 1024;

function joined(chunks: readonly Uint8Array[], bytes: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const all = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/**
 * Keeps a JSON body's bytes as the caller reads them, up to MAX_JSON_SCAN_BYTES, and parses
 * them at the end (`onBody`). Past the limit it keeps nothing more (`overLimit`).
 */
export class JsonScanner implements BodyScanner {
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  #stopped = false;
  #overLimit = false;

  constructor(private readonly onBody: (body: unknown) => void) {}

  get settled(): boolean {
    return this.#stopped;
  }

  /** the body was larger than the scan limit */
  get overLimit(): boolean {
    return this.#overLimit;
  }

  push(chunk: Uint8Array): void {
    if (this.#stopped) return;
    this.#bytes += chunk.byteLength;
    if (this.#bytes > MAX_JSON_SCAN_BYTES) {
      this.#overLimit = true;
      this.stop();
      return;
    }
    this.#chunks.push(chunk);
  }

  end(): void {
    if (this.#stopped) return;
    const text = new TextDecoder().decode(joined(this.#chunks, this.#bytes));
    this.stop();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return;
    }
    this.onBody(body);
  }

  stop(): void {
    this.#stopped = true;
    this.#chunks = [];
  }
}

const GENERATION_ID_FIELD = /"id"\s*:\s*"gen-/;
const COMPLETION_FIELD = /"(?:choices|usage)"\s*:/;

/**
 * Looks at the first MAX_SNIFF_BYTES of an untracked JSON answer, as the caller reads them, for
 * the shape of an OpenRouter completion (`"id": "gen-..."` beside `choices` or `usage`); it
 * never parses the body.
 */
export class ShapeSniffer implements BodyScanner {
  readonly #decoder = new TextDecoder();
  #head = '';
  #stopped = false;

  constructor(private readonly onShaped: () => void) {}

  get settled(): boolean {
    return this.#stopped;
  }

  push(chunk: Uint8Array): void {
    if (this.#stopped) return;
    const room = MAX_SNIFF_BYTES - this.#head.length;
    this.#head += this.#decoder.decode(chunk.subarray(0, room), { stream: true });
    if (this.#head.length >= MAX_SNIFF_BYTES) this.end();
  }

  end(): void {
    if (this.#stopped) return;
    const head = this.#head;
    this.stop();
    if (GENERATION_ID_FIELD.test(head) && COMPLETION_FIELD.test(head)) this.onShaped();
  }

  stop(): void {
    this.#stopped = true;
    this.#head = '';
  }
}

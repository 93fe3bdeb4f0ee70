import { positiveInteger } from '../internal/option-checks.js';
/** One server-sent event, as {@link createSseParser} delivers it. */
export interface SseEvent {
  /** The `event:` field; absent for the default `message` type. */
  event?: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last `id:` seen in the stream so far (it carries over to later events, per the spec). */
  id?: string;
}

/** Options of {@link createSseParser}. */
export interface SseParserOptions {
  /**
   * Longest line kept, in characters; also the longest data an event may gather. A longer line
   * (or event) is dropped and reported to `onOversize`, and memory stays bounded.
   * @default 1_000_000
   */
  maxLineLength?: number;
  /**
   * Called once per dropped line or event, with the characters seen when it was dropped.
   * @default undefined (dropped silently)
   */
  onOversize?: (info: { kind: 'line' | 'event'; length: number }) => void;
}

/** The incremental parser {@link createSseParser} returns. */
export interface SseParser {
  /** Feeds decoded text; a chunk may end anywhere, even between `\r` and `\n`. */
  push(chunk: string): void;
  /** Ends the stream: a last event not followed by a blank line is still delivered. */
  end(): void;
}

const LF = 10;
const CR = 13;

/**
 * A spec-correct (WHATWG) event-stream parser: LF, CRLF and CR line endings, multi-line data,
 * comments, `event`/`id` fields, a leading BOM, chunks split anywhere, bounded memory. One
 * difference from browsers: `end()` delivers a final event that lacks its blank line, as many
 * servers end streams that way.
 */
export function createSseParser(
  onEvent: (event: SseEvent) => void,
  options: SseParserOptions = {},
): SseParser {
  const maxLineLength = positiveInteger('maxLineLength', options.maxLineLength, 1_000_000);
  const onOversize = options.onOversize;
  let started = false;
  let ended = false;
  let afterCr = false;
  let partial = '';
  let skippingLine = false;
  let data: string | undefined;
  let skippingEvent = false;
  let eventType: string | undefined;
  let lastId: string | undefined;

  const report = (kind: 'line' | 'event', length: number): void => {
    try {
      onOversize?.({ kind, length });
    } catch {
      // a failing report must not break the stream
    }
  };

  const dispatch = (): void => {
    const payload = data;
    const type = eventType;
    data = undefined;
    eventType = undefined;
    skippingEvent = false;
    if (payload === undefined) return;
    const event: SseEvent = { data: payload };
    if (type !== undefined && type !== '') event.event = type;
    if (lastId !== undefined) event.id = lastId;
    onEvent(event);
  };

  const field = (line: string): void => {
    if (line === '') {
      dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' starts a comment
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (name === 'data') {
      if (skippingEvent) return;
      const length = (data === undefined ? 0 : data.length + 1) + value.length;
      if (length > maxLineLength) {
        skippingEvent = true;
        data = undefined;
        report('event', length);
        return;
      }
      data = data === undefined ? value : `${data}\n${value}`;
    } else if (name === 'event') {
      eventType = value;
    } else if (name === 'id') {
      if (!value.includes('\u0000')) lastId = value;
    }
    // `retry` and unknown fields are ignored.
  };

  const endLine = (piece: string): void => {
    if (skippingLine) {
      skippingLine = false;
      partial = '';
      return;
    }
    const line = partial === '' ? piece : partial + piece;
    partial = '';
    if (line.length > maxLineLength) {
      report('line', line.length);
      return;
    }
    field(line);
  };

  const keep = (piece: string): void => {
    if (skippingLine || piece === '') return;
    if (partial.length + piece.length > maxLineLength) {
      report('line', partial.length + piece.length);
      partial = '';
      skippingLine = true;
      return;
    }
    partial += piece;
  };

  return {
    push(chunk) {
      if (ended || chunk === '') return;
      let text = chunk;
      if (!started) {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      let start = 0;
      // A CR that ended the previous chunk may be the first half of a CRLF.
      if (afterCr && text.charCodeAt(0) === LF) start = 1;
      afterCr = false;
      let nextLf = text.indexOf('\n', start);
      let nextCr = text.indexOf('\r', start);
      for (;;) {
        if (nextLf !== -1 && nextLf < start) nextLf = text.indexOf('\n', start);
        if (nextCr !== -1 && nextCr < start) nextCr = text.indexOf('\r', start);
        const end = nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
        if (end === -1) {
          keep(start === 0 ? text : text.slice(start));
          return;
        }
        endLine(text.slice(start, end));
        start = end + 1;
        if (text.charCodeAt(end) === CR) {
          if (start === text.length) afterCr = true;
          else if (text.charCodeAt(start) === LF) start++;
        }
      }
    },
    end() {
      if (ended) return;
      ended = true;
      if (partial !== '' && !skippingLine) endLine('');
      dispatch();
    },
  };
}

/** One server-sent event. */
export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
}

/** Options of {@link createSseParser}. */
export interface SseParserOptions {
  /**
   * Characters one event (or one line) may hold; a larger event is skipped whole, and the
   * events after it are still parsed.
   * @default 16_777_216
   */
  maxEventChars?: number;
}

/**
 * An incremental SSE parser (WHATWG rules): lines end with CRLF, LF or CR, also across chunk
 * boundaries; `data` lines are joined with LF; an empty line dispatches the event. An event
 * left open at `end()` is dispatched too (streams cut at the last event).
 */
export function createSseParser(
  onEvent: (event: SseEvent) => void,
  options: SseParserOptions = {},
): { push(chunk: string): void; end(): void } {
  const maxEventChars = options.maxEventChars ?? 16 * 1024 * 1024;
  /** the current line's text from earlier chunks (no terminator in it yet) */
  let parts: string[] = [];
  let partsLength = 0;
  let lineTooLong = false;
  /** the previous chunk ended with CR: a leading LF of this one ends no new line */
  let afterCr = false;
  let data = '';
  let hasData = false;
  let eventName: string | undefined;
  let eventId: string | undefined;
  let eventChars = 0;
  let skipping = false;

  function reset(): void {
    data = '';
    hasData = false;
    eventName = undefined;
    eventId = undefined;
    eventChars = 0;
    skipping = false;
  }

  function dispatch(): void {
    if (hasData && !skipping) {
      const event: SseEvent = { data };
      if (eventName !== undefined) event.event = eventName;
      if (eventId !== undefined) event.id = eventId;
      reset();
      onEvent(event);
      return;
    }
    reset();
  }

  function line(text: string): void {
    if (text === '') {
      dispatch();
      return;
    }
    if (skipping || text.charCodeAt(0) === 58 /* ':' comment */) return;
    eventChars += text.length;
    if (eventChars > maxEventChars) {
      skipping = true;
      data = '';
      return;
    }
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') {
      data = hasData ? `${data}\n${value}` : value;
      hasData = true;
    } else if (field === 'event') eventName = value;
    else if (field === 'id' && !value.includes('\0')) eventId = value;
  }

  function endLine(tail: string): void {
    if (lineTooLong) {
      lineTooLong = false;
      skipping = true;
      data = '';
    } else {
      line(partsLength === 0 ? tail : parts.join('') + tail);
    }
    parts = [];
    partsLength = 0;
  }

  return {
    push(chunk) {
      let start = 0;
      if (afterCr && chunk.charCodeAt(0) === 10) start = 1;
      afterCr = false;
      let index = start;
      const length = chunk.length;
      // Each terminator is searched once per chunk: a chunk of many LF lines stays linear.
      let lf = chunk.indexOf('\n', index);
      let cr = chunk.indexOf('\r', index);
      while (index < length) {
        if (lf !== -1 && lf < index) lf = chunk.indexOf('\n', index);
        if (cr !== -1 && cr < index) cr = chunk.indexOf('\r', index);
        const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
        if (end === -1) break;
        endLine(chunk.slice(index, end));
        if (end === cr && chunk.charCodeAt(end + 1) === 10) index = end + 2;
        else {
          index = end + 1;
          if (end === cr && index === length) afterCr = true;
        }
      }
      if (index < length && !lineTooLong) {
        parts.push(chunk.slice(index));
        partsLength += length - index;
        if (partsLength > maxEventChars) {
          lineTooLong = true;
          parts = [];
          partsLength = 0;
        }
      }
    },
    end() {
      if (partsLength > 0 || lineTooLong) endLine('');
      dispatch();
    },
  };
}

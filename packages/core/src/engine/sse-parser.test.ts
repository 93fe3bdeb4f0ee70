import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from './sse-parser.js';

function parse(chunks: readonly string[], options?: Parameters<typeof createSseParser>[1]) {
  const events: SseEvent[] = [];
  const parser = createSseParser((event) => events.push(event), options);
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return events;
}

const stream =
  ': keep-alive comment\n' +
  'data: {"id":"gen-1"}\n\n' +
  'event: update\nid: 7\ndata: line one\ndata:line two\n\n' +
  'data: [DONE]\n\n';

describe('createSseParser', () => {
  it('reads data, multi-line data, event, id and skips comments', () => {
    expect(parse([stream])).toEqual([
      { data: '{"id":"gen-1"}' },
      { event: 'update', id: '7', data: 'line one\nline two' },
      // The last event id carries over, as the spec says.
      { id: '7', data: '[DONE]' },
    ]);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('reads %s line endings alike', (_name, ending) => {
    expect(parse([stream.replaceAll('\n', ending)])).toEqual(parse([stream]));
  });

  it('gives the same events however the stream is cut into chunks (CRLF split included)', () => {
    const crlf = stream.replaceAll('\n', '\r\n');
    const whole = parse([crlf]);
    fc.assert(
      fc.property(fc.array(fc.nat(crlf.length), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: string[] = [];
        let previous = 0;
        for (const point of points) {
          chunks.push(crlf.slice(previous, point));
          previous = point;
        }
        chunks.push(crlf.slice(previous));
        expect(parse(chunks)).toEqual(whole);
      }),
    );
  });

  it('strips one leading space of a value only, a BOM, and keeps a colon-less field name', () => {
    expect(parse(['\uFEFFdata:  two spaces\n\ndata\n\n'])).toEqual([
      { data: ' two spaces' },
      { data: '' },
    ]);
  });

  it('dispatches nothing for an event without data, and ignores an id with NUL', () => {
    expect(parse(['event: ping\n\nid: a\u0000b\ndata: x\n\n'])).toEqual([{ data: 'x' }]);
  });

  it('delivers a last event that lacks its blank line at end()', () => {
    expect(parse(['data: tail'])).toEqual([{ data: 'tail' }]);
  });

  it('drops an oversize line and reports it, keeping memory bounded and the stream going', () => {
    const reports: { kind: string; length: number }[] = [];
    const long = `data: ${'x'.repeat(100)}`;
    const events = parse([long.slice(0, 40), long.slice(40), '\n\ndata: ok\n\n'], {
      maxLineLength: 50,
      onOversize: (info) => reports.push(info),
    });
    expect(events).toEqual([{ data: 'ok' }]);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.kind).toBe('line');
    expect(reports[0]?.length).toBeGreaterThan(50);
  });

  it('drops an event whose data lines add up past the limit', () => {
    const reports: { kind: string }[] = [];
    const events = parse(['data: 123456\ndata: 123456\ndata: 123456\n\ndata: ok\n\n'], {
      maxLineLength: 16,
      onOversize: (info) => reports.push(info),
    });
    expect(events).toEqual([{ data: 'ok' }]);
    expect(reports.map((report) => report.kind)).toEqual(['event']);
  });

  it('rejects a maxLineLength that is not a positive integer', () => {
    expect(() => createSseParser(() => undefined, { maxLineLength: 0 })).toThrow(
      /maxLineLength must be a positive integer, got 0/,
    );
  });
});

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type LineEvent, readLines } from '../src/shared/records/read-lines.js';

async function linesOf(chunks: (string | Uint8Array)[], limit?: number): Promise<LineEvent[]> {
  const events: LineEvent[] = [];
  await readLines(Readable.from(chunks), (event) => events.push(event), { limit });
  return events;
}

const line = (text: string): LineEvent => ({ kind: 'line', text });

describe('readLines', () => {
  it('joins lines split across chunks, multi-byte characters included', async () => {
    const bytes = Buffer.from('{"a":"é€"}\r\n{"b":2}\nlast');
    const chunks = [...bytes].map((byte) => Uint8Array.of(byte));
    expect(await linesOf(chunks)).toEqual([line('{"a":"é€"}'), line('{"b":2}'), line('last')]);
  });

  it('drops a line past the limit as it streams by, once, and goes on', async () => {
    expect(await linesOf(['12345', '6\nok\n', '1234567'], 5)).toEqual([
      { kind: 'too_long' },
      line('ok'),
      { kind: 'too_long' },
    ]);
    expect(await linesOf(['12345\n123456\n'], 5)).toEqual([line('12345'), { kind: 'too_long' }]);
  });

  it('keeps empty lines for the caller to skip, and needs no final newline', async () => {
    expect(await linesOf(['a\n\nb'])).toEqual([line('a'), line(''), line('b')]);
    expect(await linesOf([])).toEqual([]);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      readLines(Readable.from(['a\n']), () => {}, { signal: controller.signal }),
    ).rejects.toThrow('stop');
  });
});

/** A body read up to a cap: its text, or `undefined` when it went past the cap (reading stopped). */
export type CappedText = string | undefined;

const isIdentity = (encoding: string | null): boolean =>
  encoding === null || encoding.trim() === '' || encoding.trim().toLowerCase() === 'identity';

/**
 * The response's text, reading at most `maxBytes` of it (after decompression, so a gzip bomb
 * stops at the cap too). Past the cap the body is cancelled and `undefined` returned.
 */
export function readCappedText(response: Response, maxBytes: number): Promise<CappedText> {
  const declared = response.headers.get('content-length');
  const length = declared === null ? Number.NaN : Number(declared);
  if (isIdentity(response.headers.get('content-encoding')) && Number.isSafeInteger(length)) {
    // The declared length bounds an unencoded body: the common path reads it in one go.
    return length > maxBytes ? cancelled(response.body) : response.text();
  }
  return readStreamCapped(response.body, maxBytes);
}

/** `undefined` once `body` is cancelled (a body past the cap). */
async function cancelled(body: ReadableStream<Uint8Array> | null): Promise<undefined> {
  await body?.cancel().catch(() => undefined);
  return undefined;
}

/** The text of `body`, decoded as it comes, or `undefined` past `maxBytes` (then cancelled). */
async function readStreamCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<CappedText> {
  if (body === null) return '';
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}

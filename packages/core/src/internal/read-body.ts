/** A body read up to a cap: its text, or `undefined` when it went past the cap (reading stopped). */
export type CappedText = string | undefined;

const isIdentity = (encoding: string | null): boolean =>
  encoding === null || encoding.trim() === '' || encoding.trim().toLowerCase() === 'identity';

/**
 * The response's text, reading at most `maxBytes` of it (after decompression, so a gzip bomb
 * stops at the cap too). Past the cap the body is cancelled and `undefined` returned.
 */
export async function readCappedText(response: Response, maxBytes: number): Promise<CappedText> {
  const declared = response.headers.get('content-length');
  const length = declared === null ? Number.NaN : Number(declared);
  if (isIdentity(response.headers.get('content-encoding')) && Number.isSafeInteger(length)) {
    if (length > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      return undefined;
    }
    // The declared length bounds an unencoded body: the common path reads it in one go.
    return response.text();
  }
  const body = response.body;
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

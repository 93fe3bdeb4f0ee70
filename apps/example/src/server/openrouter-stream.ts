/** What one chunk of OpenRouter's chat completion stream may carry (the parts this app reads). */
export interface CompletionChunk {
  id?: string;
  model?: string;
  choices?: { delta?: { content?: string | null } }[];
  usage?: { cost?: number | null } | null;
  error?: { message?: string } | null;
}

/**
 * Reads an OpenAI-style server-sent-event stream (`data: {...}` lines, `: comments`, `data: [DONE]`)
 * and yields each parsed JSON chunk. Lines that are not JSON are skipped rather than fatal.
 */
export async function* readCompletionChunks(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<CompletionChunk> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const line = buffered.slice(0, newline).replace(/\r$/, '');
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        const chunk = parseLine(line);
        if (chunk === 'done') return;
        if (chunk) yield chunk;
      }
    }
    const last = parseLine(buffered.trim());
    if (last && last !== 'done') yield last;
  } finally {
    // Stops the upstream body when the caller stops early (an error chunk, a closed page).
    await reader.cancel().catch(() => undefined);
  }
}

function parseLine(line: string): CompletionChunk | 'done' | undefined {
  if (!line.startsWith('data:')) return undefined;
  const data = line.slice(5).trim();
  if (data === '[DONE]') return 'done';
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' && parsed !== null ? (parsed as CompletionChunk) : undefined;
  } catch {
    return undefined;
  }
}

/** A short, key-free message from an OpenRouter error answer (`{ error: { message } }`). */
export async function upstreamErrorMessage(response: Response): Promise<string> {
  let detail = '';
  try {
    const text = await response.text();
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') detail = parsed.error.message.slice(0, 300);
  } catch {
    // not JSON (a CDN page, an empty body): the status says enough
  }
  return `OpenRouter answered ${response.status}${detail ? `: ${detail}` : ''}`;
}

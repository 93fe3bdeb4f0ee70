import { type ChatEvent, demoUserHeader } from '../shared/protocol.ts';

/** The server refused the chat request (`status` 429: the user's spend limit is reached). */
export class ChatRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ChatRequestError';
  }
}

/**
 * Sends a prompt to `POST /api/chat` and calls `onEvent` for each NDJSON line of the answer,
 * as it arrives, on behalf of the demo `user`. Rejects with a {@link ChatRequestError} carrying a
 * readable message when the server refuses the request.
 */
export async function streamChat(
  prompt: string,
  user: string,
  onEvent: (event: ChatEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const response = await fetch('/api/chat', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/x-ndjson',
      [demoUserHeader]: user,
    },
    body: JSON.stringify({ prompt }),
    signal,
  });
  if (!response.ok || !response.body) {
    throw new ChatRequestError(await errorMessage(response), response.status);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) onEvent(JSON.parse(line) as ChatEvent);
      newline = buffered.indexOf('\n');
    }
  }
  const rest = buffered.trim();
  if (rest) onEvent(JSON.parse(rest) as ChatEvent);
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON: fall through to the status line
  }
  return `The server answered ${response.status} ${response.statusText}`.trim();
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GenmetaError } from '@genmeta/core';

interface ErrorAnswer {
  status: number;
  message: string;
}

/** The status and message the proxy answers for a lookup failure, as OpenRouter would. */
export function answerOf(error: GenmetaError): ErrorAnswer {
  switch (error.code) {
    case 'not_found':
      return { status: 404, message: 'Generation not found (it may still be processing)' };
    case 'rate_limited':
      return { status: 429, message: 'Rate limited by OpenRouter, retry later' };
    case 'unauthorized':
      return { status: 401, message: "OpenRouter rejected this server's credentials" };
    case 'insufficient_credits':
      return { status: 402, message: "This server's OpenRouter account has insufficient credits" };
    case 'forbidden':
      return { status: 403, message: 'OpenRouter refused access to this generation' };
    case 'invalid_id':
      return { status: 400, message: 'Invalid generation id' };
    case 'timeout':
      return { status: 504, message: 'OpenRouter did not answer in time' };
    case 'network':
      return { status: 502, message: 'OpenRouter could not be reached' };
    case 'invalid_response':
      return { status: 502, message: 'OpenRouter sent an invalid response' };
    default: {
      const status = error.status;
      return {
        status: status !== undefined && status >= 500 && status <= 599 ? status : 502,
        message: 'OpenRouter failed to answer',
      };
    }
  }
}

/** Longest Retry-After the proxy relays, in seconds: an upstream's absurd value is capped. */
export const MAX_RETRY_AFTER_SECONDS = 60;

/** The Retry-After header value (whole seconds, 1 to 60) for a wait in ms. */
export function retryAfterValue(retryAfterMs: number): string {
  const seconds = Number.isFinite(retryAfterMs)
    ? Math.max(1, Math.ceil(retryAfterMs / 1000))
    : MAX_RETRY_AFTER_SECONDS;
  return String(Math.min(MAX_RETRY_AFTER_SECONDS, seconds));
}

export function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('content-length', Buffer.byteLength(text));
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.end(request.method === 'HEAD' ? undefined : text);
}

/** OpenRouter's error shape `{ error: { code, message } }`, never cached. */
export function sendError(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  send(
    request,
    response,
    status,
    { error: { code: status, message } },
    { 'cache-control': 'no-store', ...headers },
  );
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GenmetaError, GenmetaErrorCode } from '@genmeta/core';
import { classifyError, errorTable } from '@genmeta/core/rules';

interface ErrorAnswer {
  status: number;
  message: string;
}

/** What the proxy tells the browser for each code (never the upstream's own text). */
const MESSAGES: Record<GenmetaErrorCode, string> = {
  invalid_id: 'Invalid generation id',
  unauthorized: "OpenRouter rejected this server's credentials",
  insufficient_credits: "This server's OpenRouter account has insufficient credits",
  forbidden: 'OpenRouter refused access to this generation',
  not_found: 'Generation not found (it may still be processing)',
  rate_limited: 'Rate limited by OpenRouter, retry later',
  server_error: 'OpenRouter failed to answer',
  timeout: 'OpenRouter did not answer in time',
  network: 'OpenRouter could not be reached',
  invalid_response: 'OpenRouter sent an invalid response',
};

/**
 * The status and message the proxy answers for a lookup failure, derived from core's error
 * table: input, auth and not-found codes answer their own status as OpenRouter would; what went
 * wrong between this server and OpenRouter is a gateway error (429 kept, a timeout 504, an
 * upstream 5xx as is, else 502).
 */
export function answerOf(error: GenmetaError): ErrorAnswer {
  const { code, category } = classifyError(error);
  const message = MESSAGES[code] ?? MESSAGES.server_error;
  if (category === 'input' || category === 'auth' || category === 'not_found') {
    return { status: errorTable[code].statuses[0] ?? 502, message };
  }
  if (code === 'rate_limited') return { status: 429, message };
  if (code === 'timeout') return { status: 504, message };
  const status = code === 'server_error' ? error.status : undefined;
  return {
    status: status !== undefined && status >= 500 && status <= 599 ? status : 502,
    message,
  };
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

/** A finished decision of the proxy: what to answer, for either host (node or fetch). */
export interface ProxyAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

/** OpenRouter's error shape `{ error: { code, message } }`, never cached. */
export function errorAnswer(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): ProxyAnswer {
  return {
    status,
    body: { error: { code: status, message } },
    headers: { 'cache-control': 'no-store', ...headers },
  };
}

const encoder = new TextEncoder();

/** The headers every answer carries, body-length included. */
function answerHeaders(answer: ProxyAnswer, text: string): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'content-length': String(encoder.encode(text).byteLength),
    ...answer.headers,
  };
}

/** Writes an answer to a node response (HEAD gets the headers only). */
export function sendAnswer(
  request: IncomingMessage,
  response: ServerResponse,
  answer: ProxyAnswer,
): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const text = JSON.stringify(answer.body);
  response.statusCode = answer.status;
  for (const [name, value] of Object.entries(answerHeaders(answer, text))) {
    response.setHeader(name, value);
  }
  response.end(request.method === 'HEAD' ? undefined : text);
}

/** The same answer as a Web `Response` (HEAD gets the headers only). */
export function responseOf(method: string, answer: ProxyAnswer): Response {
  const text = JSON.stringify(answer.body);
  return new Response(method === 'HEAD' ? null : text, {
    status: answer.status,
    headers: answerHeaders(answer, text),
  });
}

import type { IncomingMessage } from 'node:http';

/** Every answer carries these, so browser tests can read bodies and useful headers. */
export const corsHeaders: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers':
    'X-Generation-Id, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset',
};

const defaultAllowedHeaders =
  'Authorization, Content-Type, HTTP-Referer, X-OpenRouter-Title, X-Title, X-Fake-Byok';

/** Headers of a CORS preflight answer; the requested headers are echoed (`*` never covers Authorization). */
export function preflightHeaders(request: IncomingMessage): Record<string, string> {
  const requested = request.headers['access-control-request-headers'];
  return {
    ...corsHeaders,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers':
      typeof requested === 'string' && requested.trim() ? requested : defaultAllowedHeaders,
    'access-control-max-age': '600',
    vary: 'Access-Control-Request-Headers',
  };
}

/** OpenRouter's error body, identical for every status. */
export function errorBody(status: number, message: string): string {
  return JSON.stringify({ error: { code: status, message }, user_id: null });
}

export const reasonByStatus: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'No auth credentials found',
  402: 'Insufficient credits. Add more using https://openrouter.ai/settings/credits',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  429: 'Rate limit exceeded',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  524: 'A timeout occurred',
  529: 'Provider returned error: overloaded',
};

export function defaultMessage(status: number): string {
  return reasonByStatus[status] ?? `Error ${status}`;
}

/** A CDN-style HTML error page, the kind a proxy in front of an API answers with. */
export function htmlErrorPage(status: number): string {
  const title = `${status}: ${reasonByStatus[status] ?? 'Error'}`;
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>openrouter.ai | ${title}</title></head>
<body>
<div id="cf-error-details"><h1>Error ${status}</h1><h2>${reasonByStatus[status] ?? 'Error'}</h2>
<p>The web server reported an error. Ray ID: 8f3a2c1d9e7b6a54</p></div>
</body>
</html>
`;
}

/** Request headers as one string per name, `authorization` (and the key anywhere) redacted. */
export function redactedHeaders(
  request: IncomingMessage,
  apiKey: string,
  managementKey = apiKey,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    headers[name] =
      name === 'authorization' ||
      name === 'proxy-authorization' ||
      text.includes(apiKey) ||
      text.includes(managementKey)
        ? '[redacted]'
        : text;
  }
  return headers;
}

export class BodyTooLargeError extends Error {}

/** The whole request body as text, refusing more than `limit` bytes. */
export function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError('body too large'));
        request.removeAllListeners('data');
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
    // A client that goes away mid-body never sends 'end'.
    request.on('close', () => {
      if (!request.complete) reject(new Error('request aborted'));
    });
  });
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

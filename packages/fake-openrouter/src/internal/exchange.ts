import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeCall } from '../types.js';
import { BodyTooLargeError, corsHeaders, defaultMessage, errorBody, readBody } from './http.js';

const bodyLimit = 5 * 1024 * 1024;

/** One request in flight: its response and its entry in `calls`. */
export interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  call: FakeCall;
  url: URL;
}

/** Writes the `verbose` line for a finished call. */
export function logCall(verbose: boolean, call: FakeCall): void {
  if (verbose) {
    process.stderr.write(
      `[fake-openrouter] ${call.method} ${call.path}${call.id === undefined ? '' : ` id=${call.id}`} -> ${call.status || 'dropped'}\n`,
    );
  }
}

/** Every way the fake answers one exchange; each records the status in the call. */
export interface Responder {
  send(exchange: Exchange, status: number, body: string, headers?: Record<string, string>): void;
  sendJson(
    exchange: Exchange,
    status: number,
    value: unknown,
    headers?: Record<string, string>,
  ): void;
  /** OpenRouter's JSON error body; the message defaults to the status's usual reason. */
  sendError(
    exchange: Exchange,
    status: number,
    message?: string,
    headers?: Record<string, string>,
  ): void;
  /** Closes the socket without an answer (status 0 in `calls`). */
  drop(exchange: Exchange): void;
  /** 401 unless the request carries `Authorization: Bearer <apiKey>`. */
  authorize(exchange: Exchange): boolean;
  /** The parsed body, or undefined once a 413/400 (or a drop) has answered for it. */
  readJson(exchange: Exchange, emptyAs?: unknown): Promise<{ value: unknown } | undefined>;
  log(call: FakeCall): void;
}

export function createResponder(verbose: boolean): Responder {
  const log = (call: FakeCall) => logCall(verbose, call);

  function send(
    exchange: Exchange,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): void {
    const { response, call } = exchange;
    if (response.headersSent || response.destroyed) return;
    call.status = status;
    // 204 and 304 answers cannot carry a body.
    const payload = status === 204 || status === 304 ? '' : body;
    const contentLength = String(Buffer.byteLength(payload));
    response.writeHead(status, { ...corsHeaders, 'content-length': contentLength, ...headers });
    response.end(payload);
    log(call);
  }

  function sendError(
    exchange: Exchange,
    status: number,
    message = defaultMessage(status),
    headers: Record<string, string> = {},
  ): void {
    send(exchange, status, errorBody(status, message), {
      'content-type': 'application/json',
      ...headers,
    });
  }

  function drop(exchange: Exchange): void {
    exchange.call.status = 0;
    log(exchange.call);
    exchange.request.socket.destroy();
  }

  return {
    send,
    sendError,
    drop,
    log,
    sendJson(exchange, status, value, headers = {}) {
      send(exchange, status, JSON.stringify(value), {
        'content-type': 'application/json',
        ...headers,
      });
    },
    authorize(exchange) {
      if (exchange.call.authorized) return true;
      const header = exchange.request.headers.authorization;
      const message =
        header === undefined || header.trim() === ''
          ? 'No auth credentials found'
          : 'User not found.';
      sendError(exchange, 401, message);
      return false;
    },
    async readJson(exchange, emptyAs) {
      let text: string;
      try {
        text = await readBody(exchange.request, bodyLimit);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          sendError(exchange, 413, 'Request body too large');
        } else {
          drop(exchange);
        }
        return undefined;
      }
      if (emptyAs !== undefined && text.trim() === '') return { value: emptyAs };
      try {
        return { value: JSON.parse(text) as unknown };
      } catch {
        sendError(exchange, 400, 'Invalid JSON in request body');
        return undefined;
      }
    },
  };
}

import app from '../app.js';

interface FetchEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
  waitUntil(promise: Promise<unknown>): void;
}

declare function addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;

// Vercel's edge-runtime: a FetchEvent listener, the record kept alive with event.waitUntil.
addEventListener('fetch', (event) => {
  event.respondWith(
    app.fetch(event.request, {}, { waitUntil: (promise) => event.waitUntil(promise) }),
  );
});

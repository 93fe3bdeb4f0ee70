/**
 * Where the fake OpenRouter listens, written into each runtime's bundle by esbuild (`define`):
 * the app reads no environment, as a Worker cannot.
 */
declare const __FAKE_URL__: string;
declare const __FAKE_KEY__: string;

export const fake = { url: __FAKE_URL__, apiKey: __FAKE_KEY__ };

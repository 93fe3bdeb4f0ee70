// One cold start: import @genmeta/core and create a client; prints the time it took in ms.
const started = performance.now();
const { createClient } = await import('@genmeta/core');
createClient({ apiKey: 'sk-or-v1-bench', baseUrl: 'http://127.0.0.1:9/api/v1' });
console.log(performance.now() - started);

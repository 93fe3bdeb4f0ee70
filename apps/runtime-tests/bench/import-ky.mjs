// The baseline: importing ky alone (what core's fetcher is built on); prints ms.
const started = performance.now();
await import('ky');
console.log(performance.now() - started);

// One chat completion made WITHOUT the tracking fetch: OpenRouter (or the fake) bills it, and no
// cost record ever mentions it. `genmeta reconcile` then lists it as untracked.
// Usage: OPENROUTER_BASE_URL=... OPENROUTER_API_KEY=... node scripts/untracked-call.mjs
const baseUrl = process.env.OPENROUTER_BASE_URL;
const apiKey = process.env.OPENROUTER_API_KEY;
if (!baseUrl || !apiKey) {
  process.stderr.write(
    'Set OPENROUTER_BASE_URL and OPENROUTER_API_KEY (the lines the server printed).\n',
  );
  process.exit(2);
}
const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/chat/completions`, {
  method: 'POST',
  headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
  body: JSON.stringify({
    model: process.env.OPENROUTER_MODEL || 'openai/gpt-4o-mini',
    messages: [{ role: 'user', content: 'a call nobody tracked' }],
  }),
});
if (!response.ok) {
  process.stderr.write(`OpenRouter answered ${response.status}\n`);
  process.exit(1);
}
const { id } = await response.json();
process.stdout.write(`${id}\n`);

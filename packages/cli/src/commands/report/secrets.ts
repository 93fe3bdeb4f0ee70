// Logs can hold what they should not: an OpenRouter key pasted into an attribute or a path.
// A report is made to be shared, so it never repeats one.
const openRouterKey = /sk-or-[A-Za-z0-9_-]*/g;

/** Masks anything shaped like an OpenRouter key (`sk-or-...`). */
export function maskKeys(text: string): string {
  return text.includes('sk-or-') ? text.replace(openRouterKey, 'sk-or-[redacted]') : text;
}

/** Replaces `key` (the environment's, when set) in text about to be written. */
export function redactKey(text: string, key: string | undefined): string {
  const secret = key?.trim();
  return secret && secret.length >= 8 ? text.replaceAll(secret, '[redacted]') : text;
}

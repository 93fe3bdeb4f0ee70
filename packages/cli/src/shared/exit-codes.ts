/** Exit codes of `genmeta`, one meaning each. Listed in `--help` and the README. */
export const exitCodes = {
  /** every id resolved */
  ok: 0,
  /** an unexpected internal error (a bug) */
  internal: 1,
  /** bad flags, arguments or ids; a key given on the command line */
  usage: 2,
  /** no usable key, key refused, no credits or forbidden */
  auth: 3,
  /** generation not found (or still not ready when the deadline passed) */
  notFound: 4,
  /** rate limited */
  rateLimited: 5,
  /** network, timeout, server error or an unreadable answer */
  unavailable: 6,
  /** some ids resolved, some failed */
  partial: 7,
  /** reconcile: what was billed and what was recorded differ beyond the tolerance */
  notReconciled: 8,
  /** interrupted (Ctrl-C, SIGINT) */
  interrupted: 130,
  /** terminated (SIGTERM) */
  terminated: 143,
} as const;

/** One of the values of {@link exitCodes}. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** `--help` lines, one exit code each. */
export const exitCodeLines: readonly string[] = [
  '0    every id resolved',
  '1    unexpected internal error',
  '2    usage: bad flags, arguments or ids, or a key on the command line',
  '3    auth: no usable key, key refused (401), no credits (402) or forbidden (403)',
  '4    not found (404), also when still not ready at the deadline',
  '5    rate limited (429)',
  '6    network, timeout, server error (5xx) or an unreadable answer',
  '7    partial: some ids resolved, some failed (or a refused key stopped the batch)',
  '8    reconcile: not reconciled (untracked, phantom or mismatched beyond the tolerance)',
  '130  interrupted (Ctrl-C): what resolved before is printed',
  '143  terminated (SIGTERM): what resolved before is printed',
];

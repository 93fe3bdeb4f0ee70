/** ANSI styling that turns into plain text when colors are off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

function wrap(enabled: boolean, open: number, close: number) {
  return (text: string) => (enabled && text ? `\u001b[${open}m${text}\u001b[${close}m` : text);
}

/** A {@link Style} that colors when `enabled`. */
export function createStyle(enabled: boolean): Style {
  return {
    enabled,
    bold: wrap(enabled, 1, 22),
    dim: wrap(enabled, 2, 22),
    red: wrap(enabled, 31, 39),
    green: wrap(enabled, 32, 39),
    yellow: wrap(enabled, 33, 39),
    cyan: wrap(enabled, 36, 39),
  };
}

/**
 * Colors or not, in this order: `--no-color` off; NO_COLOR set and non-empty off (no-color.org);
 * FORCE_COLOR `0`/`false` off, any other value on; TERM=dumb off; else on only for a terminal.
 */
export function shouldColor(
  stream: { isTTY?: boolean | undefined },
  env: Readonly<Record<string, string | undefined>>,
  flagAllows: boolean,
): boolean {
  if (!flagAllows) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

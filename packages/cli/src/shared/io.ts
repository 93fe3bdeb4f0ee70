// What `run` and every command read and write: argv, environment and streams, nothing global.

/** Where `genmeta` writes: `process.stdout`, `process.stderr`, or anything with `write`. */
export interface RunOutput {
  /** writes a chunk of text */
  write(chunk: string): unknown;
  /** a terminal gets colors, a card/table fitted to `columns`, and (stderr) progress */
  isTTY?: boolean | undefined;
  /** terminal width, used to fit tables */
  columns?: number | undefined;
}

/** Where ids come from with `-`: `process.stdin`, or any async iterable of text chunks. */
export interface RunInput extends AsyncIterable<string | Uint8Array> {
  /** a terminal is never read unless `-` is given */
  isTTY?: boolean | undefined;
}

/** Everything {@link run} touches: argv and the environment in, text out, nothing global. */
export interface RunOptions {
  /** the arguments after the program name, e.g. `['get', '--json', 'gen-1']` */
  argv: readonly string[];
  /**
   * environment variables: OPENROUTER_API_KEY, OPENROUTER_BASE_URL, NO_COLOR, FORCE_COLOR, TERM
   * @default process.env
   */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * ids (or costLogger record lines), one per line, read with `-` or when no id is given and
   * it is not a terminal
   * @default no input
   */
  stdin?: RunInput | undefined;
  /** results, written as they resolve; a Node stream's backpressure is respected */
  stdout: RunOutput;
  /** errors, warnings and progress */
  stderr: RunOutput;
  /**
   * aborts lookups in flight; what had resolved is printed, then `run` resolves to 130
   * @default never aborted
   */
  signal?: AbortSignal | undefined;
  /**
   * directory that a relative `--api-key-file` path is resolved against
   * @default process.cwd()
   */
  cwd?: string | undefined;
}

/** What a command may touch. */
export interface CommandIo {
  env: Readonly<Record<string, string | undefined>>;
  stdin: RunInput | undefined;
  stdout: RunOutput;
  stderr: RunOutput;
  signal: AbortSignal | undefined;
  cwd: string;
}

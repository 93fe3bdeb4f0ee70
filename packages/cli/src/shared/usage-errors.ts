import type { CommandName } from './command-names.js';

/** A problem with argv; the message says what and how to fix it. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** the command whose help the hint should point at */
  readonly topic: CommandName | undefined;
  constructor(message: string, topic?: CommandName) {
    super(message);
    this.topic = topic;
  }
}

/** A key was given on the command line. The message never contains it. Exit code 2. */
export class KeyOnCommandLineError extends UsageError {
  constructor() {
    super(
      [
        'refusing an API key given on the command line: arguments are visible to other users of',
        'this machine (ps, /proc) and stay in your shell history. Give the key one of two ways:',
        '  OPENROUTER_API_KEY=... in the environment (export it, or use a secret manager), or',
        '  --api-key-file PATH   a file holding only the key (chmod 600)',
      ].join('\n'),
    );
  }
}

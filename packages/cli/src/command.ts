/** What a command may touch: its output streams and the environment, so tests can run it in-process. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stderrIsTty: boolean;
  /** Whether stdout is a terminal (colours); absent means no. */
  stdoutIsTty?: boolean;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  summary: string;
  help: string;
  /** Resolves to the exit status. Throws UsageError for bad arguments (exit status 2). */
  run(argv: string[], io: CommandIo): Promise<number>;
}

import { UsageError } from './cli-flags.js';

/**
 * What a command does once started: its exit code. `signal` aborts on SIGINT or SIGTERM (the
 * handlers are removed when it returns). A {@link UsageError} it throws is a bad flag.
 */
export type CommandMain = (argv: readonly string[], signal: AbortSignal) => Promise<number>;

/**
 * Runs `main` with this process's arguments and sets the exit code: main's own, 2 for a
 * UsageError (its message and a pointer to --help on stderr), 1 for anything else thrown (its
 * stack on stderr). Messages start with `fw0 <name>:`.
 */
export function runCommand(name: string, main: CommandMain): void {
  const abort = new AbortController();
  const interrupt = () => abort.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  main(process.argv.slice(2), abort.signal)
    .then(
      (code) => code,
      (error: unknown) => {
        if (error instanceof UsageError) {
          process.stderr.write(`fw0 ${name}: ${error.message}\nRun with --help to see every option.\n`);
          return 2;
        }
        process.stderr.write(
          `fw0 ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        return 1;
      },
    )
    .then((code) => {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      process.exitCode = code;
    });
}

import type { LogFields, Logger } from '../logger.js';

/** One line a {@link CaptureLogger} received. */
export interface CapturedLine {
  readonly level: keyof Logger;
  readonly message: string;
  readonly fields: LogFields | undefined;
}

/** A logger that keeps every line, for tests that assert what the library said. */
export class CaptureLogger implements Logger {
  readonly lines: CapturedLine[] = [];

  debug(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'debug', message, fields });
  }
  warn(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'error', message, fields });
  }

  /** The lines of `level` whose message matches `pattern`. */
  matching(level: keyof Logger, pattern: RegExp): CapturedLine[] {
    return this.lines.filter((line) => line.level === level && pattern.test(line.message));
  }
}

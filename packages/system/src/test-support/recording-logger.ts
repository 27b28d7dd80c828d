import type { LogFields, Logger } from '@fw0/metrics-core';

/** One message a {@link RecordingLogger} received. */
export interface LogEntry {
  readonly level: 'debug' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields | undefined;
}

/** A logger that keeps what it is told, so a test can read which error a collector caught. */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];

  debug(message: string, fields?: LogFields): void {
    this.entries.push({ level: 'debug', message, fields });
  }
  warn(message: string, fields?: LogFields): void {
    this.entries.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: LogFields): void {
    this.entries.push({ level: 'error', message, fields });
  }

  /** The `error` field of every error entry. */
  errors(): unknown[] {
    return this.entries.filter((entry) => entry.level === 'error').map((entry) => entry.fields?.error);
  }
}

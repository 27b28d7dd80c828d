import { debuglog, inspect } from 'node:util';
import { ConfigError, describeValue } from './errors.js';

/** Structured details of a log message. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where fw0 metrics says what it did and why anything was dropped, throttled or failed.
 * Pass your own (pino, winston, console adapters) through the `logger` option of a registry or
 * collector. The default writes through `util.debuglog('fw0')`: silent unless the process runs
 * with `NODE_DEBUG=fw0`.
 */
export interface Logger {
  /** Routine events: collector started, series created, a run measured. */
  debug(message: string, fields?: LogFields): void;
  /** Something was lost or degraded: samples dropped, series overflowed, a source failed. */
  warn(message: string, fields?: LogFields): void;
  /** A failure the library caught and counted so that the host application does not see it. */
  error(message: string, fields?: LogFields): void;
}

/** A logger that says nothing. */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  warn() {},
  error() {},
});

let debugLoggerInstance: Logger | undefined;

/**
 * The default logger: `util.debuglog('fw0')`, enabled by `NODE_DEBUG=fw0`. Messages read
 * `FW0 <pid>: [warn] message {fields}` on stderr.
 */
export function debugLogger(): Logger {
  if (debugLoggerInstance) return debugLoggerInstance;
  const write = debuglog('fw0');
  const emit = (level: string, message: string, fields?: LogFields) => {
    if (!write.enabled) return;
    write(
      fields === undefined
        ? `[${level}] ${message}`
        : `[${level}] ${message} ${inspect(fields, { breakLength: Infinity })}`,
    );
  };
  debugLoggerInstance = Object.freeze({
    debug: (message: string, fields?: LogFields) => emit('debug', message, fields),
    warn: (message: string, fields?: LogFields) => emit('warn', message, fields),
    error: (message: string, fields?: LogFields) => emit('error', message, fields),
  });
  return debugLoggerInstance;
}

/** Calls a user-supplied logger without letting it throw into the library. */
export function safeLog(logger: Logger, level: keyof Logger, message: string, fields?: LogFields): void {
  try {
    logger[level](message, fields);
  } catch {
    // A logger that throws must not break collection; there is nowhere left to report it.
  }
}

/**
 * Checks a `logger` option: undefined or null (the default), or an object with `debug`, `warn`
 * and `error` methods.
 * Throws ConfigError naming `owner` otherwise (a junk logger would silence every report).
 */
export function assertLogger(owner: string, logger: unknown): asserts logger is Logger | undefined | null {
  if (logger === undefined || logger === null) return;
  const candidate = logger as Partial<Logger>;
  if (
    typeof candidate !== 'object' ||
    typeof candidate.debug !== 'function' ||
    typeof candidate.warn !== 'function' ||
    typeof candidate.error !== 'function'
  ) {
    throw new ConfigError(
      `Invalid logger ${describeValue(logger)} for ${owner}: expected an object with debug, warn and error methods`,
      { subject: owner, value: logger },
    );
  }
}

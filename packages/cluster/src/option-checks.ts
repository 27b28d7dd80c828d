import { ConfigError, describeValue } from '@fw0/metrics-core';

/** Throws `ConfigError` unless the options of `call` are an object (a caller's null or number). */
export function assertOptionsObject(call: string, options: unknown): asserts options is object {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(`Invalid options of ${call}(): ${describeValue(options)}; expected an object`, {
      subject: call,
      value: options,
    });
  }
}

/**
 * Throws `ConfigError` unless `logger` is undefined, null or has `debug`, `warn` and `error` methods
 * (core's rule for collectors): a logger that is none would silence every failure report.
 */
export function assertLoggerOption(logger: unknown): void {
  // Left out or null: the default logger, as for every other option.
  if (logger === undefined || logger === null) return;
  const methods = logger as Record<string, unknown> | null;
  if (
    typeof logger !== 'object' ||
    methods === null ||
    !['debug', 'warn', 'error'].every((level) => typeof methods[level] === 'function')
  ) {
    throw new ConfigError(
      `Invalid option logger=${describeValue(logger)}: expected an object with debug, warn and error methods`,
      { subject: 'logger', value: logger },
    );
  }
}

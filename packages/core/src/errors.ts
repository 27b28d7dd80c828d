/**
 * Typed errors of fw0 metrics.
 *
 * Every error the library throws is an {@link Fw0Error} with a stable `code`. Errors are
 * recognised across duplicate copies of this package (two versions in one `node_modules`)
 * through a `Symbol.for` marker, so `instanceof` and {@link isFw0Error} work whichever copy
 * created the error.
 */

const MARKER = Symbol.for('fw0.metrics.error');

/** Stable codes of every kind of error fw0 metrics throws. */
export const ErrorCode = {
  /** A metric name breaks the Prometheus grammar, uses the reserved `__` prefix or a reserved suffix. */
  INVALID_NAME: 'FW0_INVALID_NAME',
  /** A label name breaks the grammar or is reserved, or a label value is not a well-formed string. */
  INVALID_LABEL: 'FW0_INVALID_LABEL',
  /** A recorded value is NaN, infinite, or negative where only increases are allowed. */
  INVALID_VALUE: 'FW0_INVALID_VALUE',
  /** A metric was registered again with another type, unit, buckets or labels. */
  METRIC_CONFLICT: 'FW0_METRIC_CONFLICT',
  /** An option or configuration value is out of range or of the wrong type. */
  INVALID_CONFIG: 'FW0_INVALID_CONFIG',
  /** A unit is unknown or cannot be converted to the requested unit. */
  INVALID_UNIT: 'FW0_INVALID_UNIT',
  /** Snapshots or sketches that cannot be merged (different buckets, accuracy or types). */
  MERGE_CONFLICT: 'FW0_MERGE_CONFLICT',
  /** An operation did not finish within its time limit. */
  TIMEOUT: 'FW0_TIMEOUT',
  /** A URL, host or port that a probe cannot use. */
  INVALID_TARGET: 'FW0_INVALID_TARGET',
  /** Text that is not valid exposition format. */
  PARSE_ERROR: 'FW0_PARSE_ERROR',
  /** An operation on an object that was already closed or stopped. */
  CLOSED: 'FW0_CLOSED',
  /** A remote endpoint (a store, a gateway) refused a request or could not be reached. */
  REMOTE_FAILED: 'FW0_REMOTE_FAILED',
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Details attached to an error: the metric, label or option concerned and the offending value. */
export interface ErrorDetails {
  /** The metric (or collector, option, target) the error is about. */
  readonly subject?: string | undefined;
  /** The value that was rejected. */
  readonly value?: unknown;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/**
 * Base class of every error thrown by fw0 metrics.
 *
 * `error instanceof Fw0Error` and `error instanceof InvalidValueError` hold even when the error
 * comes from another copy of the package: both check the shared marker and the code.
 */
export class Fw0Error extends Error {
  /** The code every instance of this class carries; subclasses override it. */
  static readonly code: ErrorCode | undefined = undefined;

  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** The metric, label, option or target the error is about. */
  readonly subject: string | undefined;
  /** The rejected value. */
  readonly value: unknown;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.subject = details.subject;
    this.value = details.value;
    Object.defineProperty(this, MARKER, { value: true });
  }

  static override [Symbol.hasInstance](candidate: unknown): boolean {
    if (!isFw0Error(candidate)) return false;
    // `this` is the class on the right of `instanceof`: the base accepts every code.
    // biome-ignore lint/complexity/noThisInStatic: the class being tested against is exactly what `this` means here.
    const code = (this as { code?: ErrorCode }).code;
    return code === undefined || candidate.code === code;
  }
}

/** True when `candidate` is an fw0 metrics error, from this or any other copy of the package. */
export function isFw0Error(candidate: unknown): candidate is Fw0Error {
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    (candidate as Record<symbol, unknown>)[MARKER] === true
  );
}

function defineError(code: ErrorCode, className: string) {
  const ErrorClass = class extends Fw0Error {
    static override readonly code: ErrorCode = code;
    constructor(message: string, details: ErrorDetails = {}) {
      super(code, message, details);
    }
  };
  Object.defineProperty(ErrorClass, 'name', { value: className });
  return ErrorClass;
}

/** A metric name is not valid. Code `FW0_INVALID_NAME`. */
export const InvalidNameError = defineError(ErrorCode.INVALID_NAME, 'InvalidNameError');
/** A label name or label value is not valid. Code `FW0_INVALID_LABEL`. */
export const InvalidLabelError = defineError(ErrorCode.INVALID_LABEL, 'InvalidLabelError');
/** A recorded value is not valid. Code `FW0_INVALID_VALUE`. */
export const InvalidValueError = defineError(ErrorCode.INVALID_VALUE, 'InvalidValueError');
/** A metric was registered twice with different definitions. Code `FW0_METRIC_CONFLICT`. */
export const MetricConflictError = defineError(ErrorCode.METRIC_CONFLICT, 'MetricConflictError');
/** An option is not valid. Code `FW0_INVALID_CONFIG`. */
export const ConfigError = defineError(ErrorCode.INVALID_CONFIG, 'ConfigError');
/** A unit is unknown or not convertible. Code `FW0_INVALID_UNIT`. */
export const UnitError = defineError(ErrorCode.INVALID_UNIT, 'UnitError');
/** Two snapshots or sketches cannot be merged. Code `FW0_MERGE_CONFLICT`. */
export const MergeError = defineError(ErrorCode.MERGE_CONFLICT, 'MergeError');
/** An operation timed out. Code `FW0_TIMEOUT`. */
export const TimeoutError = defineError(ErrorCode.TIMEOUT, 'TimeoutError');
/** A probe target (URL, host, port) is not usable. Code `FW0_INVALID_TARGET`. */
export const InvalidTargetError = defineError(ErrorCode.INVALID_TARGET, 'InvalidTargetError');
/** Exposition text could not be parsed. Code `FW0_PARSE_ERROR`. */
export const ParseError = defineError(ErrorCode.PARSE_ERROR, 'ParseError');
/** The object was already closed. Code `FW0_CLOSED`. */
export const ClosedError = defineError(ErrorCode.CLOSED, 'ClosedError');
/** A remote endpoint refused a request or could not be reached. Code `FW0_REMOTE_FAILED`. */
export const RemoteError = defineError(ErrorCode.REMOTE_FAILED, 'RemoteError');

/** Instance type of each error class, for annotations (`catch (error) { if (error instanceof InvalidValueError) ... }`). */
export type InvalidNameError = InstanceType<typeof InvalidNameError>;
export type InvalidLabelError = InstanceType<typeof InvalidLabelError>;
export type InvalidValueError = InstanceType<typeof InvalidValueError>;
export type MetricConflictError = InstanceType<typeof MetricConflictError>;
export type ConfigError = InstanceType<typeof ConfigError>;
export type UnitError = InstanceType<typeof UnitError>;
export type MergeError = InstanceType<typeof MergeError>;
export type TimeoutError = InstanceType<typeof TimeoutError>;
export type InvalidTargetError = InstanceType<typeof InvalidTargetError>;
export type ParseError = InstanceType<typeof ParseError>;
export type ClosedError = InstanceType<typeof ClosedError>;
export type RemoteError = InstanceType<typeof RemoteError>;

/** Shows a rejected value in an error message without flooding it. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return '-0';
    return String(value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return Object.prototype.toString.call(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

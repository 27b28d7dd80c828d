import { performance } from 'node:perf_hooks';
import { ClosedError, ConfigError, describeValue, type PerformanceMetric } from '@fw0/metrics-core';
import { type MemoryReading, memoryDeltaSince, readMemory } from './memory.js';
import { Outcome } from './names.js';
import type { TimerBinding } from './timer-binding.js';

/**
 * A running scoped timer: what `performanceTracker(name, tags)` returns (the seed's context
 * manager). End it with `using` (`Symbol.dispose`), `await using` (`Symbol.asyncDispose`) or
 * `end()`; ending is idempotent, so the first end records and later ones return the same sample.
 *
 * `using` cannot see an exception leaving the block: call `fail(error)` in a `catch`, or use the
 * callback form `performanceTracker(name, tags, (scope) => ...)`, which records the outcome of the
 * callback by itself. A scope that is never ended records nothing and holds nothing in the
 * collector: it is garbage like any other object.
 */
export class TrackerScope implements Disposable, AsyncDisposable {
  private readonly start: number;
  private readonly memoryBefore: MemoryReading | undefined;
  /** Metadata set so far; without a prototype, so that keys such as `__proto__` are kept as keys. */
  private values: Record<string, unknown> | undefined;
  private failed = false;
  private result: PerformanceMetric | undefined;
  private finalSeconds = 0;

  /** @internal Scopes come from `performanceTracker()`. */
  constructor(
    private readonly binding: TimerBinding,
    trackMemory: boolean,
  ) {
    this.memoryBefore = trackMemory ? readMemory() : undefined;
    this.start = performance.now();
  }

  /** The timer name, as passed to `performanceTracker`. */
  get name(): string {
    return this.binding.name;
  }

  /** True once the scope was ended. */
  get ended(): boolean {
    return this.result !== undefined;
  }

  /** The outcome the scope records (or recorded): `error` once `fail()` was called. */
  get outcome(): Outcome {
    return this.failed ? Outcome.ERROR : Outcome.SUCCESS;
  }

  /** Seconds since the scope started; after `end()`, the recorded duration in seconds. */
  get elapsedSeconds(): number {
    return this.result === undefined ? (performance.now() - this.start) / 1000 : this.finalSeconds;
  }

  /** A copy of the metadata set so far. */
  get context(): Readonly<Record<string, unknown>> {
    return Object.freeze({ ...this.values });
  }

  /**
   * Adds metadata to the scope's sample (its `context`, never a label). Throws `ConfigError` for a
   * key that is not a non-empty string and `ClosedError` once the scope has ended.
   */
  set(key: string, value: unknown): this {
    if (typeof key !== 'string' || key === '') {
      throw new ConfigError(
        `Invalid context key ${describeValue(key)} for tracker "${this.name}": expected a non-empty string`,
        {
          subject: this.name,
          value: key,
        },
      );
    }
    this.assertOpen('set');
    this.values ??= Object.create(null) as Record<string, unknown>;
    this.values[key] = value;
    return this;
  }

  /**
   * Marks the scope as failed: it records `outcome="error"`, and `error` (if given) goes into the
   * context as `error` (its message). Throws `ClosedError` once the scope has ended.
   */
  fail(error?: unknown): this {
    this.assertOpen('fail');
    this.failed = true;
    if (error !== undefined) {
      this.values ??= Object.create(null) as Record<string, unknown>;
      this.values.error = errorText(error);
    }
    return this;
  }

  /**
   * Stops the timer and records the scope (duration histogram, call counter, a sample through the
   * sampler). Idempotent: later calls record nothing and return the first call's sample.
   */
  end(): PerformanceMetric {
    if (this.result !== undefined) return this.result;
    this.finalSeconds = (performance.now() - this.start) / 1000;
    const memory = this.memoryBefore === undefined ? undefined : memoryDeltaSince(this.memoryBefore);
    const context = this.values === undefined ? undefined : Object.freeze({ ...this.values });
    this.result = this.binding.finishScope(this.finalSeconds, this.failed, context, memory);
    return this.result;
  }

  /** Ends the scope (`using scope = app.performanceTracker(...)`). */
  [Symbol.dispose](): void {
    this.end();
  }

  /** Ends the scope (`await using scope = app.performanceTracker(...)`). */
  [Symbol.asyncDispose](): Promise<void> {
    this.end();
    return Promise.resolve();
  }

  private assertOpen(operation: string): void {
    if (this.result !== undefined) {
      throw new ClosedError(`Tracker "${this.name}" has ended; ${operation}() must come before end()`, {
        subject: this.name,
      });
    }
  }
}

/**
 * The text `fail(error)` keeps: `Name: message` for an Error, `String(value)` otherwise, and for a
 * value `String()` cannot convert (an object without a prototype, a throwing `toString`) its
 * `[object Type]` tag, so that marking a scope failed never throws.
 */
function errorText(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}

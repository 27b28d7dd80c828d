import { ConfigError, describeValue, InvalidNameError } from '@fw0/metrics-core';
import { MethodTarget } from './method-target.js';
import { memberName } from './metric-name.js';
import { createTimedFunction, FixedTarget } from './timed-function.js';
import type { TimerBinding } from './timer-binding.js';
import type { CanonicalTags } from './timer-tags.js';

/**
 * What `performanceTimer(...)` returns: a method decorator for both TypeScript decorator modes,
 * chosen at run time from how it is called, and a wrapper for plain and arrow functions.
 */
export interface TimerDecorator {
  /** Standard (TC39, TypeScript 5) method decorator: `@app.performanceTimer()` without `experimentalDecorators`. */
  <This, Args extends unknown[], Return>(
    method: (this: This, ...args: Args) => Return,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): (this: This, ...args: Args) => Return;
  /** Legacy method decorator: `@app.performanceTimer()` with `experimentalDecorators: true`. */
  <T>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ): TypedPropertyDescriptor<T>;
  /** Function wrapper: `app.performanceTimer('name')(fn)` returns a timed function of the same type. */
  <F extends (...args: never[]) => unknown>(fn: F): F;
}

/** A timer's name, tags and memory option, validated when `performanceTimer(...)` is called. */
export interface TimerSpec {
  /** Explicit timer name; undefined means the default (`Class.method` or the function's name). */
  readonly name: string | undefined;
  readonly tags: CanonicalTags;
  readonly trackMemory: boolean;
}

/** What decorators need from their collector. */
export interface TimerFactory {
  /** The binding of a timer name and tag set (validates the name; may throw a typed error). */
  bindTimer(name: string, tags: CanonicalTags, trackMemory: boolean): TimerBinding;
  /** Counts and logs a failure; never throws. */
  reportFailure(operation: string, error: unknown): void;
  /** Logs a warning; never throws. */
  warn(message: string): void;
}

// biome-ignore lint/suspicious/noExplicitAny: a decorated function may have any signature.
type AnyFunction = (...args: any[]) => unknown;

/** Builds the decorator-or-wrapper for `spec`. */
export function createTimerDecorator(factory: TimerFactory, spec: TimerSpec): TimerDecorator {
  function performanceTimer(value: unknown, context?: unknown, descriptor?: unknown): unknown {
    if (
      typeof context === 'object' &&
      context !== null &&
      typeof (context as { kind?: unknown }).kind === 'string'
    ) {
      return decorateStandard(factory, spec, value, context as DecoratorContext);
    }
    if (typeof context === 'string' || typeof context === 'symbol') {
      return decorateLegacy(factory, spec, value, context, descriptor);
    }
    if (typeof value === 'function' && context === undefined)
      return wrapFunction(factory, spec, value as AnyFunction);
    throw new ConfigError(
      `performanceTimer: cannot time ${describeValue(value)}: use it as a method decorator or pass it a function`,
      { value },
    );
  }
  return performanceTimer as TimerDecorator;
}

/** Times a plain or arrow function; its default timer name is the function's name. */
export function wrapFunction<F extends AnyFunction>(factory: TimerFactory, spec: TimerSpec, fn: F): F {
  const name = spec.name ?? fn.name;
  if (name === '') {
    throw new InvalidNameError(
      'performanceTimer: an anonymous function needs a timer name (performanceTimer("name")(fn) or timed(fn, { name }))',
      { value: fn },
    );
  }
  if (isGenerator(fn)) return leaveUntimed(factory, name, fn);
  const binding = factory.bindTimer(name, spec.tags, spec.trackMemory);
  return createTimedFunction(fn, new FixedTarget(binding), spec.trackMemory);
}

function decorateStandard(
  factory: TimerFactory,
  spec: TimerSpec,
  method: unknown,
  context: DecoratorContext,
): unknown {
  const key = context.name ?? '(unnamed)';
  if (context.kind !== 'method' || typeof method !== 'function') {
    throw new ConfigError(
      `performanceTimer decorates methods; ${String(key)} is a ${context.kind} (time a getter's work in a method, or wrap functions with timed())`,
      { subject: String(key), value: context.kind },
    );
  }
  const fn = method as AnyFunction;
  if (isGenerator(fn)) return leaveUntimed(factory, spec.name ?? String(key), fn);
  if (spec.name !== undefined) {
    const binding = factory.bindTimer(spec.name, spec.tags, spec.trackMemory);
    return createTimedFunction(fn, new FixedTarget(binding), spec.trackMemory);
  }
  const target = new MethodTarget(
    key,
    context.private === true,
    (name) => factory.bindTimer(name, spec.tags, spec.trackMemory),
    (operation, error) => factory.reportFailure(operation, error),
  );
  const timed = createTimedFunction(fn, target, spec.trackMemory);
  target.wrapper = timed;
  context.addInitializer?.(function (this: unknown) {
    if (target.binding === undefined) target.resolve(this);
  });
  return timed;
}

function decorateLegacy(
  factory: TimerFactory,
  spec: TimerSpec,
  target: unknown,
  key: string | symbol,
  descriptor: unknown,
): PropertyDescriptor {
  const owner =
    typeof target === 'function' ? target : (target as { constructor?: { name?: unknown } })?.constructor;
  const className = typeof owner?.name === 'string' ? owner.name : '';
  const name = spec.name ?? memberName(className, key);
  const value = (descriptor as PropertyDescriptor | undefined)?.value;
  if (typeof value !== 'function') {
    throw new ConfigError(
      `performanceTimer decorates methods; ${memberName(className, key)} is a field or an accessor`,
      { subject: memberName(className, key), value: descriptor },
    );
  }
  const fn = value as AnyFunction;
  if (isGenerator(fn)) return leaveUntimed(factory, name, descriptor as PropertyDescriptor);
  const binding = factory.bindTimer(name, spec.tags, spec.trackMemory);
  return {
    ...(descriptor as PropertyDescriptor),
    value: createTimedFunction(fn, new FixedTarget(binding), spec.trackMemory),
  };
}

/** Generator functions stay untimed: their body runs lazily, one `next()` at a time. */
function leaveUntimed<F>(factory: TimerFactory, name: string, fn: F): F {
  factory.warn(
    `performanceTimer: ${name} is a generator function; it is left untimed (time the loop that consumes it with performanceTracker)`,
  );
  return fn;
}

function isGenerator(fn: AnyFunction): boolean {
  const tag = Object.prototype.toString.call(fn);
  return tag === '[object GeneratorFunction]' || tag === '[object AsyncGeneratorFunction]';
}

/** The parts of a standard decorator context this module reads. */
interface DecoratorContext {
  readonly kind: string;
  readonly name?: string | symbol;
  readonly private?: boolean;
  addInitializer?(initializer: (this: unknown) => void): void;
}

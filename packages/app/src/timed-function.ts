// biome-ignore-all lint/complexity/noArguments: V8 inlines Reflect.apply over `arguments` without materialising it, where a rest parameter costs an array per call (measured: 0.4 ns vs 7 ns a call).
// biome-ignore-all lint/complexity/noArguments: and Array.from(arguments) only runs off the common path.
import { performance } from 'node:perf_hooks';
import { type MemoryReading, readMemory } from './memory.js';
import { FailureOperation } from './names.js';
import { observeSettlement, thenOf } from './thenable.js';
import type { TimerBinding } from './timer-binding.js';

/**
 * Where a timed function finds its binding. Usually fixed when the function is wrapped; for a
 * method decorated in standard mode without an explicit name, the class name is only known once
 * the class exists, so the binding is resolved on first use (see `method-target.ts`).
 */
export interface TimerTarget {
  /** The binding, once known. */
  readonly binding: TimerBinding | undefined;
  /** Tries to resolve the binding from the receiver of a call; undefined means "run untimed". */
  resolve(receiver: unknown): TimerBinding | undefined;
}

/** A target whose binding is known up front. */
export class FixedTarget implements TimerTarget {
  constructor(readonly binding: TimerBinding) {}

  resolve(): TimerBinding {
    return this.binding;
  }
}

type AnyFunction = Function;

/**
 * Wraps `fn` so that each call is timed into its target's binding. The wrapper:
 * - keeps `this`, the arguments, the return value (a thenable aside, below) and thrown errors
 *   exactly (same objects);
 * - for a returned promise, records when it settles and returns `promise.then(...)`, a promise of
 *   its species settling with the same value or reason; for another thenable, records when it
 *   settles and returns a native promise that settles as it does (see `observeSettlement`);
 * - keeps `name` and `length` of `fn`; supports `new` when `fn` does.
 * With `trackMemory`, it also records heap and external memory deltas (see `memory.ts`).
 */
export function createTimedFunction<F extends AnyFunction>(
  fn: F,
  target: TimerTarget,
  trackMemory: boolean,
): F {
  const timed = trackMemory ? timeWithMemory(fn, target) : time(fn, target);
  Object.defineProperty(timed, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(timed, 'length', { value: fn.length, configurable: true });
  // `new timed()` then builds the same objects as `new fn()` (instanceof fn holds).
  if (Object.hasOwn(fn, 'prototype')) timed.prototype = fn.prototype;
  return timed as unknown as F;
}

/*
 * The wrappers keep their common path small (V8 inlines by bytecode size, and a larger wrapper
 * leaves no room to inline the histogram observe, whose argument must then be boxed): an
 * unresolved binding, `new` and object results go to out-of-line helpers.
 */

function time(fn: AnyFunction, target: TimerTarget): AnyFunction {
  return function timed(this: unknown) {
    const binding = target.binding;
    if (binding === undefined || new.target !== undefined) {
      return callSlowly(fn, target, this, Array.from(arguments), new.target, false);
    }
    const start = performance.now();
    let result: unknown;
    try {
      result = Reflect.apply(fn, this, arguments);
    } catch (error) {
      binding.failed(start);
      throw error;
    }
    if (typeof result === 'object' ? result !== null : typeof result === 'function') {
      return finishObject(result as object, binding, start, undefined);
    }
    binding.succeeded(start);
    return result;
  };
}

function timeWithMemory(fn: AnyFunction, target: TimerTarget): AnyFunction {
  return function timedWithMemory(this: unknown) {
    return callSlowly(fn, target, this, Array.from(arguments), new.target, true);
  };
}

/**
 * The general path: resolves the binding (running untimed if it cannot be), supports `new`, and
 * reads memory before and after when asked. Used for every call with `trackMemory`, whose two
 * heap-statistics reads dwarf the cost of the arguments array.
 */
function callSlowly(
  fn: AnyFunction,
  target: TimerTarget,
  receiver: unknown,
  args: unknown[],
  newTarget: AnyFunction | undefined,
  trackMemory: boolean,
): unknown {
  const binding = target.binding ?? target.resolve(receiver);
  if (binding === undefined) {
    return newTarget === undefined
      ? Reflect.apply(fn, receiver, args)
      : Reflect.construct(fn, args, newTarget);
  }
  const before = trackMemory ? readMemory() : undefined;
  const start = performance.now();
  let result: unknown;
  try {
    result =
      newTarget === undefined ? Reflect.apply(fn, receiver, args) : Reflect.construct(fn, args, newTarget);
  } catch (error) {
    if (before === undefined) binding.failed(start);
    else binding.failedWithMemory(start, before);
    throw error;
  }
  if (typeof result === 'object' ? result !== null : typeof result === 'function') {
    return finishObject(result as object, binding, start, before);
  }
  if (before === undefined) binding.succeeded(start);
  else binding.succeededWithMemory(start, before);
  return result;
}

/** An object result: timed until it settles if it is a thenable, recorded now otherwise. */
function finishObject(
  result: object,
  binding: TimerBinding,
  start: number,
  before: MemoryReading | undefined,
): unknown {
  const then = thenOf(result);
  if (then !== undefined) return settle(result, then, binding, start, before);
  if (before === undefined) binding.succeeded(start);
  else binding.succeededWithMemory(start, before);
  return result;
}

/**
 * Records when `thenable` settles (see `observeSettlement` for what the caller gets). Nothing is
 * kept per pending call outside the callbacks the thenable itself holds, so a thenable that never
 * settles holds nothing of ours once it is unreachable.
 */
function settle(
  thenable: object,
  then: AnyFunction,
  binding: TimerBinding,
  start: number,
  before: MemoryReading | undefined,
): unknown {
  return observeSettlement(thenable, then, {
    fulfilled() {
      if (before === undefined) binding.succeeded(start);
      else binding.succeededWithMemory(start, before);
    },
    rejected() {
      if (before === undefined) binding.failed(start);
      else binding.failedWithMemory(start, before);
    },
    thenThrew(error) {
      binding.sink.fail(FailureOperation.SETTLE, error);
    },
  });
}
